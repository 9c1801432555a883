"""The reference-guided judge: the request carries the case's references and the rubric, the
judge writes a rationale before each status, it is sampled K times (the median status kept,
the spread per category reported), and a claim on a recited sentence needs more than a quote.
With an endpoint configured the judge is the headline, the offline checklist beside it."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest
import respx
from pydantic import SecretStr
from test_llm_judge import URL, completion, verdict

from bench.llm_server import FakeLLM
from mlsd.core.transcript import Turn
from mlsd.llm.endpoint import Endpoint
from mlsd.llm.errors import EndpointError
from mlsd.llm.openai_client import OpenAIChatClient
from mlsd.rubric.consensus import median_status
from mlsd.rubric.judge_settings import JudgeSettings
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.rubric.sampled_judge import sampled_judge
from mlsd.rubric.support import supports
from mlsd.rubric.text import sentences

from conftest import transcript

ENDPOINT = Endpoint(model="gpt-4o-mini", api_key=SecretStr("sk-judge"), max_retries=0)
TRANSCRIPTS = Path(__file__).parent / "data" / "transcripts"


def claims(t, case, rubric, **status: str) -> str:
    """What a judge that agrees with the checklist says, with `status` overriding some criteria."""
    report = score_transcript(t, case, rubric)
    out = []
    for c in (c for cat in report.categories.values() for c in cat.criteria):
        s = status.get(c.id, c.status)
        out.append({"id": c.id, "rationale": f"On {c.id}: {s}.", "status": s, "prompted": c.prompted,
                    "turn": c.turn if s in ("met", "partial") else None,
                    "quote": one_sentence(t, c, case, rubric) if s in ("met", "partial") else None})
    return verdict(out)


def one_sentence(t, c, case, rubric) -> str | None:
    """The checklist may quote two sentences read together; a judge quotes the one of them
    that shows the criterion, as its prompt asks."""
    if c.quote is None or c.turn is None:
        return c.quote
    before = dict(t.numbered()).get(c.turn - 1)
    asked = before.text if before is not None and before.speaker == "interviewer" else None
    spans = sentences(c.quote)
    return next((s.text for s in spans if supports(s.text, c.id, case, asked, rubric)), spans[0].text)


def judge(t, case, samples=3, temperature=0.7):
    return asyncio.run(sampled_judge(t, case, OpenAIChatClient(ENDPOINT), JudgeSettings(samples, temperature)))


@respx.mock
def test_the_request_carries_the_cases_references_and_asks_for_a_rationale_before_each_status(cases, rubric):
    t, case = transcript("payment-fraud.medium"), cases.get("payment-fraud")
    route = respx.post(URL).mock(return_value=completion(claims(t, case, rubric)))
    judge(t, case, samples=1)
    body = json.loads(route.calls[0].request.content)
    system = body["messages"][0]["content"]
    for cid, reference in case.references.items():
        assert f"- {cid}: " in system and f"Reference for this case: {reference}" in system
    required = body["response_format"]["json_schema"]["schema"]["properties"]["criteria"]["items"]["required"]
    assert required.index("rationale") < required.index("status")


@respx.mock
def test_k_samples_at_the_configured_temperature_keep_the_median_status(cases, rubric):
    t, case = transcript("delivery-time.medium"), cases.get("delivery-time")
    route = respx.post(URL).mock(side_effect=[
        completion(claims(t, case, rubric, cold_start="met", fallback="partial")),
        completion(claims(t, case, rubric, cold_start="missed", fallback="missed")),
        completion(claims(t, case, rubric, cold_start="met", fallback="missed")),
    ])
    report = judge(t, case, samples=3, temperature=0.4)
    assert route.call_count == 3 and report.samples == 3
    assert [json.loads(c.request.content)["temperature"] for c in route.calls] == [0.4] * 3
    assert report.criterion("cold_start").status == "met" and report.criterion("cold_start").quote
    assert report.criterion("fallback").status == "missed" and report.criterion("fallback").quote is None
    assert report.criterion("cold_start").rationale == "On cold_start: met."
    assert report.categories["data_features"].spread > 0 and report.categories["framing"].spread == 0


@respx.mock
def test_samples_that_cite_one_sentence_for_two_categories_leave_it_backing_one(cases):
    t, case = transcript("delivery-time.strong"), cases.get("delivery-time")
    store = "Precomputed restaurant and driver features live in a Redis feature store with about a 1 ms lookup."
    budget = next(s.text for n, x in t.numbered() for s in sentences(x.text) if s.text.startswith("The latency budget"))
    at = {store: next(n for n, x in t.numbered() if store in x.text),
          budget: next(n for n, x in t.numbered() if budget in x.text)}

    def met(cid, quote):
        return {"id": cid, "rationale": "", "status": "met", "prompted": False, "turn": at[quote], "quote": quote}
    # Each sample alone uses the sentence for one category; their medians would use it for two.
    respx.post(URL).mock(side_effect=[completion(verdict([met("feature_store", store)])),
                                      completion(verdict([met("feature_computation", store)])),
                                      completion(verdict([met("feature_computation", store),
                                                          met("feature_store", budget)]))])
    report = judge(t, case, samples=3)
    assert report.criterion("feature_computation").quote == store
    assert report.criterion("feature_store").status == "missed"


@respx.mock
def test_one_sample_is_the_judges_single_best_answer_at_temperature_zero(cases, rubric):
    t, case = transcript("delivery-time.medium"), cases.get("delivery-time")
    route = respx.post(URL).mock(return_value=completion(claims(t, case, rubric)))
    report = judge(t, case, samples=1, temperature=0.9)
    assert json.loads(route.calls[0].request.content)["temperature"] == 0
    assert report.samples == 1 and all(cat.spread is None for cat in report.categories.values())
    assert "spread" not in json.loads(report.model_dump_json())["categories"]["framing"]


@respx.mock
def test_an_endpoint_that_refuses_a_later_sample_leaves_the_median_of_what_it_answered(cases, rubric):
    t, case = transcript("delivery-time.medium"), cases.get("delivery-time")
    respx.post(URL).mock(side_effect=[completion(claims(t, case, rubric)),
                                      httpx.Response(429, json={"error": {"message": "slow down"}})])
    report = judge(t, case, samples=3)
    assert report.samples == 1 and report.criterion("cold_start").status == "met"


@respx.mock
def test_an_endpoint_that_refuses_the_first_sample_is_a_one_line_error(cases):
    respx.post(URL).mock(return_value=httpx.Response(429, json={"error": {"message": "slow down"}}))
    with pytest.raises(EndpointError):
        judge(transcript("delivery-time.medium"), cases.get("delivery-time"))


def test_the_median_of_an_even_count_is_the_lower_middle():
    assert median_status(["met", "missed"]) == "missed"
    assert median_status(["met", "met", "partial", "missed"]) == "partial"
    assert median_status(["n/a", "n/a"]) == "n/a"


@respx.mock
def test_a_claim_on_a_recited_list_of_terms_needs_more_than_a_quote(cases, rubric):
    case = cases.get("delivery-time")
    base = transcript("delivery-time.weak")
    recital = "Cold start, city median, fallback rule, Redis feature store, PSI drift, weekly retraining."
    t = base.model_copy(update={"turns": [*base.turns, Turn(speaker="candidate", text=recital, elapsed=2400)]})
    n = len(t.turns)
    listed = [{"id": cid, "rationale": "Named it.", "status": "met", "prompted": False, "turn": n, "quote": recital}
              for cid in ("cold_start", "fallback", "feature_store", "drift")]
    respx.post(URL).mock(return_value=completion(verdict(listed)))
    report = judge(t, case, samples=1)
    for cid in ("cold_start", "fallback", "feature_store", "drift"):
        c = report.criterion(cid)
        assert c.status == "missed" and c.quote is None, cid
        assert "Held to missed: the quoted text is a list of terms" in c.rationale


@respx.mock
def test_a_claim_on_a_sentence_crowded_with_rubric_topics_is_held_to_what_the_checklist_credits(cases):
    case = cases.get("delivery-time")
    base = transcript("delivery-time.weak")
    crowded = ("We would handle cold start with averages, a fallback rule when the model is down, drift "
               "monitoring with PSI and a retraining trigger.")
    t = base.model_copy(update={"turns": [*base.turns, Turn(speaker="candidate", text=crowded, elapsed=2400)]})
    claim = {"id": "cold_start", "rationale": "Cold start handled with averages.", "status": "met",
             "prompted": False, "turn": len(t.turns), "quote": crowded}
    respx.post(URL).mock(return_value=completion(verdict([claim])))
    held = judge(t, case, samples=1).criterion("cold_start")
    assert held.status == "partial" and held.quote == crowded
    assert "Held to partial: the quoted text is crowded with rubric topics" in held.rationale


@respx.mock
def test_a_claim_on_a_sentence_that_explains_stands(cases, rubric):
    t, case = transcript("delivery-time.medium"), cases.get("delivery-time")
    respx.post(URL).mock(return_value=completion(claims(t, case, rubric)))
    report = judge(t, case, samples=1)
    offline = score_transcript(t, case, rubric)
    assert {c.id: c.status for cat in report.categories.values() for c in cat.criteria} == \
           {c.id: c.status for cat in offline.categories.values() for c in cat.criteria}


@pytest.fixture
def mlsd(cli, monkeypatch):
    """`mlsd ARGS` in this process (the real SDK over real loopback HTTP), with `env` set."""
    def run(*args, env: dict[str, str]):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return cli(*args)
    return run


class JudgeLLM(FakeLLM):
    """A loopback judge: answers each judge request with the next of `answers` (the last repeats)."""

    def __init__(self, answers: list[str]) -> None:
        super().__init__()
        self.answers = answers

    def reply_for(self, body: dict) -> str:
        return self.answers[min(len(self.requests), len(self.answers)) - 1]


def test_with_an_endpoint_the_sampled_judge_is_the_headline_and_its_request_carries_the_references(
        mlsd, isolated_home, cases, rubric):
    t, case = transcript("payment-fraud.medium"), cases.get("payment-fraud")
    with JudgeLLM([claims(t, case, rubric, drift="partial"), claims(t, case, rubric),
                   claims(t, case, rubric, fallback="missed")]) as llm:
        env = {"OPENAI_BASE_URL": llm.base_url, "MLSD_MODEL": "test-model"}
        assert mlsd("import", TRANSCRIPTS / "payment-fraud.medium.txt", env=env).returncode == 0
        result = mlsd("report", "1", "--format", "json", env=env)
        again = mlsd("report", "1", "--format", "md", env=env)
    assert result.returncode == 0, result.stderr
    assert len(llm.requests) == 3  # judged once, then stored: the second report asks nothing
    for body in llm.requests:
        system = body["messages"][0]["content"]
        assert all(reference in system for reference in case.references.values())
    doc = json.loads(result.stdout)
    assert doc["scorer"] == "llm" and doc["samples"] == 3
    assert all("spread" in cat for cat in doc["categories"].values())
    assert doc["checklist"]["scorer"] == "offline" and doc["agreement"]["of"] > 0
    # A level from each scorer, the judge's the headline's.
    assert doc["level"]["estimate"] and doc["checklist"]["level"]["estimate"]
    assert doc["agreement"]["levels"] == {"judge": doc["level"]["estimate"],
                                          "checklist": doc["checklist"]["level"]["estimate"]}
    missed = [c for cat in doc["categories"].values() for c in cat["criteria"] if c["status"] == "missed"]
    assert missed and all(c["reference"].strip() for c in missed)
    assert "from the LLM judge, median of 3 samples" in again.stdout
    assert "**agreement**: judge and offline checklist agree on" in again.stdout


def test_a_judge_that_cannot_answer_leaves_the_checklist_as_the_score_and_says_why(mlsd, isolated_home):
    with JudgeLLM(["not json at all"]) as llm:
        env = {"OPENAI_BASE_URL": llm.base_url, "MLSD_MODEL": "test-model"}
        mlsd("import", TRANSCRIPTS / "delivery-time.medium.txt", env=env)
        result = mlsd("report", "1", "--format", "json", env=env)
    doc = json.loads(result.stdout)
    assert result.returncode == 0 and doc["scorer"] == "offline"
    assert doc["judge_note"].startswith("the LLM judge could not score this session (")


def test_a_wide_spread_is_reported_as_the_judge_disagreeing_with_itself(mlsd, isolated_home, cases, rubric):
    t, case = transcript("delivery-time.strong"), cases.get("delivery-time")
    model = {cid: "missed" for cid in ("baseline", "model_tradeoffs")}
    with JudgeLLM([claims(t, case, rubric), claims(t, case, rubric, **model)]) as llm:
        env = {"OPENAI_BASE_URL": llm.base_url, "MLSD_MODEL": "test-model"}
        mlsd("import", TRANSCRIPTS / "delivery-time.strong.txt", env=env)
        result = mlsd("report", "1", "--samples", "2", env=env)
    assert result.returncode == 0, result.stderr
    assert "- **the judge disagreed with itself** on Model selection: its samples ranged 100 points" in result.stdout
    assert "Problem framing: its samples ranged" not in result.stdout  # under WIDE_SPREAD: nothing to say


def test_score_with_one_sample_asks_the_judge_once(mlsd, isolated_home, cases, rubric):
    t, case = transcript("delivery-time.medium"), cases.get("delivery-time")
    with JudgeLLM([claims(t, case, rubric)]) as llm:
        env = {"OPENAI_BASE_URL": llm.base_url, "MLSD_MODEL": "test-model"}
        result = mlsd("score", TRANSCRIPTS / "delivery-time.medium.txt", "--scorer", "llm", "--samples", "1",
                      "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert len(llm.requests) == 1 and llm.requests[0]["temperature"] == 0
    assert json.loads(result.stdout)["samples"] == 1


@pytest.mark.parametrize("args, config, message", [
    (["--samples", "0"], "", "--samples: 0 is not a whole number from 1 to 15"),
    ([], "judge_samples = 2.5\n", "judge_samples: 2.5 is not a whole number from 1 to 15"),
    ([], "judge_temperature = -1\n", "judge_temperature: -1 is not a number from 0 to 2"),
])
def test_bad_judge_settings_are_one_line(mlsd, isolated_home, args, config, message):
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "config.toml").write_text(config)
    result = mlsd("score", TRANSCRIPTS / "delivery-time.weak.txt", *args, env={})
    assert result.returncode == 2 and result.stderr.strip() == f"mlsd: {message}"


async def test_the_report_screen_asks_the_judge_and_shows_it_beside_the_checklist(monkeypatch, cases, rubric):
    from mlsd.tui.app import Start
    from mlsd.tui.screens.report import ReportScreen

    from app_helpers import make_app, seed, until

    t, case = transcript("payment-fraud.medium"), cases.get("payment-fraud")
    with JudgeLLM([claims(t, case, rubric)]) as llm:
        monkeypatch.setenv("OPENAI_BASE_URL", llm.base_url)
        monkeypatch.setenv("MLSD_MODEL", "test-model")
        app, _ = make_app(Start("report", session_id=2))
        seed(app)  # session 2 is payment-fraud.medium
        async with app.run_test(size=(100, 32)) as pilot:
            # The checklist shows at once, the judge replaces the headline when it answers.
            await until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.result is not None)
            screen = app.screen
            await until(pilot, lambda: screen.result.data.report.scorer == "llm")
            assert str(screen.query_one("#overall-label").render()) == "/100 · LLM judge ×3"
            assert "asking the LLM judge" not in str(screen.query_one("#report-head").render())
            beside = str(screen.query_one("#other-scorers").render())
            checklist = screen.result.checklist
            assert beside == f"checklist {checklist.overall:.0f}, {checklist.level.estimate}\nagree on 25 of 25"
            assert str(screen.query_one("#level").render()) == f"level: {screen.result.data.report.level.estimate}"
    assert len(llm.requests) == 3


async def test_a_judge_that_fails_on_the_report_screen_leaves_the_checklist_and_is_asked_once(monkeypatch):
    from mlsd.tui.app import Start
    from mlsd.tui.screens.report import ReportScreen

    from app_helpers import make_app, seed, until

    with JudgeLLM(["not json at all"]) as llm:
        monkeypatch.setenv("OPENAI_BASE_URL", llm.base_url)
        monkeypatch.setenv("MLSD_MODEL", "test-model")
        app, _ = make_app(Start("report", session_id=2))
        seed(app)
        async with app.run_test(size=(100, 32)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.result is not None)
            screen = app.screen
            await until(pilot, lambda: screen.result.data.judge_note is not None)
            assert str(screen.query_one("#overall-label").render()) == "/100 · checklist"
            assert "judge unavailable" in str(screen.query_one("#other-scorers").render())
            await pilot.pause(0.2)
    assert len(llm.requests) == 2  # one sample and its repair round; not asked again


def test_calibrate_measures_the_same_sampled_reference_guided_judge(mlsd, tmp_path, cases):
    folder = tmp_path / "labelled"
    folder.mkdir()
    labels = {"delivery-time.strong": {"overall": 90}, "delivery-time.weak": {"overall": 10}}
    for name in labels:
        (folder / f"{name}.txt").write_text((TRANSCRIPTS / f"{name}.txt").read_text())
    (folder / "labels.json").write_text(json.dumps(labels))
    with JudgeLLM([verdict([])]) as llm:
        env = {"OPENAI_BASE_URL": llm.base_url, "MLSD_MODEL": "test-model"}
        result = mlsd("calibrate", folder, "--scorer", "llm", "--samples", "2", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["scorer"] == "llm"
    assert len(llm.requests) == 4  # two transcripts, two samples each
    reference = cases.get("delivery-time").references["cold_start"]
    assert all(reference in body["messages"][0]["content"] for body in llm.requests)
