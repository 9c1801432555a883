"""One line of status under the chat. Repaints only: a spinner ticking in it must not make
Textual lay the whole screen out again, as updating a Static does."""
from __future__ import annotations

from textual.reactive import reactive
from textual.widget import Widget


class StatusLine(Widget):
    text: reactive[str] = reactive("")

    def render(self) -> str:
        return self.text
