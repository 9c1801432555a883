"""The probing policy: on our clock, what the interviewer does next. Answer what was asked,
move on when a phase's time is up, nudge when the candidate lingers on an earlier phase,
probe what is still missing, one thing at a time, never the same probe twice."""
from __future__ import annotations

from collections import Counter
from typing import TypedDict

from mlsd.core.plan import CLOSING, OPENING, Phase, PhaseId, Plan
from mlsd.core.status import Level
from mlsd.core.transcript import MoveKind, Turn
from mlsd.interviewer.clarify import facts_asked
from mlsd.interviewer.move import Move
from mlsd.prompts.case import Case, Fact
from mlsd.prompts.lines import interviewer_lines
from mlsd.rubric.model import Criterion, Rubric
from mlsd.rubric.text import is_question, sentences, words
from mlsd.rubric.tracker import EvidenceTracker, TurnEvidence

# How many regular probes a phase may take, on top of the must-probes.
PROBE_CAP: dict[PhaseId, int] = {"clarify": 1, "framing": 2, "data_features": 3, "model_serving": 3,
                                 "scale_monitoring": 3, "tradeoffs": 2}
# Regular probes wait until this share of the phase has passed, unless the answer is thin.
PROBE_AFTER = 0.3
# Must-probes are asked once this share of their phase has passed, or at its end at the latest.
MUST_PROBE_AFTER = 0.6
NUDGE_GRACE_SECONDS = 45


class Answer(TypedDict, total=False):
    """What a move says to the candidate's questions."""

    facts: list[Fact]
    repeated: list[str]
    unknown_question: bool


