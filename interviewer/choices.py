"""The design choices in a candidate's answer: the technologies, model families, stores,
numbers and claims they committed to, each with the sentence it was said in, so that the
interviewer can pick one up ("You went with LightGBM. Why that rather than a neural network?").
The kinds of choice and their words are data, in prompts/choices.toml."""
from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict

from mlsd.prompts.material import ChoiceKind, choice_book
from mlsd.rubric.text import is_question, sentences

# A name right after one of these was weighed and turned down ("rather than an LSTM"), not chosen.
_TURNED_DOWN = re.compile(
    r"(?:\b(?:not|never|no|instead of|rather than|over|without|avoid(?:ing)?|skip(?:ping)?|vs\.?|versus|than|unlike|"
    r"nor|neither|except)|n't)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![\w/-])", r"(?![\w/-])"


class Choice(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    term: str       # as the candidate wrote it
    said: str       # as a question says it: the term, or "the feature store" for a common noun
    what: str       # what kind of choice it is: "model", "store", "latency figure"...
    sentence: str   # the candidate's sentence, verbatim
    turn: int       # the candidate turn it came from (1-based, as transcripts number turns)


def _alternation(words: list[str], plural: bool) -> str:
    tail = r"(?:s|es)?" if plural else ""
    ordered = sorted(words, key=len, reverse=True)  # "Spark Streaming" before "Spark"
    words_ = "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in ordered)
    return f"{_EDGE_BEFORE}(?:{words_}){tail}{_EDGE_AFTER}"


@cache
def _matchers() -> list[tuple[ChoiceKind, re.Pattern[str], bool]]:
    """(kind, pattern, is a common noun) for every way a choice can be named."""
    out = []
    for kind in choice_book().kinds:
        if kind.names:
            out.append((kind, re.compile(_alternation(kind.names, plural=False), re.IGNORECASE), False))
        if kind.nouns:
            out.append((kind, re.compile(_alternation(kind.nouns, plural=True), re.IGNORECASE), True))
        for pattern in kind.patterns:
            out.append((kind, re.compile(pattern, re.IGNORECASE), False))
    return out


def choices_in(text: str, turn: int) -> list[Choice]:
    """The choices an answer commits to, in the order said, each once. Questions the candidate
    asks and names they turn down are not choices."""
    out: list[Choice] = []
    seen: set[tuple[str, str]] = set()
    for span in sentences(text):
        sentence = span.text
        if is_question(sentence):
            continue
        found = []
        for kind, pattern, noun in _matchers():
            for m in pattern.finditer(sentence):
                if not _TURNED_DOWN.search(sentence[:m.start()]):
                    found.append((m.start(), m.end(), kind, noun))
        # Where two names overlap ("Spark Streaming" and "Spark"), the longer one was meant.
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        end = -1
        for start, stop, kind, noun in found:
            if start < end:
                continue
            end = stop
            term = sentence[start:stop].strip()
            key = (kind.id, term.lower())
            if key in seen:
                continue
            seen.add(key)
            out.append(Choice(kind=kind.id, term=term, said=f"the {term}" if noun else term, what=kind.what,
                              sentence=sentence, turn=turn))
    return out
