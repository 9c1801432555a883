"""Home: the cases to practise, the latest sessions with their scores, and progress per
category over time."""
from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from mlsd.rubric.model import load_rubric
from mlsd.sessions.history import SessionSummary, category_trend, summaries
from mlsd.tui.db import in_thread
from mlsd.tui.widgets.fmt import clip
from mlsd.tui.widgets.trend import Trend

RECENT = 6


def _score_cell(s: SessionSummary) -> str:
    if s.resumable:
        return "open (u)"
    score = "-" if s.overall is None else f"{s.overall:.0f}"
    return f"{score} early" if s.row.status == "ended_early" else score



class HomeScreen(Screen):
    BINDINGS = [
        Binding("s", "start", "Start case", tooltip="Start a timed session on the selected case"),
        Binding("u", "resume", "Resume", tooltip="Resume the latest unfinished session"),
        Binding("o", "report", "Report", tooltip="Open the report of the selected recent session"),
        Binding("v", "replay", "Replay", tooltip="Replay the selected recent session"),
        Binding("h", "history", "History"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[SessionSummary] = []
        self.recent: list[SessionSummary] = []

    def compose(self) -> ComposeResult:
        yield Label("", id="home-head")
        cases = DataTable(id="cases", cursor_type="row")
        cases.border_title = "Cases · Enter or s starts a session"
        yield cases
        with Horizontal(id="home-bottom"):
            recent = DataTable(id="recent", cursor_type="row")
            recent.border_title = "Recent sessions"
            yield recent
            with Vertical(id="trend-slot"):
                yield Label("loading…")
        yield Footer()

    def on_mount(self) -> None:
        app = self.app
        s = app.settings
        self.query_one("#home-head", Label).update(
            f"mlsd · {s.minutes:g}-minute mock interviews · interviewer: "
            + (f"{s.backend} ({s.backend_reason})" if s.backend_reason else s.endpoint().label))
        recent = self.query_one("#recent", DataTable)
        for key, title in (("id", "#"), ("date", "Date"), ("case", "Case"), ("score", "Score")):
            recent.add_column(title, key=key)
        self._fill_cases()
        self.query_one("#cases", DataTable).focus()

    def on_resize(self) -> None:
        self._fill_cases()

    def _fill_cases(self) -> None:
        """Prompts are cut to what the terminal's width leaves beside the title and source."""
        cases = self.query_one("#cases", DataTable)
        keep = cases.cursor_row
        cases.clear(columns=True)
        catalog = self.app.catalog.cases
        sources = [f"{Path(c.source).name} (yours)" if c.user else Path(c.source).name for c in catalog]
        title_w = max((len(c.title) for c in catalog), default=10)
        source_w = max((len(x) for x in sources), default=6)
        prompt_w = max(12, self.app.size.width - title_w - source_w - 12)
        cases.add_column("Case", key="title", width=title_w)
        cases.add_column("Prompt", key="prompt", width=prompt_w)
        cases.add_column("Source", key="source", width=source_w)
        for case, source in zip(catalog, sources):
            cases.add_row(case.title, clip(case.summary, prompt_w), source, key=case.id)
        if catalog:
            cases.move_cursor(row=min(keep, len(catalog) - 1))

    def on_screen_resume(self) -> None:
        self.reload()  # on first show too, and after a session, a delete or a report

    def reload(self) -> None:
        in_thread(self, self.app.settings.db_path, summaries, self.show, name="home")

    async def show(self, items: list[SessionSummary]) -> None:
        self.items, self.recent = items, items[:RECENT]
        recent = self.query_one("#recent", DataTable)
        recent.clear()
        for s in self.recent:
            r = s.row
            recent.add_row(r.id, r.started[5:16].replace("T", " "), clip(r.case_id, 14), _score_cell(s), key=str(r.id))
        recent.border_subtitle = "" if items else "none yet"
        slot = self.query_one("#trend-slot")
        await slot.remove_children()
        await slot.mount(Trend(category_trend(items), load_rubric()))

    # ------------------------------------------------------------------ actions
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "cases":
            self.app.start_practice(str(event.row_key.value))
        else:
            self.app.open_report(int(event.row_key.value))

    def _row(self, table_id: str) -> str | None:
        table = self.query_one(f"#{table_id}", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_start(self) -> None:
        case_id = self._row("cases")
        if case_id:
            self.app.start_practice(case_id)

    def action_resume(self) -> None:
        unfinished = next((s for s in self.items if s.resumable), None)
        if unfinished is None:
            self.notify("No unfinished session to resume.", timeout=3)
            return
        self.app.resume_practice(unfinished.row.id)

    def _recent_id(self) -> int | None:
        key = self._row("recent")
        if key is None:
            self.notify("No sessions yet: start one with Enter on a case.", timeout=3)
        return int(key) if key else None

    def action_report(self) -> None:
        if (sid := self._recent_id()) is not None:
            self.app.open_report(sid)

    def action_replay(self) -> None:
        if (sid := self._recent_id()) is not None:
            self.app.open_replay(sid)

    def action_history(self) -> None:
        self.app.open_history()
