"""The interview room: the case, the clock, the plan, the chat, the answer box and the diagram.
The screen only shows things and forwards keys; the session runs in the driver's thread."""
from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Label, TextArea

from mlsd.interviewer.clock import Clock
from mlsd.core.plan import Plan
from mlsd.prompts.case import Case
from mlsd.rubric.model import load_rubric
from mlsd.sessions.runner import PracticeSession
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
from mlsd.tui.screens.confirm import ConfirmScreen
from mlsd.tui.widgets.answer_box import AnswerBox
from mlsd.tui.widgets.chat import ChatLog, ChatMessage
from mlsd.tui.widgets.countdown import Countdown
from mlsd.tui.widgets.fmt import stamp
from mlsd.tui.widgets.phase_bar import PhaseBar
from mlsd.tui.widgets.status_line import StatusLine

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
TICK_SECONDS = 0.25
CLOCK_SAVE_TICKS = 40  # every 10 s
DIAGRAM_SAVE_AFTER = 1.0  # seconds of no typing in the diagram before it is stored
# How long the candidate must be quiet (empty answer box, no typing) after a phase's time
# ran out before the interviewer moves them on: a share of the phase, within bounds.
SILENCE_SHARE, SILENCE_MIN, SILENCE_MAX = 0.1, 5, 30


