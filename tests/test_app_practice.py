"""The practice screen driven by key presses through Textual's Pilot, on a fake clock."""
from __future__ import annotations

import asyncio
import threading

from mlsd.interviewer.offline import OfflineInterviewer
from mlsd.tui.app import Start
from mlsd.tui.screens.home import HomeScreen
from mlsd.tui.screens.practice import Mode, PracticeScreen
from mlsd.tui.screens.report import ReportScreen
from mlsd.tui.widgets.answer_box import AnswerBox
from mlsd.tui.widgets.countdown import Countdown

from app_helpers import db, make_app, practice_ready, until


async def type_answer(pilot, text: str) -> None:
    """Key presses for the last characters and Enter; the rest inserted at once, for speed."""
    screen = pilot.app.screen
    before = len(screen.query(".message"))
    screen.query_one(AnswerBox).insert(text[:-3])
    await pilot.press(*text[-3:], "enter")
    await until(pilot, lambda: screen.mode.takes_answers and len(screen.query(".message")) >= before + 2)


def chat_texts(screen) -> list[str]:
    return [m.text for m in screen.query(".message")]


async def test_a_two_minute_session_runs_from_home_to_report_by_keys():
    app, clock = make_app(minutes=2)
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")  # the first case: delivery-time
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.case.id == "delivery-time"
        await until(pilot, lambda: screen.mode.takes_answers and screen.query(".message"))
        assert "design" in chat_texts(screen)[0].lower()

        await type_answer(pilot, "How many orders per day, and what is the latency budget?")
        assert "5 million" in chat_texts(screen)[-1]
        clock.set(20)  # framing
        await type_answer(pilot, "I assume we predict delivery minutes as a regression problem.")
        clock.set(40)  # data and features
        await type_answer(pilot, "New restaurants with no history use the city median prep time.")
        clock.set(121)
        await until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.result is not None)

        report = app.screen.result.data.report
        assert report.criterion("cold_start").status == "met"
        assert app.screen.query_one("#overall").value == f"{report.overall:.0f}"
    store = db(app)
    row = store.sessions()[0]
    assert row.status == "completed" and store.scores(row.id)["offline"].overall == report.overall
    assert [t.speaker for t in store.turns(row.id)][:3] == ["interviewer", "candidate", "interviewer"]


async def test_enter_sends_and_ctrl_j_starts_a_new_line():
    app, _ = make_app(Start("practice", case_id="payment-fraud", seed=3))
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        await pilot.press(*"first line", "ctrl+j", *"second line")
        assert screen.query_one(AnswerBox).text == "first line\nsecond line"
        await pilot.press("enter")
        await until(pilot, lambda: screen.mode.takes_answers and len(screen.query(".message")) == 3)
    assert db(app).turns(1)[1].text == "first line\nsecond line"


async def test_pasted_text_with_newlines_stays_in_the_box_until_enter():
    from textual import events

    app, _ = make_app(Start("practice", case_id="payment-fraud", seed=3))
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        box = screen.query_one(AnswerBox)
        pasted = "\n".join(f"point {i}: streaming features from the payment log" for i in range(40))
        app.post_message(events.Paste(pasted))  # as the terminal driver delivers it
        await pilot.pause(0.1)
        assert box.text == pasted and len(screen.query(".message")) == 1
        await pilot.press("enter")
        await until(pilot, lambda: screen.mode.takes_answers and len(screen.query(".message")) == 3)
    assert db(app).turns(1)[1].text == pasted


async def test_the_countdown_warns_in_the_last_minute_of_a_phase_and_of_the_session():
    app, clock = make_app(Start("practice", case_id="delivery-time", seed=1))
    async with app.run_test() as pilot:
        screen = app.screen
        countdown = screen.query_one(Countdown)
        await until(pilot, lambda: screen.mode.takes_answers)
        clock.set(100)
        await pilot.pause(0.3)
        assert not countdown.has_class("-phase-ending") and countdown.render() == "43:20 left"
        clock.set(250)  # 50 s before clarify ends
        await pilot.pause(0.3)
        assert countdown.has_class("-phase-ending")
        clock.set(45 * 60 - 30)
        await pilot.pause(0.3)
        assert countdown.has_class("-session-ending") and not countdown.has_class("-phase-ending")


