"""Playing a practice session from a test: candidate answers at set minutes on a fake clock."""
from __future__ import annotations

import asyncio

from mlsd.interviewer.clock import FakeClock
from mlsd.sessions.practice import PracticeSession


def run(session: PracticeSession, clock: FakeClock, script: list[tuple[float, str]],
        to_time_up: bool = False) -> list[str]:
    """script: (minute, candidate text). Returns the interviewer's replies; with `to_time_up`,
    the clock then runs out and the last reply is the close."""
    async def go():
        replies = ["".join([c async for c in session.open()])]
        for minute, text in script:
            clock.set(minute * 60)
            replies.append("".join([c async for c in session.answer(text)]))
        if to_time_up:
            clock.set(session.plan.total)
            replies.append("".join([c async for c in session.time_up()]))
        return replies
    return asyncio.run(go())
