"""What the offline interviewer says, read as a candidate reads it: the time as a person says
it, one sentence to move on and one question, no topic said twice, a repeated fact marked as
repeated and never put in front of a new one."""
from __future__ import annotations

import re

import pytest

from mlsd.core.plan import Plan
from mlsd.interviewer.context import TurnContext
from mlsd.interviewer.move import Move
from mlsd.interviewer.offline import OfflineInterviewer, time_in
from mlsd.prompts.lines import interviewer_lines
from mlsd.rubric.text import sentences
from mlsd.rubric.tracker import EvidenceTracker

SEEDS = range(12)


def render(case, move: Move, seed: int, plan: Plan, rubric) -> str:
    ctx = TurnContext(case=case, plan=plan, move=move, turn_no=3, turns=[], tracker=EvidenceTracker(rubric, case),
                      seed=seed)
    return OfflineInterviewer().render(ctx)


@pytest.mark.parametrize("seconds,said", [(0, "under a minute"), (27, "under a minute"), (59, "about a minute"),
                                          (100, "about two minutes"), (5 * 60 + 4, "about five minutes"),
                                          (25 * 60, "about 25 minutes")])
def test_the_time_is_said_as_a_person_says_it(seconds, said):
    assert time_in(seconds) == said


def test_no_line_says_zero_or_one_minutes(cases, rubric):
    case = cases.get("payment-fraud")
    for minutes in (1, 2, 4, 45):
        plan = Plan.scaled(minutes)
        for phase in plan.phases[1:]:
            for seed in SEEDS:
                for kind in ("transition", "nudge"):
                    move = Move(kind=kind, phase=phase.id, elapsed=phase.start + 1, question="What next?",
                                transition_to=phase.id if kind == "transition" else None)
                    text = render(case, move, seed, plan, rubric)
                    assert not re.search(r"\b[01] minutes\b|\bat \d+ minutes\b", text), text


def test_moving_on_is_one_sentence_naming_the_topic_once_then_one_question(cases, rubric, plan45):
    lines = interviewer_lines()
    case = cases.get("delivery-time")
    for phase in plan45.phases[1:]:
        # The last phase opens on the case's own first tradeoff.
        canned = lines.phases[phase.id].opening
        opening = canned.text if canned else case.tradeoffs[0].question
        assert opening.endswith("?") and not opening.lower().startswith("let's"), opening
        for seed in SEEDS:
            move = Move(kind="transition", phase=phase.id, elapsed=phase.start + 5, transition_to=phase.id,
                        question=opening)
            text = render(case, move, seed, plan45, rubric)
            said = [s.text for s in sentences(text)]
            assert said[-1] == opening and len(said) == 2, said
            topic = lines.phases[phase.id].topic
            assert text.lower().count(topic.lower()) == 1 and text.lower().count("let's") <= 1, text


def test_a_repeated_fact_comes_after_the_new_one_and_says_it_was_said_before(cases, rubric, plan45):
    case = cases.get("payment-fraud")
    latency, fraud = case.fact("latency"), case.fact("fraud_rate")
    for seed in SEEDS:
        move = Move(kind="answer", phase="clarify", elapsed=60, facts=[latency, fraud], repeated=["latency"])
        text = render(case, move, seed, plan45, rubric)
        assert text.startswith(fraud.answer) and "As I mentioned" in text.split(fraud.answer, 1)[1], text
        assert "Same as before" not in text


def test_a_probe_led_in_with_a_comma_reads_as_one_sentence_even_when_it_starts_with_a(cases, rubric, plan45):
    case = cases.get("delivery-time")
    question = case.probes["cold_start"][0]
    assert question.startswith("A ")
    replies = [render(case, Move(kind="probe", phase="data_features", elapsed=700, probe="cold_start",
                                 question=question), seed, plan45, rubric) for seed in range(40)]
    assert any("further, a restaurant joined" in r for r in replies)
    for text in replies:
        assert not re.search(r",\s+[A-Z]", text) and text.endswith(question[1:]), text
