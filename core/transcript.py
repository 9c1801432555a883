"""The transcript: what was said, by whom, when, in which phase. Shared by every layer."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mlsd.core.plan import PhaseId
from mlsd.core.printable import clean_text, strings_without_controls

Speaker = Literal["interviewer", "candidate"]
# No session runs a week; a time past that is a typo or an attack, and would not fit SQLite.
MAX_ELAPSED = 7 * 24 * 3600
# What an interviewer's turn did, as the policy decided and the store records it. deep_dive: a
# question on one of the candidate's own choices; tradeoff, curveball: the last phase's
# material; go_on: a short "go on", only when the answer stopped mid-thought.
MoveKind = Literal["open", "drill_open", "answer", "probe", "transition", "nudge", "follow_up", "deep_dive", "tradeoff",
                   "curveball", "go_on", "close", "end_early"]


def stamp(seconds: float) -> str:
    """Session time as mm:ss, as transcripts, reports and screens show it."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class Turn(BaseModel):
    model_config = ConfigDict(frozen=True)

    speaker: Speaker
    text: str
    elapsed: int = Field(ge=0, le=MAX_ELAPSED, description="whole seconds from the start of the session")
    phase: PhaseId | None = None
    probe: str | None = Field(default=None, description="criterion id the interviewer probed")
    move: MoveKind | None = Field(default=None, description="what the interviewer's turn did: probe, nudge...")

    @field_validator("text")
    @classmethod
    def _one_kind_of_newline(cls, text: str) -> str:
        # One newline kind, so every format round-trips it; no other control character, so
        # no screen or terminal ever acts on one.
        return clean_text(text)


class Transcript(BaseModel):
    case_id: str | None = None
    headers: dict[str, str] = {}
    turns: list[Turn] = []
    diagram: str = ""

    @field_validator("case_id", "headers", "diagram", mode="before")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        return strings_without_controls(value)  # the turns see to their own text

    def numbered(self) -> list[tuple[int, Turn]]:
        """Turns with their 1-based numbers, the numbers users see and scores cite."""
        return list(enumerate(self.turns, start=1))

    def candidate_texts(self) -> list[str]:
        return [t.text for t in self.turns if t.speaker == "candidate"]
