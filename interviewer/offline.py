"""The built-in interviewer: phrases the policy's moves from the case and the line book.
Needs no key, no server and no network."""
from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator

from mlsd.interviewer.context import TurnContext
from mlsd.interviewer.move import Move
from mlsd.prompts.lines import interviewer_lines

NUMBER_WORDS = ("no", "a", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def time_in(seconds: float) -> str:
    """How far into the session we are, as a person says it: "about five minutes"."""
    if seconds < 45:
        return "under a minute"
    minutes = max(1, round(seconds / 60))
    said = NUMBER_WORDS[minutes] if minutes < len(NUMBER_WORDS) else str(minutes)
    return f"about {said} minute" + ("s" if minutes > 1 else "")


def _common_word(text: str) -> bool:
    """Whether the first word may lose its capital mid-sentence: "A restaurant", "When", but not
    "I", "I'd" or an acronym such as "RBI"."""
    first = text.split(" ", 1)[0].rstrip(",.:;?")
    if first == "I" or first.startswith(("I'", "I’")):
        return False
    return len(first) == 1 or not first.isupper()


# A choice said more than this many turns ago is introduced as something said earlier.
EARLIER_TURNS = 4
# The lines a question of each kind may be led in with, when nothing else comes before it.
LEADS = {"probe": "probe_leads", "deep_dive": "deep_dive_leads", "tradeoff": "tradeoff_leads",
         "curveball": "curveball_leads"}


class OfflineInterviewer:
    label = "offline"

    def __init__(self) -> None:
        self.lines = interviewer_lines()
        self.notices: list[str] = []
        self._last: dict[int, str] = {}

    async def aclose(self) -> None:
        pass  # nothing held

    async def reply(self, ctx: TurnContext) -> AsyncIterator[str]:
        # Word by word, so a streaming UI treats every backend the same way.
        for chunk in re.findall(r"\S+\s*|\n+", self.render(ctx)):
            yield chunk

    def render(self, ctx: TurnContext) -> str:
        rng = random.Random(f"{ctx.seed}:{ctx.turn_no}")
        move = ctx.move
        when = time_in(move.elapsed)
        lines = self.lines
        if move.kind == "open":
            return "\n\n".join([self._pick(rng, lines.greetings), ctx.case.prompt.strip(),
                                self._pick(rng, lines.clarify_invites)])
        if move.kind == "drill_open" and ctx.plan.focus:
            drill = lines.drills[ctx.plan.focus]
            intro = self._pick(rng, lines.drill_intros).format(minutes=f"{ctx.plan.minutes:g}", topic=drill.topic)
            return " ".join([intro, ctx.case.summary.strip(), drill.scene, move.question or ""]).strip()
        if move.kind == "close":
            return self._pick(rng, lines.closings)
        if move.kind == "end_early":
            return self._pick(rng, lines.ended_early)
        parts = self._answers(rng, move)
        if move.transition_to:
            topic = lines.phases[move.transition_to].topic
            parts.append(self._pick(rng, lines.transitions).format(time=when, topic=topic))
        elif move.kind == "nudge":
            topic = lines.phases[move.phase].topic
            parts.append(self._pick(rng, lines.nudges).format(time=when, topic=topic))
        elif move.choice is not None and move.choice.turn < ctx.turn_no - EARLIER_TURNS and not parts:
            parts.append(self._pick(rng, lines.earlier_leads))  # picked up from well before
        elif move.kind in LEADS and not parts:
            lead = self._pick(rng, getattr(lines, LEADS[move.kind]))
            if lead:
                parts.append(lead)
        elif move.kind in ("follow_up", "go_on"):
            parts.append(self._pick(rng, lines.acks))
        if move.kind == "go_on" or (move.kind == "follow_up" and not move.question):
            parts.append(self._pick(rng, lines.keep_going))
        elif move.kind != "answer" and move.question:
            question = move.question
            if parts and parts[-1].endswith(",") and _common_word(question):
                question = question[0].lower() + question[1:]  # "Before we go further, when would you..."
            parts.append(question)
        return " ".join(p for p in parts if p)

    def _answers(self, rng: random.Random, move: Move) -> list[str]:
        if move.unknown_question:
            return [self._pick(rng, self.lines.no_detail)]
        # New facts first: a "said before" marker must never stand in front of a new one.
        new = [f.answer.strip() for f in move.facts if f.id not in move.repeated]
        again = [f.answer.strip() for f in move.facts if f.id in move.repeated]
        return new + ([self._pick(rng, self.lines.repeat_answer) + " " + " ".join(again)] if again else [])

    def _pick(self, rng: random.Random, options: list[str]) -> str:
        """A line from `options`, never the one this list gave last time."""
        key = id(options)
        fresh = [o for o in options if o != self._last.get(key)] or options
        choice = rng.choice(fresh)
        self._last[key] = choice
        return choice
