"""What a backend is handed each turn. The TUI and the store never look inside a backend."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from mlsd.core.plan import Plan
from mlsd.core.transcript import Turn
from mlsd.interviewer.move import Move
from mlsd.prompts.case import Case
from mlsd.rubric.tracker import EvidenceTracker


@dataclass
class TurnContext:
    case: Case
    plan: Plan
    move: Move
    turn_no: int          # number the interviewer's turn will have
    turns: list[Turn]     # the transcript so far
    tracker: EvidenceTracker
    seed: int = 0


class Interviewer(Protocol):
    notices: list[str]  # changes of hands the front end should say, each once

    @property
    def label(self) -> str: ...  # what the status line shows: "offline" or "model@endpoint"

    def reply(self, ctx: TurnContext) -> AsyncIterator[str]: ...

    async def aclose(self) -> None: ...  # let go of connections, on the loop that made them
