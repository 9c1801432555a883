"""Plain-text helpers: sentences with their offsets, words, and what makes a sentence prose."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? followed by space and a likely sentence start, or at a line break.
# Decimals ("0.1%") and "e.g. the" stay inside one sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[*-])|\s*\n\s*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d.,]*[A-Za-z%]*")
_QUESTION_START = re.compile(
    r"^(?:so,?\s+|and\s+|also,?\s+|ok(?:ay)?,?\s+|quick question:?\s+|first,?\s+)?"
    r"(?:what|how|is|are|do|does|did|can|could|should|will|would|who|where|when|which|why|any|may|"
    r"i.d like to (?:ask|know|understand|check|clarify)|can i (?:ask|assume)|let me ask)\b",
    re.IGNORECASE,
)

# Function words: a sentence with none of them is a list of terms, not an explanation.
GLUE = frozenset(
    """i we you it they he she would will can could should is are be was were been use using used need
    needs so because then if when for with to the a an of in on at that this which and but or as by from
    have has had do does make makes our my me us i'd we'd i'll we'll it's there what how let's let into
    since until where each per than also just only about after before while once any all every some
    its their them these those here get gets got want keep give goes go going means mean isn't don't
    doesn't won't can't through over under both either not no""".split()
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Span]:
    """Sentences of `text` as spans into it, stripped of surrounding blanks and bullets."""
    out: list[Span] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        _add(out, text, pos, m.start())
        pos = m.end()
    _add(out, text, pos, len(text))
    return out


def _add(out: list[Span], text: str, start: int, end: int) -> None:
    while start < end and (text[start].isspace() or text[start] in "-*•>"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end, text[start:end]))


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def glue_ratio(ws: list[str]) -> float:
    return sum(w in GLUE for w in ws) / len(ws) if ws else 0.0


def is_question(sentence: str) -> bool:
    s = sentence.strip()
    if s.endswith("?"):
        return True
    return bool(_QUESTION_START.match(s)) and len(words(s)) >= 4 and not s.endswith(".")
