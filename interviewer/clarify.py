"""Which of the case's facts a clarifying question asks for. Only those are revealed.

A question often asks two things ("what share of payments are fraud and what is the latency
budget?"): each part is matched on its own, and each part gets its best facts. A keyword is a
phrase whose words must come in order, a few words apart at most ("share of fraud" is in "share
of payments are fraud"); a fact's own keywords count three times a word, the words of its kind
once, so "how many cities" asks about the cities, not the scale."""
from __future__ import annotations

import re
from functools import cache

from mlsd.prompts.case import Case, Fact
from mlsd.prompts.lines import fact_kinds

_PARTS = re.compile(
    r"\?|;|,\s*(?:and\s+)?|\s+and\s+(?=(?:what|how|is|are|do|does|did|the|any|which|who|where|when|can|could|should|"
    r"would|will|why)\b)|\s+also\s+", re.I)
_TOKEN = re.compile(r"[a-z0-9]+")
OWN_WEIGHT, KIND_WEIGHT = 3, 1
GAP = 2  # words allowed between two words of one keyword
MAX_FACTS = 3


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("'", "").replace("’", ""))


@cache
def _keyword(keyword: str) -> tuple[tuple[tuple[str, bool], ...], tuple[frozenset[str], ...]]:
    """(word, is a stem) for each word (a keyword ending in * is a stem), and the forms each
    whole word may take."""
    stem = keyword.endswith("*")
    words = _tokens(keyword.rstrip("*"))
    parts = tuple((w, stem and i == len(words) - 1) for i, w in enumerate(words))
    return parts, tuple(frozenset((w, w + "s", w + "es")) for w, is_stem in parts if not is_stem)


def _same_word(token: str, word: str, stem: bool) -> bool:
    if stem:
        return token.startswith(word)
    return token == word or token in (word + "s", word + "es")


def _hits(tokens: list[str], vocab: set[str], keyword: str) -> bool:
    """The keyword's words, in order, each at most GAP words after the one before."""
    words, forms = _keyword(keyword)
    if not words or any(vocab.isdisjoint(f) for f in forms):
        return False  # a word of it is missing altogether: the common case, said quickly
    for start, token in enumerate(tokens):
        if not _same_word(token, *words[0]):
            continue
        at = start
        for word, stem in words[1:]:
            at = next((i for i in range(at + 1, min(len(tokens), at + 2 + GAP)) if _same_word(tokens[i], word, stem)),
                      -1)
            if at < 0:
                break
        else:
            return True
    return False


Weighted = tuple[tuple[tuple[str, int], ...], frozenset[str], tuple[str, ...]]


@cache
def _weighted(kind: str | None, keywords: tuple[str, ...]) -> Weighted:
    """A fact's keywords with their weights, every form of their words, and their stems: a
    part sharing no word with them is not about this fact, and that is found at once."""
    weighted = [(k, OWN_WEIGHT * len(_keyword(k)[0])) for k in keywords]
    weighted += [(k, KIND_WEIGHT * len(_keyword(k)[0])) for k in fact_kinds().get(kind or "", [])]
    forms = frozenset(f for k, _ in weighted for fs in _keyword(k)[1] for f in fs)
    stems = tuple(w for k, _ in weighted for w, stem in _keyword(k)[0] if stem)
    return tuple(weighted), forms, stems


def _score(tokens: list[str], vocab: set[str], fact: Fact) -> int:
    weighted, forms, stems = _weighted(fact.kind, tuple(fact.keywords))
    if vocab.isdisjoint(forms) and not any(t.startswith(stems) for t in tokens):
        return 0
    return sum(weight for k, weight in weighted if _hits(tokens, vocab, k))


def facts_asked(case: Case, question: str) -> list[Fact]:
    """The facts a question asks about: for each part of it, the best-matching facts."""
    chosen: list[Fact] = []
    for part in _PARTS.split(question):
        tokens = _tokens(part)
        if not tokens:
            continue
        vocab = set(tokens)
        scored = [(s, f) for f in case.facts if (s := _score(tokens, vocab, f)) > 0]
        if not scored:
            continue
        top = max(s for s, _ in scored)
        chosen += [fact for s, fact in scored if s == top and fact not in chosen]
    return chosen[:MAX_FACTS]
