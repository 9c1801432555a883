"""The longest stall of the Textual event loop during a whole session (offline interviewer,
every turn stored in SQLite, scoring at the end, the report opening), vs one 60 Hz frame.
A probe task on the app's own loop sleeps 1 ms at a time and records how late it wakes."""
from __future__ import annotations

import asyncio
import os
import tempfile
import time

FRAME_MS = 1000 / 60


async def session_stall() -> float:
    os.environ["MLSD_HOME"] = tempfile.mkdtemp(prefix="mlsd-bench-")
    from bench.tokens import TRANSCRIPT
    from mlsd.interviewer.clock import FakeClock
    from mlsd.sessions.service import Service, load_catalog
    from mlsd.sessions.settings import load_settings
    from mlsd.sessions.transcript_text import parse_text
    from mlsd.tui.app import MlsdApp, Start
    from mlsd.tui.screens.practice import Mode
    from mlsd.tui.screens.report import ReportScreen
    from mlsd.tui.widgets.answer_box import AnswerBox

    answers = [(t.elapsed, t.text) for t in parse_text(TRANSCRIPT.read_text(), "s").turns if t.speaker == "candidate"]
    settings = load_settings()
    clock = FakeClock()
    service = Service(settings, load_catalog(settings), clock_factory=lambda offset: clock)
    app = MlsdApp(service, Start("practice", case_id="delivery-time", seed=1))
    worst = 0.0
    async with app.run_test():
        async def probe():
            nonlocal worst
            while True:
                before = time.perf_counter()
                await asyncio.sleep(0.001)
                worst = max(worst, time.perf_counter() - before - 0.001)

        screen = app.screen
        while not screen.mode.takes_answers:
            await asyncio.sleep(0.005)
        task = asyncio.get_running_loop().create_task(probe())
        for at, text in answers:
            clock.set(at)
            screen.query_one(AnswerBox).insert(text)
            screen.query_one(AnswerBox).action_submit()
            await asyncio.sleep(0.02)
            while screen.mode is Mode.ANSWERING:
                await asyncio.sleep(0.005)
        clock.set(2701)
        while not (isinstance(app.screen, ReportScreen) and app.screen.result is not None):
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.2)
        task.cancel()
    return worst * 1000


def run() -> list[tuple[str, float, float, str]]:
    return [("longest UI stall in a whole session vs one frame", asyncio.run(session_stall()), FRAME_MS, "ms")]
