"""Judges one sentence (or a pair) against the criteria: which rules hold, without negation,
in text that is prose written to an interviewer rather than a list of terms or a note to a grader."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property

from mlsd.core.status import Level
from mlsd.prompts.case import Case
from mlsd.rubric.detectors import DETECTORS
from mlsd.rubric.model import TASK_PREFIX, Criterion, Rubric, Term
from mlsd.rubric.prefilter import split_top, starts
from mlsd.rubric.text import Span, glue_ratio, words
from mlsd.rubric.vocabulary import ProblemVocabulary

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
# Every negation above holds one of these words: a sentence without any needs no check.
_ANY_NEGATION = re.compile(
    r"\b(?:not|never|no|don.t|doesn.t|won.t|wouldn.t|shouldn.t|isn.t|aren.t|skip\w*|ignor\w*|without|nor|neither|"
    r"unnecessary|overkill|out of scope)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# Detectors that count numbers find nothing in a window without a digit.
_NEEDS_DIGIT = frozenset({"capacity_calc", "capacity_number", "latency_ms"})
_WORD_CHARS = re.compile(r"[a-z0-9]+")
ENTITY = "{entity}"
GUARD = "guard:"  # phrase-set names of the rubric's guards


def _keyword_pattern(keyword: str) -> str:
    words_ = [re.escape(w) for w in keyword.lower().split()]
    return r"\b" + r"[\s-]+".join(words_) + r"(?:s|es)?\b"


class PhraseBook:
    """The rubric's phrase sets, extended by a case's keywords and filled with the case's own
    vocabulary where a pattern says `{entity}`.

    Each pattern is compiled once per process and filed under the word it must start with
    (rubric/prefilter.py), so a sentence is read only by the patterns whose first word it
    holds, and only where that word starts: some sixty large alternations over every sentence
    would cost seconds for one 45-minute session."""

    def __init__(self, rubric: Rubric, case: Case | None = None, vocabulary: ProblemVocabulary | None = None):
        vocabulary = vocabulary or ProblemVocabulary.of(case, None, rubric.problem_words.get("generic", []))
        merged = {name: list(pats) for name, pats in rubric.phrases.items()}
        # Guards are read like phrase sets, without the negation check: "don't ignore the
        # rubric" is still addressed to a grader.
        merged.update({GUARD + name: list(pats) for name, pats in rubric.guards.items()})
        if case is not None:
            for name, kws in case.phrases.items():
                merged.setdefault(name, []).extend(_keyword_pattern(k) for k in kws)
        # Plural and possessive forms start with the singular the vocabulary holds.
        entity_starts = sorted({w[:-1] if w.endswith("y") else w for w in vocabulary.words})
        self.vocabulary = vocabulary
        self.names = list(merged)
        self._order = {name: i for i, name in enumerate(self.names)}
        self.patterns: list[tuple[str, Phrase]] = []
        self.by_start: dict[str, list[int]] = {}
        self.always: list[int] = []
        for name, pats in merged.items():
            for p in pats:
                index = len(self.patterns)
                phrase = _phrase(p)
                self.patterns.append((name, phrase))
                begins = entity_starts if phrase.entity_first else phrase.starts
                if begins is None:
                    self.always.append(index)
                for b in begins or ():
                    self.by_start.setdefault(b, []).append(index)
        self._longest = max((len(k) for k in self.by_start), default=0)
        self._read: dict[str, dict[str, list[str]]] = {}
        self._word_hits: dict[str, tuple[int, ...]] = {}

    def candidates(self, low: str) -> dict[int, list[int]]:
        """The patterns that could match in `low` (lower-case text), each with the offsets of
        the words it could start at; [-1] for a pattern to be searched everywhere."""
        found: dict[int, list[int]] = {i: [-1] for i in self.always}
        for m in _WORD_CHARS.finditer(low):
            for index in self._hits(m.group(0)):
                at = found.setdefault(index, [])
                if not at or at[-1] != m.start():
                    at.append(m.start())
        return found

    def _hits(self, word: str) -> tuple[int, ...]:
        """The patterns whose first word is a start of `word`, remembered per word."""
        hits = self._word_hits.get(word)
        if hits is None:
            prefixes = (word[:k] for k in range(1, min(len(word), self._longest) + 1))
            hits = tuple(i for prefix in prefixes for i in self.by_start.get(prefix, ()))
            self._word_hits[word] = hits
        return hits

    def read(self, text: str) -> dict[str, list[str]]:
        """Every phrase set's affirmed (not negated) matches in `text`: per set, the leftmost
        longest matches that do not overlap, as one alternation of the set would find."""
        known = self._read.get(text)
        if known is not None:
            return known
        spans: dict[str, list[tuple[int, int]]] = {}
        for index, offsets in self.candidates(text.lower()).items():
            name, phrase = self.patterns[index]
            spans.setdefault(name, []).extend(phrase.spans(text, self.vocabulary, offsets))
        negations = bool(_ANY_NEGATION.search(text))
        out: dict[str, list[str]] = {}
        for name in sorted(spans, key=self._order.__getitem__):
            taken: list[str] = []
            end = -1
            for a, b in sorted(spans[name], key=lambda sp: (sp[0], -sp[1])):
                if a >= end:
                    end = b
                    if not negations or name.startswith(GUARD) or not _negated(text, a, b):
                        taken.append(text[a:b].lower())
            if taken:
                out[name] = taken
        self._read[text] = out
        return out


@dataclass(frozen=True)
class Phrase:
    """One compiled pattern. `{entity}` is compiled as any word and checked against the
    case's vocabulary after matching, so a pattern compiles once per process, not per case."""

    regex: re.Pattern[str]
    starts: frozenset[str] | None
    entities: int  # how many `{entity}` slots, named e0, e1...
    entity_first: bool

    def spans(self, text: str, vocabulary: ProblemVocabulary, offsets: list[int]) -> list[tuple[int, int]]:
        """Matches starting at `offsets` (the words the pattern can start with), or anywhere
        for [-1]."""
        if offsets[0] < 0:
            found = list(self._every(text))
        else:
            match = self.regex.match
            found = [m for pos in offsets if (m := match(text, pos)) is not None]
        if self.entities:
            found = [m for m in found if self._ours(m, vocabulary)]
        return [m.span() for m in found if m.end() > m.start()]

    def _every(self, text: str) -> Iterator[re.Match[str]]:
        pos = 0
        while pos <= len(text) and (m := self.regex.search(text, pos)) is not None:
            yield m
            pos = m.start() + 1  # overlapping starts too: a word checked against the vocabulary may fail

    def _ours(self, m: re.Match[str], vocabulary: ProblemVocabulary) -> bool:
        return all(vocabulary.has(m.group(f"e{i}")) for i in range(self.entities))


