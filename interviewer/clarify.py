"""Which of the case's facts a clarifying question asks for. Only those are revealed."""
from __future__ import annotations

import re

from mlsd.prompts.case import Case, Fact
from mlsd.prompts.lines import fact_kinds

# One question often asks two things ("what's the scale and the latency budget?"):
# each part is matched on its own.
_PARTS = re.compile(
    r"\?|;|,\s*(?:and\s+)?|\s+and\s+(?=(?:what|how|is|are|do|does|the|any|which|who|where|when)\b)|\s+also\s+",
    re.I)


def _hits(text: str, keyword: str) -> bool:
    """Whole words (plurals allowed); a keyword ending in * is a stem."""
    key = keyword.lower()
    tail = "" if key.endswith("*") else r"(?:s|es)?(?![a-z0-9])"
    return re.search(r"(?<![a-z0-9])" + re.escape(key.rstrip("*")) + tail, text) is not None


def _score(part: str, fact: Fact) -> int:
    own = sum(2 for k in fact.keywords if _hits(part, k))
    kind = sum(1 for k in fact_kinds().get(fact.kind or "", []) if _hits(part, k))
    return own + kind


def facts_asked(case: Case, question: str) -> list[Fact]:
    """The facts a question asks about: for each part of it, the best-matching facts."""
    chosen: list[Fact] = []
    for part in _PARTS.split(question.lower()):
        if not part.strip():
            continue
        scored = [(s, f) for f in case.facts if (s := _score(part, f)) > 0]
        if not scored:
            continue
        top = max(s for s, _ in scored)
        for s, fact in scored:
            if s == top and fact not in chosen:
                chosen.append(fact)
    return chosen[:3]
