"""Two attempts side by side: what changed per category and per criterion (met for the first
time, or lost), how the time went in each, and the level each reached. Pure: two score
reports with their time use in, a Comparison out."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from mlsd.core.status import Status
from mlsd.rubric.model import Rubric
from mlsd.rubric.score import CriterionScore, ScoreReport, level_estimate
from mlsd.rubric.timing import Timing

LEVELS = ("junior", "mid", "senior", "staff")
Shift = Literal["newly met", "lost", "better", "worse", "same", "n/a"]


class Attempt(BaseModel):
    session: int | None = None
    case: str | None = None
    started: str | None = None
    focus: str | None = None  # the category of a drill
    report: ScoreReport
    timing: Timing


class Side(BaseModel):
    session: int | None
    case: str | None
    started: str | None
    focus: str | None
    overall: float
    level: str | None


class Change(BaseModel):
    a: float | None
    b: float | None
    delta: float | None


class CriterionChange(BaseModel):
    category: str
    a: Status | None
    b: Status | None
    a_prompted: bool = False
    b_prompted: bool = False
    change: Shift


class PhaseChange(BaseModel):
    id: str
    title: str
    a_planned_s: int | None
    a_actual_s: int | None
    b_planned_s: int | None
    b_actual_s: int | None
    delta_s: int | None
    closer_to_plan: bool | None  # B's time on this phase is nearer its plan than A's was


class MentionChange(BaseModel):
    id: str
    a_s: int | None  # when the topic first came up; None: never
    b_s: int | None
    a_after_probe: bool = False
    b_after_probe: bool = False


class TimingChange(BaseModel):
    phases: list[PhaseChange]
    off_plan_s: Change
    first_question_s: Change
    words_per_minute: Change
    talk_share: Change
    must_have: list[MentionChange]


class LevelChange(BaseModel):
    a: str | None
    b: str | None
    change: Literal["up", "down", "same"] | None  # None when either attempt has no level


class Comparison(BaseModel):
    a: Side
    b: Side
    same_case: bool
    overall: Change
    categories: dict[str, Change]
    criteria: dict[str, CriterionChange]
    newly_met: list[str]
    lost: list[str]
    timing: TimingChange
    level: LevelChange


def compare(a: Attempt, b: Attempt, rubric: Rubric) -> Comparison:
    criteria = {c.id: _criterion(c.category, a.report.criterion(c.id), b.report.criterion(c.id))
                for c in rubric.criteria
                if c.category in a.report.categories or c.category in b.report.categories}
    return Comparison(
        a=_side(a), b=_side(b), same_case=a.case == b.case,
        overall=change(a.report.overall, b.report.overall),
        categories={cat.id: change(_score(a.report, cat.id), _score(b.report, cat.id))
                    for cat in rubric.categories if cat.id in a.report.categories or cat.id in b.report.categories},
        criteria=criteria,
        newly_met=[cid for cid, c in criteria.items() if c.change == "newly met"],
        lost=[cid for cid, c in criteria.items() if c.change == "lost"],
        timing=_timing(a.timing, b.timing),
        level=_level(level_estimate(a.report), level_estimate(b.report)),
    )


def change(a: float | None, b: float | None, digits: int = 1) -> Change:
    return Change(a=a, b=b, delta=round(b - a, digits) if a is not None and b is not None else None)


def _side(x: Attempt) -> Side:
    return Side(session=x.session, case=x.case, started=x.started, focus=x.focus, overall=x.report.overall,
                level=level_estimate(x.report))


def _score(report: ScoreReport, category: str) -> float | None:
    cat = report.categories.get(category)
    return cat.score if cat else None


def _criterion(category: str, a: CriterionScore | None, b: CriterionScore | None) -> CriterionChange:
    out = CriterionChange(category=category, a=a.status if a else None, b=b.status if b else None,
                          a_prompted=bool(a and a.prompted), b_prompted=bool(b and b.prompted), change="n/a")
    if a is None or b is None or "n/a" in (a.status, b.status):
        return out
    if b.status == "met" and a.status != "met":
        shift: Shift = "newly met"
    elif a.status == "met" and b.status != "met":
        shift = "lost"
    else:
        shift = "better" if b.credit > a.credit else "worse" if b.credit < a.credit else "same"
    return out.model_copy(update={"change": shift})


def _timing(a: Timing, b: Timing) -> TimingChange:
    ids = [p.id for p in a.phases] + [p.id for p in b.phases if a.phase(p.id) is None]
    phases = []
    for pid in ids:
        pa, pb = a.phase(pid), b.phase(pid)
        either = pa or pb
        closer = None
        if pa and pb:
            closer = abs(pb.actual_s - pb.planned_s) < abs(pa.actual_s - pa.planned_s)
        phases.append(PhaseChange(
            id=pid, title=either.title if either else pid,
            a_planned_s=pa.planned_s if pa else None, a_actual_s=pa.actual_s if pa else None,
            b_planned_s=pb.planned_s if pb else None, b_actual_s=pb.actual_s if pb else None,
            delta_s=pb.actual_s - pa.actual_s if pa and pb else None, closer_to_plan=closer))
    seen_a = {m.id: m for m in a.must_have}
    seen_b = {m.id: m for m in b.must_have}
    mentions = []
    for cid in list(seen_a) + [c for c in seen_b if c not in seen_a]:
        ma, mb = seen_a.get(cid), seen_b.get(cid)
        mentions.append(MentionChange(id=cid, a_s=ma.at_s if ma else None, b_s=mb.at_s if mb else None,
                                      a_after_probe=bool(ma and ma.after_probe),
                                      b_after_probe=bool(mb and mb.after_probe)))
    return TimingChange(
        phases=phases, off_plan_s=change(a.off_plan_s, b.off_plan_s, 0),
        first_question_s=change(a.first_question_s, b.first_question_s, 0),
        words_per_minute=change(a.words_per_minute, b.words_per_minute),
        talk_share=change(a.talk_share, b.talk_share, 2), must_have=mentions)


def _level(a: str | None, b: str | None) -> LevelChange:
    if a is None or b is None or a not in LEVELS or b not in LEVELS:
        return LevelChange(a=a, b=b, change=None)
    step = LEVELS.index(b) - LEVELS.index(a)
    return LevelChange(a=a, b=b, change="up" if step > 0 else "down" if step < 0 else "same")
