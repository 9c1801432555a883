"""The report: the headline score (the LLM judge's when there is one, the offline checklist
beside it) and level estimate, the six weighted categories, each criterion with its quote and
how it came up, the debrief (what a strong answer says where the candidate fell short), the
common mistakes made, time use, what the score can and cannot read, and exports to Markdown,
HTML and JSON."""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import (
    DataTable,
    Digits,
    Footer,
    Label,
    Static,
    TabbedContent,
    TabPane,
)

from mlsd.rubric.consensus import disagreements
from mlsd.rubric.mistakes import standing
from mlsd.rubric.model import Rubric
from mlsd.rubric.report import MARK, ReportInput, about, render_report, scorer_name, short_name, signed
from mlsd.rubric.timing import Timing
from mlsd.sessions.reporting import SessionReport
from mlsd.tui.db import in_thread
from mlsd.tui.screens.base import MlsdScreen
from mlsd.tui.widgets.debrief_view import debrief_view
from mlsd.tui.widgets.fmt import clip, literal, stamp
from mlsd.tui.widgets.head_line import HeadLine
from mlsd.tui.widgets.score_bars import ScoreBars
from mlsd.tui.widgets.timeline import Timeline

HOW = {True: "after probe", False: "unprompted"}
SHORT_ROWS = 30
EXPORTS = {"md": "Markdown", "html": "HTML", "json": "JSON"}


