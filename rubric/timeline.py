"""Which criteria the candidate had covered after each turn, for replays: the tracker run
turn by turn, with the diagram as it stood at each turn."""
from __future__ import annotations

from pydantic import BaseModel

from mlsd.core.plan import Plan
from mlsd.core.status import Level, Status
from mlsd.core.transcript import Transcript
from mlsd.prompts.case import Case
from mlsd.rubric.model import Rubric
from mlsd.rubric.tracker import EvidenceTracker


class Covered(BaseModel):
    status: Status    # met | partial
    prompted: bool
    turn: int | None  # None when the diagram showed it


def diagram_at(versions: list[tuple[int, str]], elapsed: int, final: str = "") -> str:
    """The diagram as it stood at `elapsed` seconds, from its stored versions; with no
    versions stored (an imported session), the final diagram."""
    if not versions:
        return final
    text = ""
    for at, version in versions:
        if at > elapsed:
            break
        text = version
    return text


def covered_by_turn(transcript: Transcript, case: Case | None, rubric: Rubric,
                    plan: Plan | None = None,
                    diagrams: list[tuple[int, str]] | None = None) -> list[dict[str, Covered]]:
    """Entry i: the criteria covered once turn i+1 had been said."""
    tracker = EvidenceTracker(rubric, case, plan)
    out: list[dict[str, Covered]] = []
    for turn in transcript.turns:
        tracker.add(turn)
        tracker.add_diagram(diagram_at(diagrams or [], turn.elapsed, transcript.diagram))
        out.append({cid: Covered(status=f.level.status, prompted=f.prompted, turn=f.turn)
                    for cid, f in tracker.findings.items() if f.applicable and f.level >= Level.PARTIAL})
    return out
