"""The interview as a chat: each turn under its speaker and time, the interviewer's as Markdown,
the candidate's exactly as typed; the interviewer's reply grows chunk by chunk while it streams."""
from __future__ import annotations

from typing import Any

from rich.markdown import Markdown as RichMarkdown
from rich.text import Text
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from mlsd.tui.widgets.fmt import stamp

SPEAKER = {"interviewer": "Interviewer", "candidate": "You"}


def body(speaker: str, text: str) -> RichMarkdown | Text:
    """The interviewer's words as Markdown; the candidate's verbatim (`<HNSW>`, `# Plan` and
    `[b]` are what they typed, not markup), line breaks and all."""
    return Text(text) if speaker == "candidate" else RichMarkdown(text)


class ChatMessage(Vertical):
    def __init__(self, speaker: str, elapsed: float, text: str = "") -> None:
        super().__init__(classes=f"message -{speaker}")
        self.speaker, self.elapsed, self.text = speaker, elapsed, text

    def compose(self):
        yield Label(f"{SPEAKER[self.speaker]} · {stamp(self.elapsed)}", classes="message-head")
        # One widget per message (Rich renders the Markdown), not a widget per paragraph:
        # a long chat stays cheap to lay out and restyle.
        yield Static(self._body(), classes="message-body")

    def _body(self) -> RichMarkdown | Text:
        return body(self.speaker, self.text)

    async def append(self, chunk: str) -> None:
        self.text += chunk
        self.query_one(".message-body", Static).update(self._body())

    async def replace(self, text: str) -> None:
        self.text = text
        self.query_one(".message-body", Static).update(self._body())


class ChatLog(VerticalScroll):
    """Follows the newest turn unless the reader has scrolled up to read an older one
    (Textual's anchor: released by scrolling up, restored by scrolling back to the end)."""

    can_focus = True

    def __init__(self, *, live: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.live = live  # a replay places its view itself, turn by turn

    def on_mount(self) -> None:
        if self.live:
            self.anchor()

    async def add_case(self, title: str, summary: str) -> None:
        await self.mount(Static(Text(title, style="bold"), classes="case-title"))
        await self.mount(Static(Text(summary), classes="case-prompt"))

    async def add_message(self, speaker: str, elapsed: float, text: str = "") -> ChatMessage:
        message = ChatMessage(speaker, elapsed, text)
        await self.mount(message)
        return message

    def post(self, speaker: str, elapsed: float, text: str) -> ChatMessage:
        """Show a message at once, without waiting for it to mount."""
        message = ChatMessage(speaker, elapsed, text)
        self.mount(message)
        return message

    async def add_divider(self, text: str) -> None:
        await self.mount(Static(f"── {text} ──", classes="divider"))
