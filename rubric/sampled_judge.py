"""The judge asked K times and combined: one judge answer is one draw, and a grader that
gives a different verdict on a second reading should not be trusted on its first. Each
sample is held to our checks before the median is taken: its claims on recited sentences to
the checklist (rubric/judge_guard.py), and its quotes must be evidence (rubric/quotes.py:
copied from one sentence of the turn named, long enough, supporting the criterion, not
addressed to a grader, one sentence backing one category). The median, drawn from several
samples, is checked again, since two samples may each cite one sentence for a different
category.
K is "as many as the endpoint allows": a sample it refuses after the first ends the sampling
with what was already answered."""
from __future__ import annotations

from mlsd.core.plan import Plan
from mlsd.core.transcript import Transcript
from mlsd.llm.client import ChatClient
from mlsd.llm.errors import EndpointError
from mlsd.prompts.case import Case
from mlsd.rubric.consensus import consensus
from mlsd.rubric.judge_guard import checklist_view
from mlsd.rubric.judge_settings import JudgeSettings
from mlsd.rubric.level import with_level
from mlsd.rubric.llm_judge import ask, judge_messages
from mlsd.rubric.model import Rubric, load_rubric
from mlsd.rubric.quotes import check_claims, check_judge_claims
from mlsd.rubric.score import ScoreReport


async def sampled_judge(transcript: Transcript, case: Case | None, client: ChatClient,
                        settings: JudgeSettings | None = None, rubric: Rubric | None = None,
                        plan: Plan | None = None) -> ScoreReport:
    """The judge's report; the client's connections are let go of when it is done."""
    settings = settings or JudgeSettings()
    rubric = rubric or load_rubric()
    messages = judge_messages(transcript, case, rubric, plan)
    checklist = checklist_view(transcript, case, rubric, plan)
    samples: list[ScoreReport] = []
    try:
        for _ in range(max(1, settings.samples)):
            try:
                judgement = await ask(client, messages, temperature=settings.sample_temperature)
            except EndpointError:
                if not samples:
                    raise
                break  # the endpoint allows no more: the median of what it answered
            samples.append(check_judge_claims(judgement.claims(), transcript, case, rubric, checklist))
    finally:
        await client.aclose()
    combined = consensus(samples, rubric)
    rechecked = check_claims(combined.all_criteria(), transcript, case, rubric, "llm")
    for cid, cat in rechecked.categories.items():
        cat.spread = combined.categories[cid].spread
    # The level follows the combined statuses, with the checklist's recitation finding: an
    # answer recited is capped whoever reads it.
    return with_level(rechecked.model_copy(update={"samples": combined.samples}), rubric, checklist.recited)
