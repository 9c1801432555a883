"""Time use: each phase's planned and actual time from what was talked about, the first
question, pace and share of talk, when must-have topics first came up, and the strip."""
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd.core.plan import Plan
from mlsd.core.transcript import Transcript, Turn
from mlsd.interviewer.drill import session_plan
from mlsd.rubric.timing import strip, time_use

from conftest import transcript

PLAN = Plan.scaled(45)
MODEL_TALK = "I would use XGBoost for this because it is accurate and quick to train on tables."
QUESTION = "How many orders a day do we need to handle at peak?"


def said(*turns: tuple[str, int, str]) -> Transcript:
    """(speaker, second, text) turns, spoken-interview style: stamped when each turn starts."""
    return Transcript(case_id="delivery-time", turns=[Turn(speaker=s, elapsed=at, text=text) for s, at, text in turns])


def phase(timing, pid):
    return timing.phase(pid)


def test_every_phase_of_the_plan_has_its_planned_and_actual_seconds(rubric, cases):
    t = transcript("delivery-time.strong")
    timing = time_use(t, PLAN, rubric, cases.get("delivery-time"))
    assert [(p.id, p.planned_s) for p in timing.phases] == [(p.id, p.end - p.start) for p in PLAN.phases]
    assert timing.model_dump()["phases"][0].keys() >= {"id", "planned_s", "actual_s"}
    assert sum(p.actual_s for p in timing.phases) + timing.off_plan_s == t.turns[-1].elapsed


def test_talking_about_the_model_in_the_clarify_window_counts_as_model_time(rubric, cases):
    t = said(("interviewer", 0, "Design delivery time prediction."), ("candidate", 20, MODEL_TALK),
             ("interviewer", 200, "Anything to ask?"), ("candidate", 230, QUESTION),
             ("interviewer", 300, "Framing now."))
    timing = time_use(t, PLAN, rubric, cases.get("delivery-time"))
    assert phase(timing, "model_serving").actual_s == 180  # 00:20 to 03:20, by topic, in the clarify window
    assert phase(timing, "clarify").actual_s == 20 + 30 + 70  # the opening, the answer, the question: by the clock


def test_a_turn_that_touches_no_topic_counts_for_the_phase_its_time_falls_in(rubric):
    t = said(("interviewer", 0, "Hi."), ("candidate", 700, "Okay, let me think about that for a moment."),
             ("interviewer", 760, "Sure."))
    timing = time_use(t, PLAN, rubric)
    assert [phase(timing, p).actual_s for p in ("clarify", "framing", "data_features")] == [300, 300, 160]


def test_in_a_recorded_session_the_answer_owns_the_time_before_it(rubric):
    """mlsd stamps a turn when it is sent and the reply with the same second."""
    t = Transcript(turns=[Turn(speaker="interviewer", elapsed=0, text="Hi.", phase="clarify"),
                          Turn(speaker="candidate", elapsed=240, text=MODEL_TALK, phase="clarify"),
                          Turn(speaker="interviewer", elapsed=240, text="Okay.", phase="clarify")])
    timing = time_use(t, PLAN, rubric)
    assert phase(timing, "model_serving").actual_s == 240
    assert phase(timing, "clarify").actual_s == 0


def test_first_question_pace_and_share_of_talk(rubric):
    t = said(("interviewer", 0, "one two three four"), ("candidate", 30, QUESTION),
             ("interviewer", 90, "five six seven eight"))
    timing = time_use(t, PLAN, rubric)
    assert timing.first_question_s == 30
    assert timing.words_per_minute == 12.0  # 12 words in the minute from 00:30 to 01:30
    assert timing.talk_share == round(12 / 20, 2)


def test_no_question_and_no_candidate_words_leave_those_figures_empty(rubric):
    timing = time_use(said(("interviewer", 0, "Hello there.")), PLAN, rubric)
    assert (timing.first_question_s, timing.words_per_minute) == (None, None)


def test_must_have_topics_say_when_they_first_came_up_and_whether_after_a_probe(rubric, cases):
    timing = time_use(transcript("delivery-time.strong"), PLAN, rubric, cases.get("delivery-time"))
    first = {m.id: m for m in timing.must_have}
    assert set(first) == {"cold_start", "fallback", "capacity"}
    assert (first["cold_start"].at_s, first["cold_start"].after_probe) == (14 * 60 + 20, True)  # [14:20]
    assert (first["fallback"].at_s, first["fallback"].after_probe) == (27 * 60 + 30, False)
    weak = time_use(transcript("delivery-time.weak"), PLAN, rubric, cases.get("delivery-time"))
    assert all(m.at_s is None for m in weak.must_have)


def test_time_in_the_tradeoffs_window_is_tradeoffs_talk_whatever_it_names(rubric):
    t = said(("interviewer", 2280, "Let's finish with tradeoffs."), ("candidate", 2300, MODEL_TALK),
             ("interviewer", 2400, "Thanks."))
    timing = time_use(t, PLAN, rubric)
    assert phase(timing, "tradeoffs").actual_s == 120 and phase(timing, "model_serving").actual_s == 0


def test_a_drill_counts_time_on_other_topics_as_outside_its_plan(rubric):
    plan = session_plan(rubric, 10, "monitoring")
    t = said(("interviewer", 0, "What would you monitor?"), ("candidate", 10, MODEL_TALK),
             ("interviewer", 130, "And monitoring?"))
    timing = time_use(t, plan, rubric, focus="monitoring")
    assert [p.id for p in timing.phases] == ["scale_monitoring"]
    assert timing.off_plan_s == 120
    assert timing.must_have == []  # cold start, fallback and capacity are not the monitoring drill's


def test_the_strip_shows_the_plan_above_and_the_topics_below(rubric, cases):
    timing = time_use(transcript("delivery-time.weak"), PLAN, rubric, cases.get("delivery-time"))
    rows = strip(timing, 45)  # one column a minute
    assert rows.planned == "C" * 5 + "F" * 5 + "D" * 10 + "M" * 10 + "S" * 8 + "T" * 7
    assert rows.covered.startswith("CC") and "M" in rows.covered[:5]  # the weak candidate jumped to the model
    assert rows.axis.startswith("0") and len(rows.axis) == 45


TEXTS = [MODEL_TALK, QUESTION, "Okay.", "We use the city median for new restaurants."]
turn_lists = st.lists(st.tuples(st.sampled_from(["interviewer", "candidate"]), st.integers(0, 60),
                                st.sampled_from(TEXTS)),
                      min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(turn_lists)
def test_the_time_shared_out_is_the_time_the_turns_span(rubric, turns):
    at, script = 0, []
    for n, (speaker, gap, text) in enumerate(turns):
        at += gap if n else 0  # the first turn opens the session
        script.append((speaker, at, text))
    timing = time_use(said(*script), PLAN, rubric)
    assert sum(p.actual_s for p in timing.phases) + timing.off_plan_s == at
    assert all(s.start_s < s.end_s for s in timing.segments)
