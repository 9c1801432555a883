"""An interviewer that listens: it picks up the candidate's own choices, never asks about what
the last answers covered, says "go on" only to an answer that stopped mid-thought, and ends on
the case's own tradeoffs and one curveball. Offline, on a fake clock, through the session."""
import json
import os
import re
import subprocess
import sys

import pytest
from session_helpers import run

from mlsd.core.plan import Plan
from mlsd.core.transcript import Turn
from mlsd.interviewer.clock import FakeClock
from mlsd.interviewer.move import Move
from mlsd.interviewer.offline import OfflineInterviewer
from mlsd.interviewer.policy import PROBE_CAP, Policy
from mlsd.prompts.lines import interviewer_lines
from mlsd.prompts.loader import load_case
from mlsd.prompts.material import tradeoff_kinds
from mlsd.prompts.personas import load_personas
from mlsd.rubric.tracker import EvidenceTracker
from mlsd.sessions.practice import PracticeSession
from mlsd.sessions.simulate import simulate
from mlsd.sessions.store import Store

OPENING = [(1, "How many orders a day, and what's the latency budget?"),
           (6, "It's a regression on delivery minutes; offline MAE, and the business watches orders within 5 minutes.")]
PIPELINE = "Live features come from Kafka through Flink into Redis, and the 7-day aggregates are a nightly Spark job."


@pytest.fixture
def start(tmp_path, cases):
    def make(case="delivery-time", seed=3):
        clock = FakeClock()
        chosen = cases.get(case) if isinstance(case, str) else case
        session = PracticeSession.start(Store(tmp_path / "m.db"), chosen, clock, OfflineInterviewer(), minutes=45,
                                        seed=seed)
        return session, clock
    return make


def questions(session):
    return [t for t in session.turns if t.speaker == "interviewer"]


def test_a_follow_up_on_what_the_answer_just_covered_is_not_asked(start):
    s, clock = start()
    replies = run(s, clock, [*OPENING, (11, "We'd use historical orders, GPS pings and restaurant prep times."),
                             (13, PIPELINE), (14, "That's the data I have in mind."),
                             (31, "At peak we'd serve about 580 RPS from 30 replicas."),
                             (33, "We'd do a shadow deployment first, then a 5% canary.")])
    computed = next(q.text for q in interviewer_lines().phases["data_features"].follow_ups if "computed" in q.text)
    assert computed not in replies[4] + replies[5]
    assert "roll out" not in replies[7]


def test_a_phase_does_not_open_on_what_the_candidate_has_already_fully_shown(start):
    s, clock = start()
    run(s, clock, [*OPENING, (11, "Historical orders and GPS pings are the data."),
                   (14, "I'd use LightGBM because it's fast on tabular data, and serve it online at order time "
                        "because the estimate depends on the request."),
                   (16, "New restaurants get the city average prep time until they have history."),
                   (18, "Cancelled orders are noisy, so I'd filter them out."), (21, "That's the data side.")])
    opening = interviewer_lines().phases["model_serving"].opening
    transition = next(t for t in questions(s) if t.move == "transition" and t.phase == "model_serving")
    assert opening is not None and opening.text not in transition.text


def test_the_interviewer_picks_up_a_model_the_candidate_named(start):
    s, clock = start()
    replies = run(s, clock, [*OPENING, (11, "Historical orders and GPS pings are the data."),
                             (16, "New restaurants get the city average prep time until they have history."),
                             (21, "Serving is online at order time because it depends on the request."),
                             (24, "For the model itself I'd just use LightGBM.")])
    assert "LightGBM" in replies[-1] and replies[-1].count("?") == 1


def test_a_candidate_ahead_of_the_clock_is_asked_about_the_model_they_named(start):
    """Everything said in the first minute: naming the model and its serving shows where the
    candidate is, even when nothing they said meets a criterion yet."""
    s, clock = start()
    replies = run(s, clock, [(0.2, "How many orders a day?"), (0.4, "Regression on delivery minutes."),
                             (0.6, "New restaurants get the city average prep time."),
                             (0.8, "The model is XGBoost served on Kubernetes behind the order API.")])
    assert "XGBoost" in replies[-1] or "Kubernetes" in replies[-1]