async def test_the_diagram_is_stored_and_counts_for_the_diagram_criterion():
    app, clock = make_app(Start("practice", case_id="delivery-time", seed=1), minutes=2)
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        await pilot.press("f2")
        assert screen.query_one("#diagram").has_focus
        await pilot.press(*"app -> eta service -> model", "enter", *"model -> feature store")
        await pilot.press("f2")
        assert screen.query_one(AnswerBox).has_focus
        await type_answer(pilot, "Let me draw the serving path on the right.")
        clock.set(121)
        await until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.result is not None)
        diagram = app.screen.result.data.report.criterion("diagram")
    store = db(app)
    assert store.session(1).diagram == "app -> eta service -> model\nmodel -> feature store"
    assert store.diagrams(1)[-1][1] == store.session(1).diagram
    assert diagram.status == "met" and diagram.turn is None and diagram.quote == "app -> eta service -> model"


async def test_pause_stops_the_clock_and_keeps_what_is_typed_until_resumed():
    app, clock = make_app(Start("practice", case_id="delivery-time", seed=1))
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        await pilot.press("f5")
        assert clock.paused and screen.query_one(Countdown).paused
        await pilot.press(*"How many orders", "f2", *"app -> api", "f2", *" a day?")
        box = screen.query_one(AnswerBox)
        assert box.text == "How many orders a day?" and screen.query_one("#diagram").text == "app -> api"
        await pilot.press("enter")  # nothing is sent while the clock is stopped, and it says so
        await pilot.pause(0.1)
        assert box.text == "How many orders a day?" and len(screen.query(".message")) == 1
        assert any("F5" in str(n.message) for n in app._notifications)
        await pilot.press("f5", "enter")
        assert not clock.paused
        await until(pilot, lambda: screen.mode.takes_answers and len(screen.query(".message")) == 3)
    assert db(app).turns(1)[1].text == "How many orders a day?"


async def test_end_early_asks_first_and_no_keeps_going():
    app, _ = make_app(Start("practice", case_id="delivery-time", seed=1))
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        await pilot.press("f8")
        await pilot.press("n")
        assert app.screen is screen and screen.mode.takes_answers
        await pilot.press(*"We could start with a median baseline.")
        await pilot.press("f8")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.result is not None)
    store = db(app)
    assert store.session(1).status == "ended_early"
    # What was typed when the candidate ended is their last answer, not lost.
    assert "We could start with a median baseline." in [t.text for t in store.turns(1)]


async def test_a_half_typed_answer_is_stored_while_it_is_typed_so_a_killed_app_keeps_it():
    app, _ = make_app(Start("practice", case_id="delivery-time", seed=1))

    def stored_draft() -> str:
        store = db(app)
        try:
            return store.session(1).draft
        finally:
            store.close()

    async with app.run_test() as pilot:
        await practice_ready(pilot)
        await pilot.press(*"half a thou")
        await until(pilot, lambda: stored_draft() == "half a thou")
        await pilot.press(*"ght")
        await until(pilot, lambda: stored_draft() == "half a thought")


async def test_quit_keeps_the_session_resumable_with_the_unsent_answer():
    app, clock = make_app(Start("practice", case_id="delivery-time", seed=1))
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        await type_answer(pilot, "How many orders per day?")
        clock.set(95)
        await pilot.press(*"half-typed thought")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: screen.driver.stopped.is_set())
    row = db(app).session(1)
    assert (row.status, row.elapsed, row.draft) == ("active", 95, "half-typed thought")

    again, clock2 = make_app(Start("resume", session_id=1))
    async with again.run_test() as pilot:
        await until(pilot, lambda: isinstance(again.screen, PracticeScreen) and again.screen.session_id)
        screen = again.screen
        assert clock2.now == 95
        assert screen.query_one(AnswerBox).text == "half-typed thought"
        assert [m.speaker for m in screen.query(".message")] == ["interviewer", "candidate", "interviewer"]


async def test_time_up_sends_what_was_typed_as_the_last_answer():
    app, clock = make_app(Start("practice", case_id="delivery-time", seed=1), minutes=1)
    async with app.run_test() as pilot:
        await practice_ready(pilot)
        await pilot.press(*"A fallback is the restaurant's historical median.")
        clock.set(61)
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
    turns = db(app).turns(1)
    assert turns[-2].text == "A fallback is the restaurant's historical median." and turns[-1].move == "close"


