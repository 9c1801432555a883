"""The probing policy: on our clock, what the interviewer does next. Answer what was asked,
move on when a phase's time is up, nudge when the candidate lingers on an earlier phase,
probe what is still missing, one thing at a time, never the same probe twice. And listen:
pick up the candidate's own choices, never ask about what the last answers covered, say "go
on" only to an answer that stopped mid-thought, and end on the case's own tradeoffs and one
curveball."""
from __future__ import annotations

from collections import Counter, deque
from typing import TypedDict

from mlsd.core.plan import CLOSING, OPENING, Phase, PhaseId, Plan
from mlsd.core.status import Level
from mlsd.core.transcript import MoveKind, Turn
from mlsd.interviewer import tradeoff_phase
from mlsd.interviewer.choices import Choice
from mlsd.interviewer.clarify import facts_asked
from mlsd.interviewer.deep_dive import Pick, picks
from mlsd.interviewer.listening import Listener
from mlsd.interviewer.move import Move
from mlsd.interviewer.subject import Subjects, content_words
from mlsd.interviewer.tradeoff_phase import Material
from mlsd.prompts.case import Case, Fact
from mlsd.prompts.lines import Question, interviewer_lines
from mlsd.prompts.material import choice_book
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
# Depth on what was said: how many challenges one answer takes over the session (one of each
# kind), how many empty replies end that, and the longest sentence worth quoting when going
# back to it.
DEPTH_PER_ANSWER = 4
DEPTH_EMPTY = 2  # replies with nothing in them after which an answer is not dug into again
QUOTE_WORDS = 14
QUOTES_IN_A_ROW = 2  # earlier answers gone back to while the candidate adds nothing
RECENT_ANSWERS = 3  # answers whose subject holds a probe back


class Answer(TypedDict, total=False):
    """What a move says to the candidate's questions."""

    facts: list[Fact]
    repeated: list[str]
    unknown_question: bool


