"""Scoring a transcript the way its session was planned: against its own plan's phases, and a
drill on its category only. The runner, the reports and `mlsd score` all score through here."""
from __future__ import annotations

from mlsd.core.plan import Plan
from mlsd.core.transcript import Transcript
from mlsd.interviewer.drill import session_plan
from mlsd.prompts.case import Case
from mlsd.rubric.model import Rubric
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.rubric.score import ScoreReport, focused
from mlsd.sessions.transcript_text import TranscriptError


def plan_of(transcript: Transcript, rubric: Rubric, source: str = "<transcript>") -> Plan:
    """The plan a transcript was recorded under, from its `minutes` and `focus` headers."""
    headers = transcript.headers
    try:
        minutes = float(headers.get("minutes", 45))
        if minutes <= 0:
            raise ValueError
    except ValueError:
        raise TranscriptError(f"{source}: header minutes: {headers['minutes']!r} is not a positive number") from None
    try:
        return session_plan(rubric, minutes, headers.get("focus") or None)
    except ValueError as exc:
        raise TranscriptError(f"{source}: header focus: {exc}") from None


def for_plan(report: ScoreReport, plan: Plan) -> ScoreReport:
    """A drill is scored on the category it drilled; a full interview on all of them."""
    return focused(report, plan.focus) if plan.focus else report


def offline_score(transcript: Transcript, case: Case | None, plan: Plan, rubric: Rubric) -> ScoreReport:
    return for_plan(score_transcript(transcript, case, rubric, plan), plan)