async def test_a_silent_candidate_is_moved_on_when_the_phase_runs_out():
    app, clock = make_app(Start("practice", case_id="delivery-time", seed=1))
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        await type_answer(pilot, "What is the business metric we care about?")
        clock.set(5 * 60 + 10)  # framing started 10 s ago: not yet
        await pilot.pause(0.3)
        assert len(screen.query(".message")) == 3
        clock.set(5 * 60 + 31)  # 31 s of silence into framing
        await until(pilot, lambda: len(screen.query(".message")) == 4 and screen.mode.takes_answers)
        last = db(app).turns(1)[-1]
        assert last.move in ("transition", "probe") and last.phase in ("framing", "clarify")


class HeldInterviewer(OfflineInterviewer):
    """An interviewer that thinks until the test lets it answer."""

    def __init__(self, release: threading.Event) -> None:
        super().__init__()
        self.release = release

    async def reply(self, ctx):
        if ctx.move.kind != "open":
            while not self.release.is_set():
                await asyncio.sleep(0.01)
        async for chunk in super().reply(ctx):
            yield chunk


async def test_the_clock_ticks_and_the_input_works_while_the_interviewer_thinks():
    release = threading.Event()
    app, clock = make_app(Start("practice", case_id="delivery-time", seed=1),
                          interviewer=lambda: HeldInterviewer(release))
    async with app.run_test() as pilot:
        screen = app.screen
        countdown = screen.query_one(Countdown)
        await until(pilot, lambda: screen.mode.takes_answers)
        await pilot.press(*"How many orders per day?", "enter")
        await until(pilot, lambda: screen.mode is Mode.ANSWERING)
        seen = set()
        for second in range(1, 9):  # two seconds of wall time with the backend held
            clock.set(second * 10)
            await pilot.pause(0.25)
            seen.add(countdown.render())
        await pilot.press(*"typing ahead")
        assert screen.mode is Mode.ANSWERING and screen.query_one(AnswerBox).text == "typing ahead"
        assert len(seen) >= 6  # the countdown moved on screen while the reply was held
        assert "the interviewer is answering" in str(screen.query_one("#status").render())
        release.set()
        await until(pilot, lambda: screen.mode.takes_answers)
        assert "5 million" in [m.text for m in screen.query(".message")][-1]


async def test_keys_typed_right_after_enter_start_the_next_answer():
    app, _ = make_app(Start("practice", case_id="delivery-time", seed=1))
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        await pilot.press(*"How many orders?", "enter", *"next")
        await until(pilot, lambda: screen.mode.takes_answers and len(screen.query(".message")) == 3)
        assert screen.query_one(AnswerBox).text == "next"
    assert db(app).turns(1)[1].text == "How many orders?"


async def test_an_answer_the_store_refused_goes_back_to_the_box(monkeypatch):
    from mlsd.sessions.store import Store, StoreError

    app, _ = make_app(Start("practice", case_id="delivery-time", seed=1))
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)

        def disk_full(self, session_id, turn):
            raise StoreError(f"{self.path}: cannot save the turn: the disk is full; free some space, "
                             "nothing stored so far is lost")

        monkeypatch.setattr(Store, "add_turn", disk_full)
        await pilot.press(*"An answer worth keeping", "enter")
        await until(pilot, lambda: screen.mode.takes_answers and screen.query_one(AnswerBox).text)
        assert screen.query_one(AnswerBox).text == "An answer worth keeping"
        assert "nothing was lost" in str(screen.query_one("#status").render())
        assert [m.speaker for m in screen.query(".message")] == ["interviewer"]  # the refused answer left the chat
        monkeypatch.undo()
        await pilot.press("enter")
        await until(pilot, lambda: screen.mode.takes_answers and len(db(app).turns(1)) == 3)
    assert db(app).turns(1)[1].text == "An answer worth keeping"


async def test_the_case_prompt_is_shown_once_at_the_start():
    app, _ = make_app(Start("practice", case_id="payment-fraud", seed=3))
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        first_line = screen.case.prompt.strip().splitlines()[0]
        shown = [str(w.render()) for w in screen.query_one("#chat").query("Static, Markdown, Label")]
        shown += chat_texts(screen)
        assert sum(first_line in text for text in shown) == 1


def shown(widget) -> str:
    """The widget's lines as they are drawn on screen."""
    from textual.geometry import Region

    return "\n".join(strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, *widget.size)))


