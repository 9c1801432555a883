"""The interview room: the case, the clock, the plan, the chat, the answer box and the diagram.
The screen only shows things and forwards keys; the session runs in the driver's thread."""
from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import ClassVar

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Footer, Label, TextArea

from mlsd.core.plan import PhaseId, Plan
from mlsd.interviewer.clock import Clock
from mlsd.prompts.case import Case
from mlsd.sessions.pacing import Due, Pacing
from mlsd.sessions.practice import PracticeSession
from mlsd.tui.driver import (
    BackendNotice,
    DriverFailed,
    ReplyChunk,
    ReplyDone,
    ReplyStarted,
    SessionDriver,
    SessionReady,
    SessionScored,
)
from mlsd.tui.screens.base import MlsdScreen
from mlsd.tui.screens.confirm import ConfirmScreen
from mlsd.tui.widgets.answer_box import AnswerBox, DiagramArea
from mlsd.tui.widgets.chat import ChatLog, ChatMessage
from mlsd.tui.widgets.countdown import Countdown
from mlsd.tui.widgets.fmt import literal, stamp
from mlsd.tui.widgets.phase_bar import PhaseBar
from mlsd.tui.widgets.status_line import StatusLine

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
TICK_SECONDS = 0.25
CLOCK_SAVE_TICKS = 40  # every 10 s
# Seconds of no typing before the diagram, or the answer not yet sent, is stored: a killed
# app loses at most this much of either.
SAVE_AFTER = 1.0


class Mode(Enum):
    """Where the interview stands, as the candidate sees it. The status line and what the
    inputs accept follow from it alone."""

    STARTING = "starting"
    FAILED = "failed"        # the session could not start
    YOUR_TURN = "your turn"
    RETRY = "retry"          # something failed; nothing was lost and the candidate may go on
    ANSWERING = "answering"  # the interviewer is replying
    PAUSED = "paused"
    CLOSING = "closing"      # no more turns: the last replies are on their way
    SCORING = "scoring"

    @property
    def takes_answers(self) -> bool:
        return self in (Mode.YOUR_TURN, Mode.RETRY)

    @property
    def running(self) -> bool:
        """The session is ready and not over: the clock may end it or move it on."""
        return self in (Mode.YOUR_TURN, Mode.RETRY, Mode.ANSWERING, Mode.PAUSED)


NOTES = {
    Mode.STARTING: "starting the session…",
    Mode.FAILED: "the session could not start: {failure}",
    Mode.YOUR_TURN: "your turn",
    Mode.RETRY: "nothing was lost; try again, or Ctrl+Q to leave (the session stays resumable)",
    Mode.ANSWERING: "{spinner} the interviewer is answering…",
    Mode.PAUSED: "paused, F5 resumes (typing is kept)",
    Mode.CLOSING: "{spinner} the interviewer is answering…",
    Mode.SCORING: "scoring the transcript…",
}


