"""The 45-minute plan, scaled to any session length: which phase any moment belongs to.
The phase ids are spelled here only; everything else refers to them as PhaseId."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from mlsd.core.transcript import Turn

PhaseId = Literal["clarify", "framing", "data_features", "model_serving", "scale_monitoring", "tradeoffs"]

# (id, title, short title for narrow bars, start minute, end minute) of the reference interview.
REFERENCE: tuple[tuple[PhaseId, str, str, int, int], ...] = (
    ("clarify", "Clarify", "Clarify", 0, 5),
    ("framing", "Framing", "Framing", 5, 10),
    ("data_features", "Data & features", "Data", 10, 20),
    ("model_serving", "Model & serving", "Model", 20, 30),
    ("scale_monitoring", "Scale & monitoring", "Scale", 30, 38),
    ("tradeoffs", "Tradeoffs", "Tradeoffs", 38, 45),
)
REFERENCE_MINUTES = 45
MIN_MINUTES, MAX_MINUTES = 1, 240


def minutes_problem(minutes: float) -> str | None:
    """Why `minutes` cannot be a session's length, or None if it can."""
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:  # also false for nan
        return f"{minutes:g} is outside {MIN_MINUTES}..{MAX_MINUTES}"
    return None
SHORT: dict[str, str] = {  # looked up by phase ids read from files, too
    phase_id: short for phase_id, _, short, _, _ in REFERENCE}
# The interview opens with questions and closes on tradeoffs; a drill may have neither.
OPENING: PhaseId = REFERENCE[0][0]
CLOSING: PhaseId = REFERENCE[-1][0]


class Phase(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: PhaseId
    title: str
    short: str
    index: int
    start: int  # seconds from session start
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


class Plan(BaseModel):
    model_config = ConfigDict(frozen=True)
    minutes: float
    phases: tuple[Phase, ...]
    focus: str | None = None  # the rubric category of a drill; None for a full interview

    @classmethod
    def scaled(cls, minutes: float = REFERENCE_MINUTES, only: Sequence[PhaseId] | None = None,
               focus: str | None = None) -> Plan:
        """The reference plan stretched to `minutes`; with `only`, just those phases, each
        keeping its share of the time they had between them."""
        if minutes <= 0:
            raise ValueError("a session needs a positive number of minutes")
        chosen = [ref for ref in REFERENCE if only is None or ref[0] in only]
        if not chosen:
            raise ValueError(f"no phases among {list(only or [])}")
        total = minutes * 60
        span = sum(end - start for *_, start, end in chosen)
        phases, done = [], 0
        for n, (pid, title, short, start, end) in enumerate(chosen):
            phases.append(Phase(id=pid, title=title, short=short, index=n, start=round(total * done / span),
                                end=round(total * (done + end - start) / span)))
            done += end - start
        return cls(minutes=minutes, phases=tuple(phases), focus=focus)

    @property
    def total(self) -> int:
        return self.phases[-1].end

    def phase_at(self, elapsed: float) -> Phase:
        """The phase running at `elapsed` seconds; after the end, the last one."""
        for phase in self.phases:
            if elapsed < phase.end:
                return phase
        return self.phases[-1]

    def phase_id_at(self, elapsed: float) -> PhaseId:
        return self.phase_at(elapsed).id

    def phase_of(self, turn: Turn) -> PhaseId:
        """The phase a turn belongs to: the one it was stored with, else the one its time falls in."""
        return turn.phase or self.phase_id_at(turn.elapsed)

    def phase(self, phase_id: PhaseId) -> Phase:
        return next(p for p in self.phases if p.id == phase_id)

    def index_of(self, phase_id: PhaseId) -> int:
        """Where a phase stands in this plan; -1 for one the plan leaves out (a drill's)."""
        return next((p.index for p in self.phases if p.id == phase_id), -1)

    def is_over(self, elapsed: float) -> bool:
        return elapsed >= self.total

    def progress_in_phase(self, elapsed: float) -> float:
        phase = self.phase_at(elapsed)
        return min(1.0, max(0.0, (elapsed - phase.start) / phase.length)) if phase.length else 1.0
