"""The answer input: a multi-line TextArea where Enter sends and Shift+Enter or Ctrl+J
starts a new line. Pasted text, newlines and all, lands in the box and is not sent."""
from __future__ import annotations

from typing import Any

from textual import events
from textual.message import Message
from textual.widgets import TextArea

NEWLINE_KEYS = ("shift+enter", "ctrl+j")


class AnswerBox(TextArea):
    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.action_submit()
            return
        if event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        await super()._on_key(event)

    def action_submit(self) -> None:
        if self.text.strip():
            # Taken out now, not when the screen reads the message: keys typed right
            # after Enter belong to the next answer.
            text = self.text.strip("\n")
            self.clear()
            self.post_message(self.Submitted(text))

    def give_back(self, text: str) -> None:
        """An answer that could not be sent returns to the box, ahead of anything typed since."""
        rest = self.text
        self.load_text(text + ("\n" + rest if rest.strip() else ""))
        self.move_cursor(self.document.end)
