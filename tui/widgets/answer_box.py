"""The text areas the candidate writes in. Both start a new line with Shift+Enter or Ctrl+J
(the footer's new-line key) and wrap long lines; in the answer box Enter sends, in the diagram
pane Enter is a new line too. Pasted text, newlines and all, lands in the box and is not sent."""
from __future__ import annotations

from typing import Any

from textual import events
from textual.message import Message
from textual.widgets import TextArea

NEWLINE_KEYS = ("shift+enter", "ctrl+j")


class WritingArea(TextArea):
    """A wrapping text area where the new-line keys start a new line."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("soft_wrap", True)
        super().__init__(show_line_numbers=False, **kwargs)

    async def _on_key(self, event: events.Key) -> None:
        if event.key in NEWLINE_KEYS and not self.read_only:
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        await super()._on_key(event)

    def load_at_end(self, text: str) -> None:
        """Text restored (a resumed draft or diagram), with the cursor where typing goes on."""
        self.load_text(text)
        self.move_cursor(self.document.end)


class DiagramArea(WritingArea):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(tab_behavior="indent", **kwargs)


class AnswerBox(WritingArea):
    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(tab_behavior="focus", **kwargs)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.action_submit()
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
        self.load_at_end(text + ("\n" + rest if rest.strip() else ""))
