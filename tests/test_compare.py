"""Two attempts compared: per category and criterion, time use and level."""

from mlsd.core.plan import Plan
from mlsd.rubric.compare import Attempt, compare
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.rubric.score import LevelEstimate, LevelName, focused
from mlsd.rubric.timing import time_use

from conftest import transcript

PLAN = Plan.scaled(45)


def attempt(name, cases, rubric, session=1, report=None):
    t = transcript(name)
    case = cases.get(t.case_id)
    return Attempt(session=session, case=t.case_id, report=report or score_transcript(t, case, rubric, PLAN),
                   timing=time_use(t, PLAN, rubric, case))


def test_each_category_has_both_scores_and_the_change(cases, rubric):
    a, b = attempt("delivery-time.weak", cases, rubric), attempt("delivery-time.strong", cases, rubric, 2)
    c = compare(a, b, rubric)
    assert list(c.categories) == [cat.id for cat in rubric.categories]
    framing = c.categories["framing"]
    assert (framing.a, framing.b) == (a.report.categories["framing"].score, b.report.categories["framing"].score)
    assert framing.delta == round(framing.b - framing.a, 1) and framing.delta > 0
    assert c.overall.delta == round(b.report.overall - a.report.overall, 1)


def test_criteria_met_for_the_first_time_or_lost_are_listed(cases, rubric):
    weak, strong = attempt("delivery-time.weak", cases, rubric), attempt("delivery-time.strong", cases, rubric, 2)
    forward = compare(weak, strong, rubric)
    assert "cold_start" in forward.newly_met and forward.criteria["cold_start"].change == "newly met"
    assert forward.criteria["cold_start"].b_prompted  # the strong candidate raised it only after the probe
    backward = compare(strong, weak, rubric)
    assert set(backward.lost) == set(forward.newly_met)
    same = compare(weak, weak, rubric)
    assert same.newly_met == [] and {x.change for x in same.criteria.values()} <= {"same", "n/a"}


def test_a_criterion_that_goes_from_missed_to_partly_met_is_better_not_newly_met(cases, rubric):
    base = attempt("delivery-time.weak", cases, rubric)
    report = base.report.model_copy(deep=True)
    target = next(c for cat in report.categories.values() for c in cat.criteria if c.status == "missed")
    target.status = "partial"
    change = compare(base, base.model_copy(update={"report": report}), rubric).criteria[target.id]
    assert (change.a, change.b, change.change) == ("missed", "partial", "better")


def test_time_use_changes_per_phase_and_for_the_first_question(cases, rubric):
    a, b = attempt("delivery-time.weak", cases, rubric), attempt("delivery-time.strong", cases, rubric, 2)
    t = compare(a, b, rubric).timing
    clarify = next(p for p in t.phases if p.id == "clarify")
    assert clarify.delta_s == b.timing.phase("clarify").actual_s - a.timing.phase("clarify").actual_s
    assert clarify.closer_to_plan  # the strong candidate kept nearer the 5 clarifying minutes
    assert (t.first_question_s.a, t.first_question_s.b) == (None, 30)
    cold = next(m for m in t.must_have if m.id == "cold_start")
    assert (cold.a_s, cold.b_s, cold.b_after_probe) == (None, 14 * 60 + 20, True)


def leveled(x: Attempt, estimate: LevelName | None) -> Attempt:
    """The attempt with its report's level set (None: stored before levels existed)."""
    level = LevelEstimate(estimate=estimate, reasons=[]) if estimate else None
    return x.model_copy(update={"report": x.report.model_copy(update={"level": level})})


def test_level_change_is_read_from_the_reports_when_they_carry_one(cases, rubric):
    a, b = attempt("delivery-time.weak", cases, rubric), attempt("delivery-time.strong", cases, rubric, 2)
    assert compare(a, b, rubric).level.model_dump() == {"a": "junior", "b": "staff", "change": "up"}
    assert compare(b, a, rubric).level.change == "down"
    assert compare(leveled(a, None), leveled(b, None), rubric).level.model_dump() == {
        "a": None, "b": None, "change": None}
    assert compare(leveled(a, "mid"), leveled(b, "senior"), rubric).level.model_dump() == {
        "a": "mid", "b": "senior", "change": "up"}


def test_a_drill_against_an_interview_compares_only_the_category_they_share(cases, rubric):
    full = attempt("delivery-time.strong", cases, rubric)
    drill = full.model_copy(update={"report": focused(full.report, "monitoring"), "focus": "monitoring", "session": 2})
    c = compare(full, drill, rubric)
    assert c.categories["monitoring"].delta == 0
    assert c.categories["framing"].b is None and c.categories["framing"].delta is None
    assert c.criteria["cold_start"].change == "n/a"