_ENTITY_WORD = r"[a-z][a-z'’]*"


@cache
def _phrase(pattern: str) -> Phrase:
    slots = pattern.count(ENTITY)
    compiled = pattern
    for i in range(slots):
        compiled = compiled.replace(ENTITY, f"(?P<e{i}>{_ENTITY_WORD})", 1)
    first = slots > 0 and pattern.removeprefix("\\b").startswith(ENTITY)
    begins = None if first else _word_starts(pattern)
    return Phrase(re.compile(compiled, re.IGNORECASE), frozenset(begins) if begins is not None else None, slots,
                  first)


def _word_starts(pattern: str) -> set[str] | None:
    """The word a pattern's matches must start with (its literal start up to the first
    character that is not a letter or digit), or None when that cannot be told."""
    tops = split_top(pattern)
    if not tops or not all(t.startswith("\\b") for t in tops):
        return None  # a match could begin inside a word
    found = starts(pattern, set())
    if not found:
        return None
    out = set()
    for literal in found:
        m = _WORD_CHARS.match(literal)
        if m is None:
            return None
        out.add(m.group(0))
    return out


# The negation patterns reach a few words either side of a match; reading only this far keeps
# a long sentence's cost linear in its length, not quadratic.
_NEGATION_REACH = 200


def _negated(text: str, start: int, end: int) -> bool:
    near = text[max(0, start - _NEGATION_REACH):start]
    if start > _NEGATION_REACH:
        near = near.partition(" ")[2]  # from a word's start, not the middle of one
    before = _CLAUSE_BREAK.split(near)[-1]
    after = _CLAUSE_BREAK.split(text[end:end + _NEGATION_REACH])[0]
    return bool(_NEGATED_BEFORE.search(before) or _NEGATED_AFTER.search(after))


@dataclass
class Sentence:
    """One sentence, with every phrase set's affirmed (not negated) matches."""

    span: Span
    book: PhraseBook
    matches: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.matches = self.book.read(self.span.text)

    @cached_property
    def words(self) -> list[str]:
        return words(self.span.text)

    @cached_property
    def guarded(self) -> bool:
        """Addressed to a grader, or claiming coverage instead of showing it."""
        return any(name.startswith(GUARD) for name in self.matches)

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

    @cached_property
    def names(self) -> set[str]:
        return {n for p in self.parts for n in p.matches}

    @cached_property
    def has_digit(self) -> bool:
        return bool(_DIGIT.search(self.text))

    def count(self, term: Term) -> int:
        """Distinct finds of a detector or of a phrase set's affirmed matches."""
        if term.detector:
            if term.name in _NEEDS_DIGIT and not self.has_digit:
                return 0
            return DETECTORS[term.name](self.text)
        return len({m for p in self.parts for m in p.matches.get(term.name, [])})

    def holds(self, rule: list[str]) -> bool:
        return all(self.count(term) >= term.min for term in Rubric.terms(rule))

    def has(self, name: str) -> bool:
        """One term of a rule, as rubric.toml writes it."""
        return self.holds([name])

    def touches(self, criterion: Criterion) -> bool:
        """Any of the criterion's phrase sets is in the window: the point is being raised."""
        return not criterion.phrase_sets.isdisjoint(self.names)

    def answers(self, question: Window, criterion: Criterion) -> bool:
        """Whether this answer meets the criterion when read with the question it answers:
        the question may raise the point (a rule's first part), the answer must say how."""
        for rule in criterion.met:
            head, *rest = rule
            # A contrast (business vs ML metric, batch vs real time) is the answer's to draw.
            raised = self.has(head) or (criterion.scope != "turn" and question.has(head))
            if raised and all(self.has(n) for n in rest):
                return True
        return False

    def level(self, criterion: Criterion, case_task: str | None) -> Level:
        if not criterion.detectors and not self.touches(criterion):
            return Level.MISSED  # every rule needs one of its phrase sets: none is here
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