def test_a_missing_must_probe_is_asked_through_the_candidates_own_choice(start):
    s, clock = start()
    run(s, clock, [*OPENING, (11, "Historical orders and GPS pings are the data."),
                   (16, "New restaurants get the city average prep time until they have history."),
                   (21, "I'd start with LightGBM because it's fast on tabular data."),
                   (24, "It's served online behind the order API, reading restaurant features from Redis.")])
    probe = questions(s)[-1]
    assert probe.probe == "fallback"
    assert "Redis" in probe.text or "LightGBM" in probe.text


def test_go_on_only_after_an_answer_that_trails_off(start):
    s, clock = start()
    replies = run(s, clock, [*OPENING, (11, "Let's talk data."), (12, "For data I'd use orders and GPS pings, and"),
                             (13, "restaurant prep times from the kitchen system."), (14, "Not sure what else.")])
    keep_going = interviewer_lines().keep_going
    assert any(line in replies[4] for line in keep_going) and "?" not in replies[4]
    assert not any(line in r for r in replies[5:] for line in keep_going)
    assert replies[5].count("?") == 1 and replies[6].count("?") == 1


def test_the_last_phase_asks_the_cases_own_tradeoffs_and_one_curveball(start, cases):
    case = cases.get("delivery-time")
    s, clock = start()
    run(s, clock, [*OPENING, (11, "Historical orders and GPS pings."),
                   (12, "A new restaurant gets the city average prep time."), (21, "LightGBM, served online."),
                   (22, "If the model is down we show distance times six plus prep time."),
                   (31, "We'd monitor MAE hourly."), (32, "Labels arrive when the order is delivered."),
                   (38.5, "I'd keep it simple."), (40, "Mostly cost."), (41.5, "I'd check the numbers."),
                   (43, "Probably fine."), (44.5, "That's all.")])
    last = [t.text for t in questions(s) if t.phase == "tradeoffs"]
    own = [t.question for t in case.tradeoffs]
    assert sum(any(q in text for q in own) for text in last) >= 2
    assert sum(any(c.question in text for c in case.curveballs) for text in last) == 1


def test_a_case_that_names_no_tradeoffs_gets_the_seeds_six_in_their_own_words(start, tmp_path, rubric):
    path = tmp_path / "search.toml"
    path.write_text('id = "search-ranking"\ntitle = "Search ranking"\nsummary = "Rank results."\n'
                    'prompt = "Design search ranking."\n', encoding="utf-8")
    s, clock = start(load_case(path, rubric.vocabulary()))
    run(s, clock, [(1, "What's the traffic?"), (6, "It's ranking."), (11, "Click logs."), (21, "LightGBM."),
                   (31, "Latency dashboards."), (38.5, "Fine."), (39, "Okay."), (40, "Okay."), (41.5, "Sure."),
                   (42.5, "Sure.")])
    generic = [t.question for t in tradeoff_kinds().values()]
    assert any(q in t.text for t in questions(s) if t.phase == "tradeoffs" for q in generic)


def test_a_probe_counts_once_against_its_phases_cap(cases, rubric):
    """Each move is recorded once, where it is decided: a probe used to count twice, which
    halved every phase's probes."""
    plan = Plan.scaled(45)
    policy = Policy(plan, rubric, cases.get("delivery-time"))
    tracker = EvidenceTracker(rubric, cases.get("delivery-time"), plan)
    for minute, text in [(1, "Hi."), (6, "Okay."), (8, "Not sure.")]:
        evidence = tracker.add(Turn(speaker="candidate", text=text, elapsed=minute * 60))
        move = policy.decide(minute * 60, text, evidence, tracker)
        tracker.add(Turn(speaker="interviewer", text=move.question or "", elapsed=minute * 60, phase=move.phase,
                         probe=move.probe))
    assert move.kind == "probe" and policy.probes_in_phase["framing"] == 1 < PROBE_CAP["framing"]


