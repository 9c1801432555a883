"""Prompt tokens an LLM interviewer sends over a whole 45-minute session, with the budgeted
context (system prompt + running summary + recent turns) vs resending the full history
every turn, counted with the same tokenizer in the same run."""
from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from pydantic import SecretStr

from bench.llm_server import FakeLLM
from mlsd.interviewer.clock import FakeClock
from mlsd.interviewer.context_budget import fit, message_tokens
from mlsd.interviewer.llm_interviewer import LLMInterviewer
from mlsd.llm.endpoint import Endpoint
from mlsd.llm.providers import connect
from mlsd.prompts.loader import load_cases
from mlsd.rubric.model import load_rubric
from mlsd.sessions.practice import PracticeSession
from mlsd.sessions.store import Store
from mlsd.sessions.transcript_text import parse_text

TRANSCRIPT = Path(__file__).resolve().parent.parent / "tests" / "data" / "transcripts" / "delivery-time.strong.txt"


class Counting(LLMInterviewer):
    """Also counts what the naive prompt (every turn, every time) would have cost."""

    naive = 0

    def messages(self, ctx):
        self.naive += message_tokens(fit(self.system_prompt(ctx), lambda n: "", ctx.turns, budget=10**9))
        return super().messages(ctx)


def run() -> list[tuple[str, float, float, str]]:
    turns = parse_text(TRANSCRIPT.read_text(), "strong").turns
    script = [(t.elapsed, t.text) for t in turns if t.speaker == "candidate"]
    # Stretch the 13 answers over the whole 45 minutes, three times over, as a talkative candidate would.
    answers = [(int(i * 2700 / (3 * len(script))), text) for i, (_, text) in enumerate(script * 3)]
    case = load_cases(vocabulary=load_rubric().vocabulary()).get("delivery-time")
    with FakeLLM() as llm, tempfile.TemporaryDirectory() as tmp:
        interviewer = Counting(connect(Endpoint(model="test-model", base_url=llm.base_url, api_key=SecretStr("k"))))
        clock = FakeClock()
        session = PracticeSession.start(Store(Path(tmp) / "b.db"), case, clock, interviewer, seed=1)

        async def go():
            async for _ in session.open():
                pass
            for at, text in [*answers, (2701, "Thanks.")]:
                clock.set(at)
                async for _ in session.answer(text):
                    pass

        asyncio.run(go())
    return [(f"session prompt tokens ({interviewer.requests} requests) vs full-history resend",
             interviewer.prompt_tokens_sent, interviewer.naive, "tokens")]
