"""The interview as a chat: each turn a Markdown block under its speaker and time; the
interviewer's reply grows chunk by chunk while it streams."""
from __future__ import annotations

import re

from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Markdown, Static
from textual.widgets._markdown import MarkdownStream

from tui.widgets.fmt import stamp

SPEAKER = {"interviewer": "Interviewer", "candidate": "You"}
_SINGLE_NEWLINE = re.compile(r"(?<!\n)\n(?!\n)")


def as_markdown(speaker: str, text: str) -> str:
    """The candidate's line breaks are kept as they typed them; Markdown would join them."""
    return _SINGLE_NEWLINE.sub("  \n", text) if speaker == "candidate" else text


class ChatMessage(Vertical):
    def __init__(self, speaker: str, elapsed: float, text: str = "", phase: str | None = None) -> None:
        super().__init__(classes=f"message -{speaker}")
        self.speaker, self.elapsed, self.text, self.phase = speaker, elapsed, text, phase
        self._stream: MarkdownStream | None = None

    def compose(self):
        yield Label(f"{SPEAKER[self.speaker]} · {stamp(self.elapsed)}", classes="message-head")
        yield Markdown(as_markdown(self.speaker, self.text), classes="message-body")

    async def append(self, chunk: str) -> None:
        """Chunks arriving faster than Markdown renders are batched, not queued one by one."""
        self.text += chunk
        if self._stream is None:
            self._stream = Markdown.get_stream(self.query_one(Markdown))
        await self._stream.write(chunk)

    async def end_stream(self) -> None:
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None

    async def replace(self, text: str) -> None:
        self.text = text
        await self.query_one(Markdown).update(text)


class ChatLog(VerticalScroll):
    """Follows the newest turn unless the reader has scrolled up to read an older one."""

    can_focus = True

    def _following(self) -> bool:
        return self.scroll_y >= self.max_scroll_y - 2

    async def add_case(self, title: str, prompt: str) -> None:
        await self.mount(Static(f"[b]{title}[/b]", classes="case-title", markup=True))
        await self.mount(Markdown(prompt, classes="case-prompt"))

    async def add_message(self, speaker: str, elapsed: float, text: str = "") -> ChatMessage:
        follow = self._following()
        message = ChatMessage(speaker, elapsed, text)
        await self.mount(message)
        if follow:
            self.call_after_refresh(self.scroll_end, animate=False)
        return message

    def post(self, speaker: str, elapsed: float, text: str) -> ChatMessage:
        """Show a message at once, without waiting for it to mount."""
        follow = self._following()
        message = ChatMessage(speaker, elapsed, text)
        self.mount(message)
        if follow:
            self.call_after_refresh(self.scroll_end, animate=False)
        return message

    async def add_divider(self, text: str) -> None:
        follow = self._following()
        await self.mount(Static(f"── {text} ──", classes="divider"))
        if follow:
            self.call_after_refresh(self.scroll_end, animate=False)

    def follow(self) -> None:
        if self._following():
            self.call_after_refresh(self.scroll_end, animate=False)
