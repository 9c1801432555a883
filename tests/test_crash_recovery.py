"""kill -9 the real `mlsd practice` process at random moments, then `--resume`: every turn
that was answered is still there, a turn cut off before its reply is answered on resume,
and the session goes on to its score."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from itertools import pairwise
from pathlib import Path

from mlsd.sessions.store import Store

ANSWERS = [
    "How many orders per day, and what is the latency budget?",
    "I assume success is the share of orders within five minutes of the estimate.",
    "We regress delivery minutes from order, restaurant, courier and traffic features.",
    "New restaurants with no history use the city median prep time.",
    "Restaurant aggregates come from a daily batch job and courier location streams in real time.",
    "I'd start with a median baseline, then gradient boosted trees on tabular features.",
    "If the model service is down we fall back to distance times six minutes plus prep time.",
    "5M orders a day is about 58 per second, so a few replicas at 20 ms each are plenty.",
    "We monitor MAE hourly and retrain weekly, or sooner when the error drifts up.",
    "Labels arrive when the order is delivered, so the feedback delay is about an hour.",
    "The weakest part is stale GPS data, which a staleness check can catch.",
    "A next step would be per-city models for the largest cities.",
]
KILLS = 6


class Run:
    """One `mlsd practice --plain` process, fed a line at a time."""

    def __init__(self, home: Path, *args: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "tui", "practice", "--plain", *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env={**os.environ, "MLSD_HOME": str(home)})
        self.out = ""
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while chunk := self.proc.stdout.read1(4096):
            with self._lock:
                self.out += chunk.decode("utf-8", "replace")

    def prompts(self) -> int:
        with self._lock:
            return self.out.count("You> ")

    def wait_prompt(self, n: int, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while self.prompts() < n:
            assert time.monotonic() < deadline and self.proc.poll() is None, self.out[-500:]
            time.sleep(0.01)

    def say(self, text: str) -> None:
        self.proc.stdin.write((text + "\n").encode())
        self.proc.stdin.flush()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def test_killed_sessions_resume_with_every_answered_turn(tmp_path):
    rng = random.Random(20261125)
    home = tmp_path / "home"
    answered: list[str] = []   # answers whose reply the candidate saw
    in_flight: list[str] = []  # answers sent just before a kill
    queue = list(ANSWERS)
    run = Run(home, "--case", "delivery-time", "--minutes", "45", "--seed", "3")
    run.wait_prompt(1)
    kills = 0
    while kills < KILLS:
        for _ in range(rng.randint(0, 1)):  # an answered turn or none before the kill
            text = queue.pop(0)
            n = run.prompts()
            run.say(text)
            run.wait_prompt(n + 1)
            answered.append(text)
        text = queue.pop(0)
        run.say(text)
        time.sleep(rng.choice([0, 0.001, 0.005, 0.02, 0.1]))  # mid-turn, or just after
        run.kill()
        kills += 1
        in_flight.append(text)
        run = Run(home, "--resume")
        run.wait_prompt(1)
        assert "Resuming session 1 at" in run.out
    run.say("/end")
    run.proc.wait(timeout=30)
    assert run.proc.returncode == 0, run.proc.stderr.read()

    store = Store(home / "mlsd.db")
    turns = store.turns(1)
    said = [t.text for t in turns if t.speaker == "candidate"]
    lost = [a for a in answered if a not in said]
    assert lost == []
    # Each answer sent just before a kill was either read and kept, or never read at all.
    assert all(said.count(a) <= 1 for a in in_flight)
    # No candidate turn is left without a reply: resume answered the ones cut off.
    for before, after in pairwise(turns):
        assert not (before.speaker == "candidate" and after.speaker == "candidate")
    assert turns[-1].move == "end_early" and store.session(1).status == "ended_early"
    assert [t.elapsed for t in turns] == sorted(t.elapsed for t in turns)
    print(f"kills: {kills}, answered turns: {len(answered)}, lost: {len(lost)}, "
          f"in-flight kept: {sum(a in said for a in in_flight)} of {len(in_flight)}")
