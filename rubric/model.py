"""The rubric loaded from rubric.toml: categories with weights, criteria with rules and probes.
Loading checks that every rule names a phrase set or a detector that exists, that each
`special` role is taken by one criterion at most (code finds criteria by role, never by id), and
that every criterion the interviewer can probe has a question to probe it with; a file that
fails is one line naming it and the field."""
from __future__ import annotations

import re
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from mlsd.core.plan import REFERENCE, PhaseId
from mlsd.prompts.case import check_one_question
from mlsd.prompts.loader import Vocabulary, load_model
from mlsd.rubric.detectors import DETECTORS

RUBRIC_FILE = Path(__file__).parent / "rubric.toml"
# Roles a criterion can play beyond its rules (see rubric.toml):
#   clarifying_questions, handling_probes: judged by code from the turns as a whole, no rules;
#   diagram: a flow drawn in the diagram pane meets it too;
#   task_type: when a case names its task, only that task's phrase set (task_<task>) meets it.
Special = Literal["clarifying_questions", "handling_probes", "diagram", "task_type"]
JUDGED_BY_CODE: frozenset[str] = frozenset({"clarifying_questions", "handling_probes"})
TASK_PREFIX = "task_"
_TERM = re.compile(r"^(?:@(?:(?P<min>\d+):)?)?(?P<name>[a-z_][a-z0-9_]*)$")


