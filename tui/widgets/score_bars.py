"""The six weighted categories as horizontal bars, one line each; a category where a sampled
judge disagreed with itself is marked "split"."""
from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.widget import Widget

from mlsd.rubric.consensus import disagreements
from mlsd.rubric.model import Rubric
from mlsd.rubric.score import ScoreReport


class ScoreBars(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"score-bars--filled", "score-bars--empty", "score-bars--name",
                                             "score-bars--split"}

    def __init__(self, report: ScoreReport, rubric: Rubric, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report, self.rubric = report, rubric

    def show(self, report: ScoreReport) -> None:
        """Another scorer's report in the same place: the judge's when it answers."""
        self.report = report
        self.refresh()

    def render(self) -> Text:
        names = {c.id: c.name for c in self.rubric.categories}
        split = disagreements(self.report)
        width = max(10, min(30, self.size.width - 30 - (6 if split else 0)))
        out = Text(no_wrap=True, overflow="crop")
        for n, (cid, cat) in enumerate(self.report.categories.items()):
            filled = round(cat.score / 100 * width)
            if n:
                out.append("\n")
            out.append(f"{names.get(cid, cid):<19}", style=self.get_component_rich_style("score-bars--name"))
            out.append(f"{cat.weight:>3}%  ")
            out.append("█" * filled, style=self.get_component_rich_style("score-bars--filled"))
            out.append("░" * (width - filled), style=self.get_component_rich_style("score-bars--empty"))
            out.append(f" {cat.score:>3.0f}")
            if cid in split:
                out.append(" split", style=self.get_component_rich_style("score-bars--split"))
        return out
