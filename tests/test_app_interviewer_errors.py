"""When the interviewer itself breaks (a backend bug, a policy bug), the session goes on: the
offline interviewer's line stands in, the error is shown, the spinner stops, and leaving and
resuming work as always."""
from __future__ import annotations

from mlsd.core.transcript import Turn
from mlsd.interviewer.offline import OfflineInterviewer
from mlsd.interviewer.policy import Policy
from mlsd.tui.app import Start
from mlsd.tui.screens.practice import PracticeScreen
from mlsd.tui.widgets.answer_box import AnswerBox

from app_helpers import db, make_app, practice_ready, until


class BrokenInterviewer(OfflineInterviewer):
    """Opens the interview, then fails with an error that is nobody's fault but ours."""

    async def reply(self, ctx):
        if ctx.move.kind != "open":
            raise KeyError("no such template")
        async for chunk in super().reply(ctx):
            yield chunk


def notices(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def send(pilot, text: str) -> None:
    screen = pilot.app.screen
    screen.query_one(AnswerBox).insert(text)
    await pilot.press("enter")
    await until(pilot, lambda: screen.mode.takes_answers and len(screen.query(".message")) >= 3)


async def test_a_backend_that_breaks_is_stood_in_for_by_the_offline_line_and_the_spinner_stops():
    app, clock = make_app(Start("practice", case_id="delivery-time", seed=1), interviewer=BrokenInterviewer)
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        clock.set(30)
        await send(pilot, "How many orders a day?")
        assert "5 million" in [m.text for m in screen.query(".message")][-1]
        assert "KeyError" in notices(app) and "spinner" not in str(screen.query_one("#status").render())
        assert "answering" not in str(screen.query_one("#status").render())
    turns = db(app).turns(1)
    assert [t.speaker for t in turns] == ["interviewer", "candidate", "interviewer"] and "5 million" in turns[-1].text


async def test_a_policy_error_is_shown_the_session_goes_on_and_quit_and_resume_do_not_hang(monkeypatch):
    def broken(*args, **kwargs):
        raise IndexError("list index out of range")

    app, clock = make_app(Start("practice", case_id="payment-fraud", seed=1), minutes=4)
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        monkeypatch.setattr(Policy, "decide", broken)
        clock.set(40)
        await send(pilot, "Then I would move to gradient boosted trees with class weights for the imbalance.")
        assert "IndexError" in notices(app)
        assert "answering" not in str(screen.query_one("#status").render())
        await pilot.press("ctrl+q")
        await until(pilot, lambda: screen.driver.stopped.is_set())
    assert db(app).session(1).status == "active"

    # Stopped between the candidate's turn and the reply, with the policy still broken: the
    # resumed session answers that turn with the stand-in line instead of hanging.
    db(app).add_turn(1, Turn(speaker="candidate", text="And a rule-based fallback.", elapsed=45, phase="framing"))
    again, _ = make_app(Start("resume", session_id=1), minutes=4)
    async with again.run_test() as pilot:
        await until(pilot, lambda: isinstance(again.screen, PracticeScreen) and again.screen.session_id)
        screen = again.screen
        await until(pilot, lambda: screen.mode.takes_answers and db(again).turns(1)[-1].speaker == "interviewer")
        assert "IndexError" in notices(again)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: screen.driver.stopped.is_set())
