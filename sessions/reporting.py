"""Everything a score report shows for a stored session, scored now if it never was: shared
by `mlsd report`, the report screen and its exports; and two sessions compared, for
`mlsd compare` and the history screen."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mlsd.core.plan import Plan
from mlsd.interviewer.drill import session_plan
from mlsd.prompts.case import Case
from mlsd.rubric.compare import Attempt, Comparison, compare
from mlsd.rubric.mistakes import find_mistakes
from mlsd.rubric.model import Mistake, Rubric, load_rubric
from mlsd.rubric.report import ReportInput, with_estimate
from mlsd.rubric.timing import Timing, time_use
from mlsd.sessions.scoring import offline_score
from mlsd.sessions.store import SessionRow, Store


@dataclass
class SessionReport:
    row: SessionRow
    data: ReportInput
    plan: Plan
    mistakes: list[Mistake]
    timing: Timing


def session_report(store: Store, session_id: int | str, case_for: Callable[[str], Case | None],
                   rubric: Rubric | None = None) -> SessionReport:
    rubric = rubric or load_rubric()
    row = store.session(session_id)
    transcript = store.transcript(row.id)
    scores = store.scores(row.id)
    plan = session_plan(rubric, row.minutes, row.focus)
    case = case_for(row.case_id)
    report = scores.get("offline")
    if report is None:
        report = offline_score(transcript, case, plan, rubric)
        store.save_score(row.id, report)
    report = with_estimate(report, rubric)
    meta = {"session": str(row.id), "case": row.case_id, "date": row.started, "minutes": f"{row.minutes:g}",
            "interviewer": row.backend + (f" ({row.model})" if row.model else ""), "status": row.status}
    if row.focus:
        meta["drill"] = rubric.category(row.focus).name
    others = [with_estimate(r, rubric) for k, r in scores.items() if k != "offline"]
    timing = time_use(transcript, plan, rubric, case, plan.focus)
    data = ReportInput(report=report, transcript=transcript, title=row.case_title or row.case_id, meta=meta,
                       others=others, timing=timing)
    return SessionReport(row=row, data=data, plan=plan, timing=timing,
                         mistakes=find_mistakes(report, transcript, rubric, plan))


def compare_sessions(store: Store, a: int | str, b: int | str, case_for: Callable[[str], Case | None],
                     rubric: Rubric | None = None) -> Comparison:
    rubric = rubric or load_rubric()

    def attempt(session_id: int | str) -> Attempt:
        r = session_report(store, session_id, case_for, rubric)
        return Attempt(session=r.row.id, case=r.row.case_id, started=r.row.started, focus=r.row.focus,
                       report=r.data.report, timing=r.timing)

    return compare(attempt(a), attempt(b), rubric)
