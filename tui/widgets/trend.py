"""Per-category progress over the latest scored sessions: one sparkline per category."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Sparkline, Static

from mlsd.rubric.model import Rubric


class Trend(Vertical):
    def __init__(self, trend: dict[str, list[float]], rubric: Rubric, **kwargs) -> None:
        super().__init__(**kwargs)
        self.trend, self.rubric = trend, rubric

    def compose(self) -> ComposeResult:
        runs = max((len(v) for v in self.trend.values()), default=0)
        if runs == 0:
            yield Static("No scored sessions yet: your progress per category shows here.", classes="trend-empty")
            return
        yield Label(f"Progress over the last {runs} scored session{'s' if runs > 1 else ''}", classes="trend-title")
        for cat in self.rubric.categories:
            values = self.trend.get(cat.id, [])
            with Horizontal(classes="trend-row"):
                yield Label(cat.name, classes="trend-name")
                # One point would draw as nothing: repeat it so a first score still shows.
                yield Sparkline(values if len(values) > 1 else values * 2, classes="trend-line")
                yield Label(f"{values[-1]:>3.0f}" if values else "  -", classes="trend-last")
