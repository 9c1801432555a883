"""A criterion's status, as the Score JSON spells it, and the level behind it: how far a
candidate got with a criterion (missed < partial < met). Not applicable has no level."""
from __future__ import annotations

from enum import IntEnum, StrEnum


class Status(StrEnum):
    MET = "met"
    PARTIAL = "partial"
    MISSED = "missed"
    NA = "n/a"

    @property
    def earned(self) -> bool:
        """Met or partly met: the criterion has a quote and a turn."""
        return self in (Status.MET, Status.PARTIAL)


class Level(IntEnum):
    MISSED = 0
    PARTIAL = 1
    MET = 2

    @property
    def status(self) -> Status:
        return _STATUS_OF[self]


_STATUS_OF = {Level.MISSED: Status.MISSED, Level.PARTIAL: Status.PARTIAL, Level.MET: Status.MET}
