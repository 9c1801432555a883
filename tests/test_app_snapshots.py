"""How the screens look, as SVG snapshots at 100x32 and 80x24 (pytest-textual-snapshot).
Regenerate after an intended change with: pytest tests/test_app_snapshots.py --snapshot-update"""
from __future__ import annotations

import pytest
from textual.widgets import TextArea

from mlsd.core.status import Status
from mlsd.rubric.score import CriterionScore, assemble
from mlsd.tui.app import Start
from mlsd.tui.screens.history import HistoryScreen
from mlsd.tui.screens.practice import PracticeScreen
from mlsd.tui.screens.replay import ReplayScreen
from mlsd.tui.screens.report import ReportScreen
from mlsd.tui.widgets.answer_box import AnswerBox

from app_helpers import db, make_app, seed, until

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


async def practice_started(pilot, app) -> None:
    await until(pilot, lambda: isinstance(app.screen, PracticeScreen) and app.screen.mode.takes_answers)


async def chat_settled(pilot, app) -> None:
    """The chat has followed the last turn to its end (a snapshot taken sooner catches it mid-way),
    and the text cursors stop blinking (or the snapshot shows them lit or not by chance)."""
    chat = app.screen.query_one("#chat")
    await until(pilot, lambda: chat.max_scroll_y > 0 and chat.scroll_y == chat.max_scroll_y)
    for area in app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause(0.3)


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
        await practice_started(pilot, app)
        await say(pilot, "How many orders a day, and what latency budget do we have?", 40)
        await say(pilot, "I assume the business metric is late orders; we regress minutes to delivery.", 330)
        await say(pilot, "Features: restaurant prep time history, courier location, traffic, weather.", 700)
        await pilot.press("f2", *"app -> eta api -> model", "f2")
        clock.set(754)
        await pilot.press(*"Point-in-time")
        await chat_settled(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=ready)


def report_app(judge: bool = False):
    """The report of session 2 (payment-fraud, medium), scored by the checklist or, with
    `judge`, by a stored LLM judge's report beside it."""
    app, _ = make_app(Start("report", session_id=2))
    seed(app)
    if judge:
        judged(app, 2)
    return app


def on_tab(app, presses: int):
    async def ready(pilot):
        await until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.result is not None)
        await pilot.press(*["t"] * presses)
        await pilot.pause(0.1)

    return ready


def judged(app, session_id: int) -> None:
    """A stored judge's report: the checklist's own verdicts read again by a judge that gives
    the model category less and disagreed with itself there."""
    store = db(app)
    checklist = store.scores(session_id)["offline"]
    criteria = {c.id: c for cat in checklist.categories.values() for c in cat.criteria}
    criteria["model_tradeoffs"] = CriterionScore(id="model_tradeoffs", status=Status.MISSED,
                                                 rationale="Names XGBoost without a tradeoff for this system.")
    report = assemble(app.service.rubric, "llm", checklist.case, criteria)
    for cid, cat in report.categories.items():
        cat.spread = 50.0 if cid == "model" else 0.0
    store.save_score(session_id, report.model_copy(update={"samples": 3}))


@SIZES
def test_report(snap_compare, size):
    app = report_app()
    assert snap_compare(app, terminal_size=size, run_before=on_tab(app, 0))


@SIZES
def test_report_debrief(snap_compare, size):
    app = report_app()
    assert snap_compare(app, terminal_size=size, run_before=on_tab(app, 1))


@SIZES
def test_report_judged(snap_compare, size):
    """The judge's score is the headline, the checklist beside it, the split category marked."""
    app = report_app(judge=True)
    assert snap_compare(app, terminal_size=size, run_before=on_tab(app, 1))


@SIZES
def test_replay(snap_compare, size):
    app, _ = make_app(Start("replay", session_id=3))
    seed(app)

    async def ready(pilot):
        await until(pilot, lambda: isinstance(app.screen, ReplayScreen) and app.screen.at)
        await pilot.press("right_square_bracket", "right_square_bracket", "right")
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=size, run_before=ready)


NARROW = pytest.mark.parametrize("size", [(80, 24)], ids=["80x24"])


@NARROW
def test_report_mistakes(snap_compare, size):
    app = report_app()
    assert snap_compare(app, terminal_size=size, run_before=on_tab(app, 2))


@NARROW
def test_history(snap_compare, size):
    app, _ = make_app(Start("history"))
    seed(app)

    async def ready(pilot):
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.items)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=size, run_before=ready)


@NARROW
def test_practice_paused(snap_compare, size):
    app, clock = make_app(Start("practice", case_id="payment-fraud", seed=2), minutes=4)

    async def ready(pilot):
        await practice_started(pilot, app)
        await pilot.press("f5")  # first: at 40 s, a running clock would have the interviewer move on
        clock.set(40)
        await pilot.press(*"Typed while paused")
        await chat_settled(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=ready)