class ReportScreen(MlsdScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "jump", "Go to turn", show=False,
                tooltip="Replay the session at the turn of the selected criterion"),
        Binding("t", "switch_tab", "Next tab",
                tooltip="Criteria, debrief, common mistakes, time use, about this score"),
        Binding("r", "replay", "Replay"),
        Binding("m", "export('md')", "Markdown"),
        Binding("h", "export('html')", "HTML"),
        Binding("j", "export('json')", "JSON"),
        Binding("escape,q", "back", "Back"),
    ]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
        self.result: SessionReport | None = None
        self.judge_asked = False  # once per screen: a judge that failed is not asked again here

    @property
    def rubric(self) -> Rubric:
        return self.service.rubric

    def compose(self) -> ComposeResult:
        yield HeadLine((f"Session {self.session_id}: scoring…", 9), id="report-head")
        with Horizontal(id="score-top"):
            with Vertical(id="overall-box"):
                yield Digits("--", id="overall")
                yield Label("overall / 100", id="overall-label")
                yield Label("", id="level")
                yield Label("", id="other-scorers")
            yield Static("", id="bars-slot")
        with TabbedContent(id="tabs"):
            with TabPane("Criteria", id="tab-criteria"):
                table: DataTable[str | Text] = DataTable(id="criteria", cursor_type="row", zebra_stripes=True)
                table.border_subtitle = "Enter: go to the turn"
                self._columns(table)
                yield table
                yield Static("", id="detail")
            with TabPane("Debrief", id="tab-debrief"), VerticalScroll(id="debrief-scroll"):
                yield Static("", id="debrief")
            with TabPane("Common mistakes", id="tab-mistakes"):
                yield Static("", id="mistakes")
            with TabPane("Time use", id="tab-time"), VerticalScroll(id="time-use"):
                yield Static("", id="timeline-slot")
                yield Static("", id="time-table")
            with TabPane("About this score", id="tab-about"):
                yield Static("", id="about")
        yield Footer()

    def _columns(self, table: DataTable) -> None:
        table.add_column("", key="mark", width=1)
        name_width, quote_width = self._widths()
        table.add_column("Criterion", key="name", width=name_width)
        table.add_column("How", key="how", width=11)
        table.add_column("Turn", key="turn", width=8)
        # The quote gets what is left of the width; the detail line below shows it whole.
        table.add_column("Quote", key="quote", width=quote_width)

    def on_mount(self) -> None:
        # The checklist (or a judge's stored report) shows at once; a judge asked now takes
        # its time, and replaces the headline when it answers.
        self._load(ask_judge=False)

    def _load(self, ask_judge: bool) -> None:
        service = self.service
        in_thread(self, service, lambda store: service.report(store, self.session_id, ask_judge=ask_judge),
                  self.show, name="judge" if ask_judge else "report")

    def show(self, result: SessionReport) -> None:
        if not self.query(DataTable):  # its tab pane mounts a moment after the screen
            self.call_after_refresh(self.show, result)
            return
        try:
            self._show(result)
        except NoMatches:
            return  # the app quit while the report was loading: its widgets are going away
        judge = self.service.judge()
        if judge is not None and result.data.report.scorer != "llm" and not self.judge_asked:
            self.judge_asked = True
            n = judge.settings.samples
            head = self.query_one(HeadLine)
            head.show(*head.parts, (f"asking the LLM judge ({judge.endpoint.label}, "
                                    f"{n} sample{'s' if n != 1 else ''})…", 6))
            self._load(ask_judge=True)

    def _show(self, result: SessionReport) -> None:
        first = self.result is None
        self.result = result
        d, row = result.data, result.row
        report = d.report
        self.query_one(HeadLine).show((d.title, 9), (f"{d.meta['drill']} drill" if "drill" in d.meta else "", 8),
                                      (f"session {row.id}", 8), (row.started[:16].replace("T", " "), 2),
                                      (f"{row.minutes:g} min", 5), (d.meta["interviewer"], 4),
                                      (row.status.replace("_", " "), 7))
        self.query_one("#overall", Digits).update(f"{report.overall:.0f}")
        samples = f" ×{report.samples}" if report.samples and report.samples > 1 else ""
        self.query_one("#overall-label", Label).update(
            f"/100 · {'LLM judge' + samples if report.scorer == 'llm' else 'checklist'}")
        self.query_one("#level", Label).update(f"level: {report.level.estimate}" if report.level else "")
        reasons = "\n".join(f"• {r}" for r in report.level.reasons) if report.level else ""
        self.query_one("#about", Static).update(Text(
            (f"Level estimate: {report.level.estimate}\n{reasons}\n\n" if report.level else "")
            + about(report, self.rubric)))
        # The other scorer in 20 columns: "checklist 30, junior".
        others = [f"{short_name(o)} {o.overall:.0f}" + (f", {o.level.estimate}" if o.level else "")
                  for o in d.others or []]
        if d.agreement is not None:
            others.append(f"agree on {d.agreement.same} of {d.agreement.of}")
        elif d.judge_note:
            others.append("judge unavailable")
        self.query_one("#other-scorers", Label).update("\n".join(others))
        if first:
            self.query_one("#bars-slot", Static).remove()
            self.query_one("#score-top").mount(ScoreBars(report, self.rubric, id="bars"))
        else:
            self.query_one(ScoreBars).show(report)
        names = {c.id: c.name for c in self.rubric.criteria}
        name_width, quote_width = self._widths()
        turns = dict(d.transcript.numbered())
        theme = self.app.current_theme
        styles = {"met": f"bold {theme.success}", "partial": f"bold {theme.warning}", "missed": f"bold {theme.error}",
                  "n/a": "dim"}
        table = self.query_one(DataTable)
        table.clear()
        for cat in report.categories.values():
            for c in cat.criteria:
                where = "diagram" if c.quote and c.turn is None else (
                    f"{c.turn} {stamp(turns[c.turn].elapsed)}" if c.turn in turns else "")
                how = HOW[c.prompted] if c.status in ("met", "partial") else ""
                table.add_row(Text(MARK[c.status], style=styles[c.status]), clip(names.get(c.id, c.id), name_width),
                              how, where, literal(clip((c.quote or "").replace("\n", " "), quote_width)), key=c.id)
        self._detail()
        if first:
            table.focus()
        lines = [f"• [b]{m.title}[/b]" + (f" ({how})" if (how := standing(m, report)) else "") + f": {m.why}"
                 for m in result.mistakes]
        none = "None of the common mistakes: well done."
        self.query_one("#mistakes", Static).update("\n".join(lines) if lines else none)
        self.query_one(TabbedContent).get_tab("tab-mistakes").label = f"Common mistakes ({len(lines)})"
        self._debrief(d, styles)
        if first:
            self._time_use(result.timing)  # the same whoever scored

    def _debrief(self, d: ReportInput, styles: dict[str, str]) -> None:
        """Which scorer said what above it: the debrief follows the headline scorer."""
        report = d.report
        head = [f"Scored by the {scorer_name(report)}"
                + "".join(f"; beside it the {scorer_name(o)}: {o.overall:.0f}/100" for o in d.others or []) + "."]
        if d.agreement is not None:
            head.append(d.agreement.summary[0].upper() + d.agreement.summary[1:] + ".")
        cats = {c.id: c.name for c in self.rubric.categories}
        for cid in disagreements(report):
            head.append(f"The judge disagreed with itself on {cats[cid]}: its samples ranged "
                        f"{report.categories[cid].spread:.0f} points.")
        if d.judge_note:
            head.append(d.judge_note[0].upper() + d.judge_note[1:] + ".")
        if d.debrief is not None:
            self.query_one("#debrief", Static).update(debrief_view(d.debrief, {**styles, "dim": "dim"}, head))

    def _time_use(self, timing: Timing) -> None:
        """The timeline strip, then each phase's planned and spent minutes and the pace."""
        self.query_one("#timeline-slot", Static).remove()
        self.query_one("#time-use").mount(Timeline(timing, id="timeline"), before=0)
        names = {c.id: c.name for c in self.rubric.criteria}
        rows = [f"[b]{'Phase':<20}{'planned':>9}{'spent':>9}{'':>9}[/b]"]
        for p in timing.phases:
            rows.append(f"{p.title:<20}{stamp(p.planned_s):>9}{stamp(p.actual_s):>9}"
                        f"{signed(p.actual_s - p.planned_s):>9}")
        if timing.off_plan_s:
            rows.append(f"{'Outside the plan':<20}{'':>9}{stamp(timing.off_plan_s):>9}")
        q = timing.first_question_s
        wpm = "-" if timing.words_per_minute is None else f"{timing.words_per_minute:.0f}"
        share = "-" if timing.talk_share is None else f"{timing.talk_share:.0%}"
        rows += ["", f"First question {'none asked' if q is None else stamp(q)} · {wpm} words a minute · "
                     f"your share of the words {share}"]
        for m in timing.must_have:
            when = "never" if m.at_s is None else stamp(m.at_s) + (" (after a probe)" if m.after_probe else "")
            rows.append(f"{names.get(m.id, m.id)}: first came up {when}")
        self.query_one("#time-table", Static).update("\n".join(rows))

    def _widths(self) -> tuple[int, int]:
        """Criterion and quote columns share what the terminal's width leaves: the border,
        scrollbar, cell padding and the fixed columns take 34."""
        left = max(40, self.app.size.width - 34)
        name = min(40, max(22, round(left * 0.55)))
        return name, left - name

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def _detail(self) -> None:
        """The highlighted criterion in full: its category, how it came up, the whole quote."""
        if self.result is None:
            return
        report = self.result.data.report
        cid = self._selected()
        c = report.criterion(cid or "")
        if c is None:
            return
        criterion = self.rubric.criterion(c.id)
        category = next(cat.name for cat in self.rubric.categories if cat.id == criterion.category)
        how = f", {HOW[c.prompted]}" if c.status in ("met", "partial") else ""
        status = {"met": "met", "partial": "partly met", "missed": "missed", "n/a": "not applicable"}[c.status]
        go = f" · Enter: turn {c.turn}" if c.turn is not None else ""
        quote = f"\n“{c.quote}”" if c.quote else ""
        detail = self.query_one("#detail", Static)
        if self.has_class("-short"):
            # A line each, so the table keeps its rows; the status first, the name is in the table.
            width = detail.content_size.width or self.app.size.width - 2
            lines = f"{status}{how}{go} · {criterion.name} ({category}){quote}".split("\n")
            detail.update(Text("\n".join(clip(line, width) for line in lines)))
        else:  # the table's border says Enter goes to the turn
            detail.update(Text(f"{criterion.name} ({category}): {status}{how}{quote}"))

    def on_resize(self) -> None:
        # Under 30 rows the criteria table drops its border and the detail keeps to two lines,
        # so 80x24 shows 11 criteria instead of 7.
        self.set_class(self.size.height < SHORT_ROWS, "-short")
        self._detail()

    # ------------------------------------------------------------------ actions
    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_jump(self) -> None:
        if self.result is None:
            return
        c = self.result.data.report.criterion(self._selected() or "")
        if c is None or c.turn is None:
            self.notify("This criterion has no turn to go to.", timeout=3)
            return
        self.mlsd.open_replay(self.session_id, turn=c.turn)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_jump()

    def action_switch_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        order = ["tab-criteria", "tab-debrief", "tab-mistakes", "tab-time", "tab-about"]
        tabs.active = order[(order.index(tabs.active) + 1) % len(order)] if tabs.active in order else order[0]
        if tabs.active == "tab-criteria":
            self.query_one(DataTable).focus()
        elif tabs.active == "tab-debrief":
            self.query_one("#debrief-scroll").focus()

    def action_replay(self) -> None:
        self.mlsd.open_replay(self.session_id)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self, fmt: str) -> None:
        if self.result is None:
            return
        result = self.result
        path = Path(self.service.settings.export_dir) / f"mlsd-session-{self.session_id}.{fmt}"

        def write() -> None:
            try:
                text = render_report(result.data, fmt, self.rubric, result.plan)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            except OSError as exc:
                self.app.call_from_thread(self.notify, f"{path}: cannot write: {exc.strerror or exc}",
                                          severity="error", timeout=10)
                return
            self.app.call_from_thread(self.notify, f"{EXPORTS[fmt]} report written to {path}", timeout=6)

        self.run_worker(write, thread=True, name=f"export-{fmt}", group="export")

