"""A Move: what the interviewer does this turn, decided by our policy, phrased by a backend."""
from __future__ import annotations

from pydantic import BaseModel

from mlsd.core.plan import PhaseId
from mlsd.core.transcript import MoveKind
from mlsd.interviewer.choices import Choice
from mlsd.prompts.case import Fact


class Move(BaseModel):
    kind: MoveKind
    phase: PhaseId                  # the phase this interviewer turn belongs to
    elapsed: int
    probe: str | None = None        # criterion id probed
    question: str | None = None     # the one question this turn asks, if any
    facts: list[Fact] = []          # facts the candidate asked for
    repeated: list[str] = []        # ids of facts already revealed earlier
    unknown_question: bool = False  # asked something the case has no fact for
    transition_to: PhaseId | None = None
    about: list[str] = []            # what `question` asks about: criterion ids, kinds of choice
    choice: Choice | None = None     # the candidate's own choice the question picks up
    challenge: str | None = None     # how it is challenged: why, breaks, cost
    alternative: str | None = None   # what "why" weighs it against
