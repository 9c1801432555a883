"""How far the sampled judge and the offline checklist agree on one transcript: the criteria
both gave the same status, the ones they did not, the gap overall and per category, and the
level each puts the performance at. Reports show it so a candidate can see which parts of a
score two different readers would both sign."""
from __future__ import annotations

from pydantic import BaseModel

from mlsd.core.status import Status
from mlsd.rubric.score import ScoreReport, level_estimate


class Disagreement(BaseModel):
    id: str
    judge: Status
    checklist: Status


class Agreement(BaseModel):
    same: int              # applicable criteria both gave the same status
    of: int                # applicable criteria compared
    overall_gap: float     # the judge's overall minus the checklist's
    categories: dict[str, float]  # the same gap per category
    levels: dict[str, str | None]  # {"judge": ..., "checklist": ...}
    differ: list[Disagreement]

    @property
    def summary(self) -> str:
        gap = f"{self.overall_gap:+.0f}" if round(self.overall_gap) else "the same"
        levels = ""
        if any(self.levels.values()):
            levels = f"; level {self.levels['judge'] or '-'} (judge), {self.levels['checklist'] or '-'} (checklist)"
        return f"judge and offline checklist agree on {self.same} of {self.of} criteria; overall {gap}{levels}"


def agreement(judge: ScoreReport, checklist: ScoreReport) -> Agreement:
    same, differ = 0, []
    for cid, cat in judge.categories.items():
        other = checklist.categories.get(cid)
        if other is None:
            continue
        theirs = {c.id: c.status for c in other.criteria}
        for c in cat.criteria:
            if Status.NA in (c.status, theirs.get(c.id, Status.NA)):
                continue
            if c.status == theirs[c.id]:
                same += 1
            else:
                differ.append(Disagreement(id=c.id, judge=c.status, checklist=theirs[c.id]))
    gaps = {cid: round(cat.score - checklist.categories[cid].score, 1)
            for cid, cat in judge.categories.items() if cid in checklist.categories}
    return Agreement(same=same, of=same + len(differ), overall_gap=round(judge.overall - checklist.overall, 1),
                     categories=gaps, differ=differ,
                     levels={"judge": level_estimate(judge), "checklist": level_estimate(checklist)})
