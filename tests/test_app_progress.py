"""The app's side of practice that improves you: comparing two attempts from history, and
time use on the report."""
from __future__ import annotations

from app_helpers import make_app, seed, until

from mlsd.tui.app import Start
from mlsd.tui.screens.compare import CompareScreen
from mlsd.tui.screens.history import HistoryScreen
from mlsd.tui.screens.report import ReportScreen
from mlsd.tui.widgets.timeline import Timeline


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
        await pilot.press("t", "t")
        screen = app.screen
        await until(pilot, lambda: screen.query(Timeline))
        strip = str(screen.query_one(Timeline).render())
        assert "planned  CCCC" in strip and "covered  " in strip and "C Clarify" in strip
        table = str(screen.query_one("#time-table").render())
        assert "Data & features" in table and "First question" in table
        assert "Addresses cold start for new entities: first came up" in table
