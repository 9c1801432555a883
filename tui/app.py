"""The Textual app: which screen opens, and how screens hand over to one another. Everything
a screen needs from mlsd comes from the session service (`app.service`): the settings, the
cases, and the practice sessions with their injected clock and interviewer."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from mlsd.interviewer.clock import Clock
from mlsd.llm.local_servers import KNOWN, Known, LocalServer
from mlsd.sessions.practice import PracticeSession
from mlsd.sessions.service import Service, SessionError, new_seed
from mlsd.sessions.store import SessionRow, Store
from mlsd.tui.db import in_thread
from mlsd.tui.screens.compare import CompareScreen
from mlsd.tui.screens.history import HistoryScreen
from mlsd.tui.screens.home import HomeScreen
from mlsd.tui.screens.practice import PracticeScreen
from mlsd.tui.screens.replay import ReplayScreen
from mlsd.tui.screens.report import ReportScreen
from mlsd.tui.widgets.fmt import literal


@dataclass
class Start:
    """What `mlsd` was asked to open."""
    screen: Literal["home", "practice", "resume", "replay", "report", "history"] = "home"
    case_id: str | None = None
    session_id: int | None = None
    seed: int | None = None
    focus: str | None = None      # a drill on this rubric category
    minutes: float | None = None  # the session's length, when not the settings'


class MlsdApp(App[None]):
    TITLE = "mlsd"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses (benchmarks) live elsewhere
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, service: Service, start: Start | None = None, local_servers: Sequence[Known] = KNOWN) -> None:
        super().__init__()
        self.service = service
        self.start = start or Start()
        # Where to look for a local LLM server: only with no key and no base URL set, and not
        # when the config says offline or says not to look.
        s = service.settings
        looking = s.endpoint() is None and s.backend_reason != "chosen" and s.local_servers
        self.local_servers: Sequence[Known] = local_servers if looking else ()
        theme = service.settings.theme
        if theme and theme in self.available_themes:
            self.theme = theme

    def on_mount(self) -> None:
        # Markdown rendering loads its parser on first use; do that now, off the UI thread,
        # rather than as a stall when the interviewer's first words arrive.
        self.run_worker(_warm_up_markdown, thread=True, name="warm-up")
        self.push_screen(HomeScreen())
        for err in self.service.catalog.errors:
            self.notify(literal(f"skipped {err}"), title="Case file", severity="warning", timeout=10)
        start = self.start
        if start.screen == "practice" and start.case_id:
            self.start_practice(start.case_id, seed=start.seed, focus=start.focus, minutes=start.minutes)
        elif start.screen == "resume" and start.session_id:
            self.resume_practice(start.session_id)
        elif start.screen == "replay" and start.session_id:
            self.open_replay(start.session_id)
        elif start.screen == "report" and start.session_id:
            self.open_report(start.session_id)
        elif start.screen == "history":
            self.open_history()

    # ------------------------------------------------------------------ practice
    def start_practice(self, case_id: str, seed: int | None = None, focus: str | None = None,
                       minutes: float | None = None) -> None:
        """A timed interview on the case; with `focus`, a short drill on that category."""
        service = self.service
        try:
            case = service.case(case_id)
            plan = service.practice_plan(focus, minutes)
        except SessionError as exc:
            self.notify(literal(str(exc)), severity="error")
            return
        seed = new_seed() if seed is None else seed

        def make(clock: Clock) -> PracticeSession:
            return service.start(case_id, clock, seed=seed, focus=focus, minutes=plan.minutes)

        self.push_screen(PracticeScreen(case, plan, service.clock_factory(0), make, service.settings.backend_reason))

    def resume_practice(self, session_id: int) -> None:
        def find(store: Store) -> SessionRow | str:
            try:
                return self.service.resumable(store, session_id)[0]
            except SessionError as exc:
                return str(exc)

        in_thread(self.screen, self.service, find, self._resume, name="resume")

    def _resume(self, found: SessionRow | str) -> None:
        if isinstance(found, str):
            self.notify(literal(found), severity="warning")
            return
        row, service = found, self.service

        def make(clock: Clock) -> PracticeSession:
            return service.resume(row.id, clock)

        self.push_screen(PracticeScreen(service.case(row.case_id), service.plan_of(row),
                                        service.clock_factory(row.elapsed), make, service.settings.backend_reason))

    def show_report_after_practice(self, session_id: int) -> None:
        self.switch_screen(ReportScreen(session_id))

    def use_local_server(self, server: LocalServer, model: str) -> None:
        """The user accepted a local server: it is the interviewer and the judge from now on, in this run."""
        self.service.use_local_server(server.base_url, model)
        self.local_servers = ()
        self.notify(literal(f"{server.name} ({model}) is the interviewer and the judge for this run. To keep it, put "
                            f'base_url = "{server.base_url}" and model = "{model}" in '
                            f"{self.service.settings.config_file}."), title="Local LLM", timeout=12)

    # ------------------------------------------------------------------ other screens
    def open_report(self, session_id: int) -> None:
        self.push_screen(ReportScreen(session_id))

    def open_replay(self, session_id: int, turn: int | None = None) -> None:
        self.push_screen(ReplayScreen(session_id, turn))

    def open_history(self) -> None:
        self.push_screen(HistoryScreen())

    def open_compare(self, a: int, b: int) -> None:
        self.push_screen(CompareScreen(a, b))

    def action_help_quit(self) -> None:
        """Ctrl+C (when there is nothing selected to copy) says how to leave instead of nothing."""
        if isinstance(self.screen, PracticeScreen):
            self.notify("Ctrl+Q leaves and keeps the session resumable; F8 ends it and scores it.",
                        title="Ctrl+C does not quit")
        else:
            self.notify("Ctrl+Q quits (q on the home screen).", title="Ctrl+C does not quit")

    async def action_quit(self) -> None:
        if isinstance(self.screen, PracticeScreen):
            self.screen.action_leave()  # keeps the session resumable
            return
        self.exit()

    # ------------------------------------------------------------------ command palette
    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description:
                yield SystemCommand(binding.description, binding.tooltip or binding.description,
                                    partial(self.call_next, screen.run_action, binding.action))


def _warm_up_markdown() -> None:
    from io import StringIO

    from rich.console import Console
    from rich.markdown import Markdown

    Console(file=StringIO(), width=60).print(Markdown("**warm** up: `code`, a [link](x)\n\n- item"))
