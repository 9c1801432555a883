"""The last phase's material: the case's own tradeoffs (the seed's six, in their generic
wording, for a case that names none), and one curveball from the case when time allows.
Only the questions leave this module; a strong answer is reference material for reports."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from mlsd.core.plan import Phase
from mlsd.prompts.case import Case
from mlsd.prompts.material import tradeoff_kinds

# A curveball comes once this share of the phase has passed, if an answer still fits after it.
CURVEBALL_AFTER = 0.35
CURVEBALL_ROOM_SHARE, CURVEBALL_ROOM_MAX = 0.2, 90


class Material(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["tradeoff", "curveball"]
    id: str
    text: str
    about: list[str]


def tradeoffs(case: Case) -> list[Material]:
    kinds = tradeoff_kinds()
    if not case.tradeoffs:
        return [Material(kind="tradeoff", id=k.id, text=k.question, about=k.about) for k in kinds.values()]
    return [Material(kind="tradeoff", id=t.id, text=t.question, about=t.about or kinds[t.id].about)
            for t in case.tradeoffs]


def curveballs(case: Case) -> list[Material]:
    return [Material(kind="curveball", id=c.id, text=c.question, about=c.about) for c in case.curveballs]


def curveball_time(phase: Phase, elapsed: float) -> bool:
    """Far enough into the last phase for a twist, with room left to answer it."""
    into = (elapsed - phase.start) / phase.length if phase.length else 1.0
    room = min(CURVEBALL_ROOM_MAX, phase.length * CURVEBALL_ROOM_SHARE)
    return into >= CURVEBALL_AFTER and phase.end - elapsed >= room
