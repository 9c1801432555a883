"""How the screens look, as SVG snapshots at 100x32 and 80x24 (pytest-textual-snapshot).
Regenerate after an intended change with: pytest tests/test_app_snapshots.py --snapshot-update"""
from __future__ import annotations

import pytest
from textual.widgets import TextArea

from mlsd.tui.app import Start
from mlsd.tui.screens.practice import PracticeScreen
from mlsd.tui.screens.replay import ReplayScreen
from mlsd.tui.screens.report import ReportScreen
from mlsd.tui.widgets.answer_box import AnswerBox

from app_helpers import make_app, seed, until

SIZES = pytest.mark.parametrize("size", [(100, 32), (80, 24)], ids=["100x32", "80x24"])


@SIZES
def test_home(snap_compare, size):
    app, _ = make_app()
    seed(app)

    async def ready(pilot):
        home = app.screen
        await until(pilot, lambda: home.recent and "starts a" in str(home.query_one("#suggestion").render()))
        # The tables size their columns on the refresh after their rows arrive.
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=size, run_before=ready)


@SIZES
def test_practice_mid_session(snap_compare, size):
    app, clock = make_app(Start("practice", case_id="delivery-time", seed=1))

    async def say(pilot, text: str, at: int) -> None:
        screen = app.screen
        clock.set(at)
        before = len(screen.query(".message"))
        screen.query_one(AnswerBox).insert(text)
        await pilot.press("enter")
        await until(pilot, lambda: screen.mode.takes_answers and len(screen.query(".message")) >= before + 2)

    async def ready(pilot):
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen) and app.screen.mode.takes_answers)
        await say(pilot, "How many orders a day, and what latency budget do we have?", 40)
        await say(pilot, "I assume the business metric is late orders; we regress minutes to delivery.", 330)
        await say(pilot, "Features: restaurant prep time history, courier location, traffic, weather.", 700)
        await pilot.press("f2", *"app -> eta api -> model", "f2")
        clock.set(754)
        await pilot.press(*"Point-in-time")
        # A blinking cursor is on or off depending on when the picture is taken.
        for area in app.screen.query(TextArea):
            area.cursor_blink = False
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=size, run_before=ready)


@SIZES
def test_report(snap_compare, size):
    app, _ = make_app(Start("report", session_id=2))
    seed(app)

    async def ready(pilot):
        await until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.result is not None)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=size, run_before=ready)


@SIZES
def test_replay(snap_compare, size):
    app, _ = make_app(Start("replay", session_id=3))
    seed(app)

    async def ready(pilot):
        await until(pilot, lambda: isinstance(app.screen, ReplayScreen) and app.screen.at)
        await pilot.press("right_square_bracket", "right_square_bracket", "right")
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=size, run_before=ready)
