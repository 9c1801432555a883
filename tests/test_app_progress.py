"""The app's side of practice that improves you: the weakest category and its drill key on
the home screen, comparing two attempts from history, and time use on the report."""
from __future__ import annotations

from mlsd.rubric.model import load_rubric
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.rubric.score import focused
from mlsd.tui.app import Start
from mlsd.tui.screens.compare import CompareScreen
from mlsd.tui.screens.history import HistoryScreen
from mlsd.tui.screens.practice import PracticeScreen
from mlsd.tui.screens.report import ReportScreen
from mlsd.tui.widgets.phase_bar import PhaseBar
from mlsd.tui.widgets.timeline import Timeline
from mlsd.tui.widgets.trend import Trend

from app_helpers import db, make_app, practice_ready, seed, stored_session, until


def loaded(home):
    """Progress is in and the suggestion drawn from it (not the placeholder shown before)."""
    return lambda: (home.query_one(Trend).progress is not None and home.recent
                    and "starts a" in str(home.query_one("#suggestion").render()))


async def test_home_suggests_the_weakest_category_and_d_drills_it_on_the_highlighted_case():
    app, _ = make_app()
    seed(app)
    async with app.run_test(size=(100, 32)) as pilot:
        home = app.screen
        await until(pilot, loaded(home))
        hint = home.progress.suggestion
        assert hint is not None and hint.sessions == 3
        text = str(home.query_one("#suggestion").render())
        assert hint.text in text and "d starts a 10-minute" in text and "Delivery-time prediction" in text
        await pilot.press("down")  # the payment fraud case
        assert "Real-time payment fraud detection" in str(home.query_one("#suggestion").render())
        await pilot.press("d")
        screen = await practice_ready(pilot)
        assert isinstance(screen, PracticeScreen) and screen.case.id == "payment-fraud"
        assert screen.plan.focus == hint.category and screen.plan.minutes == 10
        assert [p.id for p in screen.query_one(PhaseBar).plan.phases] == load_rubric().phases_of(hint.category)
        row = db(app).session(screen.session_id)
        assert (row.focus, row.minutes) == (hint.category, 10)


async def test_home_progress_ignores_drills_and_sessions_without_answers():
    app, _ = make_app()
    seed(app)
    store = db(app)
    drill = stored_session(store, "delivery-time.strong", "2026-11-23T08:00:00+00:00")
    store.update_session(drill, focus="monitoring", minutes=10)
    report = score_transcript(store.transcript(drill), app.service.case_for("delivery-time"))
    store.save_score(drill, focused(report, "monitoring"))
    empty = stored_session(store, "delivery-time.strong", "2026-11-23T09:00:00+00:00", upto=1)
    store.save_score(empty, score_transcript(store.transcript(empty), app.service.case_for("delivery-time")))
    async with app.run_test(size=(100, 32)) as pilot:
        home = app.screen
        await until(pilot, loaded(home))
        assert home.progress.sessions == 3  # the three seeded interviews
        recent = home.query_one("#recent")
        cases = [recent.get_row_at(i)[2] for i in range(recent.row_count)]
        assert "Monitoring drill" in cases


async def test_home_u_resumes_the_unfinished_interview_not_a_drill_left_open():
    app, _ = make_app()
    seed(app)  # session 4 is an unfinished interview
    store = db(app)
    drill = stored_session(store, "delivery-time.weak", "2026-11-25T08:00:00+00:00", status="active", upto=2)
    store.update_session(drill, focus="model", minutes=10)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, loaded(app.screen))
        assert app.screen.query_one("#recent").get_row_at(0)[3] == "open"  # the drill: no u
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen) and app.screen.session_id == 4)


async def test_history_c_on_two_sessions_compares_them_older_first():
    app, _ = make_app(Start("history"))
    seed(app)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.items)
        history = app.screen
        table = history.query_one("#sessions")
        table.move_cursor(row=1)  # session 3
        await pilot.press("c")
        assert "comparing session 3" in str(history.query_one("#history-head").render())
        table.move_cursor(row=3)  # session 1
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.result is not None)
        screen = app.screen
        assert (screen.a, screen.b) == (1, 3)
        assert screen.result.categories["framing"].delta is not None
        scores = screen.query_one("#compare-scores")
        assert scores.get_row_at(0)[1:3] == [f"{screen.result.overall.a:.0f}", f"{screen.result.overall.b:.0f}"]
        assert screen.query_one("#compare-time").row_count >= 6
        assert "Newly met" in str(screen.query_one("#compare-criteria").render())
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.result is not None)
        assert app.screen.session_id == 3


async def test_report_time_use_tab_shows_the_timeline_and_each_phase():
    app, _ = make_app(Start("report", session_id=1))
    seed(app)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.result is not None)
        await pilot.press("t", "t", "t")  # past the debrief and the common mistakes
        screen = app.screen
        await until(pilot, lambda: screen.query(Timeline))
        strip = str(screen.query_one(Timeline).render())
        assert "planned  CCCC" in strip and "covered  " in strip and "C Clarify" in strip
        table = str(screen.query_one("#time-table").render())
        assert "Data & features" in table and "First question" in table
        assert "Addresses cold start for new entities: first came up" in table
