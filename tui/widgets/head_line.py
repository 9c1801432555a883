"""A screen's heading: its facts in one line, fitted to the terminal's width whenever it
changes, the least important dropped first (see `fit`)."""
from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from mlsd.tui.widgets.fmt import fit


class HeadLine(Widget):
    parts: reactive[tuple[tuple[str, int], ...]] = reactive(tuple)

    def __init__(self, *parts: tuple[str, int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.set_reactive(HeadLine.parts, tuple(parts))

    def show(self, *parts: tuple[str, int]) -> None:
        self.parts = tuple(parts)

    def render(self) -> Text:
        # Case titles, case ids, model names and hosts: shown as they are, never read as markup.
        return Text(fit(self.parts, self.content_size.width))
