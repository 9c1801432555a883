"""A scripted candidate: plays a persona through a session, turn by turn. It answers what the
interviewer asked (with the beat it meant to say on that topic, else by the probe's criterion,
the deep dive's challenge, the tradeoff's or curveball's id) and otherwise says its next line
for the phase the clock is in: its clarifying questions first, then its beats, each in one of
its paraphrases."""
from __future__ import annotations

import random

from mlsd.interviewer.move import Move
from mlsd.prompts.case import Case
from mlsd.prompts.material import tradeoff_kinds
from mlsd.prompts.personas import PHASE_FIELDS, Beat, Persona

ASKS_PER_TURN = 2  # clarifying questions come in pairs, as people ask them


class ScriptedCandidate:
    def __init__(self, persona: Persona, case: Case, rng: random.Random) -> None:
        self.persona, self.case, self.rng = persona, case, rng
        self.lines = persona.lines_for(case.id)
        self.never = set(persona.never)
        self.beats = {p: [b for b in self.lines.beats(p) if not set(b.about) & self.never] for p in PHASE_FIELDS}
        self.said: set[int] = set()  # ids of the beats said
        self.asked = 0
        generic = {t.question: t.id for t in tradeoff_kinds().values()}
        self._challenge_ids = generic | {c.question: c.id for c in case.tradeoffs + case.curveballs}

    def seconds(self) -> int:
        """How long the next answer takes to say."""
        return self.rng.randint(*self.persona.pace)

    def reply(self, move: Move, phase: str) -> str | None:
        """What the candidate says after the interviewer's `move`, in clock phase `phase`; None
        when it stays silent."""
        if self.rng.random() < self.persona.silence:
            return None
        said = self._respond(move, phase)
        early = self._early(phase)
        return f"{said} {early}" if early else said

    def _respond(self, move: Move, phase: str) -> str:
        if move.kind == "probe" and move.probe == "clarifying_questions":
            return self._ask(ASKS_PER_TURN) or self._answer(["clarifying_questions"])
        if move.kind in ("probe", "deep_dive", "follow_up", "transition", "nudge") \
                and (beat := self._beat_about(move.about)):
            return beat
        if move.kind == "probe" and move.probe in self.never:
            return self._answer(["dodge"])  # it cannot say what it never covers, even when asked
        if move.kind == "probe" and move.probe:
            return self._answer([move.probe, move.challenge or ""], term=move.choice.term if move.choice else "")
        if move.kind == "deep_dive" and move.choice is not None:
            return self._answer([move.challenge or ""], term=move.choice.term)
        if move.kind in ("tradeoff", "curveball"):
            return self._answer([self._challenge_ids.get(move.question or "", ""), move.kind])
        if move.kind == "transition" and move.question in self._challenge_ids:
            return self._answer([self._challenge_ids[move.question], "tradeoff"])
        return self._next(phase)

    def _next(self, phase: str) -> str:
        if phase == "clarify" and self.asked < self.persona.questions:
            return self._ask(min(ASKS_PER_TURN, self.persona.questions - self.asked)) or self._beat(phase)
        if self.persona.keep_asking and self.rng.random() < self.persona.keep_asking and (asked := self._ask(1)):
            return asked
        return self._beat(phase)

    def _ask(self, n: int) -> str:
        asks = self.lines.ask[self.asked:self.asked + n]
        self.asked += len(asks)
        return " ".join(self.rng.choice(a) for a in asks)

    def _beat(self, phase: str) -> str:
        """The next beat it has not said yet for `phase`, else an idle line."""
        for beat in self.beats[phase]:
            if id(beat) not in self.said:
                return self._say(beat)
        return self.rng.choice(self.lines.idle or self.lines.answers.get("default") or ["That's all I have."])

    def _early(self, phase: str) -> str:
        """A point it makes at its first chance in the phase, whatever it was asked."""
        beat = next((b for b in self.beats.get(phase, []) if b.early and id(b) not in self.said), None)
        return self._say(beat) if beat else ""

    def _beat_about(self, topics: list[str]) -> str | None:
        """Asked about something it meant to say anyway (in any phase): it says that now."""
        for beats in self.beats.values():
            for beat in beats:
                if id(beat) not in self.said and set(beat.about) & set(topics):
                    return self._say(beat)
        return None

    def _say(self, beat: Beat) -> str:
        self.said.add(id(beat))
        return self.rng.choice(beat.say)

    def _answer(self, keys: list[str], term: str = "") -> str:
        for key in [*keys, "default"]:
            if key and key in self.lines.answers:
                return self.rng.choice(self.lines.answers[key]).replace("{term}", term or "that")
        return self.rng.choice(self.lines.idle or ["I'm not sure."])
