"""A saved session, turn by turn: the transcript revealed up to the current turn with phase
bands, the criteria covered by then, and the diagram as it stood."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static, TextArea

from mlsd.core.plan import PhaseId
from mlsd.rubric.report import MARK
from mlsd.rubric.timeline import diagram_at
from mlsd.sessions.replay import ReplayData
from mlsd.tui.db import in_thread
from mlsd.tui.screens.base import MlsdScreen
from mlsd.tui.widgets.chat import ChatLog
from mlsd.tui.widgets.fmt import stamp
from mlsd.tui.widgets.head_line import HeadLine


class ReplayScreen(MlsdScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,n,space", "step(1)", "Next", priority=True, tooltip="The next turn"),
        Binding("left,p", "step(-1)", "Prev", priority=True, tooltip="The previous turn"),
        Binding("right_square_bracket", "phase(1)", "Next phase"),
        Binding("left_square_bracket", "phase(-1)", "Prev phase"),
        Binding("home", "go(1)", "First", show=False, priority=True),
        Binding("end", "go(0)", "Last", show=False, priority=True, tooltip="The last turn"),
        Binding("o", "report", "Report"),
        Binding("escape,q", "back", "Back"),
    ]

    def __init__(self, session_id: int, turn: int | None = None) -> None:
        super().__init__()
        self.session_id = session_id
        self.start_turn = turn
        self.data: ReplayData | None = None
        self.at = 0  # turns shown

    def compose(self) -> ComposeResult:
        yield HeadLine((f"Replay of session {self.session_id}: loading…", 9), id="replay-head")
        with Horizontal(id="replay-body"):
            yield ChatLog(id="replay-chat", live=False)
            with Vertical(id="replay-side"):
                yield Static("", id="so-far")
                diagram = TextArea("", id="replay-diagram", read_only=True, soft_wrap=False)
                diagram.border_title = "Diagram"
                yield diagram
        yield Footer()

    def on_mount(self) -> None:
        service = self.service
        in_thread(self, service, lambda store: service.replay(store, self.session_id), self.show, name="replay")

    async def show(self, data: ReplayData) -> None:
        self.data = data
        total = len(data.transcript.turns)
        target = self.start_turn if self.start_turn else min(total, 1)
        await self.go_to(max(0, min(total, target)))

    # ------------------------------------------------------------------ moving
    @property
    def loaded(self) -> ReplayData:
        """The session on show; the actions below run only once it has loaded."""
        if self.data is None:
            raise RuntimeError("the replay has not loaded yet")
        return self.data

    def _phase(self, n: int) -> PhaseId:
        return self.loaded.plan.phase_of(self.loaded.transcript.turns[n - 1])

    async def go_to(self, n: int) -> None:
        chat = self.query_one(ChatLog)
        if n < self.at or self.at == 0:
            await chat.remove_children()
            self.at = 0
            row = self.loaded.row
            started = row.started[:16].replace("T", " ")
            await chat.add_case(row.case_title or row.case_id, f"Session {row.id}, {started}")
        for i in range(self.at + 1, n + 1):
            if i == 1 or self._phase(i) != self._phase(i - 1):
                phase = self.loaded.plan.phase(self._phase(i))
                await chat.add_divider(f"{phase.title} {stamp(phase.start)}–{stamp(phase.end)}")
            turn = self.loaded.transcript.turns[i - 1]
            message = await chat.add_message(turn.speaker, turn.elapsed, turn.text)
            message.add_class(f"-phase-{self._phase(i)}")
        self.at = n
        for m in chat.query(".message"):
            m.remove_class("-current")
        messages = list(chat.query(".message"))
        if messages:
            messages[-1].add_class("-current")
            # After the new turns are laid out, or the end is not yet where it will be.
            chat.call_after_refresh(chat.scroll_end, animate=False)
        self._side()

    def _side(self) -> None:
        data, n = self.loaded, self.at
        total = len(data.transcript.turns)
        turn = data.transcript.turns[n - 1] if n else None
        self.query_one(HeadLine).show(
            ("Replay", 9), (data.row.case_title or data.row.case_id, 4), (f"session {data.row.id}", 3),
            (f"turn {n}/{total}", 8), (stamp(turn.elapsed) if turn else "", 7),
            (data.plan.phase(self._phase(n)).title if turn else "", 6))
        focus = data.plan.focus  # a drill is about its own category's criteria only
        names = {c.id: c.name for c in self.service.rubric.criteria if focus is None or c.category == focus}
        covered = {cid: c for cid, c in (data.covered[n - 1] if n else {}).items() if cid in names}
        lines = [f"[b]Covered by turn {n}[/b]: {len(covered)} of {len(names)}"]
        for cid, c in covered.items():
            where = "diagram" if c.turn is None else f"turn {c.turn}"
            probe = ", probed" if c.prompted else ""
            lines.append(f"{MARK[c.status]} {names.get(cid, cid)} [dim]({where}{probe})[/dim]")
        self.query_one("#so-far", Static).update("\n".join(lines))
        text = diagram_at(data.diagrams, turn.elapsed if turn else 0, data.transcript.diagram)
        area = self.query_one("#replay-diagram", TextArea)
        area.text = text
        area.border_title = f"Diagram at {stamp(turn.elapsed)}" if turn else "Diagram"

    # ------------------------------------------------------------------ actions
    async def action_step(self, delta: int) -> None:
        if self.data is not None:
            await self.go_to(max(0, min(len(self.data.transcript.turns), self.at + delta)))

    async def action_go(self, n: int) -> None:
        if self.data is not None:
            await self.go_to(n or len(self.data.transcript.turns))

    async def action_phase(self, delta: int) -> None:
        """To the first turn of the next (or this/previous) phase."""
        if self.data is None or not self.data.transcript.turns:
            return
        total = len(self.data.transcript.turns)
        starts = [i for i in range(1, total + 1) if i == 1 or self._phase(i) != self._phase(i - 1)]
        if delta > 0:
            target = next((i for i in starts if i > self.at), total)
        else:
            target = next((i for i in reversed(starts) if i < self.at), 1)
        await self.go_to(target)

    def action_report(self) -> None:
        self.mlsd.open_report(self.session_id)

    def action_back(self) -> None:
        self.app.pop_screen()
