"""Past sessions as the home and history screens and `mlsd history` list them: each with its
overall and per-category scores, its level when the scorer estimated one, and whether it
counts towards progress (full interviews with an answer in them; not drills)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from mlsd.rubric.score import ScoreReport, level_estimate
from mlsd.sessions.store import SessionRow, Store


class SessionSummary(BaseModel):
    row: SessionRow
    overall: float | None = None
    categories: dict[str, float] = {}
    level: str | None = None
    answers: int = 0  # the candidate's turns

    @property
    def resumable(self) -> bool:
        return self.row.status == "active"

    @property
    def junk(self) -> bool:
        """Finished without a single answer from the candidate: nothing to learn from."""
        return not self.resumable and self.answers == 0

    @property
    def counts(self) -> bool:
        """Whether it counts towards progress: a scored, finished full interview with answers in it
        (a score stored for an unfinished one by an older mlsd says nothing of progress)."""
        return not self.row.is_drill and not self.junk and not self.resumable and bool(self.categories)


def summaries(store: Store) -> list[SessionSummary]:
    """Newest first; the score shown is the offline scorer's."""
    reports: dict[int, ScoreReport] = store.all_scores("offline")
    answers = store.answer_counts()
    out = []
    for row in store.sessions():
        report = reports.get(row.id)
        cats = {cid: c.score for cid, c in report.categories.items()} if report else {}
        out.append(SessionSummary(row=row, overall=report.overall if report else None, categories=cats,
                                  level=level_estimate(report) if report else None, answers=answers.get(row.id, 0)))
    return out


class HistoryEntry(BaseModel):
    """One session in `mlsd history --json`."""

    id: int
    started: str
    case: str
    case_title: str
    kind: Literal["interview", "drill"]
    focus: str | None
    backend: str
    model: str | None
    minutes: float
    status: str
    answers: int
    overall: float | None
    categories: dict[str, float]
    level: str | None
    counts_for_progress: bool

    @classmethod
    def of(cls, s: SessionSummary) -> HistoryEntry:
        r = s.row
        return cls(id=r.id, started=r.started, case=r.case_id, case_title=r.case_title,
                   kind="drill" if r.is_drill else "interview", focus=r.focus, backend=r.backend, model=r.model,
                   minutes=r.minutes, status=r.status, answers=s.answers, overall=s.overall,
                   categories=s.categories, level=s.level, counts_for_progress=s.counts)
