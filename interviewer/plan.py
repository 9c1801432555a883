"""The 45-minute plan, scaled to any session length: which phase any moment belongs to."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from mlsd.rubric.transcript import Turn

# (id, title, start minute, end minute) of the reference 45-minute interview.
REFERENCE = (
    ("clarify", "Clarify", 0, 5),
    ("framing", "Framing", 5, 10),
    ("data_features", "Data & features", 10, 20),
    ("model_serving", "Model & serving", 20, 30),
    ("scale_monitoring", "Scale & monitoring", 30, 38),
    ("tradeoffs", "Tradeoffs", 38, 45),
)
REFERENCE_MINUTES = 45


class Phase(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    title: str
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

    @classmethod
    def scaled(cls, minutes: float = REFERENCE_MINUTES) -> Plan:
        if minutes <= 0:
            raise ValueError("a session needs a positive number of minutes")
        total = minutes * 60

        def at(m: int) -> int:
            return round(total * m / REFERENCE_MINUTES)

        phases = tuple(Phase(id=i, title=t, index=n, start=at(s), end=at(e)) for n, (i, t, s, e) in enumerate(REFERENCE))
        return cls(minutes=minutes, phases=phases)

    @property
    def total(self) -> int:
        return self.phases[-1].end

    def phase_at(self, elapsed: float) -> Phase:
        """The phase running at `elapsed` seconds; after the end, the last one."""
        for phase in self.phases:
            if elapsed < phase.end:
                return phase
        return self.phases[-1]

    def phase_id_at(self, elapsed: float) -> str:
        return self.phase_at(elapsed).id

    def phase_of(self, turn: Turn) -> str:
        """The phase a turn belongs to: the one it was stored with, else the one its time falls in."""
        return turn.phase or self.phase_id_at(turn.elapsed)

    def phase(self, phase_id: str) -> Phase:
        return next(p for p in self.phases if p.id == phase_id)

    def is_over(self, elapsed: float) -> bool:
        return elapsed >= self.total

    def progress_in_phase(self, elapsed: float) -> float:
        phase = self.phase_at(elapsed)
        return min(1.0, max(0.0, (elapsed - phase.start) / phase.length)) if phase.length else 1.0
