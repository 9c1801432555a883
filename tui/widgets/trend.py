"""Per-category progress over the latest full interviews: for each category its name, latest
score and change since the interview before, and under it a bar per interview. With room to
spare, a blank line between categories."""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from mlsd.sessions.progress import Progress

BLOCKS = "▁▂▃▄▅▆▇█"


def spark(values: list[float], width: int) -> str:
    """One block per session, each as wide as the room allows (up to 3 columns)."""
    if not values:
        return ""
    cell = max(1, min(3, width // len(values)))
    shown = values[-(width // cell):]
    return "".join(BLOCKS[min(len(BLOCKS) - 1, int(v / 100 * len(BLOCKS)))] * cell for v in shown)


class Trend(Widget):
    DEFAULT_CSS = """
    Trend > .trend--muted { color: $text-muted; }
    Trend > .trend--name { text-style: bold; }
    Trend > .trend--line { color: $accent; }
    Trend > .trend--up { color: $success; }
    Trend > .trend--down { color: $error; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"trend--muted", "trend--name", "trend--line", "trend--up", "trend--down"}
    progress: reactive[Progress | None] = reactive(None)

    def render(self) -> Text:
        muted = self.get_component_rich_style("trend--muted")
        p = self.progress
        if p is None:
            return Text("loading…", style=muted)
        if not p.sessions:
            return Text("No scored interviews yet: your progress per category shows here. Drills and sessions "
                        "without an answer do not count.", style=muted)
        width = max(12, self.size.width)
        spaced = self.size.height >= len(p.trends) * 3
        out = Text(no_wrap=True, overflow="crop")
        for n, t in enumerate(p.trends):
            if n:
                out.append("\n\n" if spaced else "\n")
            last = "" if t.last is None else f"{t.last:>3.0f}"
            arrow = "" if t.change is None else "▲" if t.change > 0 else "▼" if t.change < 0 else "="
            change = "" if t.change is None else f" {arrow}{abs(t.change):.0f}"
            out.append(t.name[: width - len(last) - len(change) - 1].ljust(width - len(last) - len(change)),
                       style=self.get_component_rich_style("trend--name"))
            out.append(last)
            if t.change is not None:
                out.append(change, style=self.get_component_rich_style(
                    "trend--up" if t.change > 0 else "trend--down" if t.change < 0 else "trend--muted"))
            out.append("\n")
            out.append(spark(t.values, width) or "no score yet", style=self.get_component_rich_style("trend--line"))
        return out
