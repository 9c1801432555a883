"""The session clock as mm:ss left, warning in the last minute of a phase or of the session."""
from __future__ import annotations

from typing import Any

from textual.reactive import reactive
from textual.widgets import Static

from mlsd.core.plan import Plan
from mlsd.tui.widgets.fmt import stamp

WARN_SECONDS = 60


class Countdown(Static):
    elapsed: reactive[float] = reactive(0.0)
    paused: reactive[bool] = reactive(False, layout=True)

    def __init__(self, plan: Plan, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan = plan

    def render(self) -> str:
        left = self.plan.total - self.elapsed
        if self.paused:
            return f"⏸ {stamp(left)} left"
        return f"{stamp(left)} left"

    def watch_elapsed(self, elapsed: float) -> None:
        # Classes change a few times a session; setting them every tick would restyle every tick.
        phase = self.plan.phase_at(elapsed)
        in_phase_left = phase.end - elapsed
        session_left = self.plan.total - elapsed
        for name, on in (("-session-ending", session_left <= WARN_SECONDS),
                         ("-phase-ending", in_phase_left <= WARN_SECONDS < session_left)):
            if self.has_class(name) != on:
                self.set_class(on, name)
