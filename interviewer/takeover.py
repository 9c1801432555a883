"""An interviewer with another behind it: when the first fails (an LLM endpoint down after
its own retries), the backup answers the same turn and the turns after it; the first is
tried again once `retry_after` seconds have passed."""
from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable

from mlsd.interviewer.context import Interviewer, TurnContext
from mlsd.llm.errors import EndpointError


class TakeoverInterviewer:
    def __init__(self, primary: Interviewer, backup: Interviewer, retry_after: float = 30.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.primary, self.backup = primary, backup
        self.retry_after, self._now = retry_after, monotonic
        self.down_reason: str | None = None
        self._retry_at = 0.0
        self.notices: list[str] = []  # for the UI: each switch, said once

    @property
    def label(self) -> str:
        if self.down_reason:
            return f"offline, standing in for {self.primary.label}"
        return self.primary.label

    async def aclose(self) -> None:
        await self.primary.aclose()
        await self.backup.aclose()

    async def reply(self, ctx: TurnContext) -> AsyncIterator[str]:
        if self.down_reason and self._now() < self._retry_at:
            async for chunk in self.backup.reply(ctx):
                yield chunk
            return
        said = False
        try:
            async for chunk in self.primary.reply(ctx):
                said = True
                yield chunk
        except EndpointError as exc:
            reason = str(exc)
            if self.down_reason is None:
                self.notices.append(f"{self.primary.label} failed ({reason}); the offline interviewer takes over")
            self.down_reason, self._retry_at = reason, self._now() + self.retry_after
            if said:
                yield "\n\n"  # the cut-off reply goes on in the offline interviewer's words
            async for chunk in self.backup.reply(ctx):
                yield chunk
            return
        if self.down_reason:
            self.notices.append(f"{self.primary.label} answers again and is back as the interviewer")
            self.down_reason = None
