"""Which criteria the candidate had covered after each turn, for replays: the tracker run
turn by turn, with the diagram as it stood at each turn."""
from __future__ import annotations

from pydantic import BaseModel

from mlsd.core.plan import Plan
from mlsd.core.status import Level, Status
from mlsd.core.transcript import Transcript
from mlsd.prompts.case import Case
from mlsd.rubric.model import Rubric
from mlsd.rubric.offline_scorer import best_claim, judged
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
    """Entry i: the criteria covered once turn i+1 had been said, each as the scorer finally
    judged the claims made so far (a claim later shown not to be known counts less from the
    start); the questions asked, the probes handled and the diagram as they stood then."""
    _, _, claims = judged(transcript, case, rubric, plan)
    diagram = rubric.special("diagram")
    # Judged by code from the turns as a whole, or drawn in the diagram pane: the tracker's view.
    by_tracker = {c.id for c in rubric.criteria if not c.ruled} | ({diagram.id} if diagram else set())
    tracker = EvidenceTracker(rubric, case, plan)
    out: list[dict[str, Covered]] = []
    for n, turn in enumerate(transcript.turns, start=1):
        tracker.add(turn)
        tracker.add_diagram(diagram_at(diagrams or [], turn.elapsed, transcript.diagram))
        levels = {cid: f.level for cid, f in tracker.findings.items()
                  if cid in by_tracker and f.applicable and f.level >= Level.PARTIAL}
        now = {cid: Covered(status=tracker.findings[cid].status, prompted=tracker.findings[cid].prompted,
                            turn=tracker.findings[cid].turn) for cid in levels}
        for cid, found in claims.items():
            best = best_claim([c for c in found if c.turn <= n])
            if best is not None and best.status > levels.get(cid, Level.MISSED):
                now[cid] = Covered(status=best.status.status, prompted=best.prompted, turn=best.turn)
        out.append(now)
    return out