async def test_the_candidate_s_text_shows_as_typed_not_as_markdown():
    app, _ = make_app(Start("practice", case_id="product-recs", seed=3))
    typed = ["# Plan", "<HNSW> index, [see doc](http://x)", "<script>alert(1)</script> and **bold** [b]x[/b]"]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await practice_ready(pilot)
        box = screen.query_one(AnswerBox)
        box.load_text("\n".join(typed))
        await pilot.press("enter")
        await until(pilot, lambda: screen.mode.takes_answers and len(screen.query(".message")) >= 3)
        await pilot.pause(0.1)
        body = screen.query(".message.-candidate").last().query_one(".message-body")
        assert shown(body).splitlines() == typed


async def test_the_diagram_pane_takes_ctrl_j_as_a_new_line_and_wraps_long_lines_at_80_columns():
    app, _ = make_app(Start("practice", case_id="delivery-time", seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await practice_ready(pilot)
        await pilot.press("f2", *"client -> gateway -> eta api", "ctrl+j", *"eta api -> model -> feature store")
        diagram = screen.query_one("#diagram")
        assert diagram.text == "client -> gateway -> eta api\neta api -> model -> feature store"
        await pilot.pause(0.1)
        drawn = shown(diagram)
        assert "client" in drawn and "eta api ->" in drawn and "store" in drawn


async def test_resume_puts_the_cursor_at_the_end_of_the_draft_and_of_the_diagram():
    app, _ = make_app(Start("practice", case_id="delivery-time", seed=1))
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        await pilot.press("f2", *"app -> api", "enter", *"api -> model", "f2", *"half", "ctrl+j", *"typed")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: screen.driver.stopped.is_set())
    again, _ = make_app(Start("resume", session_id=1))
    async with again.run_test() as pilot:
        await until(pilot, lambda: isinstance(again.screen, PracticeScreen) and again.screen.session_id)
        screen = again.screen
        for widget, text in ((screen.query_one(AnswerBox), "half\ntyped"), (screen.query_one("#diagram"),
                                                                           "app -> api\napi -> model")):
            assert widget.text == text and widget.cursor_location == widget.document.end
        await pilot.press(*" more")
        assert screen.query_one(AnswerBox).text == "half\ntyped more"


def test_every_phase_name_fits_in_the_phase_bar_at_60_columns_and_wider_for_any_length():
    from mlsd.core.plan import Plan
    from mlsd.tui.widgets.phase_bar import PhaseBar

    for minutes in range(1, 91):
        bar = PhaseBar(Plan.scaled(minutes))
        for width in (58, 78, 98):
            widths = bar.widths(width)
            assert sum(widths) == width
            assert all(w >= len(p.short) + 2 for w, p in zip(widths, bar.plan.phases, strict=True)),\
                       (minutes, width, widths)


async def test_ctrl_c_says_how_to_leave_instead_of_nothing():
    app, _ = make_app(Start("practice", case_id="delivery-time", seed=1))
    async with app.run_test() as pilot:
        screen = await practice_ready(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause(0.1)
        assert any("Ctrl+Q" in str(n.message) for n in app._notifications)
        assert app.screen is screen


async def test_at_80x24_the_status_line_says_first_that_the_interviewer_is_answering():
    release = threading.Event()
    app, _ = make_app(Start("practice", case_id="delivery-time", seed=1),
                          interviewer=lambda: HeldInterviewer(release))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await practice_ready(pilot)
        await pilot.press(*"How many orders per day?", "enter")
        await until(pilot, lambda: screen.mode is Mode.ANSWERING)
        await pilot.pause(0.3)
        drawn = shown(screen.query_one("#status"))
        assert "the interviewer is answering…" in drawn and "Interviewer: offline" in drawn
        release.set()
        await until(pilot, lambda: screen.mode.takes_answers)


async def test_at_60x15_the_status_line_says_how_to_scroll_the_chat_and_pgup_scrolls_it():
    app, _ = make_app(Start("practice", case_id="payment-fraud", seed=3))
    async with app.run_test(size=(60, 15)) as pilot:
        screen = await practice_ready(pilot)
        await type_answer(pilot, "What is the fraud rate and the latency budget?")
        await pilot.pause(0.5)
        assert "PgUp/PgDn scrolls chat" in shown(screen.query_one("#status"))
        chat = screen.query_one("#chat")
        assert screen.query_one(AnswerBox).has_focus and chat.scroll_y == chat.max_scroll_y
        await pilot.press("pageup")
        await pilot.pause(0.1)
        assert chat.scroll_y < chat.max_scroll_y
        await pilot.press("pagedown")
        await pilot.pause(0.1)
        assert chat.scroll_y == chat.max_scroll_y
