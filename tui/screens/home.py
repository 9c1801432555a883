"""Home: the cases to practise; the latest sessions with their scores and levels; the
weakest category with one key to drill it; and each category's progress over time."""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from mlsd.interviewer.drill import DRILL_MINUTES
from mlsd.llm.local_servers import LocalServer, find_local_server
from mlsd.rubric.model import Rubric
from mlsd.sessions.history import SessionSummary
from mlsd.sessions.progress import Progress
from mlsd.tui.db import in_thread
from mlsd.tui.screens.base import MlsdScreen
from mlsd.tui.screens.local_llm import LocalServerScreen
from mlsd.tui.widgets.fmt import clip, literal
from mlsd.tui.widgets.head_line import HeadLine
from mlsd.tui.widgets.trend import Trend

RECENT = 6
RECENT_COLUMNS = (("id", "#"), ("date", "Date"), ("case", "Case"), ("score", "Score"), ("level", "Level"))


def _name(source: Path | None) -> str:
    return source.name if source else ""


def _score_cell(s: SessionSummary) -> str:
    if s.resumable:
        return "open" if s.row.is_drill else "open (u)"
    score = "-" if s.overall is None or not s.answers else f"{s.overall:.0f}"
    return f"{score} early" if s.row.status == "ended_early" else score


def _case_cell(s: SessionSummary, rubric: Rubric) -> str:
    return f"{rubric.category(s.row.focus).name} drill" if s.row.focus else s.row.case_id


