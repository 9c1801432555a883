"""The offline scorer: the evidence tracker run over a whole transcript, as a ScoreReport."""
from __future__ import annotations

from mlsd.core.plan import Plan
from mlsd.core.transcript import Transcript
from mlsd.prompts.case import Case
from mlsd.rubric.model import Rubric, load_rubric
from mlsd.rubric.score import CriterionScore, ScoreReport, assemble, verify_quotes
from mlsd.rubric.tracker import EvidenceTracker


def track(transcript: Transcript, case: Case | None, rubric: Rubric, plan: Plan | None = None) -> EvidenceTracker:
    tracker = EvidenceTracker(rubric, case, plan)
    for turn in transcript.turns:
        tracker.add(turn)
    tracker.add_diagram(transcript.diagram)
    return tracker


def score_transcript(
    transcript: Transcript,
    case: Case | None = None,
    rubric: Rubric | None = None,
    plan: Plan | None = None,
) -> ScoreReport:
    """Score with the case's facts and n/a list when known, or the full generic rubric."""
    rubric = rubric or load_rubric()
    tracker = track(transcript, case, rubric, plan)
    criteria = {
        cid: CriterionScore(id=cid, status=f.status, prompted=f.prompted and f.status.earned,
                            turn=f.turn if f.level else None, quote=f.quote if f.level else None)
        for cid, f in tracker.results().items()
    }
    report = assemble(rubric, "offline", case.id if case else transcript.case_id, criteria)
    return verify_quotes(report, transcript)
