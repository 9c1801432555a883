"""The Textual app: which screen opens, and how screens hand over to one another. The
practice session's clock and interviewer are injected, so tests drive a whole session."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from mlsd.interviewer.backends import build
from mlsd.interviewer.clock import Clock, SessionClock
from mlsd.interviewer.context import Interviewer
from mlsd.interviewer.drill import DRILL_MINUTES, session_plan
from mlsd.llm.providers import connect
from mlsd.prompts.loader import CaseCatalog
from mlsd.rubric.model import load_rubric
from mlsd.sessions.runner import PracticeSession
from mlsd.sessions.store import SessionRow, Store
from mlsd.tui.db import in_thread
from mlsd.tui.screens.compare import CompareScreen
from mlsd.tui.screens.history import HistoryScreen
from mlsd.tui.screens.home import HomeScreen
from mlsd.tui.screens.practice import PracticeScreen
from mlsd.tui.screens.replay import ReplayScreen
from mlsd.tui.screens.report import ReportScreen
from mlsd.tui.settings import Settings


@dataclass
class Start:
    """What `mlsd` was asked to open."""
    screen: str = "home"  # home | practice | resume | replay | report | history
    case_id: str | None = None
    session_id: int | None = None
    seed: int | None = None
    focus: str | None = None      # a drill on this rubric category
    minutes: float | None = None  # the session's length, when not the settings'


class MlsdApp(App):
    TITLE = "mlsd"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses (benchmarks) live elsewhere
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, settings: Settings, catalog: CaseCatalog, start: Start | None = None,
                 clock_factory: Callable[[float], Clock] | None = None,
                 interviewer_factory: Callable[[], Interviewer] | None = None) -> None:
        super().__init__()
        self.settings, self.catalog = settings, catalog
        self.start = start or Start()
        self.clock_factory = clock_factory or (lambda offset: SessionClock(offset=offset))
        self.interviewer_factory = interviewer_factory or self._interviewer
        if settings.theme and settings.theme in self.available_themes:
            self.theme = settings.theme

    def _interviewer(self) -> Interviewer:
        endpoint = self.settings.endpoint()
        return build(connect(endpoint) if endpoint else None, self.settings.budget)

    def on_mount(self) -> None:
        # Markdown rendering loads its parser on first use; do that now, off the UI thread,
        # rather than as a stall when the interviewer's first words arrive.
        self.run_worker(_warm_up_markdown, thread=True, name="warm-up")
        self.push_screen(HomeScreen())
        for err in self.catalog.errors:
            self.notify(f"skipped {err}", title="Case file", severity="warning", timeout=10)
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
        case = self.catalog.get(case_id)
        if case is None:
            self.notify(f"unknown case {case_id!r}", severity="error")
            return
        s = self.settings
        seed = seed if seed is not None else int.from_bytes(os.urandom(2), "big")
        length = minutes if minutes is not None else DRILL_MINUTES if focus else s.minutes
        plan = session_plan(load_rubric(), length, focus)

        def make(clock: Clock) -> PracticeSession:
            return PracticeSession.start(Store(s.db_path), case, clock, self.interviewer_factory(), minutes=length,
                                         backend=s.backend, model=s.model, seed=seed, focus=focus)

        self.push_screen(PracticeScreen(case, plan, self.clock_factory(0), make, s.backend_reason))

    def resume_practice(self, session_id: int) -> None:
        in_thread(self.screen, self.settings.db_path, lambda store: store.session(session_id), self._resume,
                  name="resume")

    def _resume(self, row: SessionRow) -> None:
        if row.status != "active":
            self.notify(f"Session {row.id} is {row.status.replace('_', ' ')}; only unfinished sessions resume.",
                        severity="warning")
            return
        case = self.catalog.get(row.case_id)
        if case is None:
            self.notify(f"Session {row.id} is on case {row.case_id!r}, which is no longer in your cases.",
                        severity="error")
            return
        db = self.settings.db_path

        def make(clock: Clock) -> PracticeSession:
            store = Store(db)
            return PracticeSession.resume(store, store.session(row.id), case, clock, self.interviewer_factory())

        plan = session_plan(load_rubric(), row.minutes, row.focus)
        self.push_screen(PracticeScreen(case, plan, self.clock_factory(row.elapsed), make,
                                        self.settings.backend_reason))

    def show_report_after_practice(self, session_id: int) -> None:
        self.switch_screen(ReportScreen(session_id))

    # ------------------------------------------------------------------ other screens
    def open_report(self, session_id: int) -> None:
        self.push_screen(ReportScreen(session_id))

    def open_replay(self, session_id: int, turn: int | None = None) -> None:
        self.push_screen(ReplayScreen(session_id, turn))

    def open_history(self) -> None:
        self.push_screen(HistoryScreen())

    def open_compare(self, a: int, b: int) -> None:
        self.push_screen(CompareScreen(a, b))

    async def action_quit(self) -> None:
        if isinstance(self.screen, PracticeScreen):
            self.screen.action_leave()  # keeps the session resumable
            return
        self.exit()

    # ------------------------------------------------------------------ command palette
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
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