class Term(BaseModel):
    """One part of a rule: a phrase set or a detector, found at least `min` distinct times."""

    model_config = ConfigDict(frozen=True)
    name: str
    detector: bool
    min: int = 1

    @classmethod
    def parse(cls, text: str, detectors: set[str]) -> Term:
        """`name` (a phrase set), `@name` (a detector), `@2:name` (two distinct of either)."""
        m = _TERM.match(text)
        if m is None:
            raise ValueError(f"{text!r} is not a rule term (name, @name or @N:name)")
        name, counted = m.group("name"), m.group("min")
        detector = text.startswith("@") and (counted is None or name in detectors)
        return cls(name=name, detector=detector, min=int(counted or 1))


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    weight: int
    drillable: bool = True  # a short drill can practise it on its own


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    category: str
    phase: PhaseId
    name: str
    must_probe: bool = False
    must_have: bool = False
    special: Special | None = None
    met: list[list[str]] = []
    partial: list[list[str]] = []
    probes: list[str] = []
    # "turn": a rule's parts may sit in different sentences of one answer ("For the business:
    # ... For the model: ..."); "window": one sentence or two adjacent ones.
    scope: Literal["window", "turn"] = "window"
    # Whether the mechanism may be shown in plain words (the point raised, this problem's
    # words and a reason or step): false where only the rule's own evidence will do (numbers
    # for capacity, arrows for a diagram).
    plain: bool = True
    # Probed because juniors forget them: the level estimate counts how many were met.
    depth: bool = False
    # When the case is unknown, what the transcript must show for this criterion to apply:
    # a rare class (or a classification task), reasons asked for, or predictions per request.
    applies: Literal["always", "rare_class", "reasons_asked", "online"] = "always"

    @cached_property
    def phrase_sets(self) -> frozenset[str]:
        return frozenset(t.name for rule in self.met + self.partial for t in Rubric.terms(rule) if not t.detector)

    @cached_property
    def detectors(self) -> bool:
        """Whether some rule holds on detectors alone (numbers, arrows), with no phrase set."""
        return any(all(t.detector for t in Rubric.terms(rule)) for rule in self.met + self.partial)

    @property
    def ruled(self) -> bool:
        """Judged by its met/partial rules, sentence by sentence (the others by code)."""
        return self.special not in JUDGED_BY_CODE

    @property
    def can_be_probed(self) -> bool:
        """How the candidate handled the probes is judged from the other probes' answers:
        it is the one criterion there is nothing to ask about."""
        return self.special != "handling_probes"

    @field_validator("probes")
    @classmethod
    def _probes_are_worded(cls, probes: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("special") != "handling_probes" and not any(p.strip() for p in probes):
            raise ValueError("needs the question the interviewer asks when it probes this criterion")
        for p in probes:
            check_one_question(p)
        return probes

    @model_validator(mode="after")
    def _rules_match_role(self) -> Criterion:
        if self.ruled and not self.met:
            raise ValueError(f"criterion {self.id!r} needs met rules")
        if not self.ruled and (self.met or self.partial):
            raise ValueError(f"criterion {self.id!r} is judged by code ({self.special}) and takes no rules")
        return self


class RubricError(Exception):
    """The rubric file is wrong: the message names the file and the field."""


class Mistake(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    why: str
    criterion: str | None = None
    special: Literal["model_in_clarify"] | None = None


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    categories: list[Category]
    criteria: list[Criterion]
    phrases: dict[str, list[str]]
    guards: dict[str, list[str]]
    mistakes: list[Mistake]
    tasks: list[str] = []
    problem_words: dict[str, list[str]] = {}  # generic: words any design conversation uses
    about: dict[str, str] = {}  # per scorer: what its score can and cannot read
    questions: dict[str, list[str]] = {}  # not_a_topic: phrase sets too common to say what is asked

    @model_validator(mode="after")
    def _references_exist(self) -> Rubric:
        specials = [c.special for c in self.criteria if c.special]
        if len(specials) != len(set(specials)):
            raise ValueError("each special role belongs to one criterion at most")
        for c in self.criteria:
            for rule in c.met + c.partial:
                for term in self.terms(rule):
                    known = DETECTORS if term.detector else self.phrases
                    if term.name not in known:
                        raise ValueError(f"criterion {c.id!r}: {term.name!r} is not a "
                                         f"{'detector' if term.detector else 'phrase set'}")
        for task in self.tasks:
            if TASK_PREFIX + task not in self.phrases:
                raise ValueError(f"tasks: {task!r} has no phrase set {TASK_PREFIX + task!r}")
        ids = {c.id for c in self.criteria}
        for m in self.mistakes:
            if m.criterion is not None and m.criterion not in ids:
                raise ValueError(f"mistake {m.id!r}: unknown criterion {m.criterion!r}")
        return self

    @staticmethod
    def terms(rule: list[str]) -> list[Term]:
        return [_parsed_term(text) for text in rule]

    def criterion(self, cid: str) -> Criterion:
        return next(c for c in self.criteria if c.id == cid)

    def special(self, role: Special) -> Criterion | None:
        """The criterion that plays `role`, if this rubric has one."""
        return next((c for c in self.criteria if c.special == role), None)

    @property
    def criterion_ids(self) -> list[str]:
        return [c.id for c in self.criteria]

    def vocabulary(self) -> Vocabulary:
        """What a case file may refer to: criterion ids, phrase sets and task types."""
        return Vocabulary(criteria=frozenset(self.criterion_ids), phrase_sets=frozenset(self.phrases),
                          tasks=frozenset(self.tasks))

    def in_category(self, category_id: str) -> list[Criterion]:
        return [c for c in self.criteria if c.category == category_id]

    def weight_each(self, c: Criterion) -> float:
        """A criterion's share of its category's weight: how much missing it costs."""
        return self.category(c.category).weight / len(self.in_category(c.category))

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def phases_of(self, category_id: str) -> list[PhaseId]:
        """The phases where a category's criteria are asked about, in interview order."""
        used = {c.phase for c in self.in_category(category_id)}
        return [phase_id for phase_id, *_ in REFERENCE if phase_id in used]

    def in_phase(self, phase: PhaseId) -> list[Criterion]:
        return [c for c in self.criteria if c.phase == phase]


@cache
def _parsed_term(text: str) -> Term:
    return Term.parse(text, set(DETECTORS))


@cache
def load_rubric(path: Path = RUBRIC_FILE) -> Rubric:
    return load_model(path, Rubric, RubricError, "a rubric file")
