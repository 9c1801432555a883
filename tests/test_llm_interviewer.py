"""The LLM interviewer through the real openai SDK, with HTTP answered by respx: streaming,
phase changes, retries, takeover by the offline interviewer, and the start-up check."""
from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import respx
from pydantic import SecretStr

from mlsd.interviewer.clock import FakeClock
from mlsd.interviewer.context_budget import count
from mlsd.interviewer.llm_interviewer import LLMInterviewer
from mlsd.interviewer.offline import OfflineInterviewer
from mlsd.interviewer.takeover import TakeoverInterviewer
from mlsd.llm.endpoint import Endpoint
from mlsd.llm.errors import EndpointError
from mlsd.llm.openai_client import OpenAIChatClient
from mlsd.sessions.practice import PracticeSession
from mlsd.sessions.store import Store

URL = "https://api.openai.com/v1/chat/completions"
KEY = "sk-test-DO-NOT-STORE-4242"


def sse(*pieces: str, done: bool = True) -> bytes:
    events = [{"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "gpt-4o-mini",
               "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]} for p in pieces]
    return b"".join(f"data: {json.dumps(e)}\n\n".encode() for e in events) + (b"data: [DONE]\n\n" if done else b"")


def streamed(*pieces: str) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=sse(*pieces))


def endpoint(**kw) -> Endpoint:
    return Endpoint(model="gpt-4o-mini", api_key=SecretStr(KEY), max_retries=kw.pop("max_retries", 2), **kw)


def llm(budget: int = 2000, **kw) -> LLMInterviewer:
    return LLMInterviewer(OpenAIChatClient(endpoint(**kw)), budget=budget)


class Ticks:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def session_with(interviewer, tmp_path, cases, case="delivery-time"):
    clock = FakeClock()
    store = Store(tmp_path / "m.db")
    return PracticeSession.start(store, cases.get(case), clock, interviewer, backend="openai", model="gpt-4o-mini",
                                 seed=1), clock, store


def chunks_of(agen) -> list[str]:
    async def go():
        return [c async for c in agen]
    return asyncio.run(go())


@respx.mock
def test_a_streamed_reply_arrives_chunk_by_chunk_and_is_stored_whole(tmp_path, cases):
    route = respx.post(URL).mock(side_effect=[streamed("Hi, ", "let's ", "begin."), streamed("About ", "5 million.")])
    s, clock, store = session_with(llm(), tmp_path, cases)
    assert chunks_of(s.open()) == ["Hi, ", "let's ", "begin."]
    clock.set(30)
    assert chunks_of(s.answer("How many orders per day?")) == ["About ", "5 million."]
    assert [t.text for t in store.turns(s.id)] == ["Hi, let's begin.", "How many orders per day?", "About 5 million."]
    body = json.loads(route.calls[1].request.content)
    assert body["stream"] is True and body["model"] == "gpt-4o-mini"
    system = body["messages"][0]["content"]
    assert "Answer their question with exactly these facts" in system and "5 million orders a day" in system
    assert body["messages"][-1] == {"role": "user", "content": "How many orders per day?"}
    assert route.calls[1].request.headers["authorization"] == f"Bearer {KEY}"


@respx.mock
def test_the_plan_stays_ours_when_the_clock_crosses_a_phase_mid_stream(tmp_path, cases):
    s, clock, store = session_with(llm(), tmp_path, cases)

    class Slow(httpx.AsyncByteStream):
        async def __aiter__(self):
            yield sse("We are still ", done=False)
            clock.set(5 * 60 + 20)  # framing starts while the reply streams
            yield sse("clarifying.")

    respx.post(URL).mock(side_effect=[streamed("Hello."), httpx.Response(
        200, headers={"content-type": "text/event-stream"}, stream=Slow())])
    chunks_of(s.open())
    clock.set(280)
    chunks_of(s.answer("What latency budget do we have?"))
    assert store.turns(s.id)[-1].phase == "clarify"  # the move was decided at 04:40
    respx.post(URL).mock(return_value=streamed("Let's frame it."))
    chunks_of(s.answer("Okay, I have what I need."))
    last = store.turns(s.id)[-1]
    assert (last.move, last.phase) == ("transition", "framing")
    system = json.loads(respx.calls[-1].request.content)["messages"][0]["content"]
    assert "Move the candidate on to" in system


@respx.mock
def test_a_429_is_retried_after_its_retry_after_and_then_answered(tmp_path, cases):
    route = respx.post(URL).mock(side_effect=[
        httpx.Response(429, headers={"retry-after": "0"}, json={"error": {"message": "slow down"}}),
        streamed("Fine."),
    ])
    takeover = TakeoverInterviewer(llm(), OfflineInterviewer())
    s, _, _ = session_with(takeover, tmp_path, cases)
    assert "".join(chunks_of(s.open())) == "Fine."
    assert route.call_count == 2 and takeover.notices == []


@respx.mock
def test_a_500_hands_the_turn_to_the_offline_interviewer_and_the_endpoint_comes_back_later(tmp_path, cases):
    ticks = Ticks()
    respx.post(URL).mock(return_value=httpx.Response(500, headers={"retry-after-ms": "1"}, json={"error": {}}))
    takeover = TakeoverInterviewer(llm(max_retries=1), OfflineInterviewer(), retry_after=30,
                              monotonic=ticks)
    s, clock, store = session_with(takeover, tmp_path, cases)
    opening = "".join(chunks_of(s.open()))
    assert "delivery-time prediction system" in opening  # the offline interviewer's opening
    assert takeover.notices and "HTTP 500" in takeover.notices[0]
    assert "offline interviewer takes over" in takeover.notices[0]
    assert takeover.label.startswith("offline, standing in for gpt-4o-mini@api.openai.com")
    takeover.notices.clear()
    clock.set(40)
    ticks.now = 10  # within the cool-down: no request at all
    calls = respx.calls.call_count
    assert "5 million" in "".join(chunks_of(s.answer("How many orders per day?")))
    assert respx.calls.call_count == calls
    respx.post(URL).mock(return_value=streamed("Good question."))
    ticks.now = 45
    clock.set(80)
    assert "".join(chunks_of(s.answer("What is the latency budget?"))) == "Good question."
    assert takeover.notices == ["gpt-4o-mini@api.openai.com answers again and is back as the interviewer"]
    speakers = [t.speaker for t in store.turns(s.id)]
    assert speakers == ["interviewer", "candidate", "interviewer", "candidate", "interviewer"]


@respx.mock
def test_a_timeout_is_a_takeover_not_a_crash(tmp_path, cases):
    respx.post(URL).mock(side_effect=httpx.ReadTimeout("slow"))
    takeover = TakeoverInterviewer(llm(max_retries=0, timeout=1), OfflineInterviewer())
    s, _, _ = session_with(takeover, tmp_path, cases)
    assert chunks_of(s.open())
    assert "did not answer within 1s" in takeover.notices[0]


@respx.mock
def test_a_reply_cut_off_mid_stream_is_finished_by_the_offline_interviewer(tmp_path, cases):
    class Broken(httpx.AsyncByteStream):
        async def __aiter__(self):
            yield sse("About ", done=False)
            raise httpx.RemoteProtocolError("peer closed connection")

    respx.post(URL).mock(return_value=httpx.Response(200, headers={"content-type": "text/event-stream"},
                                                     stream=Broken()))
    takeover = TakeoverInterviewer(llm(), OfflineInterviewer())
    s, _, store = session_with(takeover, tmp_path, cases)
    text = "".join(chunks_of(s.open()))
    assert text.startswith("About \n\n") and "delivery-time prediction system" in text
    assert store.turns(s.id)[0].text == text.strip()


def stopped(*pieces: str) -> bytes:
    """The same chunks with the last one saying it is the end, and no [DONE] after it."""
    last = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    return sse(*pieces, done=False) + f"data: {json.dumps(last)}\n\n".encode()


@respx.mock
def test_a_stream_closed_with_no_finish_reason_and_no_done_is_a_cut_off_reply(tmp_path, cases):
    respx.post(URL).mock(return_value=httpx.Response(200, headers={"content-type": "text/event-stream"},
                                                     content=sse("Thanks. ", "What happens for", done=False)))
    interviewer = TakeoverInterviewer(llm(), OfflineInterviewer())
    s, _, store = session_with(interviewer, tmp_path, cases)
    text = "".join(chunks_of(s.open()))
    notices = interviewer.notices
    assert text.startswith("Thanks. What happens for\n\n") and "delivery-time prediction system" in text
    assert len(notices) == 1 and "cut off" in notices[0] and "offline interviewer takes over" in notices[0]
    assert store.turns(s.id)[0].text == text.strip() != "Thanks. What happens for"


@respx.mock
def test_a_stream_ending_with_a_finish_reason_or_with_done_is_a_whole_reply(tmp_path, cases):
    for body in (stopped("Hi, ", "let's begin."), sse("Hi, ", "let's begin.")):
        respx.post(URL).mock(return_value=httpx.Response(200, headers={"content-type": "text/event-stream"},
                                                         content=body))
        interviewer = TakeoverInterviewer(llm(), OfflineInterviewer())
        s, _, _ = session_with(interviewer, tmp_path, cases)
        assert "".join(chunks_of(s.open())) == "Hi, let's begin." and interviewer.notices == []


@respx.mock
def test_an_error_a_server_streams_is_told_without_the_bytes_a_terminal_acts_on(tmp_path, cases):
    error = b'data: {"error": {"message": "overloaded \\u001b[2J\\u001b]0;owned\\u0007"}}\n\n'
    respx.post(URL).mock(return_value=httpx.Response(200, headers={"content-type": "text/event-stream"},
                                                     content=error))
    interviewer = TakeoverInterviewer(llm(), OfflineInterviewer())
    s, _, _ = session_with(interviewer, tmp_path, cases)
    chunks_of(s.open())
    [notice] = interviewer.notices
    assert "overloaded \\x1b[2J\\x1b]0;owned\\x07" in notice and "\x1b" not in notice and "\x07" not in notice


@respx.mock
def test_a_bad_key_and_an_unknown_model_are_reported_at_start():
    respx.post(URL).mock(return_value=httpx.Response(401, json={"error": {"message": "Incorrect API key"}}))
    with pytest.raises(EndpointError, match=r"refused the API key \(401\)"):
        asyncio.run(OpenAIChatClient(endpoint()).check())
    respx.post(URL).mock(return_value=httpx.Response(404, json={"error": {"message": "no such model"}}))
    with pytest.raises(EndpointError, match=r"has no model 'gpt-4o-mini' \(404\)"):
        asyncio.run(OpenAIChatClient(endpoint()).check())


def test_the_prompt_stays_within_budget_with_a_summary_of_earlier_phases(tmp_path, cases):
    from mlsd.core.plan import Plan
    from mlsd.interviewer.context import TurnContext
    from mlsd.interviewer.move import Move
    from mlsd.rubric.model import load_rubric
    from mlsd.rubric.tracker import EvidenceTracker

    from conftest import transcript

    t = transcript("delivery-time.strong")
    plan = Plan.scaled(45)
    tracker = EvidenceTracker(load_rubric(), cases.get("delivery-time"), plan)
    turns = [turn.model_copy(update={"phase": plan.phase_id_at(turn.elapsed)}) for turn in t.turns]
    for turn in turns:
        tracker.add(turn)
    interviewer = llm(budget=1200)
    ctx = TurnContext(case=cases.get("delivery-time"), plan=plan, move=Move(kind="follow_up", phase="tradeoffs",
                      elapsed=2600, question="What would you build next?"), turn_no=len(turns) + 1, turns=turns,
                      tracker=tracker)
    messages = interviewer.messages(ctx)
    sent = sum(count(m["content"]) + 4 for m in messages) + 2
    assert sent <= 1200
    assert "Summary of the interview so far" in messages[0]["content"]
    last_answer = next(t.text for t in reversed(turns) if t.speaker == "candidate")
    assert any(m["content"] == last_answer for m in messages)
    full = count(interviewer.system_prompt(ctx)) + sum(count(t.text) + 4 for t in turns)
    assert full > 1200  # the budget really had to cut


@respx.mock
def test_a_question_on_the_candidates_own_choice_hands_the_model_their_sentence_and_the_challenge(tmp_path, cases):
    from session_helpers import run

    from mlsd.interviewer.deep_dive import challenge_wording
    from mlsd.sessions.simulate import Recorder

    route = respx.post(URL).mock(side_effect=lambda request: streamed("And ", "what happens then?"))
    recorder = Recorder(llm())
    s, clock, _ = session_with(recorder, tmp_path, cases)
    run(s, clock, [(1, "How many orders a day, and what's the latency budget?"),
                   (6, "It's a regression on delivery minutes, judged on MAE."),
                   (11, "Historical orders and GPS pings are the data."),
                   (16, "New restaurants get the city average prep time until they have history."),
                   (21, "I'd start with LightGBM because it's fast on tabular data."),
                   (24, "It's served online behind the order API, reading restaurant features from Redis."),
                   (26, "Then I'd watch the latency.")])
    systems = [json.loads(call.request.content)["messages"][0]["content"] for call in route.calls]
    assert len(systems) == len(recorder.moves)
    picked = [(system, move) for system, move in zip(systems, recorder.moves, strict=True) if move.choice is not None]
    assert picked
    for system, move in picked:
        assert f'They said: "{move.choice.sentence}"' in system and challenge_wording(move.challenge) in system
        assert move.question not in system  # the model phrases it from the material, not our wording
    case = cases.get("delivery-time")
    for system, move in zip(systems, recorder.moves, strict=True):
        # Facts only when asked for; reference answers never.
        assert any(f.answer.strip() in system for f in case.facts) == bool(move.facts)
        assert not any(ref in system for ref in [*case.references.values(),
                                                 *(c.strong_answer for c in case.tradeoffs + case.curveballs)])
    assert s.turns[-1].text == "And what happens then?"
