"""Session time: seconds since the start, paused time not counted. Injected everywhere so
tests can run a whole 45-minute session in milliseconds."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    def elapsed(self) -> float: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...


class SessionClock:
    """Wall-clock session time; `offset` resumes a session where it stood."""

    def __init__(self, offset: float = 0.0, monotonic: Callable[[], float] = time.monotonic):
        self._monotonic = monotonic
        self._offset = offset
        self._started = monotonic()
        self._paused_at: float | None = None

    def elapsed(self) -> float:
        now = self._paused_at if self._paused_at is not None else self._monotonic()
        return self._offset + now - self._started

    def pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = self._monotonic()

    def resume(self) -> None:
        if self._paused_at is not None:
            self._started += self._monotonic() - self._paused_at
            self._paused_at = None


class FakeClock:
    """Time that moves only when a test says so; pausing is recorded, not enforced."""

    def __init__(self, start: float = 0.0):
        self.now = start
        self.paused = False

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def elapsed(self) -> float:
        return self.now

    def set(self, seconds: float) -> None:
        self.now = seconds
