"""Everything a score report shows for a stored session, scored now if it never was: shared
by `mlsd report`, the report screen and its exports; and two sessions compared, for
`mlsd compare` and the history screen. The headline is the LLM judge's report when there is
one (with an endpoint configured, the judge is asked now), the offline checklist beside it;
without a judge the checklist is the score."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mlsd.core.plan import Plan
from mlsd.core.transcript import Transcript
from mlsd.interviewer.drill import session_plan
from mlsd.llm.errors import EndpointError
from mlsd.prompts.case import Case
from mlsd.rubric.agreement import agreement
from mlsd.rubric.compare import Attempt, Comparison, compare
from mlsd.rubric.debrief import debrief
from mlsd.rubric.mistakes import find_mistakes
from mlsd.rubric.model import Mistake, Rubric, load_rubric
from mlsd.rubric.references import with_references
from mlsd.rubric.report import ReportInput, with_estimate
from mlsd.rubric.score import ScoreReport
from mlsd.rubric.timing import Timing, time_use
from mlsd.sessions.scoring import Judge, offline_score
from mlsd.sessions.store import SessionRow, Store


@dataclass
class SessionReport:
    row: SessionRow
    data: ReportInput
    plan: Plan
    mistakes: list[Mistake]
    timing: Timing
    checklist: ScoreReport  # the offline scorer's, headline or not: progress and comparisons use it


def session_report(store: Store, session_id: int | str, case_for: Callable[[str], Case | None],
                   rubric: Rubric | None = None, judge: Judge | None = None) -> SessionReport:
    rubric = rubric or load_rubric()
    row = store.session(session_id)
    transcript = store.transcript(row.id)
    scores = store.scores(row.id)
    plan = session_plan(rubric, row.minutes, row.focus)
    case = case_for(row.case_id)
    # An unfinished session is scored as it stands and no score is kept (nor a judge asked): it is not over.
    unfinished = row.status == "active"
    checklist = None if unfinished else scores.get("offline")
    if checklist is None:
        checklist = offline_score(transcript, case, plan, rubric)
        if not unfinished:
            store.save_score(row.id, checklist)
    # References come from the case file as it is now, and a level is estimated for a report
    # stored before levels: older reports gain both.
    checklist = with_references(with_estimate(checklist, rubric), case)
    judged, note = (None, None) if unfinished else \
        _judged(store, row, transcript, case, plan, rubric, scores.get("llm"), judge)
    report = judged or checklist
    meta = {"session": str(row.id), "case": row.case_id, "date": row.started, "minutes": f"{row.minutes:g}",
            "interviewer": row.backend + (f" ({row.model})" if row.model else ""), "status": row.status}
    if row.focus:
        meta["drill"] = rubric.category(row.focus).name
    others = ([checklist] if judged else []) + [with_estimate(r, rubric) for k, r in scores.items()
                                                 if k not in ("offline", "llm")]
    timing = time_use(transcript, plan, rubric, case, plan.focus)
    data = ReportInput(report=report, transcript=transcript, title=row.case_title or row.case_id, meta=meta,
                       others=others, timing=timing, judge_note=note,
                       agreement=agreement(judged, checklist) if judged else None,
                       debrief=debrief(report, transcript, rubric, case, checklist if judged else None))
    return SessionReport(row=row, data=data, plan=plan, timing=timing, checklist=checklist,
                         mistakes=find_mistakes(report, transcript, rubric, plan))


def _judged(store: Store, row: SessionRow, transcript: Transcript, case: Case | None, plan: Plan, rubric: Rubric,
            stored: ScoreReport | None, judge: Judge | None) -> tuple[ScoreReport | None, str | None]:
    """The judge's report (stored, or asked for now when a judge is configured), or why there is none."""
    if stored is not None:
        return with_references(with_estimate(stored, rubric), case), None
    if judge is None:
        return None, None
    if not any(t.speaker == "candidate" for t in transcript.turns):
        return None, "nothing to judge: the candidate said nothing"
    try:
        report = judge.score(transcript, case, plan, rubric)
    except EndpointError as exc:
        return None, f"the LLM judge could not score this session ({exc}); the offline checklist is the score"
    store.save_score(row.id, report)
    return report, None


def compare_sessions(store: Store, a: int | str, b: int | str, case_for: Callable[[str], Case | None],
                     rubric: Rubric | None = None) -> Comparison:
    rubric = rubric or load_rubric()

    def attempt(session_id: int | str) -> Attempt:
        r = session_report(store, session_id, case_for, rubric)
        return Attempt(session=r.row.id, case=r.row.case_id, started=r.row.started, focus=r.row.focus,
                       report=r.checklist, timing=r.timing)

    return compare(attempt(a), attempt(b), rubric)
