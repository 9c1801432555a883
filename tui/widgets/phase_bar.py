"""The six phases as one bar: each segment as wide as its share of the session, the current
one highlighted, past ones dimmed, and under it the current phase's time window."""
from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from mlsd.core.plan import Plan
from mlsd.tui.widgets.fmt import stamp


class PhaseBar(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"phase-bar--past", "phase-bar--current", "phase-bar--current-done",
                                             "phase-bar--future", "phase-bar--window"}
    elapsed: reactive[float] = reactive(0.0)

    def __init__(self, plan: Plan, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan = plan

    def widths(self, total_width: int) -> list[int]:
        """Each phase's share of `total_width`, but never narrower than its name (when the width
        allows): the widest segments with room to spare give up a column each."""
        phases = self.plan.phases
        need = [len(p.short) + 2 for p in phases]
        widths = [max(3, round(total_width * p.length / self.plan.total)) for p in phases]
        widths[-1] += total_width - sum(widths)  # rounding goes to the last segment
        for i, n in enumerate(need):
            while widths[i] < n:
                spare = max(range(len(widths)), key=lambda j: widths[j] - need[j])
                if widths[spare] <= need[spare]:
                    break  # too narrow for every name: they are cut instead
                widths[spare] -= 1
                widths[i] += 1
        return widths

    def render(self) -> Text:
        width = max(len(self.plan.phases) * 3, self.size.width)
        current = self.plan.phase_at(self.elapsed)
        bar = Text(no_wrap=True, overflow="crop")
        for phase, w in zip(self.plan.phases, self.widths(width), strict=True):
            label = phase.short if len(phase.short) <= w - 2 else phase.short[: max(1, w - 2)]
            cell = f" {label}".ljust(w)[:w]
            if phase.index < current.index:
                bar.append(cell, style=self.get_component_rich_style("phase-bar--past"))
            elif phase.index == current.index:
                filled = round(w * self.plan.progress_in_phase(self.elapsed))
                now = self.get_component_rich_style("phase-bar--current")
                done = self.get_component_rich_style("phase-bar--current-done")
                bar.append(cell[:filled], style=done)
                bar.append(cell[filled:], style=now)
            else:
                bar.append(cell, style=self.get_component_rich_style("phase-bar--future"))
        window = (f"{current.title} {stamp(current.start)}–{stamp(current.end)} · "
                  f"{stamp(current.end - self.elapsed)} left in phase")
        return bar + Text("\n") + Text(window, style=self.get_component_rich_style("phase-bar--window"), no_wrap=True)