def test_a_short_plain_session_probes_the_fallback_and_picks_up_the_candidates_choice(isolated_home):
    """As a user runs it, answers piped in at once: the candidate names technologies, covers cold
    start and never says what happens when the model is down."""
    script = "\n".join([
        "Is the estimate shown before ordering or on the tracking page? And what's the latency budget?",
        "It's a regression problem: we predict delivery minutes and optimise MAE offline.",
        PIPELINE,
        "New restaurants have no history, so we use the city average prep time for their cuisine.",
        "I'd start with LightGBM because it's fast on tabular data, served online behind the order API.",
        "We'd monitor MAE hourly per city and retrain weekly.",
        "/end"]) + "\n"
    r = subprocess.run([sys.executable, "-m", "tui", "practice", "--plain", "--case", "delivery-time",
                        "--minutes", "10", "--seed", "3"], input=script, capture_output=True, text=True,
                       env=os.environ.copy(), timeout=60)
    assert r.returncode == 0, r.stderr
    export = subprocess.run([sys.executable, "-m", "tui", "export", "1", "--format", "json"], capture_output=True,
                            text=True, env=os.environ.copy(), timeout=60).stdout
    asked = [t for t in json.loads(export)["turns"] if t["speaker"] == "interviewer"][1:]
    assert any(t["probe"] == "fallback" for t in asked)
    assert any(name in t["text"] for t in asked for name in ("Kafka", "Flink", "Redis", "Spark", "LightGBM"))
    assert sum(any(k in t["text"] for k in interviewer_lines().keep_going) for t in asked) <= 1


TALKED_OUT_DATA = [
    (10.5, "We'd use 200 million historical orders with delivery times, driver GPS pings, restaurant prep times and "
           "weather feeds."),
    (11.5, "Cancelled and re-delivered orders are noisy, so I'd filter them out before training."),
    (12.5, "New restaurants have no history, so they get the city average prep time until they have fifty orders."),
    (13.5, "Queue length and driver speed are streamed through Kafka into Redis; prep-time averages are a nightly "
           "batch job."),
    (14.5, "Training rows use point-in-time joins, so each feature is the value as of the order time."),
    (15.5, "That's all I have on data."), (16.5, "Nothing more on data from me."), (17.5, "I think that covers it."),
    (18.5, "That's all."), (19.5, "Still nothing to add.")]


def test_a_phase_talked_out_early_gets_questions_that_dig_deeper_never_go_on(start):
    s, clock = start()
    replies = run(s, clock, [*OPENING, *TALKED_OUT_DATA])
    lines = interviewer_lines()
    done = replies[-5:]  # to "That's all I have on data." and what follows it
    assert all(r.count("?") == 1 and not any(k in r for k in lines.keep_going) for r in done), done
    deeper = [q.text for q in lines.phases["data_features"].deeper]
    assert sum(any(q in r for q in deeper) for r in done) >= 2
    assert all(t.phase == "data_features" for t in questions(s)[-5:])  # the plan itself keeps to the clock


def test_a_candidate_who_covers_everything_fast_is_asked_about_the_whole_design_before_any_go_on(cases):
    """The brisk persona (strong, at twice the speed) talks every phase out early: what is left
    at the end is questions on the design as a whole, and "go on" only once they are asked."""
    said: list[tuple[Move, str]] = []

    class Recording(OfflineInterviewer):
        def render(self, ctx):
            text = super().render(ctx)
            said.append((ctx.move, text))
            return text

    for case_id in ("delivery-time", "payment-fraud"):
        said.clear()
        simulate(cases.get(case_id), load_personas()["brisk"], 1, 0, Recording)
        wrap_ups = interviewer_lines().wrap_ups
        last = [m for m, _ in said if m.phase == "tradeoffs"]
        asked = [i for i, m in enumerate(last) if m.question in wrap_ups]
        assert asked, case_id
        assert all(i > max(asked) for i, m in enumerate(last) if m.kind == "go_on"), case_id


def test_answering_our_own_question_about_an_earlier_part_is_not_lingering_on_it(cases, rubric):
    """Asked in the model phase how training sees what Redis served, the candidate answers about
    point-in-time joins (a data-phase topic): that is an answer, not a reason to move them along."""
    plan, case = Plan.scaled(45), cases.get("delivery-time")
    policy, tracker = Policy(plan, rubric, case), EvidenceTracker(rubric, case, plan)
    for minute, text in [(6, "It's a regression on delivery minutes."), (11, "Historical orders and GPS pings."),
                         (12, "A new restaurant gets the city average prep time."),
                         (21, "LightGBM, served online, reading features from Redis."), (21.5, "That's the model.")]:
        policy.decide(minute * 60, text, tracker.add(Turn(speaker="candidate", text=text, elapsed=minute * 60)),
                      tracker)
    assert policy.phase == "model_serving"
    policy.listener.asked(["point_in_time"])  # "How does training see the same values Redis served?"
    answer = "Training rows use point-in-time joins, so each feature is the value as of the order time."
    move = policy.decide(23 * 60, answer, tracker.add(Turn(speaker="candidate", text=answer, elapsed=23 * 60)),
                         tracker)
    assert move.kind != "nudge"


