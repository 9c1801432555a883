"""`mlsd simulate`: scripted personas play whole sessions on a fake clock against the offline
interviewer (and an LLM endpoint over loopback HTTP), and each run is measured honestly."""
import json
import os
import random
import subprocess
import sys

import pytest

from mlsd.core.plan import Plan
from mlsd.core.transcript import Turn
from mlsd.interviewer.choices import choices_in
from mlsd.interviewer.move import Move
from mlsd.interviewer.offline import OfflineInterviewer
from mlsd.prompts.personas import load_persona_file, load_personas
from mlsd.sessions.candidates import ScriptedCandidate
from mlsd.sessions.sim_metrics import measure
from mlsd.sessions.simulate import goals, simulate

from conftest import add_user_case

PERSONAS = load_personas()


def mlsd(*args, env=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "tui", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def test_the_personas_the_issue_names_are_there_and_a_brisk_one():
    named = {"strong", "weak", "stuffed", "silent", "rambling", "off-topic", "no-fallback", "clarifier"}
    assert set(PERSONAS) == named | {"brisk"}


@pytest.mark.parametrize("case_id", ["delivery-time", "payment-fraud", "product-recs"])
def test_every_persona_meets_the_goals_on_each_seed_case(cases, case_id):
    sims = [simulate(cases.get(case_id), persona, 1, 0, OfflineInterviewer) for persona in PERSONAS.values()]
    unmet = [f"{g.goal}: {g.value}" for g in goals(sims) if not g.met]
    assert unmet == [], unmet
    strong = next(s for s in sims if s.persona == "strong")
    assert strong.total.curveballs_asked == 1


def test_a_never_mentioned_fallback_is_probed_in_every_run(cases):
    sim = simulate(cases.get("delivery-time"), PERSONAS["no-fallback"], 2, 7, OfflineInterviewer)
    assert all(r.metrics and r.metrics.must_probe_probed >= 1 for r in sim.runs)


def test_a_crash_the_session_stood_in_for_is_counted_with_when_it_happened_and_the_next_run_goes_on(cases):
    """The app keeps going when the interviewer raises (the offline one says the turn): the
    candidate hardly notices, but it is our bug, and simulate counts it."""
    class Faulty(OfflineInterviewer):
        def render(self, ctx):
            if ctx.move.kind == "transition" and ctx.move.transition_to == "model_serving" and ctx.seed == 0:
                raise KeyError("model_serving")
            return super().render(ctx)

    sim = simulate(cases.get("product-recs"), PERSONAS["weak"], 2, 0, Faulty)
    first, second = sim.runs
    assert first.crashes == 1 and first.error.startswith("interviewer: KeyError: 'model_serving' at 2")
    assert second.crashes == 0 and second.error is None
    assert sim.total.crashes == 1 and not goals([sim])[0].met


def test_a_policy_that_raises_is_a_crash_too(cases, monkeypatch):
    from mlsd.interviewer.policy import Policy

    def broken(self, elapsed, tracker):
        raise IndexError("no phase after the last")
    monkeypatch.setattr(Policy, "on_silence", broken)
    sim = simulate(cases.get("delivery-time"), PERSONAS["silent"], 1, 0, OfflineInterviewer)
    assert sim.total.crashes >= 1 and sim.runs[0].error.startswith("policy: IndexError: no phase after the last at ")


def turn(speaker, text, minute, **kw):
    return Turn(speaker=speaker, text=text, elapsed=int(minute * 60), **kw)


def test_the_measures_count_what_happened(cases, rubric):
    """A question on what the last answer covered, a bare "go on", a question picking up the
    candidate's own choice, and a figure from a fact nobody asked for are each counted."""
    case, plan = cases.get("delivery-time"), Plan.scaled(45)
    said = "Live features come from Kafka through Flink into Redis, and aggregates are a nightly Spark job."
    redis = next(c for c in choices_in(said, 4) if c.term == "Redis")
    turns = [turn("interviewer", "Hi. Design this.", 0), turn("candidate", said, 11),
             turn("interviewer", "How would the features get computed?", 11),
             turn("candidate", "We'd clean the data, and", 12), turn("interviewer", "Go on.", 12),
             turn("candidate", "drop cancelled orders.", 13),
             turn("interviewer", "Your features live in Redis. If Redis is down at 100 ms, what does the customer see?",
                  13)]
    moves = [Move(kind="open", phase="clarify", elapsed=0),
             Move(kind="follow_up", phase="data_features", elapsed=660, question=turns[2].text,
                  about=["feature_computation"]),
             Move(kind="go_on", phase="data_features", elapsed=720),
             Move(kind="deep_dive", phase="data_features", elapsed=780, question=turns[6].text, about=["fallback"],
                  choice=redis, challenge="breaks")]
    m = measure(turns, moves, case, plan, rubric)
    assert m.redundant == ["How would the features get computed?"]
    assert (m.fillers, m.interviewer_turns, m.grounded_follow_ups) == (1, 4, 1)
    assert m.volunteered == ["turn 7: 100ms"]


def test_every_simulated_session_lets_go_of_what_it_held(cases):
    # Each session holds a lock while it runs: kept open, a long simulation ran out of files.
    before = len(os.listdir("/proc/self/fd"))
    sim = simulate(cases.get("payment-fraud"), PERSONAS["silent"], 5, 0, OfflineInterviewer)
    assert sim.total.crashes == 0 and len(os.listdir("/proc/self/fd")) == before


def test_a_persona_that_never_covers_a_topic_needs_no_beat_about_it_and_dodges_its_probe(cases):
    persona = PERSONAS["strong"].model_copy(update={"never": ["fallback"], "lines": PERSONAS["strong"].lines.model_copy(
        update={"answers": {**PERSONAS["strong"].lines.answers, "fallback": ["We return the rules."],
                            "dodge": ["I haven't thought about that."]}})})
    candidate = ScriptedCandidate(persona, cases.get("delivery-time"), random.Random(0))
    probe = Move(kind="probe", phase="model_serving", elapsed=1200, probe="fallback", about=["fallback"],
                 question="What if the model is down?")
    assert candidate.reply(probe, "model_serving") == "I haven't thought about that."


def test_a_persona_file_whose_never_names_no_topic_is_one_line(tmp_path, isolated_home):
    path = tmp_path / "odd.toml"
    path.write_text('id = "odd"\nsummary = "Odd."\nnever = ["fallbak"]\n[lines]\nframing = [{ say = ["Hi."] }]\n')
    load_persona_file(path)  # no beat needs to be about it
    text = mlsd("simulate", "--case", "delivery-time", "--persona", path, "--runs", "1")
    assert text.returncode == 2
    assert text.stderr.strip().endswith(f"{path}: never[0]: 'fallbak' is neither a criterion nor a kind of choice")


def test_simulate_prints_every_run_and_the_goals_and_json_has_the_named_keys(isolated_home):
    text = mlsd("simulate", "--case", "payment-fraud", "--persona", "silent", "--runs", "2", "--seed", "5")
    assert text.returncode == 0, text.stderr
    assert "payment-fraud, silent persona: 2 runs from seed 5" in text.stdout and "✔ no crashes: 0" in text.stdout
    runs = [line.split()[:2] for line in text.stdout.splitlines() if line.strip()[:1].isdigit()]
    assert runs == [["1", "5"], ["2", "6"]]
    r = mlsd("simulate", "--case", "payment-fraud", "--persona", "silent", "--json")
    doc = json.loads(r.stdout)
    sim = doc["simulations"][0]
    keys = {"crashes", "phases_on_time", "must_probe_recall", "redundant_questions", "filler_share",
            "grounded_follow_ups", "facts_volunteered"}
    assert keys <= set(sim["runs"][0]) and keys <= set(sim["total"])
    assert (sim["case"], sim["persona"], sim["backend"], sim["minutes"]) == ("payment-fraud", "silent", "offline", 45)
    assert all(g["met"] for g in doc["goals"])


def test_simulate_checks_a_users_own_case_file(isolated_home):
    add_user_case(isolated_home)
    r = mlsd("simulate", "--case", "search-ranking", "--persona", "clarifier", "--json")
    doc = json.loads(r.stdout)
    assert r.returncode == 0 and doc["simulations"][0]["total"]["crashes"] == 0


def test_unknown_names_are_one_line(isolated_home):
    for args, needle in ((["--case", "nope"], "unknown case 'nope'"), (["--case", "all", "--persona", "nobody"],
                         "unknown persona 'nobody'; known: brisk, clarifier"), (["--case", "all", "--runs", "0"],
                         "--runs 0: needs at least one run")):
        r = mlsd("simulate", *args)
        assert r.returncode == 2 and r.stderr.strip().count("\n") == 0 and needle in r.stderr, r.stderr


def test_simulate_runs_against_an_llm_endpoint_over_loopback_and_the_plan_holds(isolated_home, cases):
    from bench.llm_server import FakeLLM

    with FakeLLM() as llm:
        r = mlsd("simulate", "--case", "delivery-time", "--persona", "strong", "--json",
                 env={"OPENAI_BASE_URL": llm.base_url, "MLSD_MODEL": "test-model"})
        requests = list(llm.requests)
    sim = json.loads(r.stdout)["simulations"][0]
    assert sim["backend"].startswith("test-model@127.0.0.1:")
    total = sim["total"]
    assert total["crashes"] == 0 and total["grounded_follow_ups"] >= 2
    assert total["phases_on_time"] == total["phases"] == 5 and total["must_probe_recall"] == 1
    systems = [req["messages"][0]["content"] for req in requests[1:]]
    dives = [s for s in systems if "Dig into one of their own choices" in s]
    assert dives and all('They said: "' in s for s in dives)
    # A fact reaches the model only on a turn where the candidate asked a question.
    facts = cases.get("delivery-time").facts
    for req in requests[1:]:
        said = next(m["content"] for m in reversed(req["messages"]) if m["role"] == "user")
        if any(f.answer in req["messages"][0]["content"] for f in facts):
            assert "?" in said
    assert not (isolated_home / "mlsd.db").exists()  # simulated sessions stay out of the user's history


def write_persona(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


QUIET_EXPERT = ('id = "quiet-expert"\nbased_on = "strong"\nsummary = "Strong, and silent half the time."\n'
                'silence = 0.5\n')
MUMBLER = ('id = "mumbler"\nsummary = "Says little."\nsilence = 0.6\n[lines]\n'
           'framing = [{ about = ["ml_task"], say = ["Some kind of prediction, I think."] }]\n')


def test_simulate_plays_the_personas_of_a_folder_of_ones_own(cli, tmp_path):
    folder = tmp_path / "held-out"
    write_persona(folder, "quiet-expert", QUIET_EXPERT)
    write_persona(folder, "mumbler", MUMBLER)
    r = cli("simulate", "--case", "product-recs", "--personas", folder, "--json")
    doc = json.loads(r.stdout)
    assert [s["persona"] for s in doc["simulations"]] == ["mumbler", "quiet-expert"]  # only the folder's
    assert all(s["total"]["crashes"] == 0 for s in doc["simulations"])
    one = cli("simulate", "--case", "product-recs", "--personas", folder, "--persona", "mumbler", "--json")
    assert [s["persona"] for s in json.loads(one.stdout)["simulations"]] == ["mumbler"]


def test_simulate_plays_one_persona_file_that_builds_on_a_built_in_one(cli, tmp_path):
    path = write_persona(tmp_path, "quiet-expert", QUIET_EXPERT)
    r = cli("simulate", "--case", "delivery-time", "--persona", path, "--json")
    sim = json.loads(r.stdout)["simulations"][0]
    assert sim["persona"] == "quiet-expert" and sim["total"]["crashes"] == 0


@pytest.mark.parametrize(("setup", "needle"), [
    (lambda d: write_persona(d, "typo", 'id = "typo"\nsummary = "s"\n[lines]\n'
                                        'framing = [{ about = ["fallbak"], say = ["Hi."] }]\n'),
     "typo.toml: lines.framing[0].about: 'fallbak' is neither a criterion nor a kind of choice"),
    (lambda d: write_persona(d, "orphan", 'id = "orphan"\nbased_on = "nobody"\nsummary = "s"\n'),
     "orphan.toml: based_on: 'nobody' is not a persona with lines of its own"),
    (lambda d: write_persona(d, "bad", 'id = "bad"\nsummary = "s"\npace = [90, 30]\n'),
     "bad.toml: pace: needs two positive numbers of seconds, the smaller first"),
    (lambda d: d, "no persona files (*.toml) there"),
])
def test_a_persona_folder_the_simulation_cannot_use_is_one_line_naming_the_file(cli, tmp_path, setup, needle):
    folder = tmp_path / "mine"
    folder.mkdir()
    setup(folder)
    r = cli("simulate", "--case", "delivery-time", "--personas", folder)
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0 and needle in r.stderr, r.stderr


def test_a_missing_persona_folder_or_file_is_one_line(cli, tmp_path):
    r = cli("simulate", "--case", "delivery-time", "--personas", tmp_path / "nowhere")
    assert r.returncode == 2 and "nowhere: not a folder" in r.stderr
    r = cli("simulate", "--case", "delivery-time", "--persona", tmp_path / "gone.toml")
    assert r.returncode == 2 and "gone.toml: cannot read" in r.stderr
