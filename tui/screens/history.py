"""Every session, sortable: open a report, replay, resume an unfinished one, compare two, or delete."""
from __future__ import annotations

from contextlib import suppress
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer
from textual.widgets.data_table import RowDoesNotExist

from mlsd.sessions.history import SessionSummary, summaries
from mlsd.sessions.store import Store
from mlsd.tui.db import in_thread
from mlsd.tui.screens.base import MlsdScreen
from mlsd.tui.screens.confirm import ConfirmScreen
from mlsd.tui.widgets.fmt import literal
from mlsd.tui.widgets.head_line import HeadLine

COLUMNS = (("id", "ID"), ("date", "Date"), ("case", "Case"), ("kind", "Kind"), ("overall", "Score"),
           ("level", "Level"), ("status", "Status"), ("minutes", "Min"), ("backend", "Interviewer"))
LEVEL_ORDER = {"junior": 1, "mid": 2, "senior": 3, "staff": 4}
WIDE = 100  # columns from which dates show their year and time


def kind(s: SessionSummary) -> str:
    return f"{s.row.focus} drill" if s.row.focus else "interview"


def sort_value(s: SessionSummary, column: str) -> str | float:
    r = s.row
    values: dict[str, str | float] = {
        "id": r.id, "date": r.started, "case": r.case_id, "kind": kind(s), "backend": r.backend, "minutes": r.minutes,
        "overall": -1 if s.overall is None else s.overall, "level": LEVEL_ORDER.get(s.level or "", 0),
        "status": r.status}
    return values[column]


def cells(s: SessionSummary, wide: bool = True) -> tuple[object, ...]:
    """One session's row; a narrow terminal gets the date as month-day, so every column fits."""
    r = s.row
    status = r.status.replace("_", " ") + (", no answers" if s.junk else "")
    overall = "-" if s.overall is None else f"{s.overall:.0f}"
    date = r.started[:16].replace("T", " ") if wide else r.started[5:10]
    return (r.id, date, literal(r.case_id), kind(s), overall, s.level or "-", status,
            f"{r.minutes:g}", literal(r.backend + (f" {r.model}" if r.model else "")))


class HistoryScreen(MlsdScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Report of a finished session, or resume an unfinished one"),
        Binding("u", "resume", "Resume"),
        Binding("v", "replay", "Replay"),
        Binding("o", "report", "Report"),
        Binding("c", "compare", "Compare",
                tooltip="Mark this session, then press c on another to compare the two attempts"),
        Binding("s", "sort", "Sort", tooltip="Sort by the next column (click a header to sort by it)"),
        Binding("d,delete", "delete", "Delete"),
        Binding("escape,q", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[SessionSummary] = []
        self.sort_by, self.reverse = "id", True
        self.marked: SessionSummary | None = None  # the first of two sessions to compare

    def compose(self) -> ComposeResult:
        yield HeadLine(("History: all sessions", 9), id="history-head")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, title in COLUMNS:
            table.add_column(title, key=key)
        table.focus()

    def on_resize(self) -> None:
        if self.items:
            self._fill()

    def on_screen_resume(self) -> None:
        self.reload()  # on first show too, and after a session, a delete or a report

    def reload(self) -> None:
        in_thread(self, self.service, summaries, self.show, name="history")

    def show(self, items: list[SessionSummary]) -> None:
        self.items = items
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        keep = self._selected()
        table.clear()
        wide = self.app.size.width >= WIDE
        for s in sorted(self.items, key=lambda s: sort_value(s, self.sort_by), reverse=self.reverse):
            table.add_row(*cells(s, wide), key=str(s.row.id))
        self._head()
        if keep is not None:
            with suppress(RowDoesNotExist):  # it was deleted
                table.move_cursor(row=table.get_row_index(str(keep.row.id)))

    def _head(self) -> None:
        arrow = "▼" if self.reverse else "▲"
        title = dict(COLUMNS)[self.sort_by]
        marked = f"comparing session {self.marked.row.id}: c on another" if self.marked else ""
        self.query_one(HeadLine).show((f"History: {len(self.items)} session{'s' if len(self.items) != 1 else ''}", 9),
                                      (f"sorted by {title} {arrow}", 5), (marked, 7))

    def _selected(self) -> SessionSummary | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((s for s in self.items if str(s.row.id) == key), None)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        self.reverse = not self.reverse if column == self.sort_by else column in ("id", "date", "overall")
        self.sort_by = column
        self._fill()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    # ------------------------------------------------------------------ actions
    def action_sort(self) -> None:
        keys = [k for k, _ in COLUMNS]
        self.sort_by = keys[(keys.index(self.sort_by) + 1) % len(keys)]
        self.reverse = self.sort_by in ("id", "date", "overall")
        self._fill()

    def action_open(self) -> None:
        s = self._selected()
        if s is not None:
            (self.action_resume if s.resumable else self.action_report)()

    def action_resume(self) -> None:
        s = self._selected()
        if s is None:
            return
        if not s.resumable:
            self.notify(f"Session {s.row.id} is {s.row.status.replace('_', ' ')}; only unfinished ones resume.",
                        timeout=4)
            return
        self.mlsd.resume_practice(s.row.id)

    def action_replay(self) -> None:
        s = self._selected()
        if s is not None:
            self.mlsd.open_replay(s.row.id)

    def action_report(self) -> None:
        s = self._selected()
        if s is not None:
            self.mlsd.open_report(s.row.id)

    def action_compare(self) -> None:
        s = self._selected()
        if s is None:
            return
        first = self.marked
        if first is None or first.row.id == s.row.id:
            self.marked = None if first is not None else s
            self._head()
            if self.marked is not None:
                self.notify(f"Session {s.row.id} marked. Press c on the attempt to compare it with.", timeout=4)
            return
        self.marked = None
        self._head()
        older, newer = sorted((first, s), key=lambda x: (x.row.started, x.row.id))
        self.mlsd.open_compare(older.row.id, newer.row.id)

    def action_delete(self) -> None:
        s = self._selected()
        if s is None:
            return

        def decided(yes: bool | None) -> None:
            if yes:
                def delete(store: Store) -> None:
                    store.delete_session(s.row.id)

                in_thread(self, self.service, delete, lambda _: self._deleted(s.row.id), name="delete")

        self.app.push_screen(ConfirmScreen(f"Delete session {s.row.id} ({s.row.case_id}, {s.row.started[:10]}) "
                                           "with its transcript and scores?", yes="Delete", no="Keep"), decided)

    def _deleted(self, session_id: int) -> None:
        self.notify(f"Deleted session {session_id}.", timeout=3)
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