class PracticeScreen(MlsdScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: handled as the key arrives, before the keys typed after it are routed.
        Binding("f2,ctrl+g", "toggle_focus", "Diagram ⇄ answer", priority=True,
                tooltip="Move between the answer box and the diagram"),
        Binding("f5,ctrl+r", "pause", "Pause", tooltip="Pause or resume the clock"),
        Binding("f8", "end_early", "End early", tooltip="End the interview now and score it"),
        Binding("ctrl+q", "leave", "Quit (resumable)", priority=True,
                tooltip="Leave now; the session stays resumable with `mlsd practice --resume`"),
        # The chat scrolls from wherever the focus is (the status line says so once it can).
        Binding("pageup", "scroll_chat(-1)", "Scroll the chat up", show=False, priority=True),
        Binding("pagedown", "scroll_chat(1)", "Scroll the chat down", show=False, priority=True),
    ]
    mode: reactive[Mode] = reactive(Mode.STARTING, init=False)
    label: reactive[str] = reactive("", init=False)  # who interviews: "offline" or "model@host"

    def __init__(self, case: Case, plan: Plan, clock: Clock, make_session: Callable[[Clock], PracticeSession],
                 backend_note: str) -> None:
        super().__init__()
        self.case, self.clock = case, clock
        self.plan = plan
        self.pacing = Pacing(self.plan)
        self.driver = SessionDriver(lambda: make_session(clock), self)
        self.backend_note = backend_note
        self.session_id: int | None = None
        self.failure = ""
        self.reply: ChatMessage | None = None   # the interviewer's reply as it streams in
        self._sent: ChatMessage | None = None   # the candidate's latest answer on screen
        self._frame = 0
        self._diagram_timer: Timer | None = None
        self._diagram_saved: str | None = None  # None until the stored diagram is on screen
        self._draft_timer: Timer | None = None
        self._draft_saved: str | None = None  # the same for the unsent answer

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            drill = f" · {self.service.rubric.category(self.plan.focus).name} drill" if self.plan.focus else ""
            yield Label(self.case.title + drill, id="case-name", markup=False)
            yield Countdown(self.plan, id="countdown")
        yield PhaseBar(self.plan, id="phases")
        with Horizontal(id="work"):
            with Vertical(id="talk"):
                yield ChatLog(id="chat")
                answer = AnswerBox(id="answer")
                answer.border_title = "Your answer"
                answer.border_subtitle = "Enter sends · Ctrl+J new line"
                yield answer
            diagram = DiagramArea(id="diagram")
            diagram.border_title = "Diagram / notes"
            diagram.border_subtitle = "interviewer sees it"
            yield diagram
        yield StatusLine(id="status")
        yield Footer()

    async def on_mount(self) -> None:
        # The summary heads the chat: an interview's prompt is the interviewer's opening turn
        # (shown once), and a drill sets its own scene.
        await self.query_one(ChatLog).add_case(self.case.title, self.case.summary)
        self._draw_status()
        self.query_one(AnswerBox).focus()
        self.set_interval(TICK_SECONDS, self.tick)
        self.tick()
        self.run_worker(self.driver.serve, thread=True, name="session", group="session")

    def on_unmount(self) -> None:
        self.driver.stop()

    # ------------------------------------------------------------------ the mode
    def watch_mode(self, old: Mode, new: Mode) -> None:
        # Paused, the answer box and the diagram stay open: what is typed is kept, and only
        # sending waits for the clock.
        box, diagram = self.query_one(AnswerBox), self.query_one("#diagram", TextArea)
        box.disabled = new is Mode.SCORING
        diagram.read_only = new is Mode.SCORING
        self.query_one(Countdown).paused = new is Mode.PAUSED
        self.set_class(new is Mode.PAUSED, "-paused")
        self._draw_status()

    def watch_label(self) -> None:
        self._draw_status()

    def _draw_status(self) -> None:
        """What is happening first, then who the interviewer is, then how to scroll the chat once
        it is taller than its pane; at narrow widths the backend's reason and the hint go first."""
        note = NOTES[self.mode]
        if self.mode is Mode.CLOSING and self.reply is None and self._now() >= self.plan.total:
            note = "time is up"
        note = note.format(spinner=SPINNER[self._frame % len(SPINNER)], failure=self.failure)
        reason = f"({self.backend_note})" if self.backend_note and self.label == "offline" else ""
        hint = "PgUp/PgDn scrolls chat" if self.query_one(ChatLog).max_scroll_y > 0 else ""
        self.query_one(StatusLine).show((note, 9), (f"Interviewer: {self.label or '…'}", 7), (reason, 2), (hint, 5))

    # ------------------------------------------------------------------ the clock
    def _now(self) -> float:
        """Session time, held at the end once the time is up."""
        return min(self.clock.elapsed(), self.plan.total)

    def tick(self) -> None:
        elapsed = self._now()
        self.query_one(Countdown).elapsed = elapsed
        self.query_one(PhaseBar).elapsed = elapsed
        self._frame += 1
        mode = self.mode
        if self.session_id is not None and mode is not Mode.PAUSED and self._frame % CLOCK_SAVE_TICKS == 0:
            self.driver.save_clock()  # a killed process loses at most this much of the clock
        # Every tick: the spinner turns, and the chat may have grown past its pane (the scroll hint).
        self._draw_status()
        if not mode.takes_answers:
            return
        due = self.pacing.due(elapsed, writing=bool(self.query_one(AnswerBox).text.strip()))
        if due is Due.TIME_UP:
            self._close(self.driver.time_up)
        elif due is Due.SILENCE:
            self.driver.interject()

    def _close(self, ask: Callable[[str], None]) -> None:
        """No more turns: what the candidate had typed goes with the last request."""
        box = self.query_one(AnswerBox)
        draft = box.text.strip()
        box.clear()
        self._flush_diagram()
        if draft:
            self._sent = self.query_one(ChatLog).post("candidate", self._now(), draft)
        self.mode = Mode.CLOSING
        ask(draft)

    # ------------------------------------------------------------------ from the driver
    async def on_session_ready(self, message: SessionReady) -> None:
        self.label = message.label
        chat = self.query_one(ChatLog)
        phase: PhaseId | None = None
        for turn in message.turns:
            if turn.speaker == "interviewer" and turn.move == "transition" and turn.phase != phase:
                await self._divider(turn.phase)
            self.pacing.shown(turn, self._now())
            phase = turn.phase or phase
            await chat.add_message(turn.speaker, turn.elapsed, turn.text)
        if message.diagram:
            self.query_one(DiagramArea).load_at_end(message.diagram)
        self._diagram_saved = message.diagram
        self._draft_saved = message.draft
        if message.draft:
            self.query_one(AnswerBox).load_at_end(message.draft)
        self.pacing.stirred(self._now())
        self.session_id = message.session_id  # last: "ready" means everything is on screen
        self.mode = Mode.YOUR_TURN
        if message.turns:
            self.notify(f"Resumed session {message.session_id} at {stamp(self.clock.elapsed())}.", timeout=4)
        if not message.turns or message.turns[-1].speaker == "candidate":
            self.driver.open()

    async def on_reply_started(self, message: ReplyStarted) -> None:
        if self.mode not in (Mode.CLOSING, Mode.PAUSED):
            self.mode = Mode.ANSWERING
        self.reply = await self.query_one(ChatLog).add_message("interviewer", self._now())

    async def on_reply_chunk(self, message: ReplyChunk) -> None:
        if self.reply is not None:
            await self.reply.append(message.text)

    async def on_reply_done(self, message: ReplyDone) -> None:
        reply, self.reply = self.reply, None
        if reply is not None and message.turn is not None and reply.text.strip() != message.turn.text:
            await reply.replace(message.turn.text)
        if reply is not None and message.turn is None and not reply.text.strip():
            await reply.remove()
        if message.turn is not None:
            self.pacing.shown(message.turn, self._now())
            if message.turn.move == "transition":
                await self._divider(message.turn.phase)
        if message.finished:
            self.mode = Mode.SCORING
        elif self.mode is Mode.ANSWERING or (self.mode is Mode.RETRY and message.turn is not None):
            self.mode = Mode.YOUR_TURN
        # A failed reply has already put the screen in RETRY, with its explanation.

    def on_backend_notice(self, message: BackendNotice) -> None:
        self.label = message.label
        self.notify(literal(message.text), title="Interviewer", severity="warning", timeout=8)

    def on_session_scored(self, message: SessionScored) -> None:
        if message.report is None:  # nothing was answered: the session was not kept
            self.app.notify(f"Nothing was answered, so session {message.session_id} was not kept.", timeout=6)
            self.app.pop_screen()
            return
        self.mlsd.show_report_after_practice(message.session_id)

    def on_driver_failed(self, message: DriverFailed) -> None:
        self.notify(literal(message.error), title="Could not go on", severity="error", timeout=12)
        if message.draft:
            self.query_one(AnswerBox).give_back(message.draft)
            if self._sent is not None and self._sent.text == message.draft:
                self._sent.remove()  # it was never stored: it is not part of the interview
                self._sent = None
        if self.session_id is None:
            self.failure = message.error
            self.mode = Mode.FAILED
        elif self.mode is not Mode.SCORING:
            self.mode = Mode.RETRY

    async def _divider(self, phase_id: PhaseId | None) -> None:
        if phase_id:
            phase = self.plan.phase(phase_id)
            await self.query_one(ChatLog).add_divider(f"{phase.title} {stamp(phase.start)}–{stamp(phase.end)}")

    # ------------------------------------------------------------------ from the candidate
    @on(AnswerBox.Submitted)
    def submitted(self, event: AnswerBox.Submitted) -> None:
        box = self.query_one(AnswerBox)
        if not self.mode.takes_answers:
            box.give_back(event.text)
            if self.mode is Mode.ANSWERING:
                self.notify("The interviewer is still talking; your answer stays in the box.", timeout=3)
            elif self.mode is Mode.PAUSED:
                self.notify("Paused: F5 starts the clock again, then Enter sends. Your answer stays in the box.",
                            timeout=4)
            return
        self._send(event.text)

    def _send(self, text: str) -> None:
        self._flush_diagram()
        self.mode = Mode.ANSWERING  # until the reply is done: one answer at a time
        self._sent = self.query_one(ChatLog).post("candidate", self._now(), text)
        self.driver.answer(text)

    @on(TextArea.Changed, "#answer")
    def answer_changed(self) -> None:
        self.pacing.stirred(self._now())
        if self._draft_saved is None or self.query_one(AnswerBox).text == self._draft_saved:
            return  # the stored draft arriving, not the candidate typing
        self._draft_timer = self._restart(self._draft_timer, self._flush_draft)

    def _flush_draft(self) -> None:
        self._draft_timer = self._restart(self._draft_timer, None)
        text = self.query_one(AnswerBox).text
        if self._draft_saved is not None and text != self._draft_saved and self.mode is not Mode.SCORING:
            self._draft_saved = text
            self.driver.save_draft(text)

    def _restart(self, timer: Timer | None, then: Callable[[], None] | None) -> Timer | None:
        """`timer` stopped and, with `then`, a new one calling it `SAVE_AFTER` seconds from now:
        one save after the last keystroke, not one per keystroke."""
        if timer is not None:
            timer.stop()
        return self.set_timer(SAVE_AFTER, then) if then is not None else None

    @on(TextArea.Changed, "#diagram")
    def diagram_changed(self) -> None:
        self.pacing.stirred(self._now())  # drawing is not silence
        if self._diagram_saved is None or self.query_one("#diagram", TextArea).text == self._diagram_saved:
            return  # the stored diagram arriving, not the candidate drawing
        self._diagram_timer = self._restart(self._diagram_timer, self._flush_diagram)

    def _flush_diagram(self) -> None:
        self._diagram_timer = self._restart(self._diagram_timer, None)
        text = self.query_one("#diagram", TextArea).text
        if self._diagram_saved is not None and text != self._diagram_saved and self.mode is not Mode.SCORING:
            self._diagram_saved = text
            self.driver.set_diagram(text)

    # ------------------------------------------------------------------ actions
    def action_scroll_chat(self, pages: int) -> None:
        if self.query_one("#diagram").has_focus:
            raise SkipAction()  # a long diagram pages itself
        chat = self.query_one(ChatLog)
        (chat.scroll_page_up if pages < 0 else chat.scroll_page_down)(animate=False)

    def action_toggle_focus(self) -> None:
        diagram = self.query_one("#diagram", TextArea)
        self.set_focus(self.query_one(AnswerBox) if diagram.has_focus else diagram)

    def action_pause(self) -> None:
        if self.mode is Mode.PAUSED:
            self.clock.resume()
            self.mode = Mode.ANSWERING if self.reply is not None else Mode.YOUR_TURN
        elif self.mode.running:
            self.clock.pause()
            self._flush_diagram()
            self._flush_draft()
            self.driver.save_clock()
            self.mode = Mode.PAUSED

    def action_end_early(self) -> None:
        if not self.mode.running:
            return

        def decided(end: bool | None) -> None:
            if end and self.mode.running:
                if self.mode is Mode.PAUSED:
                    self.clock.resume()
                self._close(self._end_early)

        self.app.push_screen(ConfirmScreen("End the interview now and score it?", yes="End and score", no="Keep going"),
                             decided)

    def _end_early(self, draft: str) -> None:
        if draft:
            self.driver.answer(draft)
        self.driver.end_early()

    def action_leave(self) -> None:
        self._flush_diagram()
        if self.session_id is not None and self.mode is not Mode.SCORING:
            self.clock.pause()
            draft = self.query_one(AnswerBox).text
            self.driver.stop(draft=draft)
            # The session thread does not keep a session with nothing answered, typed or drawn.
            unused = not (self.query(".message.-candidate") or draft.strip()
                          or (self._diagram_saved or "").strip())
            self.app.exit(message=f"Nothing was answered, so session {self.session_id} was not kept." if unused else
                          f"Session {self.session_id} paused at {stamp(self.clock.elapsed())}; every turn is "
                          f"saved. Resume with: mlsd practice --resume {self.session_id}")
        else:
            self.app.exit()
