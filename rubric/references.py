"""What a strong answer says, put where the candidate fell short: every missed or partly met
criterion of a case that carries references gets its reference. References come from the
case file at the time of reading, so a report stored before a case had them gains them too."""
from __future__ import annotations

from mlsd.core.status import Status
from mlsd.prompts.case import Case
from mlsd.rubric.score import ScoreReport

SHORT = (Status.MISSED, Status.PARTIAL)


def with_references(report: ScoreReport, case: Case | None) -> ScoreReport:
    out = report.model_copy(deep=True)
    for cat in out.categories.values():
        cat.criteria = [c.model_copy(update={"reference": _reference(case, c.id) if c.status in SHORT else None})
                        for c in cat.criteria]
    return out


def _reference(case: Case | None, cid: str) -> str | None:
    return case.references.get(cid) if case is not None else None
