"""The case's own vocabulary: the words that name this problem's entities (zones, drivers,
claims, listings...), taken from the case file and from what the interviewer said, never from
the candidate. A claim tied to these words is about this system; a claim without any would
fit any problem. Phrase sets written with `{entity}` are filled with them, so the rubric's
families ("a new {entity}", "{entity} is down") cover a case without a longer global list."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from mlsd.core.transcript import Transcript
from mlsd.prompts.case import Case

_TOKEN = re.compile(r"[a-z][a-z']*[a-z]|[a-z]")
MIN_LETTERS = 3


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude singular, enough to match `zones` with `zone` and `cities` with `city`."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "ches", "shes", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """Lower-case word stems; hyphenated words count as their parts."""
    return tuple(stem(t) for t in _TOKEN.findall(text.lower().replace("-", " ").replace("’", "'")))


def trie_pattern(words: list[str]) -> str:
    """One alternation for many words, sharing their prefixes (`zo(?:ne|om)`), which the
    regular expression engine scans far faster than a flat list."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return walk(trie)


@dataclass(frozen=True)
class ProblemVocabulary:
    words: frozenset[str]

    @classmethod
    def of(cls, case: Case | None, transcript: Transcript | None, generic: Iterable[str]) -> ProblemVocabulary:
        texts: list[str] = []
        if case is not None:
            texts += [case.title, case.summary, case.prompt]
            # Not the case's [phrases]: those are rubric terms in this domain's words (what a
            # recitation would be made of), not the entities a claim is about.
            texts += [f"{f.about} {f.answer} {' '.join(f.keywords)}" for f in case.facts]
        if transcript is not None:
            texts += [t.text for t in transcript.turns if t.speaker == "interviewer"]
        skip = {stem(g) for g in generic}
        found = {t for text in texts for t in tokens(text) if len(t) >= MIN_LETTERS and t not in skip}
        return cls(frozenset(found))

    def has(self, word: str) -> bool:
        return stem(word) in self.words

    def anchors(self, text: str) -> set[str]:
        """This problem's words in `text`."""
        return {t for t in tokens(text) if t in self.words}

    @cached_property
    def pattern(self) -> str:
        """A regular expression matching any of the words, singular or plural."""
        if not self.words:
            return r"(?!x)x"
        # The words' own endings (a plural, "y" as "ies") come after the shared stems.
        singular = trie_pattern([w[:-1] if w.endswith("y") else w for w in self.words])
        return r"\b" + singular + r"(?:y|ies|s|es)?(?:'s)?\b"
