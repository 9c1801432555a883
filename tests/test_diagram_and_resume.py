"""The diagram pane as evidence, its stored versions, drafts, and picking a session up again
after the process stopped between a candidate's turn and the reply."""
from __future__ import annotations

import asyncio
import threading
from itertools import pairwise

from mlsd.core.transcript import Turn
from mlsd.interviewer.clock import FakeClock
from mlsd.interviewer.offline import OfflineInterviewer
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.rubric.score import verify_quotes
from mlsd.rubric.timeline import covered_by_turn, diagram_at
from mlsd.rubric.tracker import diagram_flow
from mlsd.sessions import migrations
from mlsd.sessions.practice import PracticeSession
from mlsd.sessions.store import Store

from conftest import transcript


def drain(chunks) -> str:
    async def go():
        return "".join([c async for c in chunks])
    return asyncio.run(go())


def test_a_flow_drawn_in_the_diagram_meets_the_diagram_criterion_with_the_diagram_line_as_quote(cases):
    t = transcript("delivery-time.weak").model_copy(update={"diagram": "app\n  client -> eta api -> model\n"})
    c = score_transcript(t, cases.get("delivery-time")).criterion("diagram")
    assert (c.status, c.turn, c.quote) == ("met", None, "client -> eta api -> model")


def test_boxes_joined_by_vertical_arrows_are_a_flow_but_a_list_of_boxes_is_not():
    assert diagram_flow("[client]\n   |\n   v\n[api] -> [model]") == "[api] -> [model]"
    assert diagram_flow("client\nv\napi\nv\nmodel") == "client"
    assert diagram_flow("client, api, model, feature store") is None
    assert diagram_flow("") is None


def test_a_quote_claimed_from_the_diagram_must_be_in_the_diagram(cases):
    t = transcript("delivery-time.weak").model_copy(update={"diagram": "a -> b -> c"})
    report = score_transcript(t, cases.get("delivery-time"))
    assert verify_quotes(report, t).criterion("diagram").status == "met"
    redrawn = t.model_copy(update={"diagram": "something else"})
    assert verify_quotes(report, redrawn).criterion("diagram").status == "missed"


def test_the_diagram_as_it_stood_at_each_turn(tmp_path):
    store = Store(tmp_path / "m.db")
    sid = store.create_session("delivery-time", "", "offline", 45).id
    store.save_diagram(sid, "v1", 60)
    store.save_diagram(sid, "v1 -> v2", 300)
    versions = store.diagrams(sid)
    assert [diagram_at(versions, s) for s in (0, 60, 299, 300, 9999)] == ["", "v1", "v1", "v1 -> v2", "v1 -> v2"]
    assert store.session(sid).diagram == "v1 -> v2"
    assert diagram_at([], 10, final="imported") == "imported"


def test_covered_criteria_only_grow_turn_by_turn(cases, rubric):
    t = transcript("delivery-time.strong")
    steps = covered_by_turn(t, cases.get("delivery-time"), rubric)
    assert len(steps) == len(t.turns) and not steps[0]
    for before, after in pairwise(steps):
        assert set(before) <= set(after)
    assert len(steps[-1]) >= 20


def test_deleting_a_session_removes_its_turns_diagrams_and_scores(tmp_path, cases):
    store = Store(tmp_path / "m.db")
    sid = store.create_session("delivery-time", "", "offline", 45).id
    store.add_turn(sid, Turn(speaker="candidate", text="hello there", elapsed=3))
    store.save_diagram(sid, "a -> b", 3)
    store.save_score(sid, score_transcript(store.transcript(sid), cases.get("delivery-time")))
    store.delete_session(sid)
    conn = store.db.conn
    counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("turns", "diagrams", "scores")]
    assert counts == [0, 0, 0]


def test_sending_an_answer_clears_the_stored_draft(tmp_path):
    store = Store(tmp_path / "m.db")
    sid = store.create_session("delivery-time", "", "offline", 45).id
    store.update_session(sid, draft="half a thought")
    store.add_turn(sid, Turn(speaker="interviewer", text="Go on.", elapsed=1))
    assert store.session(sid).draft == "half a thought"
    store.add_turn(sid, Turn(speaker="candidate", text="half a thought, finished", elapsed=9))
    assert store.session(sid).draft == ""


def test_a_new_database_opened_by_several_threads_at_once_is_migrated_once(tmp_path):
    path, errors, barrier = tmp_path / "fresh.db", [], threading.Barrier(6)

    def open_it():
        barrier.wait()
        try:
            Store(path).close()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert Store(path).db.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.VERSION


def test_a_candidate_turn_left_without_a_reply_is_answered_on_resume(tmp_path, cases):
    case = cases.get("delivery-time")
    store = Store(tmp_path / "m.db")
    clock = FakeClock()
    session = PracticeSession.start(store, case, clock, OfflineInterviewer(), seed=5)
    drain(session.open())
    clock.set(60)

    async def stop_after_storing():
        agen = session.answer("How many orders per day do we handle?")
        await agen.__anext__()  # the candidate's turn is stored; the process dies mid-reply
        await agen.aclose()
    asyncio.run(stop_after_storing())
    assert store.turns(session.id)[-1].speaker == "candidate"
    session.lock.release()  # the process died, and its lock with it

    again = PracticeSession.resume(store, store.session(session.id), case, FakeClock(60), OfflineInterviewer())
    assert again.awaiting_reply
    reply = drain(again.pending_reply())
    assert "5 million" in reply and store.turns(session.id)[-1].text == reply.strip()
    assert not again.awaiting_reply


def test_a_silent_candidate_is_moved_to_the_next_phase_only_after_its_time(tmp_path, cases):
    store = Store(tmp_path / "m.db")
    clock = FakeClock()
    session = PracticeSession.start(store, cases.get("delivery-time"), clock, OfflineInterviewer(), seed=5)
    drain(session.open())
    clock.set(200)
    assert drain(session.interject()) == ""  # still the clarify phase
    clock.set(330)
    assert drain(session.interject())
    last = store.turns(session.id)[-1]
    assert last.move in ("transition", "probe") and last.speaker == "interviewer"