def test_a_settled_figure_is_not_picked_up_to_ask_how_the_answer_it_came_in_got_there(cases):
    """Once a fast candidate has talked everything out, the interviewer goes back to their choices
    from another side, but never asks "How did you get to 23 replicas?" of the very answer that
    worked the 23 replicas out."""
    said: list[str] = []

    class Recording(OfflineInterviewer):
        def render(self, ctx):
            said.append(super().render(ctx))
            return said[-1]

    for case in cases.cases:
        simulate(case, load_personas()["brisk"], 2, 0, Recording)
    assert not [t for t in said if "How did you get to" in t or re.search(r"At [\d,.]+ ?\w+, how many machines", t)]


def test_a_must_probe_may_pick_up_a_choice_from_well_before_and_says_it_goes_back_to_it(start):
    s, clock = start()
    run(s, clock, [*OPENING, (11, PIPELINE), (12, "New restaurants get the city average prep time."),
                   (13, "Cancelled orders are noisy, so I'd filter them out."),
                   (21, "Serving is online at order time because the estimate depends on the request."),
                   (24, "The day-one baseline is distance times six plus the restaurant's average prep time."),
                   (26.5, "That's the serving side.")])
    probe = questions(s)[-1]
    assert probe.probe == "fallback" and "Redis" in probe.text
    assert any(probe.text.startswith(lead) for lead in interviewer_lines().earlier_leads)


def test_a_candidate_answering_each_phases_own_questions_is_never_moved_along(cases):
    """The strong persona keeps to the phase it is asked about, mentioning earlier parts on the
    way ("LightGBM handles missing values"): that is no reason to move it along."""
    kinds: list[str] = []

    class Recording(OfflineInterviewer):
        def render(self, ctx):
            kinds.append(ctx.move.kind)
            return super().render(ctx)

    for case in cases.cases:
        simulate(case, load_personas()["strong"], 2, 0, Recording)
    assert kinds and "nudge" not in kinds


def test_short_complete_answers_are_asked_why_how_or_what_breaks_not_go_on(start):
    s, clock = start()
    short = ["Supervised regression on delivery minutes.", "MAE offline, orders within five minutes for the business.",
             "Past orders with their delivery times.", "Rolling prep times per restaurant.",
             "A nightly Spark job computes them.", "Joined as of order time.", "Dedupe cancelled orders.",
             "That's it for this part.", "Nothing more here."]
    run(s, clock, [*OPENING, *((6.2 + 0.25 * i, text) for i, text in enumerate(short * 2))])
    kinds = [t.move for t in questions(s)]
    assert "go_on" not in kinds
    depth = interviewer_lines().depth
    wordings = [w for ws in depth.challenges().values() for w in ws]
    assert any(w in t.text for t in questions(s) for w in wordings)


def test_a_candidate_who_adds_nothing_is_not_quoted_back_to_more_than_twice_in_a_row(start):
    s, clock = start()
    said = ["Past orders with their delivery times.", "Rolling prep times per restaurant from a nightly job.",
            "Orders are joined with features as of order time.", "Cancelled orders get dropped before training.",
            "New restaurants start from the city average prep time.", "Traffic speed comes from live GPS pings.",
            "Weather comes from a hourly feed.", "Driver speed is averaged over their last week."]
    run(s, clock, [*OPENING, *((6.2 + 0.25 * i, text) for i, text in enumerate(said + ["Nothing more here."] * 16))])
    quoting = [bool(re.search(r'(?:You said|when you said) "', t.text)) for t in questions(s)]
    runs = "".join("q" if q else "." for q in quoting)
    assert "q" in runs and "qqq" not in runs
