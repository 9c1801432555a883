"""Which criteria apply to a transcript. A known case's file says so (`not_applicable`). A
transcript may state it in its headers (`task: regression`, `serving: batch`,
`not_applicable: class_imbalance, explainability`). Otherwise it follows from what was said,
the interviewer's words first: the task type, whether predictions are made per request or in
batch, whether anyone needs the reasons for a decision, whether the positive class is rare.
A nightly forecast is not charged for a millisecond latency breakdown."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from mlsd.core.transcript import Transcript
from mlsd.prompts.case import Case
from mlsd.rubric.model import Rubric

TASKS = ("classification", "regression", "ranking")


@dataclass
class Applicability:
    task: str | None = None
    serving: str | None = None  # online | batch | None when nothing says
    not_applicable: dict[str, str] = field(default_factory=dict)  # criterion -> why


def _count(pattern: re.Pattern[str], texts: list[str]) -> int:
    return sum(len(pattern.findall(t)) for t in texts)


def _compile(rubric: Rubric, name: str) -> re.Pattern[str]:
    return _joined(tuple(rubric.phrases[name]))


@cache
def _joined(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def _split(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[,\s]+", value) if v.strip()]


def applicability(transcript: Transcript, case: Case | None, rubric: Rubric) -> Applicability:
    if case is not None:
        return Applicability(task=case.task, not_applicable={c: "the case file marks it not applicable"
                                                              for c in case.not_applicable})
    headers = {k.lower(): v for k, v in transcript.headers.items()}
    asked = [t.text for t in transcript.turns if t.speaker == "interviewer"]
    said = [t.text for t in transcript.turns if t.speaker == "candidate"]
    out = Applicability()
    stated_task = headers.get("task", "").strip().lower()
    out.task = stated_task if stated_task in TASKS else _task(rubric, asked, said)
    stated_serving = headers.get("serving", "").strip().lower()
    out.serving = stated_serving if stated_serving in ("online", "batch") else _serving(rubric, asked, said)
    known = set(rubric.criterion_ids)
    for cid in _split(headers.get("not_applicable", "")):
        if cid in known:
            out.not_applicable[cid] = "the transcript's header marks it not applicable"
    rare = out.task == "classification" or bool(_count(_compile(rubric, "imbalance_term"), asked + said))
    reasons = bool(_count(_compile(rubric, "explain_need"), asked))
    why_not = {
        "rare_class": None if rare else f"a {out.task or 'non-classification'} problem with no rare class mentioned",
        "reasons_asked": None if reasons else "nobody asked for the reasons behind a decision",
        "online": "predictions are made in batch, not per request" if out.serving == "batch" else None,
    }
    for c in rubric.criteria:
        why = why_not.get(c.applies)
        if why:
            out.not_applicable.setdefault(c.id, why)
    return out


def _task(rubric: Rubric, asked: list[str], said: list[str]) -> str | None:
    """The task the problem statement implies; failing that, the one the candidate settles on."""
    for texts in (asked, said):
        counts = {t: _count(_compile(rubric, f"task_word_{t}"), texts) for t in TASKS}
        best = max(counts, key=counts.__getitem__)
        if counts[best] and sorted(counts.values())[-2] < counts[best]:
            return best
    return None


def _serving(rubric: Rubric, asked: list[str], said: list[str]) -> str | None:
    """A latency budget the interviewer gives means per request; a schedule the interviewer
    gives (nightly, next-day) means batch; then talk of real time; then what the candidate chose."""
    budget, batch, live = (_compile(rubric, n) for n in ("latency_need", "batch_need", "online_need"))
    if _count(budget, asked):
        return "online"
    if _count(batch, asked):
        return "batch"
    if _count(live, asked):
        return "online"
    a, b = _count(budget, said) + _count(live, said), _count(batch, said)
    return "online" if a > b else "batch" if b > a else None
