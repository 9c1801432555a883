"""The LLM interviewer, on any ChatClient, streaming. It phrases the move our policy chose;
the plan, the facts it may give and the end of the session stay in our code."""
from __future__ import annotations

from collections.abc import AsyncIterator

from mlsd.core.transcript import stamp
from mlsd.interviewer.context import TurnContext
from mlsd.interviewer.context_budget import DEFAULT_BUDGET, MAX_RECENT, MIN_RECENT, fit, message_tokens
from mlsd.interviewer.deep_dive import challenge_wording
from mlsd.interviewer.summary import running_summary
from mlsd.llm.client import ChatClient, Message
from mlsd.prompts.lines import interviewer_lines
from mlsd.prompts.templates import render
from mlsd.rubric.model import Rubric, load_rubric

TEMPERATURE, MAX_TOKENS = 0.4, 350


class LLMInterviewer:
    def __init__(self, client: ChatClient, budget: int = DEFAULT_BUDGET, rubric: Rubric | None = None) -> None:
        self.client = client
        self.budget = budget
        self.rubric = rubric or load_rubric()
        self.lines = interviewer_lines()
        self.notices: list[str] = []
        self.prompt_tokens_sent = 0
        self.requests = 0

    @property
    def label(self) -> str:
        return self.client.endpoint.label

    async def aclose(self) -> None:
        await self.client.aclose()

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
                      phase_topic=self.lines.phases[phase.id].topic, probe_name=names.get(move.probe or "", ""),
                      challenge=challenge_wording(move.challenge) if move.challenge else "")

    def messages(self, ctx: TurnContext) -> list[Message]:
        def summarise(n: int) -> str:
            return running_summary(ctx.turns, n, ctx.plan, ctx.case, self.rubric, ctx.tracker)

        phase = ctx.move.phase
        start = next((i for i, t in enumerate(ctx.turns) if ctx.plan.phase_of(t) == phase), len(ctx.turns))
        total = len(ctx.turns)
        keep_from = max(total - MAX_RECENT, min(start, total - MIN_RECENT))
        messages = fit(self.system_prompt(ctx), summarise, ctx.turns, self.budget, keep_from)
        if messages[-1]["role"] != "user":
            # The opening, or a turn of ours with no candidate text before it.
            messages.append({"role": "user", "content": "(The candidate is waiting for you.)"})
        return messages

    async def reply(self, ctx: TurnContext) -> AsyncIterator[str]:
        messages = self.messages(ctx)
        self.prompt_tokens_sent += message_tokens(messages)
        self.requests += 1
        async for chunk in self.client.stream(messages, temperature=TEMPERATURE, max_tokens=MAX_TOKENS):
            yield chunk