class Policy:
    def __init__(self, plan: Plan, rubric: Rubric, case: Case):
        self.plan, self.rubric, self.case = plan, rubric, case
        self.lines = interviewer_lines()
        self.phase: PhaseId = plan.phases[0].id
        self.probed: set[str] = set()
        self.probes_in_phase: Counter[PhaseId] = Counter()
        self.nudges: Counter[PhaseId] = Counter()
        self.asked: set[str] = set()  # follow-up and tradeoff questions already asked
        self.revealed: set[str] = set()
        self.last_kind: MoveKind = "open"
        self.clarifying = rubric.special("clarifying_questions")

    # -------------------------------------------------------------- state from stored turns
    def observe(self, turn: Turn, kind: MoveKind | None = None) -> None:
        """Fold in an interviewer turn, live or replayed from the store on resume."""
        if turn.speaker != "interviewer":
            return
        if turn.phase:
            self.phase = turn.phase
        if turn.probe:
            self.probed.add(turn.probe)
            self.probes_in_phase[turn.phase or self.phase] += 1
        if kind == "nudge":
            self.nudges[self.phase] += 1
        self.last_kind = kind or self.last_kind

    # -------------------------------------------------------------- deciding
    def opening(self) -> Move:
        return Move(kind="open", phase=self.plan.phases[0].id, elapsed=0)

    def decide(self, elapsed: int, text: str, evidence: TurnEvidence, tracker: EvidenceTracker) -> Move:
        if self.plan.is_over(elapsed):
            return Move(kind="close", phase=self.plan.phases[-1].id, elapsed=elapsed)
        now = self.plan.phase_at(elapsed)
        answer = self._answer(text)
        if now.index > self.plan.phase(self.phase).index:
            return self._move_on(elapsed, tracker, answer)
        if answer["facts"] or answer["unknown_question"]:
            return self._record(Move(kind="answer", phase=now.id, elapsed=elapsed, **answer))
        return self._record(self._within_phase(now, elapsed, text, evidence, tracker))

    def on_silence(self, elapsed: int, tracker: EvidenceTracker) -> Move | None:
        """The candidate has gone quiet after the phase's time ran out: move them on (or ask
        the must-probe that is still due) without waiting for them to speak."""
        if self.plan.is_over(elapsed):
            return None
        now = self.plan.phase_at(elapsed)
        if now.index <= self.plan.phase(self.phase).index:
            return None
        return self._move_on(elapsed, tracker, {})

    def _move_on(self, elapsed: int, tracker: EvidenceTracker, answer: Answer) -> Move:
        """On to the next phase, after the must-probes of the phases behind us. One phase at a
        time, even when the clock is further on: every phase gets its opening question, and the
        candidate catches up in a turn or two."""
        current = self.plan.phase(self.phase)
        due = self._must_probes_due(tracker, upto=current.index)
        probe = self._probe(due, self.phase, elapsed, answer)
        if probe:
            return probe
        following = self.plan.phases[current.index + 1]
        move = Move(kind="transition", phase=following.id, elapsed=elapsed, transition_to=following.id,
                    question=self.lines.phases[following.id].opening, **answer)
        return self._record(move)

    def _within_phase(self, now: Phase, elapsed: int, text: str, evidence: TurnEvidence,
                      tracker: EvidenceTracker) -> Move:
        progress = self.plan.progress_in_phase(elapsed)
        must = [c for c in self._gaps(tracker, now.id) if c.must_probe and c.id not in self.probed]
        if must and progress >= MUST_PROBE_AFTER and (probe := self._probe(must, now.id, elapsed)):
            return probe
        if self._lingering(now, elapsed, evidence):
            return Move(kind="nudge", phase=now.id, elapsed=elapsed, question=self._phase_question(now))
        if now.id == OPENING:
            clarifying = self.clarifying
            if clarifying is not None and not any(is_question(s.text) for s in sentences(text)) \
                    and clarifying.id not in self.probed and tracker.finding(clarifying.id).level == Level.MISSED \
                    and (probe := self._probe([clarifying], now.id, elapsed)):
                return probe
        elif now.id == CLOSING:
            return self._tradeoffs(now, elapsed, tracker)
        else:
            missed = [c for c in self._gaps(tracker, now.id) if c.id not in self.probed]
            thin = len(words(text)) < 25 and not evidence.hits
            if missed and self._may_probe(now, progress, thin) and (probe := self._probe(missed, now.id, elapsed)):
                return probe
        return Move(kind="follow_up", phase=now.id, elapsed=elapsed, question=self._follow_up(now))

    def _gaps(self, tracker: EvidenceTracker, phase: PhaseId) -> list[Criterion]:
        """What the policy may probe in `phase`: the criteria with no evidence yet."""
        return tracker.missed(phase)

    def _may_probe(self, now: Phase, progress: float, thin: bool) -> bool:
        """A regular probe waits for part of the phase to pass (or a thin answer), never
        follows another, and a phase takes only so many."""
        return self.probes_in_phase[now.id] < PROBE_CAP[now.id] and self.last_kind != "probe" \
            and (progress >= PROBE_AFTER or thin)

    def _tradeoffs(self, now: Phase, elapsed: int, tracker: EvidenceTracker) -> Move:
        """Alternate the extension questions with one last look at what was never covered."""
        if self.last_kind != "probe" and self.probes_in_phase[now.id] < PROBE_CAP[now.id]:
            left = [c for p in self.plan.phases[1:-1] for c in tracker.missed(p.id) if c.id not in self.probed]
            left.sort(key=lambda c: -self.rubric.weight_each(c))
            if probe := self._probe(left, now.id, elapsed):
                return probe
        for q in self.rubric.tradeoff_questions.get("questions", []):
            if q not in self.asked:
                return Move(kind="follow_up", phase=now.id, elapsed=elapsed, question=q)
        return Move(kind="follow_up", phase=now.id, elapsed=elapsed, question=self._follow_up(now))

    def _lingering(self, now: Phase, elapsed: int, evidence: TurnEvidence) -> bool:
        """Still on an earlier phase's topics, well after this phase began."""
        if now.id in (OPENING, CLOSING) or not evidence.hits or self.nudges[now.id] >= 2:
            return False
        if elapsed - now.start < NUDGE_GRACE_SECONDS:
            return False
        # A topic the plan leaves out (a drill's other parts) counts as off the current one.
        topics = {self.plan.index_of(self.rubric.criterion(c).phase) for c in evidence.hits}
        return max(topics) < now.index

    def _must_probes_due(self, tracker: EvidenceTracker, upto: int) -> list[Criterion]:
        return [c for p in self.plan.phases[:upto + 1] for c in self._gaps(tracker, p.id)
                if c.must_probe and c.id not in self.probed]

    def _probe(self, candidates: list[Criterion], phase: PhaseId, elapsed: int,
               answer: Answer | None = None) -> Move | None:
        """A probe for the first candidate that has words to ask it with; None if none has.
        The rubric and case loaders refuse a probeable criterion without a question, so
        None means there was nothing left to probe."""
        for criterion in candidates:
            texts = [t for t in self.case.probes.get(criterion.id) or criterion.probes if t.strip()]
            if texts and criterion.can_be_probed and criterion.id not in self.probed:
                return self._record(Move(kind="probe", phase=phase, elapsed=elapsed, probe=criterion.id,
                                         question=texts[0], **(answer or {})))
        return None

    def _record(self, move: Move) -> Move:
        if move.kind == "nudge":
            self.nudges[move.phase] += 1
        if move.probe:
            self.probed.add(move.probe)
            self.probes_in_phase[move.phase] += 1
        if move.question:
            self.asked.add(move.question)
        self.revealed.update(f.id for f in move.facts)
        self.phase = move.transition_to or move.phase
        self.last_kind = move.kind
        return move

    def _answer(self, text: str) -> Answer:
        questions = [s.text for s in sentences(text) if is_question(s.text)]
        if not questions:
            return {"facts": [], "repeated": [], "unknown_question": False}
        facts: list[Fact] = []
        for q in questions:
            facts += [f for f in facts_asked(self.case, q) if f not in facts]
        return {"facts": facts, "repeated": [f.id for f in facts if f.id in self.revealed],
                "unknown_question": not facts}

    def _phase_question(self, phase: Phase) -> str | None:
        opening = self.lines.phases[phase.id].opening
        return opening if opening and opening not in self.asked else self._follow_up(phase)

    def _follow_up(self, phase: Phase) -> str | None:
        for q in self.lines.phases[phase.id].follow_ups:
            if q not in self.asked:
                return q
        return None  # the backend falls back to a short "go on"
