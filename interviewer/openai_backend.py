"""The LLM interviewer on any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp,
LM Studio), through the openai SDK with streaming. It phrases the move our policy chose;
the plan, the facts it may give and the end of the session stay in our code."""
from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import openai

from mlsd.interviewer.context import TurnContext
from mlsd.interviewer.context_budget import MAX_RECENT, MIN_RECENT, fit, message_tokens
from mlsd.interviewer.endpoint import DEFAULT_MODEL, Endpoint, EndpointError
from mlsd.interviewer.summary import running_summary
from mlsd.prompts.lines import interviewer_lines
from mlsd.prompts.templates import render
from mlsd.rubric.model import Rubric, load_rubric
from mlsd.core.transcript import stamp

__all__ = ["DEFAULT_MODEL", "Endpoint", "EndpointError", "OpenAIInterviewer", "check", "describe"]


def describe(exc: BaseException, endpoint: Endpoint) -> str:
    """One line for what went wrong, never including the key."""
    if isinstance(exc, EndpointError):
        return f"{endpoint.host}: {exc}"
    if isinstance(exc, openai.AuthenticationError):
        return f"{endpoint.host} refused the API key (401): check OPENAI_API_KEY"
    if isinstance(exc, openai.NotFoundError):
        return f"{endpoint.host} has no model {endpoint.model!r} (404): check --model or MLSD_MODEL"
    if isinstance(exc, openai.RateLimitError):
        return f"{endpoint.host} is rate limiting (429)"
    if isinstance(exc, openai.APITimeoutError):
        return f"{endpoint.host} did not answer within {endpoint.timeout:g}s"
    if isinstance(exc, openai.APIConnectionError):
        return f"cannot reach {endpoint.base_url or endpoint.host}"
    if isinstance(exc, openai.APIStatusError):
        return f"{endpoint.host} answered HTTP {exc.status_code}"
    return f"{endpoint.host}: {type(exc).__name__}"


FAILURES = (openai.APIError, httpx.HTTPError, EndpointError)


async def check(endpoint: Endpoint) -> None:
    """One tiny request before the clock starts: a bad key or an unknown model is said now."""
    client = endpoint.client()
    try:
        await client.chat.completions.create(model=endpoint.model, max_tokens=1,
                                             messages=[{"role": "user", "content": "ping"}])
    except FAILURES as exc:
        raise EndpointError(describe(exc, endpoint)) from None
    finally:
        await client.close()


class OpenAIInterviewer:
    def __init__(self, endpoint: Endpoint, rubric: Rubric | None = None) -> None:
        self.endpoint = endpoint
        self.rubric = rubric or load_rubric()
        self.lines = interviewer_lines()
        self._client: openai.AsyncOpenAI | None = None  # made on the loop that uses it
        self.prompt_tokens_sent = 0
        self.requests = 0

    @property
    def label(self) -> str:
        return self.endpoint.label

    def system_prompt(self, ctx: TurnContext) -> str:
        move, plan = ctx.move, ctx.plan
        phase = plan.phase(move.phase)
        names = {c.id: c.name for c in self.rubric.criteria}
        drill = self.lines.drills[plan.focus] if plan.focus else None
        # A drill is judged on its category only: the model hears only that category's gaps.
        missed = [] if move.kind in ("open", "drill_open", "close", "end_early") else [
            c.name for c in ctx.tracker.missed(phase.id) if drill is None or c.category == plan.focus]
        return render("interviewer_system.j2", case=ctx.case, plan=plan, move=move, phase=phase, missed=missed,
                      stamp=stamp, drill=drill,
                      next_topic=self.lines.phases[move.transition_to].topic if move.transition_to else "",
                      phase_topic=self.lines.phases[phase.id].topic, probe_name=names.get(move.probe or "", ""))

    def messages(self, ctx: TurnContext) -> list[dict[str, str]]:
        def summarise(n: int) -> str:
            return running_summary(ctx.turns, n, ctx.plan, ctx.case, self.rubric, ctx.tracker)

        phase = ctx.move.phase
        start = next((i for i, t in enumerate(ctx.turns) if ctx.plan.phase_of(t) == phase), len(ctx.turns))
        total = len(ctx.turns)
        keep_from = max(total - MAX_RECENT, min(start, total - MIN_RECENT))
        messages = fit(self.system_prompt(ctx), summarise, ctx.turns, self.endpoint.budget, keep_from)
        if messages[-1]["role"] != "user":
            # The opening, or a turn of ours with no candidate text before it.
            messages.append({"role": "user", "content": "(The candidate is waiting for you.)"})
        return messages

    async def reply(self, ctx: TurnContext) -> AsyncIterator[str]:
        if self._client is None:
            self._client = self.endpoint.client()
        messages = self.messages(ctx)
        self.prompt_tokens_sent += message_tokens(messages)
        self.requests += 1
        stream = await self._client.chat.completions.create(
            model=self.endpoint.model, messages=messages, stream=True, temperature=0.4, max_tokens=350)
        said = False
        async for chunk in stream:
            delta = chunk.choices[0].delta.content if chunk.choices else None
            if delta:
                said = True
                yield delta
        if not said:
            raise EndpointError("the model sent an empty reply")
