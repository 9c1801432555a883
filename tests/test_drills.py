"""Focused drills: a short session on one rubric category, its plan, its interviewer and how
it is scored and kept."""
import asyncio
import json

import httpx
import pytest
import respx
from pydantic import SecretStr
from session_helpers import run

from mlsd.interviewer.clock import FakeClock
from mlsd.interviewer.drill import DrillPolicy, drill_categories, policy_for, session_plan
from mlsd.interviewer.llm_interviewer import LLMInterviewer
from mlsd.interviewer.offline import OfflineInterviewer
from mlsd.interviewer.policy import Policy
from mlsd.llm.endpoint import Endpoint
from mlsd.llm.openai_client import OpenAIChatClient
from mlsd.sessions.practice import PracticeSession
from mlsd.sessions.store import Store

ANSWERS = [
    (1, ("I would watch the distribution of predicted delivery times and of the input features every day with PSI, "
         "because traffic patterns and restaurant prep times drift with the seasons.")),
    (3, "We would retrain every week, or sooner whenever the within-5-minute rate drops by more than 5 points."),
    (5, ("The true delivery time arrives when the order is delivered, 30 to 90 minutes later, so until then we "
         "watch the prediction distribution as a leading signal.")),
    (7, "I would also keep a dashboard of MAE per city so regional problems show up."),
]


def drill(tmp_path, cases, focus="monitoring", interviewer=None, minutes=10):
    clock = FakeClock()
    store = Store(tmp_path / "mlsd.db")
    s = PracticeSession.start(store, cases.get("delivery-time"), clock, interviewer or OfflineInterviewer(),
                              minutes=minutes, seed=3, focus=focus)
    return s, clock, store


def play(session, clock, script):
    return run(session, clock, script, to_time_up=True)


def test_a_drill_plan_keeps_only_the_phases_of_its_category_over_its_minutes(rubric):
    monitoring = session_plan(rubric, 10, "monitoring")
    assert [(p.id, p.start, p.end) for p in monitoring.phases] == [("scale_monitoring", 0, 600)]
    system = session_plan(rubric, 10, "system_design")
    assert [(p.id, p.start, p.end) for p in system.phases] == [("model_serving", 0, 333),
                                                               ("scale_monitoring", 333, 600)]
    full = session_plan(rubric, 45)
    assert full.phases == session_plan(rubric, 45, None).phases and full.focus is None


def test_communication_is_judged_over_a_whole_interview_and_cannot_be_drilled(rubric):
    assert drill_categories(rubric) == ["framing", "data_features", "model", "system_design", "monitoring"]
    with pytest.raises(ValueError, match="drill one of: framing"):
        session_plan(rubric, 10, "communication")


def test_a_drill_gets_the_drill_policy_and_an_interview_the_full_one(rubric, cases):
    case = cases.get("delivery-time")
    assert isinstance(policy_for(session_plan(rubric, 10, "model"), rubric, case), DrillPolicy)
    assert type(policy_for(session_plan(rubric, 45), rubric, case)) is Policy


def test_the_drill_opens_with_the_scene_in_two_sentences_then_its_question(tmp_path, cases):
    s, clock, _ = drill(tmp_path, cases)
    opening = play(s, clock, [])[0]
    case = cases.get("delivery-time")
    assert "10-minute drill on monitoring" in opening or "drill monitoring for 10 minutes" in opening
    assert case.summary in opening and "it has just gone live" in opening
    assert opening.endswith("What would you monitor, and how would you know the model needs retraining?")
    assert s.turns[0].move == "drill_open"


def test_the_drill_probes_each_uncovered_criterion_of_its_category_and_nothing_else(tmp_path, cases, rubric):
    s, clock, _ = drill(tmp_path, cases)
    play(s, clock, [(1, "I'd watch the prediction distribution daily with PSI since traffic patterns drift."),
                    (2, "I'm not sure."), (3, "Hard to say."), (4, "I'd look at it."), (5, "Fine.")])
    # Drift and metrics were covered by the first answer; the other two are probed at once, one
    # after the other, and capacity (system design, same phase) never is.
    assert [t.probe for t in s.turns if t.speaker == "interviewer"][1:3] == ["retraining_trigger", "label_delay"]
    assert [t.probe for t in s.turns if t.probe] == ["retraining_trigger", "label_delay"]


def test_a_drill_is_scored_on_its_category_only_and_kept_as_a_drill(tmp_path, cases):
    s, clock, store = drill(tmp_path, cases)
    play(s, clock, ANSWERS)
    assert s.finished and list(s.score.categories) == ["monitoring"]
    assert s.score.overall == s.score.categories["monitoring"].score > 50
    row = store.session(s.id)
    assert row.focus == "monitoring" and row.is_drill and row.minutes == 10
    assert store.scores(s.id)["offline"] == s.score
    assert store.transcript(s.id).headers["focus"] == "monitoring"


def test_a_resumed_drill_keeps_its_plan_and_policy(tmp_path, cases):
    s, clock, store = drill(tmp_path, cases, focus="data_features")
    asyncio.run(_first_answer(s, clock))
    row = store.session(s.id)
    s.lock.release()  # the process that ran it has gone, and its lock with it
    resumed = PracticeSession.resume(store, row, cases.get("delivery-time"), FakeClock(row.elapsed),
                                     OfflineInterviewer())
    assert resumed.plan == s.plan and isinstance(resumed.policy, DrillPolicy)


async def _first_answer(s, clock):
    [c async for c in s.open()]
    clock.set(60)
    [c async for c in s.answer("We'd train on historical orders and driver GPS pings from the tracking service.")]


@respx.mock
def test_the_llm_interviewer_is_told_it_runs_a_drill_and_only_that_categorys_gaps(tmp_path, cases):
    route = respx.post("https://api.openai.com/v1/chat/completions").mock(return_value=httpx.Response(
        200, headers={"content-type": "text/event-stream"},
        content=b'data: {"id":"c","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,'
                b'"delta":{"content":"Let us drill monitoring."},"finish_reason":null}]}\n\ndata: [DONE]\n\n'))
    llm = LLMInterviewer(OpenAIChatClient(Endpoint(model="gpt-4o-mini", api_key=SecretStr("sk-test"), max_retries=0)))
    s, clock, _ = drill(tmp_path, cases, interviewer=llm)
    asyncio.run(_first_answer(s, clock))
    opening, answer = (json.loads(call.request.content)["messages"][0]["content"] for call in route.calls)
    assert "10-minute drill on monitoring" in opening and "Set the scene in two sentences" in opening
    assert "it has just gone live" in opening
    assert "Not yet covered" in answer and "Estimates capacity" not in answer  # capacity is system design's
