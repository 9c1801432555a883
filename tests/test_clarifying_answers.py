"""What a clarifying question gets back: every part of it its own fact, and nothing that was
not asked. A fact that gives away a probe (new entities have no history) is only told to a
candidate who asks about it."""
from __future__ import annotations

from itertools import permutations

import pytest

from mlsd.interviewer.clarify import facts_asked

ASKED = {
    "payment-fraud": [
        ("What share of payments are fraud and what is the latency budget?", {"fraud_rate", "latency"}),
        ("What is the fraud rate", {"fraud_rate"}),
        ("What percentage of transactions are fraudulent?", {"fraud_rate"}),
        ("How many transactions per second at peak, and what latency do we need?", {"scale", "latency"}),
        ("What's the volume, the peak and the latency?", {"scale", "latency"}),
        ("What do we know about each payment?", {"payment_fields"}),
        ("How do we get labels and how long do they take?", {"labels"}),
        ("Is there a regulator who needs explanations?", {"regulation"}),
        ("Who sets the threshold, and what does the business measure?", {"thresholds", "business_metric"}),
        ("Is a false decline worse than missed fraud?", {"cost_asymmetry"}),
        ("Do we have history per user and device?", {"history"}),
        ("What do we know about a brand-new user or device?", {"new_users"}),
    ],
    "delivery-time": [
        ("What's the order volume, the peak and the latency budget?", {"scale", "latency"}),
        ("How many orders a day, and what is the peak?", {"scale"}),
        ("Where is the estimate shown?", {"surfaces"}),
        ("What metric does the business care about?", {"business_metric"}),
        ("Which is worse, late or early?", {"cost_asymmetry"}),
        ("What historical data do we have?", {"history"}),
        ("What real-time signals do we get, like GPS or weather?", {"signals"}),
        ("Do new restaurants have any order history?", {"new_restaurants"}),
        ("How many cities do we operate in and what infrastructure do we have?", {"cities", "team"}),
        ("When do we learn the actual delivery time?", {"labels"}),
    ],
    "product-recs": [
        ("How many users and requests per second?", {"scale"}),
        ("How big is the catalogue and how fast does it change?", {"catalogue"}),
        ("What is the latency budget and the scale?", {"latency", "scale"}),
        ("What interaction data do we log?", {"interactions"}),
        ("What do we know about new users and new products?", {"new_entities"}),
        ("What metric matters to the business, and where are the recommendations shown?",
         {"business_metric", "surfaces"}),
        ("Do we have GPUs for serving?", {"team"}),
    ],
}


def asked(case, question: str) -> set[str]:
    return {f.id for f in facts_asked(case, question)}


@pytest.mark.parametrize("case_id,question,expected",
                         [(c, q, e) for c, rows in ASKED.items() for q, e in rows],
                         ids=[q[:40] for rows in ASKED.values() for q, _ in rows])
def test_a_question_gets_the_facts_it_asks_for_and_no_others(cases, case_id, question, expected):
    assert asked(cases.get(case_id), question) == expected


def test_every_fact_answers_a_question_about_itself_alone(cases):
    for case in cases.cases:
        for fact in case.facts:
            assert asked(case, f"What about the {fact.about}?") == {fact.id}, (case.id, fact.id)


def test_a_two_part_question_gets_both_facts_whatever_the_pair(cases):
    for case in cases.cases:
        for a, b in permutations(case.facts, 2):
            question = f"What about the {a.about}, and what about the {b.about}?"
            assert asked(case, question) == {a.id, b.id}, (case.id, question)


def test_no_answer_about_the_data_gives_away_that_new_entities_have_no_history(cases):
    for case in cases.cases:
        for question in ("What data do we have?", "What data is available to train on?",
                         "How many orders or transactions, at what peak, and with what latency?"):
            for fact in facts_asked(case, question):
                assert "no history" not in fact.answer.lower() and "no interactions" not in fact.answer.lower(), \
                    (case.id, question, fact.id)
