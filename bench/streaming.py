"""Streaming through mlsd vs the raw openai SDK, against the same loopback server in one run:
time to first token on screen (the chunk handed to the chat widget of the real Textual app)
and full-reply time, each as a ratio to the raw SDK's median."""
from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time

import openai

from bench.llm_server import FakeLLM

TURNS = 15
FIRST_TOKEN_DELAY, CHUNK_DELAY = 0.08, 0.004  # a quick hosted model: 80 ms to first token


async def raw_sdk(base_url: str, n: int) -> tuple[list[float], list[float]]:
    client = openai.AsyncOpenAI(api_key="k", base_url=base_url)
    firsts, fulls = [], []
    for i in range(n):
        start = time.perf_counter()
        first = None
        stream = await client.chat.completions.create(
            model="test-model", stream=True, messages=[{"role": "user", "content": f"How many orders per day? ({i})"}])
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content and first is None:
                first = time.perf_counter() - start
        fulls.append(time.perf_counter() - start)
        firsts.append(first)
    await client.close()
    return firsts, fulls


async def through_app(base_url: str, n: int) -> tuple[list[float], list[float]]:
    os.environ["MLSD_HOME"] = tempfile.mkdtemp(prefix="mlsd-bench-")
    from pydantic import SecretStr

    from mlsd.interviewer.backends import build
    from mlsd.interviewer.clock import FakeClock
    from mlsd.llm.endpoint import Endpoint
    from mlsd.llm.providers import connect
    from mlsd.sessions.service import Service, load_catalog
    from mlsd.sessions.settings import load_settings
    from mlsd.tui.app import MlsdApp, Start
    from mlsd.tui.screens.practice import PracticeScreen
    from mlsd.tui.widgets.answer_box import AnswerBox
    from mlsd.tui.widgets.chat import ChatMessage

    seen: dict[str, float] = {}
    original, original_done = ChatMessage.append, PracticeScreen.on_reply_done

    async def timed_append(self, chunk: str) -> None:
        seen.setdefault("first", time.perf_counter())
        await original(self, chunk)

    async def timed_done(self, message) -> None:
        await original_done(self, message)
        seen["done"] = time.perf_counter()  # the whole reply is on screen

    ChatMessage.append, PracticeScreen.on_reply_done = timed_append, timed_done
    endpoint = Endpoint(model="test-model", base_url=base_url, api_key=SecretStr("k"))
    settings = load_settings()
    clock = FakeClock()
    service = Service(settings, load_catalog(settings), clock_factory=lambda offset: clock,
                      interviewer_factory=lambda: build(connect(endpoint)))
    app = MlsdApp(service, Start("practice", case_id="delivery-time", seed=1))
    firsts, fulls = [], []
    async with app.run_test():
        screen = app.screen
        while not screen.mode.takes_answers:
            await asyncio.sleep(0.005)
        for i in range(n):
            clock.set(10 + i)
            seen.clear()
            box = screen.query_one(AnswerBox)
            box.insert(f"How many orders per day? ({i})")
            start = time.perf_counter()
            box.action_submit()
            while "done" not in seen:
                await asyncio.sleep(0.001)
            fulls.append(seen["done"] - start)
            firsts.append(seen["first"] - start)
    ChatMessage.append, PracticeScreen.on_reply_done = original, original_done
    return firsts, fulls


def run() -> list[tuple[str, float, float, str]]:
    with FakeLLM(first_token_delay=FIRST_TOKEN_DELAY, chunk_delay=CHUNK_DELAY) as llm:
        raw_first, raw_full = asyncio.run(raw_sdk(llm.base_url, TURNS))
        app_first, app_full = asyncio.run(through_app(llm.base_url, TURNS))
    med = statistics.median
    return [
        ("time to first token on screen vs raw SDK", med(app_first) * 1000, med(raw_first) * 1000, "ms"),
        ("full reply on screen vs raw SDK", med(app_full) * 1000, med(raw_full) * 1000, "ms"),
    ]
