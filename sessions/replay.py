"""What the replay of a stored session shows: its transcript, the diagram's versions, the
criteria covered after each turn and the plan the turns were placed on."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mlsd.core.plan import Plan
from mlsd.core.transcript import Transcript
from mlsd.interviewer.drill import session_plan
from mlsd.prompts.case import Case
from mlsd.rubric.model import Rubric
from mlsd.rubric.timeline import Covered, covered_by_turn
from mlsd.sessions.store import SessionRow, Store


@dataclass
class ReplayData:
    row: SessionRow
    transcript: Transcript
    diagrams: list[tuple[int, str]]
    covered: list[dict[str, Covered]]
    plan: Plan


def replay_data(store: Store, session_id: int, case_for: Callable[[str], Case | None], rubric: Rubric) -> ReplayData:
    row = store.session(session_id)
    transcript = store.transcript(row.id)
    diagrams = store.diagrams(row.id)
    plan = session_plan(rubric, row.minutes, row.focus)
    covered = covered_by_turn(transcript, case_for(row.case_id), rubric, plan, diagrams)
    return ReplayData(row, transcript, diagrams, covered, plan)