class PracticeScreen(Screen):
    BINDINGS = [
        # Priority: handled as the key arrives, before the keys typed after it are routed.
        Binding("f2,ctrl+g", "toggle_focus", "Diagram ⇄ answer", priority=True,
                tooltip="Move between the answer box and the diagram"),
        Binding("f5,ctrl+r", "pause", "Pause", tooltip="Pause or resume the clock"),
        Binding("f8", "end_early", "End early", tooltip="End the interview now and score it"),
        Binding("ctrl+q", "leave", "Quit (resumable)", priority=True,
                tooltip="Leave now; the session stays resumable with `mlsd practice --resume`"),
    ]

    def __init__(self, case: Case, plan: Plan, clock: Clock, make_session: Callable[[Clock], PracticeSession],
                 backend_note: str) -> None:
        super().__init__()
        self.case, self.clock = case, clock
        self.plan = plan
        self.driver = SessionDriver(lambda: make_session(clock), self)
        self.backend_note = backend_note
        self.session_id: int | None = None
        self.label = ""
        self.busy = False          # the interviewer is speaking
        self.closing = False       # the end has been asked for; no more turns
        self.finished = False
        self.paused = False
        self.reply: ChatMessage | None = None
        self._sent: ChatMessage | None = None  # the candidate's latest answer on screen
        self._frame = 0
        self._diagram_timer: Timer | None = None
        self._diagram_loading = False
        self._diagram_saved = ""
        self.spoken_phase: str | None = None  # the phase of the interviewer's latest turn
        self._quiet_since = 0.0                # session time of the latest turn or keystroke

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            drill = f" · {load_rubric().category(self.plan.focus).name} drill" if self.plan.focus else ""
            yield Label(self.case.title + drill, id="case-name")
            yield Countdown(self.plan, id="countdown")
        yield PhaseBar(self.plan, id="phases")
        with Horizontal(id="work"):
            with Vertical(id="talk"):
                yield ChatLog(id="chat")
                answer = AnswerBox(id="answer")
                answer.border_title = "Your answer"
                answer.border_subtitle = "Enter sends · Ctrl+J new line"
                yield answer
            diagram = TextArea(id="diagram", soft_wrap=False, tab_behavior="indent")
            diagram.border_title = "Diagram / notes"
            diagram.border_subtitle = "seen by the interviewer"
            yield diagram
        yield StatusLine(id="status")
        yield Footer()

    async def on_mount(self) -> None:
        # A drill sets its own scene: the card shows what the system is, not the full brief.
        await self.query_one(ChatLog).add_case(self.case.title, self.case.summary if self.plan.focus else self.case.prompt)
        self._set_status("starting the session…")
        self.query_one(AnswerBox).focus()
        self.set_interval(TICK_SECONDS, self.tick)
        self.tick()
        self.run_worker(self.driver.serve, thread=True, name="session", group="session")

    def on_unmount(self) -> None:
        self.driver.stop()

    # ------------------------------------------------------------------ the clock
    def _now(self) -> float:
        """Session time, held at the end once the time is up."""
        return min(self.clock.elapsed(), self.plan.total)

    def tick(self) -> None:
        elapsed = self._now()
        self.query_one(Countdown).elapsed = elapsed
        self.query_one(PhaseBar).elapsed = elapsed
        self._frame += 1
        if self.session_id is not None and not self.paused and self._frame % CLOCK_SAVE_TICKS == 0:
            self.driver.save_clock()  # a killed process loses at most this much of the clock
        if self.busy:
            self._set_status(f"{SPINNER[self._frame % len(SPINNER)]} the interviewer is answering…")
        if self.session_id is None or self.busy or self.closing or self.paused:
            return
        if elapsed >= self.plan.total:
            self._time_up()
        elif self._silent_past_phase(elapsed):
            self._quiet_since = elapsed  # one interjection per silence
            self.driver.interject()

    def _silent_past_phase(self, elapsed: float) -> bool:
        now = self.plan.phase_at(elapsed)
        if self.spoken_phase is None or now.index <= self.plan.phase(self.spoken_phase).index:
            return False
        if self.query_one(AnswerBox).text.strip():
            return False  # they are writing: let them finish
        wait = min(SILENCE_MAX, max(SILENCE_MIN, now.length * SILENCE_SHARE))
        return elapsed - max(self._quiet_since, now.start) >= wait

    def _time_up(self) -> None:
        self.closing = True
        box = self.query_one(AnswerBox)
        draft = box.text.strip()
        box.clear()
        self._flush_diagram()
        if draft:
            # What the candidate had typed when time ran out is their last answer, not lost.
            self._send(draft)
        else:
            self.driver.time_up()
        self._set_status("time is up")

    # ------------------------------------------------------------------ from the driver
    async def on_session_ready(self, message: SessionReady) -> None:
        self.label = message.label
        chat = self.query_one(ChatLog)
        phase = None
        for turn in message.turns:
            if turn.speaker == "interviewer" and turn.move == "transition" and turn.phase != phase:
                await self._divider(turn.phase)
            if turn.speaker == "interviewer" and turn.phase:
                self.spoken_phase = turn.phase
            phase = turn.phase or phase
            await chat.add_message(turn.speaker, turn.elapsed, turn.text)
        if message.diagram:
            self._diagram_loading = True
            self.query_one("#diagram", TextArea).text = message.diagram
        self._diagram_saved = message.diagram
        if message.draft:
            self.query_one(AnswerBox).text = message.draft
        self._quiet_since = self._now()
        self.session_id = message.session_id  # last: "ready" means everything is on screen
        self._set_status()
        if message.turns:
            self.notify(f"Resumed session {message.session_id} at {stamp(self.clock.elapsed())}.", timeout=4)
        if not message.turns or message.turns[-1].speaker == "candidate":
            self.driver.open()

    async def on_reply_started(self, message: ReplyStarted) -> None:
        self.busy = True
        self.reply = await self.query_one(ChatLog).add_message("interviewer", self._now())

    async def on_reply_chunk(self, message: ReplyChunk) -> None:
        if self.reply is not None:
            await self.reply.append(message.text)

    async def on_reply_done(self, message: ReplyDone) -> None:
        self.busy = False
        reply, self.reply = self.reply, None
        if reply is not None and message.turn is not None and reply.text.strip() != message.turn.text:
            await reply.replace(message.turn.text)
        if reply is not None and message.turn is None and not reply.text.strip():
            await reply.remove()
        if message.turn is not None:
            self.spoken_phase = message.turn.phase or self.spoken_phase
            self._quiet_since = self._now()
            if message.turn.move == "transition":
                await self._divider(message.turn.phase)
        if message.finished:
            self.finished = self.closing = True
            self.query_one(AnswerBox).disabled = True
            self.query_one("#diagram", TextArea).read_only = True
            self._set_status("scoring the transcript…")
        elif message.turn is not None:  # a failed reply leaves its explanation on the status line
            self._set_status()

    def on_backend_notice(self, message: BackendNotice) -> None:
        self.label = message.label
        self.notify(message.text, title="Interviewer", severity="warning", timeout=8)
        self._set_status()

    def on_session_scored(self, message: SessionScored) -> None:
        self.app.show_report_after_practice(message.session_id)

    def on_driver_failed(self, message: DriverFailed) -> None:
        self.notify(message.error, title="Could not go on", severity="error", timeout=12)
        if message.draft:
            self.query_one(AnswerBox).give_back(message.draft)
            if self._sent is not None and self._sent.text == message.draft:
                self._sent.remove()  # it was never stored: it is not part of the interview
                self._sent = None
        if self.session_id is None:
            self._set_status(f"the session could not start: {message.error}")
        else:
            self.closing = self.closing and self.finished
            self._set_status("nothing was lost; try again, or Ctrl+Q to leave (the session stays resumable)")

    async def _divider(self, phase_id: str | None) -> None:
        if phase_id:
            phase = self.plan.phase(phase_id)
            await self.query_one(ChatLog).add_divider(f"{phase.title} {stamp(phase.start)}–{stamp(phase.end)}")

    # ------------------------------------------------------------------ from the candidate
    @on(AnswerBox.Submitted)
    def submitted(self, event: AnswerBox.Submitted) -> None:
        box = self.query_one(AnswerBox)
        if self.session_id is None or self.closing or self.paused:
            box.give_back(event.text)
            return
        if self.busy:
            box.give_back(event.text)
            self.notify("The interviewer is still talking; your answer stays in the box.", timeout=3)
            return
        self._send(event.text)

    def _send(self, text: str) -> None:
        self._flush_diagram()
        self.busy = True  # until the reply is done: one answer at a time
        self._sent = self.query_one(ChatLog).post("candidate", self._now(), text)
        self.driver.answer(text)

    @on(TextArea.Changed, "#answer")
    def answer_changed(self) -> None:
        self._quiet_since = self._now()

    @on(TextArea.Changed, "#diagram")
    def diagram_changed(self) -> None:
        self._quiet_since = self._now()  # drawing is not silence
        if self._diagram_loading:
            self._diagram_loading = False
            return
        if self._diagram_timer is not None:
            self._diagram_timer.stop()
        self._diagram_timer = self.set_timer(DIAGRAM_SAVE_AFTER, self._flush_diagram)

    def _flush_diagram(self) -> None:
        if self._diagram_timer is not None:
            self._diagram_timer.stop()
            self._diagram_timer = None
        text = self.query_one("#diagram", TextArea).text
        if text != self._diagram_saved and not self.finished:
            self._diagram_saved = text
            self.driver.set_diagram(text)

    # ------------------------------------------------------------------ actions
    def action_toggle_focus(self) -> None:
        diagram = self.query_one("#diagram", TextArea)
        self.set_focus(self.query_one(AnswerBox) if diagram.has_focus else diagram)

    def action_pause(self) -> None:
        if self.finished:
            return
        self.paused = not self.paused
        if self.paused:
            self.clock.pause()
            self._flush_diagram()
            self.driver.save_clock()
        else:
            self.clock.resume()
        self.query_one(Countdown).paused = self.paused
        self.query_one(AnswerBox).disabled = self.paused
        self.query_one("#diagram", TextArea).disabled = self.paused
        self.set_class(self.paused, "-paused")
        self._set_status()
        if not self.paused:
            self.query_one(AnswerBox).focus()

    def action_end_early(self) -> None:
        if self.closing or self.session_id is None:
            return

        def decided(end: bool | None) -> None:
            if end and not self.closing:
                self.closing = True
                if self.paused:
                    self.action_pause()
                self._flush_diagram()
                box = self.query_one(AnswerBox)
                draft = box.text.strip()
                box.clear()
                if draft:
                    self._send(draft)
                self.driver.end_early()

        self.app.push_screen(ConfirmScreen("End the interview now and score it?", yes="End and score", no="Keep going"),
                             decided)

    def action_leave(self) -> None:
        self._flush_diagram()
        if self.session_id is not None and not self.finished:
            self.clock.pause()
            self.driver.stop(draft=self.query_one(AnswerBox).text)
            self.app.exit(message=f"Session {self.session_id} paused at {stamp(self.clock.elapsed())}; every turn is "
                                  f"saved. Resume with: mlsd practice --resume {self.session_id}")
        else:
            self.app.exit()

    # ------------------------------------------------------------------ status line
    def _set_status(self, note: str | None = None) -> None:
        who = f"Interviewer: {self.label or '…'}"
        if self.backend_note and self.label == "offline":
            who += f" ({self.backend_note})"
        if note is None:
            note = "paused, F5 resumes" if self.paused else "your turn" if not self.busy else ""
        self.query_one(StatusLine).text = f"{who} · {note}" if note else who
