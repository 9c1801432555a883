"""End to end in a real terminal: `mlsd practice --minutes 1` in tmux, answers typed with
send-keys, the screen read with capture-pane until the score report shows."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from mlsd.sessions.store import Store

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
ROOT = Path(__file__).resolve().parent.parent


class Terminal:
    def __init__(self, command: str, env: dict[str, str], width: int = 100, height: int = 32):
        self.name = f"mlsd-{uuid.uuid4().hex[:8]}"
        self.env = env
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        self.tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                  f"cd {ROOT} && env {exports} {command}; sleep 30")

    def tmux(self, *args: str) -> str:
        # A server of its own (-L): another test, or a person's tmux, ending the last session of
        # a shared server while this one starts would fail it.
        return subprocess.run(["tmux", "-L", self.name, *args], check=True, capture_output=True, text=True).stdout

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", text)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, seconds: float) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} not on screen after {seconds}s:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.name, "kill-server"], capture_output=True)


def terminal_env(home: Path) -> dict[str, str]:
    return {"MLSD_HOME": str(home), "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}


def test_a_one_minute_session_in_a_real_terminal_ends_in_the_score_report(tmp_path):
    home = tmp_path / "home"
    env = terminal_env(home)
    term = Terminal(f"{sys.executable} -m mlsd.tui practice --case delivery-time --minutes 1", env)
    try:
        term.wait_for("Your answer", 20)
        term.wait_for("your turn ·", 10)
        term.type("How many orders per day, and what is the latency budget?")
        term.keys("Enter")
        screen = term.wait_for("5 million orders a day", 10)
        assert "left" in screen and "Clarify" in screen
        term.type("New restaurants with no history start from the city median prep time.")
        term.keys("Enter")
        term.wait_for("You · 00:", 5)
        # The clock runs out on its own: the session ends and the report opens.
        term.wait_for("/100 · checklist", 75)
        screen = term.wait_for("Data and features", 10)
        assert "Criteria" in screen and "Addresses cold start" in screen
    finally:
        term.close()
    store = Store(home / "mlsd.db")
    row = store.sessions()[0]
    assert row.status == "completed"
    assert store.scores(row.id)["offline"].criterion("cold_start").status == "met"
    assert os.path.getsize(home / "mlsd.db") > 0


def test_a_killed_app_resumes_with_its_turns_diagram_and_clock(tmp_path):
    home = tmp_path / "home"
    env = terminal_env(home)
    # The seed is this run's own, so the kill below cannot reach another run of this test.
    command = f"practice --case delivery-time --seed {10000 + os.getpid() % 90000}"
    term = Terminal(f"{sys.executable} -m mlsd.tui {command}", env)
    try:
        term.wait_for("your turn ·", 20)
        term.keys("F2")
        term.type("client -> eta api -> model")
        # Under load a terminal can deliver F2's escape sequence in two reads; each key waits
        # until the one before it shows, so none is read as Escape plus letters.
        term.wait_for("client -> eta api", 10)  # the diagram pane wraps the rest onto the next line
        term.keys("F2")
        time.sleep(0.3)
        term.type("How many orders per day?")
        term.wait_for("How many orders per day?", 10)
        term.keys("Enter")
        term.wait_for("5 million orders a day", 10)
        time.sleep(0.5)
        subprocess.run(["pkill", "-9", "-f", command], check=True)
    finally:
        term.close()
    store = Store(home / "mlsd.db")
    row = store.sessions()[0]
    assert row.status == "active" and row.diagram == "client -> eta api -> model"
    stored_clock = row.elapsed
    term = Terminal(f"{sys.executable} -m mlsd.tui practice --resume", env)
    try:
        screen = term.wait_for("client -> eta api", 20)
        assert "How many orders per day?" in screen and "5 million orders a day" in screen
        mm, ss = screen.split(" left")[0].split()[-1].split(":")
        resumed_at = 45 * 60 - (int(mm) * 60 + int(ss))
        assert stored_clock <= resumed_at <= stored_clock + 5  # where it stood, not where the kill left it
    finally:
        term.close()
    turns = Store(home / "mlsd.db").turns(row.id)
    assert [t.speaker for t in turns] == ["interviewer", "candidate", "interviewer"]
