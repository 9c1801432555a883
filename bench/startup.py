"""Start-up to first frame: `mlsd`'s home screen vs a hello-world Textual app, each a fresh
Python process, headless, median of several runs."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = 7
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELLO = """
import sys, time
from textual.app import App
from textual.widgets import Static
class Hello(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        T.append(time.time()); self.exit()
T = []
Hello().run(headless=True)
print(T[0])
"""
MLSD = """
import time
from mlsd.sessions.settings import load_settings
from mlsd.tui.cli import service
from mlsd.tui.app import MlsdApp
class Timed(MlsdApp):
    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(self.done)
    def done(self):
        T.append(time.time()); self.exit()
T = []
s = load_settings()
Timed(service(s)).run(headless=True)
print(T[0])
"""


def first_frame(code: str, env: dict[str, str]) -> float:
    """Seconds from spawning the process to its first frame drawn."""
    script = os.path.join(env["MLSD_HOME"], f"app_{abs(hash(code))}.py")
    with open(script, "w") as f:
        f.write(code)  # from a file, so Textual can find the CSS next to the app class
    start = time.time()
    out = subprocess.run([sys.executable, script], capture_output=True, text=True, env=env, timeout=60,
                         cwd=ROOT)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return float(out.stdout.strip().splitlines()[-1]) - start


def run() -> list[tuple[str, float, float, str]]:
    env = {**os.environ, "MLSD_HOME": tempfile.mkdtemp(prefix="mlsd-bench-"), "PYTHONPATH": ROOT}
    first_frame(MLSD, env)  # warm the file cache and .pyc files for both
    first_frame(HELLO, env)
    ours = statistics.median(first_frame(MLSD, env) for _ in range(RUNS))
    hello = statistics.median(first_frame(HELLO, env) for _ in range(RUNS))
    return [("start-up to first frame: mlsd home vs hello-world Textual", ours * 1000, hello * 1000, "ms")]
