"""What the interviewer hears in an answer: the design choices it names, with the sentence
they were said in, and whether it stopped mid-thought; and the question data it draws on."""
import pytest

from mlsd.core.status import Level
from mlsd.interviewer.choices import choices_in
from mlsd.interviewer.deep_dive import picks
from mlsd.interviewer.listening import trails_off
from mlsd.prompts.lines import interviewer_lines
from mlsd.prompts.material import choice_book, tradeoff_kinds

PIPELINE = "Live features come from Kafka through Flink into Redis, and the 7-day aggregates are a nightly Spark job."


def test_the_technologies_an_answer_names_are_choices_with_the_sentence_they_were_said_in():
    found = choices_in("We need fresh features. " + PIPELINE, turn=5)
    assert [(c.term, c.kind) for c in found] == [("Kafka", "stream"), ("Flink", "stream"), ("Redis", "store"),
                                                 ("Spark", "batch")]
    assert all(c.sentence == PIPELINE and c.turn == 5 for c in found)


def test_a_name_weighed_and_turned_down_is_not_a_choice():
    found = choices_in("I'd use LightGBM rather than an LSTM, and we don't need Cassandra.", turn=1)
    assert [c.term for c in found] == ["LightGBM"]


def test_a_question_the_candidate_asks_names_no_choice():
    assert choices_in("Do we already run Kafka and Redis?", turn=1) == []


def test_the_longer_name_wins_where_two_overlap():
    assert [(c.term, c.kind) for c in choices_in("Features are built with Spark Streaming.", turn=1)] == [
        ("Spark Streaming", "stream")]


def test_numbers_and_claims_are_choices_said_as_written():
    text = "At 580 RPS we need 30 replicas, each answering in 20 ms. Labels arrive within the hour."
    assert {(c.kind, c.term) for c in choices_in(text, turn=1)} == {
        ("load_number", "580 RPS"), ("fleet_number", "30 replicas"), ("latency_number", "20 ms"),
        ("label_claim", "Labels arrive within the hour")}


def test_a_common_noun_is_said_with_the_and_a_name_as_written():
    store, = choices_in("Precomputed features sit in a feature store.", turn=1)
    redis, = choices_in("Precomputed features sit in redis.", turn=1)
    assert store.said == "the feature store" and redis.said == "redis"
    assert "If the feature store is slow or down" in " ".join(p.text for p in picks([store]))


@pytest.mark.parametrize(("answer", "unfinished"), [
    ("We stream the features into Redis, and", True),
    ("The model has three parts:", True),
    ("So first...", True),
    ("Hold on, one second.", True),
    ("I haven't thought about that.", False),
    ("We serve it from Redis", False),
    ("That's all I have on data.", False),
])
def test_only_an_answer_that_stops_mid_thought_is_unfinished(answer, unfinished):
    assert trails_off(answer) is unfinished


def test_every_canned_question_asks_one_thing_about_known_topics(rubric):
    criteria = set(rubric.criterion_ids)
    topics = criteria | set(choice_book().kind_ids)
    lines = interviewer_lines()
    canned = [q for p in lines.phases.values() for q in p.questions] + [q for d in lines.drills.values()
                                                                          for q in d.follow_ups]
    assert canned and all(q.about and set(q.about) <= topics for q in canned)
    assert all(set(t.about) <= topics for t in tradeoff_kinds().values())
    deep_dives = [q for k in choice_book().kinds for q in k.questions]
    # A deep dive asks about rubric criteria: that is what makes it a probe when one is missing.
    assert deep_dives and all(set(q.about) <= criteria for q in deep_dives)
    assert all(q.text.count("?") <= 1 for q in canned) and all(q.text.count("?") == 1 for q in deep_dives)


def test_a_figure_the_case_gave_is_not_the_candidates_choice(rubric):
    from mlsd.core.plan import Plan
    from mlsd.interviewer.listening import Listener
    from mlsd.rubric.tracker import TurnEvidence

    listener = Listener(Plan.scaled(45), rubric, given="The request has 100 ms end to end.")
    heard = listener.hear(3, "So we have 100 ms end to end, and I'd run 30 replicas.", TurnEvidence())
    assert [c.term for c in heard.choices] == ["30 replicas"]


def test_what_the_interviewer_just_asked_about_is_not_where_the_candidate_took_the_talk(rubric):
    """Answering a question about capacity in the data phase is not running ahead to scale."""
    from mlsd.core.plan import Plan
    from mlsd.interviewer.listening import Listener
    from mlsd.rubric.tracker import TurnEvidence

    plan = Plan.scaled(45)
    listener = Listener(plan, rubric)
    listener.asked(["capacity"])
    heard = listener.hear(5, "At 580 RPS that's about 30 replicas.", TurnEvidence(hits={"capacity": Level.MET}))
    assert plan.index_of("scale_monitoring") not in heard.touched and heard.reach == -1


def test_recording_the_turn_a_move_became_keeps_what_it_asked_about(rubric, cases):
    from mlsd.core.plan import Plan
    from mlsd.core.transcript import Turn
    from mlsd.interviewer.policy import Policy
    from mlsd.rubric.tracker import EvidenceTracker

    plan, case = Plan.scaled(45), cases.get("delivery-time")
    policy, tracker = Policy(plan, rubric, case), EvidenceTracker(rubric, case, plan)
    text = "Historical orders and GPS pings."
    move = policy.decide(660, text, tracker.add(Turn(speaker="candidate", text=text, elapsed=660)), tracker)
    asked = policy.listener.asked_phases
    policy.observe(Turn(speaker="interviewer", text=move.question or "", elapsed=660, phase=move.phase,
                        probe=move.probe, move=move.kind), move.kind)
    assert move.about and not move.probe and asked and policy.listener.asked_phases == asked
