"""The LLM interviewer end to end: the real openai SDK over real HTTP to an OpenAI-compatible
streaming server started on 127.0.0.1 by the test."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from pydantic import SecretStr

from bench.llm_server import FakeLLM
from mlsd.interviewer.backends import build
from mlsd.interviewer.clock import FakeClock
from mlsd.interviewer.llm_interviewer import LLMInterviewer
from mlsd.interviewer.offline import OfflineInterviewer
from mlsd.interviewer.takeover import TakeoverInterviewer
from mlsd.llm.endpoint import Endpoint
from mlsd.llm.providers import connect
from mlsd.sessions.practice import PracticeSession
from mlsd.sessions.store import Store

KEY = "sk-e2e-SECRET-0123456789"


def mlsd(*args, env: dict[str, str], stdin: str = ""):
    return subprocess.run([sys.executable, "-m", "tui", *args], input=stdin, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=60)


def test_a_whole_short_session_runs_on_the_llm_over_loopback_http(tmp_path, cases):
    with FakeLLM(key=KEY) as llm:
        endpoint = Endpoint(model="test-model", base_url=llm.base_url, api_key=SecretStr(KEY))
        clock = FakeClock()
        store = Store(tmp_path / "m.db")
        session = PracticeSession.start(store, cases.get("delivery-time"), clock, build(connect(endpoint)), minutes=2,
                                        backend="openai", model="test-model", seed=1)

        async def go():
            replies = ["".join([c async for c in session.open()])]
            for at, text in [(10, "How many orders per day?"), (30, "We predict minutes: a regression task."),
                             (60, "New restaurants use the city median prep time."), (125, "That is all.")]:
                clock.set(at)
                replies.append("".join([c async for c in session.answer(text)]))
            return replies

        replies = asyncio.run(go())
    assert session.finished and session.score is not None
    assert all(r.startswith("Thanks. You said:") for r in replies)
    assert "You said: We predict minutes: a regression" in replies[2]
    assert len(llm.requests) == 5 and all(r["stream"] for r in llm.requests)
    assert "Move the candidate on to" in llm.requests[2]["messages"][0]["content"]  # framing began at 00:13
    assert "Time is up" in llm.requests[-1]["messages"][0]["content"]
    assert store.session(session.id).status == "completed"


def test_a_bad_key_is_one_line_at_start_and_no_session_is_made(tmp_path):
    home = tmp_path / "home"
    with FakeLLM(key=KEY) as llm:
        r = mlsd("practice", "--plain", "--case", "delivery-time",
                 env={"MLSD_HOME": str(home), "OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": "sk-wrong",
                      "MLSD_MODEL": "test-model"})
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0
    assert "refused the API key (401)" in r.stderr and "sk-wrong" not in r.stderr
    assert not (home / "mlsd.db").exists() or Store(home / "mlsd.db").sessions() == []


def test_the_key_is_nowhere_in_the_database_exports_reports_or_output(tmp_path):
    home = tmp_path / "home"
    with FakeLLM(key=KEY) as llm:
        env = {"MLSD_HOME": str(home), "OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": KEY,
               "MLSD_MODEL": "test-model"}
        run = mlsd("practice", "--plain", "--case", "payment-fraud", "--minutes", "5", env=env,
                   stdin="What is the fraud rate?\nWe would start with a rules baseline.\n/end\n")
        outputs = [run.stdout, run.stderr]
        for args in (["report", "1", "--format", "md"], ["report", "1", "--format", "html"],
                     ["report", "1", "--format", "json"], ["export", "1", "--format", "json"], ["export", "1"],
                     ["history"]):
            r = mlsd(*args, env=env)
            assert r.returncode == 0, r.stderr
            outputs += [r.stdout, r.stderr]
    assert run.returncode == 0 and "Thanks. You said: What is the fraud rate?" in run.stdout
    assert "test-model@127.0.0.1" in run.stdout
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.name == "mlsd.db" for p in files)
    for blob in [p.read_bytes() for p in files] + [o.encode() for o in outputs]:
        assert KEY.encode() not in blob
    assert all(h.get("Authorization") == f"Bearer {KEY}" for h in llm.headers)  # it was really used


async def test_the_app_says_when_the_offline_interviewer_takes_over_and_when_the_llm_is_back():
    from mlsd.tui.app import Start

    from app_helpers import make_app, practice_ready, until

    with FakeLLM(key=KEY) as llm:
        endpoint = Endpoint(model="test-model", base_url=llm.base_url, api_key=SecretStr(KEY), max_retries=0)
        interviewer = TakeoverInterviewer(LLMInterviewer(connect(endpoint)), OfflineInterviewer(),
                                          retry_after=0)  # try the endpoint again on the very next turn
        app, _ = make_app(Start("practice", case_id="delivery-time", seed=1), interviewer=lambda: interviewer)
        llm.fail_next = [503]
        async with app.run_test() as pilot:
            screen = await practice_ready(pilot)
            assert screen.label.startswith("offline, standing in for test-model@127.0.0.1:")
            assert "standing in for test-model" in str(screen.query_one("#status").render())
            await pilot.press(*"How many orders per day?", "enter")
            await until(pilot, lambda: screen.mode.takes_answers and len(screen.query(".message")) == 3)
            assert screen.label.startswith("test-model@127.0.0.1")
            assert screen.query(".message")[-1].text.startswith("Thanks. You said: How many orders per day?")


def with_password(url: str) -> str:
    return url.replace("http://", "http://alice:s3cr3t-pw@")


def test_a_password_in_the_base_url_is_not_in_the_status_line_takeover_notices_or_error_lines(tmp_path):
    home = tmp_path / "home"
    with FakeLLM() as llm:
        env = {"MLSD_HOME": str(home), "OPENAI_BASE_URL": with_password(llm.base_url) + "?api-key=k3y",
               "MLSD_MODEL": "test-model"}
        llm.fail_next = [200, 400]  # the start-up check passes; the opening fails (not retried)
        run = mlsd("practice", "--plain", "--case", "delivery-time", "--minutes", "5", env=env,
                   stdin="How many orders a day?\n/end\n")
        no_model = mlsd("practice", "--plain", env={**env, "MLSD_MODEL": ""})
    unreachable = mlsd("practice", "--plain", env={**env, "OPENAI_BASE_URL": "http://alice:s3cr3t-pw@127.0.0.1:9/v1"})
    assert run.returncode == 0, run.stderr
    assert "Interviewer: test-model@127.0.0.1:" in run.stdout and "the offline interviewer takes over" in run.stdout
    assert no_model.returncode == 2 and "needs a model name" in no_model.stderr
    assert unreachable.returncode == 2 and "cannot reach http://***@127.0.0.1:9/v1" in unreachable.stderr
    for shown in (run.stdout, run.stderr, no_model.stderr, unreachable.stderr):
        assert "s3cr3t" not in shown and "alice" not in shown and "k3y" not in shown


async def test_a_password_in_the_base_url_is_not_in_the_app_header_or_status_line(monkeypatch):
    from mlsd.tui.app import Start

    from app_helpers import make_app, practice_ready

    with FakeLLM() as llm:
        monkeypatch.setenv("OPENAI_BASE_URL", with_password(llm.base_url))
        monkeypatch.setenv("MLSD_MODEL", "test-model")
        app, _ = make_app(Start("home"))
        async with app.run_test() as pilot:
            header = str(app.screen.query_one("#home-head").render())
            await pilot.press("enter")
            screen = await practice_ready(pilot)
            status = str(screen.query_one("#status").render())
    assert "test-model@127.0.0.1:" in header and "test-model@127.0.0.1:" in status
    assert "s3cr3t" not in header + status and "alice" not in header + status


# One answer, so the session is kept, then the end.
ANSWER_AND_END = "We predict minutes per order.\n/end\n"


def test_a_stream_cut_off_by_the_server_is_finished_by_the_offline_interviewer_and_said(tmp_path):
    home = tmp_path / "home"
    with FakeLLM() as llm:
        llm.cut_next = [3]  # the opening streams three words, then the connection closes
        run = mlsd("practice", "--plain", "--case", "delivery-time", "--minutes", "5", stdin=ANSWER_AND_END,
                   env={"MLSD_HOME": str(home), "OPENAI_BASE_URL": llm.base_url, "MLSD_MODEL": "test-model"})
    assert run.returncode == 0, run.stderr
    assert "cut off" in run.stdout and "the offline interviewer takes over" in run.stdout
    opening = Store(home / "mlsd.db").turns(1)[0].text
    assert opening.startswith("Thanks. You said:") and "delivery-time prediction system" in opening


def test_escape_sequences_a_model_sends_are_shown_and_stored_as_visible_text(tmp_path):
    home = tmp_path / "home"
    with FakeLLM() as llm:
        llm.reply_for = lambda body: "Welcome \x1b]0;pwned\x07 to the \x1b[2J interview. Ask \x9b away."
        run = mlsd("practice", "--plain", "--case", "delivery-time", "--minutes", "5", stdin=ANSWER_AND_END,
                   env={"MLSD_HOME": str(home), "OPENAI_BASE_URL": llm.base_url, "MLSD_MODEL": "test-model"})
    assert run.returncode == 0, run.stderr
    assert not any(c in run.stdout for c in "\x1b\x07\x9b") and "Welcome \\x1b]0;pwned\\x07 to the" in run.stdout
    assert Store(home / "mlsd.db").turns(1)[0].text.startswith("Welcome \\x1b]0;pwned\\x07 to the \\x1b[2J")
