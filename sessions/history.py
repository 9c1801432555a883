"""Past sessions as the home and history screens list them: each with its overall and
per-category scores, and the per-category trend over the latest scored sessions."""
from __future__ import annotations

from pydantic import BaseModel

from mlsd.rubric.score import ScoreReport
from mlsd.sessions.store import SessionRow, Store


class SessionSummary(BaseModel):
    row: SessionRow
    overall: float | None = None
    categories: dict[str, float] = {}

    @property
    def resumable(self) -> bool:
        return self.row.status == "active"


def summaries(store: Store) -> list[SessionSummary]:
    """Newest first; the score shown is the offline scorer's."""
    reports: dict[int, ScoreReport] = store.all_scores("offline")
    out = []
    for row in store.sessions():
        report = reports.get(row.id)
        cats = {cid: c.score for cid, c in report.categories.items()} if report else {}
        out.append(SessionSummary(row=row, overall=report.overall if report else None, categories=cats))
    return out


def category_trend(items: list[SessionSummary], last: int = 12) -> dict[str, list[float]]:
    """Per category, the scores of the latest `last` scored sessions, oldest first."""
    scored = [s for s in items if s.categories][:last][::-1]
    trend: dict[str, list[float]] = {}
    for s in scored:
        for cid, score in s.categories.items():
            trend.setdefault(cid, []).append(score)
    return trend