class Policy:
    def __init__(self, plan: Plan, rubric: Rubric, case: Case, seed: int = 0):
        self.plan, self.rubric, self.case, self.seed = plan, rubric, case, seed
        self.lines = interviewer_lines()
        self.phase: PhaseId = plan.phases[0].id
        self.probed: set[str] = set()
        self.probes_in_phase: Counter[PhaseId] = Counter()
        self.nudges: Counter[PhaseId] = Counter()
        self.asked: set[str] = set()  # the wording of every question asked, canned or filled in
        self.revealed: set[str] = set()
        self.last_kind: MoveKind = "open"
        self.clarifying = rubric.special("clarifying_questions")
        self.listener = Listener(plan, rubric, given="\n".join([case.prompt, *(f.answer for f in case.facts)]))
        self.picked: set[tuple[str, str]] = set()  # (choice, challenge) already put to the candidate
        self.dived: set[str] = set()  # choices already taken for a deep dive
        self.deepened: dict[int, list[str]] = {}  # candidate turn -> the depth challenges put to it
        self.depth_replies: set[int] = set()  # answers to a depth question: not challenged again
        self._depth_pending = False
        self.depth_empty: Counter[int] = Counter()  # answer -> depth questions on it that drew nothing
        self.quoted: set[int] = set()  # answers gone back to with their own words
        self.quotes_unanswered = 0  # answers gone back to since the candidate last said something
        self.depth_last = -1  # the answer the last depth question was on: the next one goes elsewhere
        self.subjects = Subjects(case)
        # A probe is not put to the answers just after one plainly about its subject: asked a minute
        # later it is the interviewer not having listened, whatever the checklist made of the words.
        # Only the last few: over a whole session the loose reading would hold back probes the
        # candidate never answered (measured: must-probe recall fell from 80/80 to 69/75).
        self.answers_heard: deque[set[str]] = deque(maxlen=RECENT_ANSWERS)
        self._recorded = False
        self.tradeoffs = tradeoff_phase.tradeoffs(case)
        self.curveballs = tradeoff_phase.curveballs(case)

    # -------------------------------------------------------------- state from stored turns
    def observe(self, turn: Turn, kind: MoveKind | None = None, evidence: TurnEvidence | None = None,
                number: int = 0) -> None:
        """Fold in a turn, live or replayed from the store on resume. A candidate turn is heard
        with its evidence and its number in the transcript."""
        if turn.speaker != "interviewer":
            if evidence is not None:
                self.listener.hear(number, turn.text, evidence)
            return
        if turn.phase:
            self.phase = turn.phase
        if turn.probe:
            self.probed.add(turn.probe)
            self.probes_in_phase[turn.phase or self.phase] += 1
        if not self._recorded:  # a stored turn from before a resume: its probe is all we know of it
            self.listener.asked([turn.probe] if turn.probe else [])
        self._recorded = False
        if kind == "nudge":
            self.nudges[self.phase] += 1
        self._recall(turn.text, kind)
        self.last_kind = kind or self.last_kind

    def _recall(self, text: str, kind: MoveKind | None) -> None:
        """What a stored turn asked, as far as its words show it (an LLM's rewording does not):
        a resumed session does not ask it again."""
        canned = [q.text for p in self.lines.phases.values() for q in [*p.questions, *p.deeper]]
        canned += [m.text for m in self.tradeoffs + self.curveballs]
        self.asked.update(q for q in canned if q in text)
        for pick in picks(self.listener.recent_choices()):
            if pick.text in text:
                self.asked.add(pick.text)
                self.picked.add(pick.key)
                if kind == "deep_dive":
                    self.dived.add(pick.key[0])

    # -------------------------------------------------------------- deciding
    def opening(self) -> Move:
        return Move(kind="open", phase=self.plan.phases[0].id, elapsed=0)

    def decide(self, elapsed: int, text: str, evidence: TurnEvidence, tracker: EvidenceTracker) -> Move:
        heard = self.listener.hear(tracker.turn_no, text, evidence)
        self.answers_heard.append(content_words(text))
        if self._depth_pending:
            self.depth_replies.add(heard.turn)
            self._depth_pending = False
            if not heard.substantive:  # nothing came of it: after twice, that answer is left alone
                self.depth_empty[self.depth_last] += 1
        if heard.substantive:
            self.quotes_unanswered = 0
        if self.plan.is_over(elapsed):
            return Move(kind="close", phase=self.plan.phases[-1].id, elapsed=elapsed)
        now = self.plan.phase_at(elapsed)
        answer = self._answer(text)
        if now.index > self.plan.phase(self.phase).index:
            return self._record(self._move_on(elapsed, tracker, answer))
        if answer["facts"] or answer["unknown_question"]:
            return self._record(Move(kind="answer", phase=now.id, elapsed=elapsed, **answer))
        if heard.unfinished and self.last_kind != "go_on":
            return self._record(Move(kind="go_on", phase=now.id, elapsed=elapsed))
        return self._record(self._within_phase(now, elapsed, text, evidence, tracker))

    def on_silence(self, elapsed: int, tracker: EvidenceTracker) -> Move | None:
        """The candidate has gone quiet after the phase's time ran out: move them on (or ask
        the must-probe that is still due) without waiting for them to speak."""
        if self.plan.is_over(elapsed):
            return None
        now = self.plan.phase_at(elapsed)
        if now.index <= self.plan.phase(self.phase).index:
            return None
        return self._record(self._move_on(elapsed, tracker, {}))

    def _move_on(self, elapsed: int, tracker: EvidenceTracker, answer: Answer) -> Move:
        """On to the next phase, after the must-probes of the phases behind us. One phase at a
        time, even when the clock is further on: every phase gets its opening question, and the
        candidate catches up in a turn or two."""
        current = self.plan.phase(self.phase)
        due = self._must_probes_due(tracker, upto=current.index)
        if (probe := self._probe(due, self.phase, elapsed, answer)) is not None:
            return probe
        following = self.plan.phases[current.index + 1]
        ask = self._phase_question(following, tracker)
        return Move(kind="transition", phase=following.id, elapsed=elapsed, transition_to=following.id,
                    question=ask.text if ask else None, about=ask.about if ask else [], **answer)

    def _within_phase(self, now: Phase, elapsed: int, text: str, evidence: TurnEvidence,
                      tracker: EvidenceTracker) -> Move:
        progress = self.plan.progress_in_phase(elapsed)
        must = [c for c in self._gaps(tracker, now.id) if c.must_probe and c.id not in self.probed]
        if must and progress >= MUST_PROBE_AFTER and (probe := self._probe(must, now.id, elapsed)):
            return probe
        if self._lingering(now, elapsed, evidence) and (ask := self._phase_question(now, tracker)) is not None:
            return Move(kind="nudge", phase=now.id, elapsed=elapsed, question=ask.text, about=ask.about)
        if probe := self._probe(self._must_probes_passed(now, tracker), now.id, elapsed):
            return probe
        if now.id == OPENING:
            clarifying = self.clarifying
            if clarifying is not None and not any(is_question(s.text) for s in sentences(text)) \
                    and clarifying.id not in self.probed and tracker.finding(clarifying.id).level == Level.MISSED \
                    and (probe := self._probe([clarifying], now.id, elapsed)):
                return probe
        elif now.id == CLOSING:
            return self._tradeoffs(now, elapsed, tracker)
        else:
            latest = list(self.listener.latest.choices) if self.listener.latest else []
            if (move := self._pick_up(latest, now, elapsed, tracker, probes_only=True)) is not None:
                return move  # what is missing, asked through what they just said
            # Must-probes keep their own, later time: the candidate may still bring them up.
            missed = [c for c in self._gaps(tracker, now.id) if c.id not in self.probed and not c.must_probe]
            thin = len(words(text)) < 25 and not evidence.hits
            if missed and self._may_probe(now, progress, thin) and (probe := self._probe(missed, now.id, elapsed)):
                return probe
        return self._listen(now, elapsed, tracker)

    def _listen(self, now: Phase, elapsed: int, tracker: EvidenceTracker) -> Move:
        """A real question, whenever there is one: a choice from the last answers picked up
        (not twice in a row), the next canned question on what the candidate is talking about,
        a choice from before, a gap still open in a part they have reached. When this part is
        talked out: questions that dig into it (at the end, on the design as a whole), their
        choices again from another side, what the next part opens with. "Go on" only when
        nothing at all is left."""
        if self.last_kind != "deep_dive" and (move := self._pick_up(self.listener.recent_choices(), now, elapsed,
                                                                    tracker)):
            return move
        for phase in dict.fromkeys([self._focus(now), now]):
            if (q := self._follow_up(phase, tracker)) is not None:
                return Move(kind="follow_up", phase=now.id, elapsed=elapsed, question=q.text, about=q.about)
        earlier = [c for h in reversed(self.listener.heard) for c in h.choices]
        if move := self._pick_up(earlier, now, elapsed, tracker):
            return move
        # Gaps in any part the latest answer reached; must-probes keep their own time.
        reached = max(self._focus(now).index, self.listener.latest.reach if self.listener.latest else -1)
        left = [c for p in self.plan.phases[:reached + 1] for c in self._gaps(tracker, p.id)
                if c.id not in self.probed and not (c.must_probe and p.index >= now.index)]
        if probe := self._probe(left, now.id, elapsed):
            return probe
        if (q := self._deeper(now, tracker)) is not None:
            return Move(kind="follow_up", phase=now.id, elapsed=elapsed, question=q.text, about=q.about)
        if now.id == CLOSING and (wrap_up := next((q for q in self.lines.wrap_ups if q not in self.asked), None)):
            return Move(kind="follow_up", phase=now.id, elapsed=elapsed, question=wrap_up)
        if move := self._pick_up(earlier, now, elapsed, tracker, settled_too=True):
            return move
        if move := self._depth(now, elapsed, latest_only=True):
            return move
        # Ahead of the clock: what the next part opens with, without moving the plan on.
        following = self.plan.phases[now.index + 1] if now.index + 1 < len(self.plan.phases) else None
        if following is not None and (ahead := self._phase_question(following, tracker, deeper=False)) is not None:
            if isinstance(ahead, Material):
                return self._material(ahead, now, elapsed)
            return Move(kind="follow_up", phase=now.id, elapsed=elapsed, question=ahead.text, about=ahead.about)
        # This part's ground is covered: on to what the next ones ask, as an interviewer moves on.
        for later in self.plan.phases[now.index + 1:]:
            if later.id != CLOSING and (q := self._follow_up(later, tracker)
                                        or self._open_question(self.lines.phases[later.id].questions, tracker)):
                return Move(kind="follow_up", phase=now.id, elapsed=elapsed, question=q.text, about=q.about)
        if move := self._depth(now, elapsed):
            return move
        return Move(kind="go_on", phase=now.id, elapsed=elapsed)

    def _depth(self, now: Phase, elapsed: int, latest_only: bool = False) -> Move | None:
        """Depth on what the candidate said, once the planned questions are spent: a short,
        complete answer is asked why, how, for its numbers or what breaks it, a few times at
        most, never the same way twice nor twice in a row, nor the reply to such a question.
        With `latest_only` on what was just said; else (when the later parts' questions are
        spent too) on an earlier answer, with its own words quoted. Nothing for an answer that
        showed nothing ("that's all")."""
        depth = self.lines.depth
        done = sum(len(v) for v in self.deepened.values())
        order = list(depth.challenges())
        last = self.listener.latest.turn if self.listener.latest else -1
        for heard in reversed(self.listener.heard[-1:] if latest_only else self.listener.heard):
            used = self.deepened.setdefault(heard.turn, [])
            if heard.turn == self.depth_last or heard.turn in self.depth_replies or heard.unfinished \
                    or len(used) >= DEPTH_PER_ANSWER or self.depth_empty[heard.turn] >= DEPTH_EMPTY \
                    or not heard.substantive:
                continue
            lead = ""
            if heard.turn != last:  # going back to it, once: a wall of quotes is no interview
                if not heard.said or len(words(heard.said)) > QUOTE_WORDS or heard.turn in self.quoted \
                        or self.quotes_unanswered >= QUOTES_IN_A_ROW:
                    continue
                self.quotes_unanswered += 1
                self.quoted.add(heard.turn)
                lead = depth.earlier[done % len(depth.earlier)].format(quote=heard.said.rstrip(".!")) + " "
            has_numbers = any(ch.isdigit() for ch in heard.said)
            for challenge in order[(self.seed + done) % len(order):] + order[:(self.seed + done) % len(order)]:
                if challenge in used or (challenge == "numbers" and has_numbers):
                    continue
                wordings = depth.challenges()[challenge]
                fresh = [w for w in wordings if lead + w not in self.asked] or wordings
                used.append(challenge)
                self._depth_pending, self.depth_last = True, heard.turn
                return Move(kind="follow_up", phase=now.id, elapsed=elapsed,
                            question=lead + fresh[(self.seed + done) % len(fresh)])
        return None

    def _gaps(self, tracker: EvidenceTracker, phase: PhaseId) -> list[Criterion]:
        """What the policy may probe in `phase`: the criteria with no evidence yet."""
        return tracker.missed(phase)

    def _may_probe(self, now: Phase, progress: float, thin: bool) -> bool:
        """A regular probe waits for part of the phase to pass (or a thin answer), never
        follows another, and a phase takes only so many."""
        return self.probes_in_phase[now.id] < PROBE_CAP[now.id] and self.last_kind != "probe" \
            and (progress >= PROBE_AFTER or thin)

    def _tradeoffs(self, now: Phase, elapsed: int, tracker: EvidenceTracker) -> Move:
        """One last look at what was never covered, alternating with the case's own tradeoffs;
        one curveball once the phase is far enough in and an answer still fits."""
        if self.last_kind != "probe" and self.probes_in_phase[now.id] < PROBE_CAP[now.id]:
            left = [c for p in self.plan.phases[1:-1] for c in tracker.missed(p.id) if c.id not in self.probed]
            left.sort(key=lambda c: -self.rubric.weight_each(c))
            if probe := self._probe(left, now.id, elapsed):
                return probe
        if not self._curveball_asked and tradeoff_phase.curveball_time(now, elapsed):
            fresh = self._fresh(self.curveballs)
            if fresh:
                return self._material(fresh[self.seed % len(fresh)], now, elapsed)
        fresh = self._fresh(self.tradeoffs)
        if fresh:
            return self._material(fresh[0], now, elapsed)
        return self._listen(now, elapsed, tracker)

    @property
    def _curveball_asked(self) -> bool:
        return any(c.text in self.asked for c in self.curveballs)

    def _fresh(self, items: list[Material]) -> list[Material]:
        return [m for m in items if m.text not in self.asked and not self.listener.redundant(m.about)]

    def _material(self, item: Material, now: Phase, elapsed: int) -> Move:
        return Move(kind=item.kind, phase=now.id, elapsed=elapsed, question=item.text, about=item.about)

    def _lingering(self, now: Phase, elapsed: int, evidence: TurnEvidence) -> bool:
        """Still on an earlier phase's topics of their own accord (not answering our question
        about them), well after this phase began."""
        if now.id in (OPENING, CLOSING) or not evidence.hits or self.nudges[now.id] >= 2:
            return False
        if elapsed - now.start < NUDGE_GRACE_SECONDS:
            return False
        # A topic the plan leaves out (a drill's other parts) counts as off the current one.
        topics = {self.plan.index_of(self.rubric.criterion(c).phase) for c in evidence.hits}
        topics -= self.listener.asked_phases - {now.index}  # what we asked about an earlier part answers us
        return bool(topics) and max(topics) < now.index

    def _must_probes_due(self, tracker: EvidenceTracker, upto: int) -> list[Criterion]:
        return [c for p in self.plan.phases[:upto + 1] for c in self._gaps(tracker, p.id)
                if c.must_probe and c.id not in self.probed]

    def _must_probes_passed(self, now: Phase, tracker: EvidenceTracker) -> list[Criterion]:
        """Must-probes of a phase the candidate has talked past on their own, ahead of the clock
        or within the phase: two answers in a row about later phases, and it never came up."""
        return [c for p in self.plan.phases[now.index:] for c in self._gaps(tracker, p.id)
                if c.must_probe and c.id not in self.probed and self.listener.moved_past(p.index)]

    def _probe(self, candidates: list[Criterion], phase: PhaseId, elapsed: int,
               answer: Answer | None = None) -> Move | None:
        """A probe for the first of `candidates` that may still be asked: through a choice the
        candidate made when one of theirs leads to it ("Your features live in Redis. If Redis is
        down..."), else with the case's own probe. None if none may: the rubric and case loaders
        refuse a probeable criterion without a question, so None means nothing was left to probe."""
        for criterion in candidates:
            if not criterion.can_be_probed or criterion.id in self.probed \
                    or self.subjects.answered_in(criterion.id, self.answers_heard):
                continue
            if (pick := self._grounding(criterion)) is not None:
                return self._picked_up("probe", pick, phase, elapsed, probe=criterion.id, answer=answer)
            texts = [t for t in self.case.probes.get(criterion.id) or criterion.probes if t.strip()]
            if texts:
                return Move(kind="probe", phase=phase, elapsed=elapsed, probe=criterion.id, question=texts[0],
                            about=[criterion.id], **(answer or {}))
        return None

    def _grounding(self, criterion: Criterion) -> Pick | None:
        """A question on one of the candidate's choices that asks for `criterion`: from the last
        answers first, else from anything they chose earlier in the interview."""
        recent = self.listener.recent_choices()
        earlier = [c for h in reversed(self.listener.heard) for c in h.choices if c not in recent]
        for pick in picks(recent + earlier):
            others = [a for a in pick.question.about if a != criterion.id]
            if criterion.id in pick.question.about and pick.key not in self.picked and pick.text not in self.asked \
                    and not self.listener.redundant(others):
                return pick
        return None

    def _pick_up(self, choices: list[Choice], now: Phase, elapsed: int, tracker: EvidenceTracker,
                 settled_too: bool = False, probes_only: bool = False) -> Move | None:
        """A question on one of `choices`: a probe when it leads to a criterion still missing
        (and it is time to probe that), else (unless `probes_only`) a deep dive; never on what
        the last answers covered, and, unless `settled_too`, not on what the candidate has
        already fully shown."""
        for pick in picks(choices):
            about = pick.question.about
            if pick.key in self.picked or pick.text in self.asked or self.listener.redundant(about):
                continue
            missing = [self.rubric.criterion(a) for a in about if self._missing(a, tracker)]
            if missing:
                if self._may_ground(missing[0], now, elapsed):
                    return self._picked_up("probe", pick, now.id, elapsed, probe=missing[0].id)
                continue
            if probes_only or (pick.key[0] in self.dived and not settled_too) \
                    or (not settled_too and any(tracker.finding(a).level == Level.MET for a in about)) \
                    or any(self._settled_by(pick.choice.sentence, tracker.finding(a).quote) for a in about) \
                    or (settled_too and not self.listener.covered_in(pick.choice.turn).isdisjoint(about)):
                continue  # (a settled topic is dug into only through a choice whose answer did not show it)
            return self._picked_up("deep_dive", pick, now.id, elapsed)
        return None

    @staticmethod
    def _settled_by(sentence: str, quote: str | None) -> bool:
        """The sentence the choice was said in is the one that met the criterion: asking about it
        would ask for what that very sentence gave."""
        return bool(quote) and (quote in sentence or sentence in quote)  # type: ignore[operator]

    def _picked_up(self, kind: MoveKind, pick: Pick, phase: PhaseId, elapsed: int, probe: str | None = None,
                   answer: Answer | None = None) -> Move:
        alternative = choice_book().kind(pick.choice.kind).alternative if pick.question.challenge == "why" else None
        return Move(kind=kind, phase=phase, elapsed=elapsed, question=pick.text, about=list(pick.question.about),
                    choice=pick.choice, challenge=pick.question.challenge, alternative=alternative, probe=probe,
                    **(answer or {}))

    def _missing(self, criterion_id: str, tracker: EvidenceTracker) -> bool:
        criterion = self.rubric.criterion(criterion_id)
        return criterion.can_be_probed and criterion.id not in self.probed \
            and criterion in self._gaps(tracker, criterion.phase)

    def _may_ground(self, criterion: Criterion, now: Phase, elapsed: int) -> bool:
        """A choice may lead to a missing criterion's probe once its phase is overdue or
        part-way through; ahead of the clock, once the candidate is talking about that phase:
        far ahead, in their latest answer; in the next phase, in both of their last two."""
        at = self.plan.index_of(criterion.phase)
        latest = self.listener.latest
        if at < 0 or latest is None:
            return False
        if at < now.index:
            return True
        if at == now.index:
            return self.plan.progress_in_phase(elapsed) >= PROBE_AFTER
        return at in latest.touched if at > now.index + 1 else self.listener.dwelt_on(at)

    def _focus(self, now: Phase) -> Phase:
        """The phase the candidate is on: the clock's, or a later one they have kept to for
        their last two answers."""
        floor = self.listener.floor
        return self.plan.phases[floor] if floor > now.index else now

    def _record(self, move: Move) -> Move:
        """Remember a move that is being made; every move is recorded once, where it is decided."""
        if move.kind == "nudge":
            self.nudges[move.phase] += 1
        if move.probe:
            self.probed.add(move.probe)
            self.probes_in_phase[move.phase] += 1
        if move.question:
            self.asked.add(move.question)
        self.listener.asked(move.about)
        self._recorded = True  # the turn this move becomes is observed next, and is known already
        if move.choice is not None and move.challenge is not None:
            self.picked.add((move.choice.term.lower(), move.challenge))
            if move.kind == "deep_dive":
                self.dived.add(move.choice.term.lower())
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

    def _phase_question(self, phase: Phase, tracker: EvidenceTracker,
                        deeper: bool = True) -> Question | Material | None:
        """What a phase opens with: for the last phase the case's first tradeoff; else its
        opening question, or the next one when the candidate has already covered it; else
        (with `deeper`) one that digs into what they have shown."""
        if phase.id == CLOSING and (material := self._fresh(self.tradeoffs)):
            return material[0]
        question = self._open_question(self.lines.phases[phase.id].questions, tracker)
        return question or (self._deeper(phase, tracker) if deeper else None)

    def _deeper(self, phase: Phase, tracker: EvidenceTracker) -> Question | None:
        """A question that digs into what the candidate has shown in `phase` (something of what
        it asks about): not asked yet, and not on what the last answers covered."""
        shown = {c for c in self.rubric.criterion_ids if tracker.finding(c).level > Level.MISSED}
        return next((q for q in self.lines.phases[phase.id].deeper
                     if q.text not in self.asked and not self.listener.redundant(q.about) and shown & set(q.about)),
                    None)

    def _follow_up(self, phase: Phase, tracker: EvidenceTracker) -> Question | None:
        return self._open_question(self.lines.phases[phase.id].follow_ups, tracker)

    def _open_question(self, questions: list[Question], tracker: EvidenceTracker) -> Question | None:
        """The first question not asked yet, on nothing the last answers covered nor only on
        what the candidate has already fully shown (or named); None when they have covered it all."""
        named = {c.kind for h in self.listener.heard for c in h.choices}
        for q in questions:
            settled = all(a in named or (a in self.rubric.criterion_ids and tracker.finding(a).level == Level.MET)
                          for a in q.about)
            if q.text not in self.asked and not self.listener.redundant(q.about) and not settled:
                return q
        return None
