"""A session with no answer from the candidate is not scored or kept, a report of an unfinished
session stores no score, and the progress lines count only finished, answered sessions."""
from __future__ import annotations

import asyncio

from test_cli import mlsd

from mlsd.interviewer.clock import FakeClock
from mlsd.interviewer.offline import OfflineInterviewer
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.sessions.history import summaries
from mlsd.sessions.practice import PracticeSession
from mlsd.sessions.progress import progress
from mlsd.sessions.reporting import session_report
from mlsd.sessions.store import Store
from mlsd.tui.app import Start
from mlsd.tui.screens.home import HomeScreen

from app_helpers import FIXED_DATES, db, make_app, practice_ready, stored_session, until


def drain(chunks) -> str:
    async def go():
        return "".join([c async for c in chunks])
    return asyncio.run(go())


def test_plain_practice_with_no_input_keeps_nothing(isolated_home):
    run = mlsd("practice", "--plain", "--case", "delivery-time", stdin="")
    assert run.returncode == 0 and "/100" not in run.stdout
    assert "nothing was scored or kept" in run.stdout.lower()
    assert "No sessions yet" in mlsd("history").stdout


def test_a_session_ended_before_any_answer_is_not_kept(tmp_path, cases):
    store = Store(tmp_path / "m.db")
    s = PracticeSession.start(store, cases.get("payment-fraud"), FakeClock(), OfflineInterviewer(), minutes=5)
    drain(s.open())
    drain(s.end_early())
    assert s.finished and s.score is None and s.discarded
    assert store.sessions() == []


def test_leaving_a_session_with_nothing_answered_typed_or_drawn_does_not_keep_it(tmp_path, cases):
    store = Store(tmp_path / "m.db")
    quiet = PracticeSession.start(store, cases.get("payment-fraud"), FakeClock(), OfflineInterviewer(), minutes=5)
    drain(quiet.open())
    drafted = PracticeSession.start(store, cases.get("payment-fraud"), FakeClock(), OfflineInterviewer(), minutes=5)
    drain(drafted.open())
    assert quiet.discard_if_unused("") is True
    assert drafted.discard_if_unused("half a thought") is False
    assert [r.id for r in store.sessions()] == [drafted.id]


def test_the_report_of_an_unfinished_session_stores_no_score(tmp_path, cases):
    store = Store(tmp_path / "m.db")
    sid = stored_session(store, "product-recs.medium", FIXED_DATES[0], status="active", upto=6)
    result = session_report(store, sid, cases.get)
    assert result.row.status == "active" and result.data.report.scorer == "offline"
    assert store.scores(sid) == {}


def test_progress_counts_only_finished_sessions_with_answers(tmp_path, cases, rubric):
    store = Store(tmp_path / "m.db")
    done = stored_session(store, "delivery-time.strong", FIXED_DATES[0])
    open_ = stored_session(store, "product-recs.medium", FIXED_DATES[1], status="active", upto=6)
    empty = store.create_session("delivery-time", "Delivery-time prediction", "offline", 45, status="completed").id
    for sid in (done, open_, empty):  # scores stored by an older mlsd, the junk ones included
        store.save_score(sid, score_transcript(store.transcript(sid), cases.get(store.session(sid).case_id)))
    items = summaries(store)
    assert progress(items, rubric).sessions == 1 and [s.row.id for s in items if s.counts] == [done]
    assert {s.row.id: s.answers for s in items} == {done: 19, open_: 2, empty: 0}


async def test_ending_before_any_answer_in_the_app_goes_home_and_keeps_nothing():
    app, _ = make_app(Start("practice", case_id="delivery-time", seed=1))
    async with app.run_test() as pilot:
        await practice_ready(pilot)
        await pilot.press("f8")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert any("not kept" in str(n.message) for n in app._notifications)
    assert db(app).sessions() == []


async def test_quitting_the_app_before_any_answer_keeps_nothing():
    app, _ = make_app(Start("practice", case_id="delivery-time", seed=1))
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: screen.driver.stopped.is_set())
    assert db(app).sessions() == []
