"""Focused drills: a short session on one rubric category. The drill's plan keeps only the
phases where that category's criteria are asked about, stretched over the drill's minutes;
its policy opens with the scene in two sentences and then spends the time on that
category's criteria, probing each one the candidate has not covered."""
from __future__ import annotations

from mlsd.core.plan import REFERENCE_MINUTES, Phase, PhaseId, Plan
from mlsd.interviewer.move import Move
from mlsd.interviewer.policy import Policy
from mlsd.prompts.case import Case
from mlsd.prompts.lines import Question
from mlsd.rubric.model import Criterion, Rubric
from mlsd.rubric.tracker import EvidenceTracker

DRILL_MINUTES = 10


def drill_categories(rubric: Rubric) -> list[str]:
    return [c.id for c in rubric.categories if c.drillable]


def session_plan(rubric: Rubric, minutes: float = REFERENCE_MINUTES, focus: str | None = None) -> Plan:
    """The plan of a session: the full interview, or a drill on the `focus` category."""
    if focus is None:
        return Plan.scaled(minutes)
    if focus not in drill_categories(rubric):
        raise ValueError(f"{focus!r} is not a category that can be drilled; drill one of: "
                         + ", ".join(drill_categories(rubric)))
    return Plan.scaled(minutes, only=rubric.phases_of(focus), focus=focus)


def policy_for(plan: Plan, rubric: Rubric, case: Case, seed: int = 0) -> Policy:
    return DrillPolicy(plan, rubric, case, seed) if plan.focus else Policy(plan, rubric, case, seed)


class DrillPolicy(Policy):
    """Probes every uncovered criterion of the drilled category, one after another, with no
    per-phase cap: a drill is short and is about exactly those criteria."""

    def __init__(self, plan: Plan, rubric: Rubric, case: Case, seed: int = 0):
        super().__init__(plan, rubric, case, seed)
        if plan.focus is None:
            raise ValueError("a drill needs a plan with a focus category")
        self.focus: str = plan.focus
        self.drill = self.lines.drills[self.focus]

    def opening(self) -> Move:
        return Move(kind="drill_open", phase=self.plan.phases[0].id, elapsed=0, question=self.drill.opening)

    def _gaps(self, tracker: EvidenceTracker, phase: PhaseId) -> list[Criterion]:
        return [c for c in tracker.missed(phase) if c.category == self.focus]

    def _may_probe(self, now: Phase, progress: float, thin: bool) -> bool:
        return True

    def _follow_up(self, phase: Phase, tracker: EvidenceTracker) -> Question | None:
        # Asked once the category's criteria have come up: settled topics are what they dig into.
        for q in self.drill.follow_ups:
            if q.text not in self.asked and not self.listener.redundant(q.about):
                return q
        return super()._follow_up(phase, tracker)
