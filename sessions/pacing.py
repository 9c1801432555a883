"""When the interview moves on without the candidate: the clock has run out, or they have
gone quiet after their phase's time ran out. Front ends report what they see (turns shown,
keys typed) and ask on each tick; the rule is the same for every front end."""
from __future__ import annotations

from enum import Enum

from mlsd.core.plan import Phase, PhaseId, Plan
from mlsd.core.transcript import Turn

# How long the candidate must be quiet (nothing typed, nothing in the answer box) after a
# phase's time ran out before the interviewer moves them on: a share of the phase, within bounds.
SILENCE_SHARE, SILENCE_MIN, SILENCE_MAX = 0.1, 5, 30


def silence_wait(phase: Phase) -> float:
    """Seconds of silence into `phase`, past the phase the interviewer is still on, before it
    moves the candidate on."""
    return min(SILENCE_MAX, max(SILENCE_MIN, phase.length * SILENCE_SHARE))


class Due(Enum):
    TIME_UP = "time_up"
    SILENCE = "silence"


class Pacing:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.spoken_phase: PhaseId | None = None  # the phase of the interviewer's latest turn
        self.quiet_since = 0.0                    # session time of the latest turn or keystroke

    def shown(self, turn: Turn, elapsed: float) -> None:
        """A turn reached the candidate at `elapsed`."""
        if turn.speaker == "interviewer" and turn.phase:
            self.spoken_phase = turn.phase
        self.quiet_since = elapsed

    def stirred(self, elapsed: float) -> None:
        """The candidate typed or drew something: not silence."""
        self.quiet_since = elapsed

    def due(self, elapsed: float, writing: bool) -> Due | None:
        """What should happen now without the candidate, if anything. `writing`: their
        answer box is not empty, so they are not silent."""
        if elapsed >= self.plan.total:
            return Due.TIME_UP
        now = self.plan.phase_at(elapsed)
        if writing or self.spoken_phase is None or now.index <= self.plan.phase(self.spoken_phase).index:
            return None
        if elapsed - max(self.quiet_since, now.start) < silence_wait(now):
            return None
        self.quiet_since = elapsed  # one interjection per silence
        return Due.SILENCE
