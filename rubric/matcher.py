"""Judges one sentence (or a pair) against the criteria: which rules hold, without negation,
in text that is prose written to an interviewer rather than a list of terms or a note to a grader."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from mlsd.core.status import Level
from mlsd.prompts.case import Case
from mlsd.rubric.detectors import DETECTORS
from mlsd.rubric.model import TASK_PREFIX, Criterion, Rubric, Term
from mlsd.rubric.text import Span, glue_ratio, words

_CLAUSE_BREAK = re.compile(r"[,;:()—–]|\s-\s|\b(?:but|so|then|otherwise|whereas|although|though)\b", re.IGNORECASE)
_NEGATED_BEFORE = re.compile(
    r"\b(?:not|never|no need|don.t|do not|doesn.t|does not|won.t|will not|wouldn.t|would not|shouldn.t|"
    r"skip(?:ping)?|ignor(?:e|ing)|no point|without (?:any|a|needing)|nor|neither)\b(?:\W+\w+){0,4}\W*$",
    re.IGNORECASE,
)
_NEGATED_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,3}(?:is |are )?(?:not needed|unnecessary|overkill|out of scope|"
    r"not (?:important|a concern|an issue|a problem|relevant|worth)|doesn.t matter|don.t matter|isn.t needed|"
    r"aren.t needed)",
    re.IGNORECASE,
)


def _keyword_pattern(keyword: str) -> str:
    words_ = [re.escape(w) for w in keyword.lower().split()]
    return r"\b" + r"[\s-]+".join(words_) + r"(?:s|es)?\b"


class PhraseBook:
    """The rubric's phrase sets, extended by a case's keywords, compiled once."""

    def __init__(self, rubric: Rubric, case: Case | None = None):
        merged = {name: list(pats) for name, pats in rubric.phrases.items()}
        if case is not None:
            for name, kws in case.phrases.items():
                merged.setdefault(name, []).extend(_keyword_pattern(k) for k in kws)
        self.sets = {n: _any_of(pats) for n, pats in merged.items()}
        self.guards = {n: _any_of(pats) for n, pats in rubric.guards.items()}


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def _negated(text: str, start: int, end: int) -> bool:
    before = _CLAUSE_BREAK.split(text[:start])[-1]
    after = _CLAUSE_BREAK.split(text[end:])[0]
    return bool(_NEGATED_BEFORE.search(before) or _NEGATED_AFTER.search(after))


@dataclass
class Sentence:
    """One sentence, with every phrase set's affirmed (not negated) matches."""

    span: Span
    book: PhraseBook
    matches: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        text = self.span.text
        for name, pattern in self.book.sets.items():
            found = [m.group(0).lower() for m in pattern.finditer(text) if not _negated(text, m.start(), m.end())]
            if found:
                self.matches[name] = found

    @cached_property
    def words(self) -> list[str]:
        return words(self.span.text)

    @cached_property
    def guarded(self) -> bool:
        """Addressed to a grader, or claiming coverage instead of showing it."""
        return any(p.search(self.span.text) for p in self.book.guards.values())

    @cached_property
    def is_prose(self) -> bool:
        ws = self.words
        return len(ws) >= 5 and glue_ratio(ws) >= 0.12 and not self.guarded


@dataclass
class Window:
    """One sentence or two adjacent ones: the unit a rule is judged on."""

    parts: list[Sentence]

    @cached_property
    def text(self) -> str:
        return " ".join(p.span.text for p in self.parts)

    def count(self, term: Term) -> int:
        """Distinct finds of a detector or of a phrase set's affirmed matches."""
        if term.detector:
            return DETECTORS[term.name](self.text)
        return len({m for p in self.parts for m in p.matches.get(term.name, [])})

    def holds(self, rule: list[str]) -> bool:
        return all(self.count(term) >= term.min for term in Rubric.terms(rule))

    def level(self, criterion: Criterion, case_task: str | None) -> Level:
        for rule in criterion.met:
            if self.holds(rule):
                if criterion.special == "task_type" and case_task and not self.holds([TASK_PREFIX + case_task]):
                    return Level.PARTIAL  # a task type, but not this case's
                return Level.MET
        for rule in criterion.partial:
            if self.holds(rule):
                return Level.PARTIAL
        return Level.MISSED


def windows(sents: list[Sentence]) -> Iterable[Window]:
    for i, s in enumerate(sents):
        yield Window([s])
        if i + 1 < len(sents):
            yield Window([s, sents[i + 1]])
