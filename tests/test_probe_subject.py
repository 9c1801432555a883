"""A probe is not put to an answer that was plainly about its subject, in the candidate's own
words, even where the scorer does not (yet) recognise those words: the interviewer reads the
case's own wording of the probe (its entities and the words only that probe uses)."""
import pytest
from session_helpers import run

from mlsd.interviewer.clock import FakeClock
from mlsd.interviewer.offline import OfflineInterviewer
from mlsd.interviewer.subject import Subjects
from mlsd.sessions.practice import PracticeSession
from mlsd.sessions.store import Store

COLD_START = ("A restaurant that joined this week gets the median prep time of restaurants of its cuisine in that "
              "city until it has a few dozen orders.")


def short_session(tmp_path, cases, case_id, minutes):
    clock = FakeClock()
    session = PracticeSession.start(Store(tmp_path / "m.db"), cases.get(case_id), clock, OfflineInterviewer(),
                                    minutes=minutes, seed=0)
    return session, clock


def last_probe(session):
    return [t for t in session.turns if t.speaker == "interviewer"][-1].probe


def test_a_restaurant_that_joined_this_week_is_not_followed_by_the_cold_start_probe(tmp_path, cases):
    s, clock = short_session(tmp_path, cases, "delivery-time", 2)
    run(s, clock, [(0.1, "How many orders a day, and what's the latency budget?"),
                   (0.4, "It's a regression on minutes until delivery, judged on orders within 5 minutes."),
                   (0.6, "Training data is past orders with their actual delivery times."),
                   (43 / 60, COLD_START)])
    assert last_probe(s) != "cold_start"


def test_nor_is_it_asked_in_the_next_answers_when_they_are_about_something_else(tmp_path, cases):
    s, clock = short_session(tmp_path, cases, "delivery-time", 2)
    run(s, clock, [(0.1, "How many orders a day, and what's the latency budget?"),
                   (0.4, "It's a regression on minutes until delivery, judged on orders within 5 minutes."),
                   (0.6, "Training data is past orders with their actual delivery times."),
                   (43 / 60, COLD_START),
                   (58 / 60, "For the model I'd use LightGBM on those features, trained on 90 days of orders."),
                   (73 / 60, "It serves behind a small API in the checkout path, reading features from Redis.")])
    assert "cold_start" not in [t.probe for t in s.turns]


@pytest.mark.parametrize(("case_id", "criterion", "answer"), [
    ("delivery-time", "cold_start", COLD_START),
    ("delivery-time", "fallback", "If the model service stops answering, checkout shows a range from distance "
                                  "and prep time instead."),
    ("delivery-time", "label_delay", "We only learn the true delivery time once the order is delivered, so until "
                                     "then I watch the prediction distribution."),
    ("payment-fraud", "fallback", "If scoring times out on a sale day, small payments go through on the rules and "
                                  "the rest are held."),
    ("payment-fraud", "label_delay", "Chargebacks land weeks after the payment, so training waits for them and I "
                                     "watch the decline rate meanwhile."),
])
def test_an_answer_in_the_candidates_own_words_is_about_the_probes_subject(cases, case_id, criterion, answer):
    assert Subjects(cases.get(case_id)).answered(criterion, answer)


@pytest.mark.parametrize(("case_id", "answer"), [
    ("delivery-time", "Features: restaurant prep time averages over the last 7 days of orders, from Redis."),
    ("delivery-time", "I would monitor MAE per city hourly."),
    ("payment-fraud", "We score every payment with a gradient boosted model."),
])
def test_an_answer_on_something_else_is_about_no_probes_subject(cases, case_id, answer):
    subjects = Subjects(cases.get(case_id))
    assert not [c for c in ("cold_start", "fallback", "label_delay") if subjects.answered(c, answer)]
