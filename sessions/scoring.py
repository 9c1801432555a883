"""Scoring a transcript the way its session was planned: against its own plan's phases, a
drill on its category only, with the case's references where the candidate fell short. The
runner, the reports and `mlsd score` all score through here, offline or with the LLM judge."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from mlsd.core.plan import Plan, minutes_problem
from mlsd.core.transcript import Transcript
from mlsd.interviewer.drill import session_plan
from mlsd.llm.endpoint import Endpoint
from mlsd.llm.providers import connect
from mlsd.prompts.case import Case
from mlsd.rubric.judge_settings import JudgeSettings
from mlsd.rubric.model import Rubric
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.rubric.references import with_references
from mlsd.rubric.sampled_judge import sampled_judge
from mlsd.rubric.score import ScoreReport, focused
from mlsd.sessions.transcript_text import TranscriptError, probes_marked


def plan_of(transcript: Transcript, rubric: Rubric, source: str = "<transcript>") -> Plan:
    """The plan a transcript was recorded under, from its `minutes` and `focus` headers."""
    headers = transcript.headers
    try:
        minutes = float(headers.get("minutes", 45))
    except ValueError:
        raise TranscriptError(f"{source}: header minutes: {headers['minutes']!r} is not a number") from None
    if problem := minutes_problem(minutes):
        raise TranscriptError(f"{source}: header minutes: {problem}")
    try:
        return session_plan(rubric, minutes, headers.get("focus") or None)
    except ValueError as exc:
        raise TranscriptError(f"{source}: header focus: {exc}") from None


def marked_phases(transcript: Transcript, plan: Plan) -> Transcript:
    """A transcript whose probes are marked (a text export) gets each turn's phase from its
    plan, as the stored session's turns have it, so the tracker takes an unmarked interviewer
    turn as probing nothing instead of guessing from its words. Others are left as they are."""
    if not probes_marked(transcript) or all(t.phase for t in transcript.turns):
        return transcript
    turns = [t if t.phase else t.model_copy(update={"phase": plan.phase_id_at(t.elapsed)}) for t in transcript.turns]
    return transcript.model_copy(update={"turns": turns})


def for_plan(report: ScoreReport, plan: Plan) -> ScoreReport:
    """A drill is scored on the category it drilled; a full interview on all of them."""
    return focused(report, plan.focus) if plan.focus else report


def finish(report: ScoreReport, case: Case | None, plan: Plan) -> ScoreReport:
    """A scorer's report as sessions keep and show it."""
    return with_references(for_plan(report, plan), case)


def offline_score(transcript: Transcript, case: Case | None, plan: Plan, rubric: Rubric) -> ScoreReport:
    return finish(score_transcript(marked_phases(transcript, plan), case, rubric, plan), case, plan)


@dataclass(frozen=True)
class Judge:
    """The sampled LLM judge on one endpoint."""

    endpoint: Endpoint
    settings: JudgeSettings = field(default_factory=JudgeSettings)

    def score(self, transcript: Transcript, case: Case | None, plan: Plan, rubric: Rubric) -> ScoreReport:
        """Blocks while the judge answers: call it from a worker thread or the command line."""
        report = asyncio.run(sampled_judge(marked_phases(transcript, plan), case, connect(self.endpoint), self.settings,
                                           rubric, plan))
        return finish(report, case, plan)
