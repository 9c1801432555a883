"""Scripted candidates for `mlsd simulate`, loaded from prompts/personas/*.toml, or from a
folder or file of one's own (the format is in README.md, "Checking a case with simulated
candidates"). A persona is data: what it asks while clarifying, what it says in each phase
(each beat in several paraphrases, one picked per run), how it answers the interviewer's
probes, deep dives, tradeoffs and curveballs, how fast it answers and how often it says
nothing. A case may have its own lines; a persona may start from another one (`based_on`),
in its own folder or among the built-in ones."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mlsd.prompts.case import CASE_ID_PATTERN
from mlsd.prompts.loader import load_model

BUILTIN_PERSONAS = Path(__file__).parent / "personas"
PHASE_FIELDS = ("clarify", "framing", "data_features", "model_serving", "scale_monitoring", "tradeoffs")


class PersonaFileError(Exception):
    """A persona file that cannot be used: the message names the file and the field."""


def _no_blank(lines: list[str]) -> list[str]:
    if not lines or any(not line.strip() for line in lines):
        raise ValueError("needs at least one line, none of them empty")
    return lines


class Beat(BaseModel):
    """One thing the persona says in a phase, in paraphrases. `about` names what it covers
    (usually criterion ids): a question on that is answered with it, and `never` leaves it
    unsaid."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    say: list[str]
    about: list[str] = []
    early: bool = False  # said at the first chance in its phase, alongside whatever was asked

    _lines = field_validator("say")(_no_blank)


class Lines(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    ask: list[list[str]] = []      # clarifying questions in the order asked, each in paraphrases
    clarify: list[Beat] = []
    framing: list[Beat] = []
    data_features: list[Beat] = []
    model_serving: list[Beat] = []
    scale_monitoring: list[Beat] = []
    tradeoffs: list[Beat] = []
    idle: list[str] = []           # when it has nothing planned left for the phase
    # Replies to the interviewer, by what it asked: a probed criterion id, a deep dive's
    # challenge (why, breaks, cost; {term} is the choice), a tradeoff or curveball id,
    # "tradeoff", "curveball", "dodge" (a probe on a `never` topic), or "default".
    answers: dict[str, list[str]] = {}

    @field_validator("ask")
    @classmethod
    def _asks(cls, asks: list[list[str]]) -> list[list[str]]:
        for ask in asks:
            _no_blank(ask)
        return asks

    @field_validator("answers")
    @classmethod
    def _answers(cls, answers: dict[str, list[str]]) -> dict[str, list[str]]:
        for key, lines in answers.items():
            try:
                _no_blank(lines)
            except ValueError as exc:
                raise ValueError(f"{key!r} {exc}") from None
        return answers

    def beats(self, phase: str) -> list[Beat]:
        return list(getattr(self, phase))

    def over(self, base: Lines) -> Lines:
        """These lines, with whatever they leave empty taken from `base`."""
        fields = {name: getattr(self, name) or getattr(base, name) for name in Lines.model_fields}
        fields["answers"] = {**base.answers, **self.answers}
        return Lines(**fields)


class Persona(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    summary: str = Field(min_length=1)
    based_on: str | None = None
    pace: tuple[int, int] = (60, 120)   # seconds it takes over an answer: fewest, most
    silence: float = Field(default=0.0, ge=0, le=1)       # share of turns it says nothing
    questions: int = Field(default=0, ge=0)               # clarifying questions while clarifying
    keep_asking: float = Field(default=0.0, ge=0, le=1)   # chance of a question in a later answer
    lines: Lines = Lines()
    cases: dict[str, Lines] = {}                          # a case's own lines, by case id
    # Topics it never covers: beats about them are not said, and a probe on one gets a "dodge"
    # reply (else "default"), never the reply keyed by that criterion.
    never: list[str] = []
    source: Path | None = Field(default=None, exclude=True)

    @field_validator("pace")
    @classmethod
    def _pace(cls, pace: tuple[int, int]) -> tuple[int, int]:
        if not 0 < pace[0] <= pace[1]:
            raise ValueError("needs two positive numbers of seconds, the smaller first")
        return pace

    @field_validator("cases")
    @classmethod
    def _case_ids(cls, cases: dict[str, Lines]) -> dict[str, Lines]:
        for case_id in cases:
            if not re.fullmatch(CASE_ID_PATTERN, case_id):
                raise ValueError(f"{case_id!r} is not a case id")
        return cases

    def lines_for(self, case_id: str) -> Lines:
        own = self.cases.get(case_id)
        return own.over(self.lines) if own else self.lines

    def on(self, base: Persona) -> Persona:
        """This persona built on `base`: its own fields where it sets them, the base's lines under its own."""
        cases = {cid: self.cases[cid].over(lines) if cid in self.cases else lines for cid, lines in base.cases.items()}
        cases.update({cid: lines for cid, lines in self.cases.items() if cid not in cases})
        own = {k: getattr(self, k) for k in self.model_fields_set if k != "based_on"}
        return base.model_copy(update={**own, "lines": self.lines.over(base.lines), "cases": cases, "based_on": None,
                                       "source": self.source})


    def unknown_topic(self, known: set[str]) -> str | None:
        """The first beat that says it is about something `known` does not name, as `field: ...`
        (a beat about a misspelt topic would never be matched to a question), or a `never` topic
        that is neither."""
        for i, topic in enumerate(self.never):
            if topic not in known:
                return f"never[{i}]: {topic!r} is neither a criterion nor a kind of choice"
        for where, lines in [("lines", self.lines), *((f"cases.{cid}", ls) for cid, ls in self.cases.items())]:
            for phase in PHASE_FIELDS:
                for i, beat in enumerate(lines.beats(phase)):
                    for topic in beat.about:
                        if topic not in known:
                            return f"{where}.{phase}[{i}].about: {topic!r} is neither a criterion nor a kind of choice"
        return None


def load_persona_file(path: Path) -> Persona:
    return load_model(path, Persona, PersonaFileError, "a persona file").model_copy(update={"source": path})


@cache
def load_personas(folder: Path = BUILTIN_PERSONAS) -> dict[str, Persona]:
    """Every persona in `folder` by id (the built-in ones unless told otherwise), each built on
    the one it is based on: one from the same folder, else a built-in one."""
    if not folder.is_dir():
        raise PersonaFileError(f"{folder}: not a folder")
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise PersonaFileError(f"{folder}: no persona files (*.toml) there")
    return build_personas(files)


def build_personas(paths: list[Path]) -> dict[str, Persona]:
    """The personas in these files by id, each built on the one it is based on: among these
    files first, else among the built-in personas (so a file of one's own may start from
    `strong`). An id used twice among them is an error."""
    raw: dict[str, tuple[Path, Persona]] = {}
    for path in paths:
        persona = load_persona_file(path)
        if persona.id in raw:
            raise PersonaFileError(f"{path}: id: {persona.id!r} is already used by {raw[persona.id][0].name}")
        raw[persona.id] = (path, persona)
    builtin = {} if all(p.parent == BUILTIN_PERSONAS for p in paths) else load_personas()
    out: dict[str, Persona] = {}
    for pid, (path, persona) in raw.items():
        if persona.based_on is None:
            out[pid] = persona
            continue
        near = raw.get(persona.based_on)
        base = near[1] if near else builtin.get(persona.based_on)
        if base is None or base.based_on is not None:
            raise PersonaFileError(f"{path}: based_on: {persona.based_on!r} is not a persona with lines of its own")
        out[pid] = persona.on(base)
    return out
