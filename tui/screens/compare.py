"""Two attempts side by side: the scores per category and the level, the time per phase, and
the criteria met for the first time, lost, better or worse."""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Label, Static

from mlsd.core.plan import SHORT
from mlsd.rubric.compare import Change, Comparison
from mlsd.rubric.model import Rubric
from mlsd.rubric.report import MARK
from mlsd.tui.compare_text import GROUPS, side_label
from mlsd.tui.db import in_thread
from mlsd.tui.screens.base import MlsdScreen
from mlsd.tui.widgets.fmt import stamp


class CompareScreen(MlsdScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "report('a')", "Report A"),
        Binding("b", "report('b')", "Report B"),
        Binding("escape,q", "back", "Back"),
    ]

    def __init__(self, a: int, b: int) -> None:
        super().__init__()
        self.a, self.b = a, b
        self.result: Comparison | None = None

    @property
    def rubric(self) -> Rubric:
        return self.service.rubric

    def compose(self) -> ComposeResult:
        yield Label(f"Comparing session {self.a} with session {self.b}…", id="compare-head", markup=False)
        with Horizontal(id="compare-top"):
            scores: DataTable[str | Text] = DataTable(id="compare-scores", cursor_type="none", zebra_stripes=True)
            scores.border_title = "Scores"
            yield scores
            times: DataTable[str | Text] = DataTable(id="compare-time", cursor_type="none", zebra_stripes=True)
            times.border_title = "Time use"
            yield times
        with VerticalScroll(id="compare-criteria-box") as box:
            box.border_title = "Criteria"
            yield Static("", id="compare-criteria")
        yield Footer()

    def on_mount(self) -> None:
        service = self.service
        in_thread(self, service, lambda store: service.compare(store, self.a, self.b), self.show, name="compare")

    def _delta(self, change: Change, text: str | None = None) -> Text:
        if change.a is None or change.b is None:
            return Text("")
        step = round(change.b) - round(change.a)
        theme = self.app.current_theme
        style = theme.success if step > 0 else theme.error if step < 0 else ""
        return Text(text if text is not None else f"{step:+d}", style=style or "dim")

    def show(self, c: Comparison) -> None:
        self.result = c
        self.query_one("#compare-head", Label).update(
            f"A: {side_label(c.a, self.rubric)}\nB: {side_label(c.b, self.rubric)}")
        scores = self.query_one("#compare-scores", DataTable)
        scores.clear(columns=True)
        for key, title in (("name", ""), ("a", "A"), ("b", "B"), ("delta", "±")):
            scores.add_column(title, key=key)

        def num(x: float | None) -> str:
            return "-" if x is None else f"{x:.0f}"

        scores.add_row(Text("Overall", style="bold"), num(c.overall.a), num(c.overall.b), self._delta(c.overall))
        scores.add_row("Level", c.level.a or "-", c.level.b or "-", c.level.change or "")
        for cat in self.rubric.categories:
            if cat.id in c.categories:
                ch = c.categories[cat.id]
                scores.add_row(cat.name, num(ch.a), num(ch.b), self._delta(ch))

        times = self.query_one("#compare-time", DataTable)
        times.clear(columns=True)
        for key, title in (("name", "Phase (plan)"), ("a", "A"), ("b", "B"), ("delta", "±")):
            times.add_column(title, key=key)

        def clock(x: float | None) -> str:
            return "-" if x is None else f"{int(x) // 60}:{int(x) % 60:02d}"

        def moved(x: float | None) -> str:
            return "" if x is None else ("-" if x < 0 else "+") + clock(abs(x))

        for p in c.timing.phases:
            planned = p.a_planned_s if p.a_planned_s is not None else p.b_planned_s or 0
            delta = Text(moved(p.delta_s), style="bold" if p.closer_to_plan else "dim")
            times.add_row(f"{SHORT.get(p.id, p.title)} {planned / 60:.0f}m", clock(p.a_actual_s), clock(p.b_actual_s),
                          delta)
        q = c.timing.first_question_s
        times.add_row("1st question", "never" if q.a is None else clock(q.a), "never" if q.b is None else clock(q.b),
                      Text(moved(q.delta), style="dim"))
        w = c.timing.words_per_minute
        times.add_row("Words/min", num(w.a), num(w.b), self._delta(w))
        share = c.timing.talk_share
        times.add_row("Your share", "-" if share.a is None else f"{share.a:.0%}",
                      "-" if share.b is None else f"{share.b:.0%}", Text(""))

        names = {x.id: x.name for x in self.rubric.criteria}
        lines: list[str] = []
        if not c.same_case:
            lines.append(f"[dim]Different cases ({c.a.case}, {c.b.case}): "
                         "the rubric is the same, the facts are not.[/dim]")
        for key, title in GROUPS:
            items = [(cid, x) for cid, x in c.criteria.items() if x.change == key]
            if items:
                lines.append(f"[b]{title} ({len(items)})[/b]")
                for cid, x in items:
                    a = (MARK[x.a] if x.a else "-") + ("*" if x.a_prompted else " ")
                    b = (MARK[x.b] if x.b else "-") + ("*" if x.b_prompted else " ")
                    lines.append(f"  {a}→ {b} {names.get(cid, cid)}")
        same = sum(1 for x in c.criteria.values() if x.change == "same")
        lines.append(f"[dim]Unchanged: {same} · * after a probe · B's time nearer the plan is in bold[/dim]")
        for m in c.timing.must_have:
            a = "never" if m.a_s is None else stamp(m.a_s) + ("*" if m.a_after_probe else "")
            b = "never" if m.b_s is None else stamp(m.b_s) + ("*" if m.b_after_probe else "")
            lines.append(f"[dim]{names.get(m.id, m.id)}: first came up {a} → {b}[/dim]")
        self.query_one("#compare-criteria", Static).update("\n".join(lines))
        self.query_one("#compare-criteria-box").focus()  # the arrows scroll the criteria

    def action_report(self, which: str) -> None:
        self.mlsd.open_report(self.a if which == "a" else self.b)

    def action_back(self) -> None:
        self.app.pop_screen()
