"""The timeline strip: minute marks, the plan's phases above, the topics actually talked about
below, one letter per phase, as wide as the widget."""
from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.widget import Widget

from mlsd.rubric.timing import LETTERS, SILENT, Timing, legend, strip

LABEL = "{:<9}"


class Timeline(Widget):
    DEFAULT_CSS = """
    Timeline { height: auto; }
    Timeline > .timeline--label { color: $text-muted; }
    Timeline > .timeline--clarify { color: $primary; }
    Timeline > .timeline--framing { color: $secondary; }
    Timeline > .timeline--data_features { color: $accent; }
    Timeline > .timeline--model_serving { color: $warning; }
    Timeline > .timeline--scale_monitoring { color: $success; }
    Timeline > .timeline--tradeoffs { color: $error; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"timeline--label"} | {f"timeline--{pid}" for pid in LETTERS}

    def __init__(self, timing: Timing, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timing = timing

    def render(self) -> Text:
        width = max(10, self.size.width - len(LABEL.format("")))
        rows = strip(self.timing, width)
        styles = {letter: self.get_component_rich_style(f"timeline--{pid}") for pid, letter in LETTERS.items()}
        label = self.get_component_rich_style("timeline--label")
        out = Text()  # the rows fit the width exactly; the legend wraps under them
        out.append(LABEL.format("minute"), style=label)
        out.append(rows.axis + "\n", style=label)
        for name, row in (("planned", rows.planned), ("covered", rows.covered)):
            out.append(LABEL.format(name), style=label)
            for ch in row:
                out.append(ch, style=styles.get(ch, label if ch == SILENT else ""))
            out.append("\n")
        out.append(legend(self.timing), style=label)
        return out