class HomeScreen(MlsdScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "Start", tooltip="Start a timed session on the selected case"),
        Binding("d", "drill", "Drill",
                tooltip=f"A {DRILL_MINUTES}-minute drill on your weakest category, on the selected case"),
        Binding("u", "resume", "Resume", tooltip="Resume the latest unfinished interview"),
        Binding("o", "report", "Report", tooltip="Open the report of the selected recent session"),
        Binding("v", "replay", "Replay", tooltip="Replay the selected recent session"),
        Binding("h", "history", "History"),
        Binding("l", "local", "Use local LLM",
                tooltip="Use the LLM server found on this machine as the interviewer and judge"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[SessionSummary] = []
        self.recent: list[SessionSummary] = []
        self.progress: Progress | None = None
        self.local: LocalServer | None = None  # found on loopback, not yet accepted

    def compose(self) -> ComposeResult:
        yield HeadLine(id="home-head")
        cases: DataTable[str] = DataTable(id="cases", cursor_type="row")
        cases.border_title = "Cases · Enter or s starts a session"
        yield cases
        with Horizontal(id="home-bottom"):
            with Vertical(id="home-left"):
                recent: DataTable[str | int] = DataTable(id="recent", cursor_type="row")
                recent.border_title = "Recent sessions"
                yield recent
                suggestion = Static("", id="suggestion")
                suggestion.border_title = "Next"
                yield suggestion
            trend = Trend(id="trend")
            trend.border_title = "Progress per category"
            yield trend
        yield Footer()

    def on_mount(self) -> None:
        self._head()
        self._fill_cases()
        self.query_one("#cases", DataTable).focus()
        known = self.mlsd.local_servers
        if known:
            self.run_worker(lambda: find_local_server(known), thread=True, name="local-llm", group="local-llm")

    def _head(self) -> None:
        s = self.service.settings
        if self.local is None:
            self.query_one(HeadLine).show(("mlsd", 9), (f"{s.minutes:g}-minute sessions", 1),
                                          (f"interviewer: {s.interviewer_label}", 5))
            return
        self.query_one(HeadLine).show(("mlsd", 9), ("interviewer: offline", 5),
                                      (f"{self.local.name} found on :{self.local.port} ({self.local.model})", 7),
                                      ("l to use it", 8))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        found = event.worker.result
        if event.worker.name != "local-llm" or event.state != WorkerState.SUCCESS or found is None:
            return
        if self.mlsd.local_servers:  # still looking: nothing was accepted meanwhile
            self.local = found
            self._head()
            self.refresh_bindings()
            self.notify(f"{found.name} is running on this machine with {len(found.models)} "
                        f"model{'s' if len(found.models) != 1 else ''}. Press l to use it; nothing is "
                        "sent to it until you do.", title="Local LLM found", timeout=10)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The key shows in the footer only while there is a server to accept.
        return self.local is not None if action == "local" else True

    def on_resize(self) -> None:
        self._fill_cases()
        self._fill_recent()
        self.call_after_refresh(self._suggest)  # once the boxes have their new sizes

    def _fill_cases(self) -> None:
        """Prompts are cut to what the terminal's width leaves beside the title and source."""
        cases = self.query_one("#cases", DataTable)
        keep = cases.cursor_row
        cases.clear(columns=True)
        catalog = self.service.catalog.cases
        sources = [f"{_name(c.source)} (yours)" if c.user else _name(c.source) for c in catalog]
        title_w = max((len(c.title) for c in catalog), default=10)
        source_w = max((len(x) for x in sources), default=6)
        prompt_w = max(12, self.app.size.width - title_w - source_w - 12)
        cases.add_column("Case", key="title", width=title_w)
        cases.add_column("Prompt", key="prompt", width=prompt_w)
        cases.add_column("Source", key="source", width=source_w)
        for case, source in zip(catalog, sources, strict=True):
            cases.add_row(literal(case.title), literal(clip(case.summary, prompt_w)), literal(source), key=case.id)
        if catalog:
            cases.move_cursor(row=min(keep, len(catalog) - 1))

    def on_screen_resume(self) -> None:
        self.reload()  # on first show too, and after a session, a delete or a report

    def reload(self) -> None:
        service = self.service
        in_thread(self, service, service.history, self.show, name="home")

    def show(self, loaded: tuple[list[SessionSummary], Progress]) -> None:
        self.items, self.progress = loaded
        self.recent = self.items[:RECENT]
        self._fill_recent()
        trend = self.query_one(Trend)
        trend.progress = self.progress
        n = self.progress.sessions
        trend.border_subtitle = f"last {n} interview{'s' if n != 1 else ''}" if n else ""
        self.call_after_refresh(self._suggest)  # it fits its text to the box's laid-out size

    def _fill_recent(self) -> None:
        """Dates lose their time of day when the terminal is narrow, so the level still fits.
        Columns get their widths up front: a table that sizes them from rows still being added
        draws its header too narrow for a moment."""
        recent = self.query_one("#recent", DataTable)
        wide = self.app.size.width >= 100
        rows = [(str(s.row.id), s.row.started[5:16].replace("T", " ") if wide else s.row.started[5:10],
                 clip(_case_cell(s, self.service.rubric), 16 if wide else 12), _score_cell(s), s.level or "-")
                for s in self.recent]
        keep = recent.cursor_row
        recent.clear(columns=True)
        for i, (key, title) in enumerate(RECENT_COLUMNS):
            recent.add_column(title, key=key, width=max([len(title)] + [len(row[i]) for row in rows]))
        for row in rows:  # widths from the text as shown; the case cell is not read as markup
            recent.add_row(*row[:2], literal(row[2]), *row[3:], key=row[0])
        recent.border_subtitle = "" if self.items else "none yet"
        if self.recent:
            recent.move_cursor(row=min(keep, len(self.recent) - 1))

    def _suggest(self) -> None:
        """The weakest category and the key that drills it on the highlighted case."""
        box = self.query_one("#suggestion", Static)
        hint = self.progress.suggestion if self.progress else None
        if hint is None:
            box.update("[dim]Finish a scored interview: your weakest category shows here, "
                       "with a key to drill it.[/dim]")
            return
        case_id = self._row("cases")
        case = self.service.catalog.get(case_id) if case_id else None
        on = f" on {literal(case.title)}" if case else ""
        lines = [f"[b]{hint.text}[/b]", f"[b]d[/b] starts a {DRILL_MINUTES}-minute {hint.name.lower()} drill{on}"]
        ranked = self.progress.ranking if self.progress else []
        ranking = [f"{r.name:<18} {r.average:>3.0f} [$accent]{'█' * round(r.average / 10)}[/]"
                   f"[dim]{'░' * (10 - round(r.average / 10))}[/]" for r in ranked]
        # The ranking behind the suggestion, when the box has the room for all of it.
        if box.content_size.height >= 5 + len(ranking):
            lines += ["", f"[dim]Over your last {hint.sessions} interviews, weakest first:[/dim]", *ranking]
        box.update("\n".join(lines))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "cases":
            self._suggest()

    # ------------------------------------------------------------------ actions
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "cases":
            self.mlsd.start_practice(str(event.row_key.value))
            return
        chosen = next((s for s in self.recent if str(s.row.id) == event.row_key.value), None)
        if chosen is not None and chosen.resumable:
            self.mlsd.resume_practice(chosen.row.id)
        elif chosen is not None:
            self.mlsd.open_report(chosen.row.id)

    def _row(self, table_id: str) -> str | None:
        table = self.query_one(f"#{table_id}", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_start(self) -> None:
        case_id = self._row("cases")
        if case_id:
            self.mlsd.start_practice(case_id)

    def action_drill(self) -> None:
        hint = self.progress.suggestion if self.progress else None
        case_id = self._row("cases")
        if hint is None:
            self.notify("No weakest category yet: finish a scored interview first.", timeout=4)
        elif case_id:
            self.mlsd.start_practice(case_id, focus=hint.category)

    def action_resume(self) -> None:
        """Unfinished interviews only: a drill left open resumes from its own row."""
        unfinished = next((s for s in self.items if s.resumable and not s.row.is_drill), None)
        if unfinished is None:
            self.notify("No unfinished interview to resume.", timeout=3)
            return
        self.mlsd.resume_practice(unfinished.row.id)

    def _recent_id(self) -> int | None:
        key = self._row("recent")
        if key is None:
            self.notify("No sessions yet: start one with Enter on a case.", timeout=3)
        return int(key) if key else None

    def action_report(self) -> None:
        if (sid := self._recent_id()) is not None:
            self.mlsd.open_report(sid)

    def action_replay(self) -> None:
        if (sid := self._recent_id()) is not None:
            self.mlsd.open_replay(sid)

    def action_local(self) -> None:
        server = self.local
        if server is None:
            return

        def chosen(model: str | None) -> None:
            if model is not None:
                self.mlsd.use_local_server(server, model)
                self.local = None
                self._head()
                self.refresh_bindings()

        self.app.push_screen(LocalServerScreen(server), chosen)

    def action_history(self) -> None:
        self.mlsd.open_history()
