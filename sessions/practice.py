"""One practice session from start to score: each candidate turn is committed to the store
before the interviewer's reply is produced, and each reply is committed when it is complete.
Every front end drives a session through these methods and nothing else."""
from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from mlsd.core.printable import clean_text
from mlsd.core.transcript import Transcript, Turn
from mlsd.interviewer.clock import Clock
from mlsd.interviewer.context import Interviewer, TurnContext
from mlsd.interviewer.drill import policy_for, session_plan
from mlsd.interviewer.move import Move
from mlsd.interviewer.offline import OfflineInterviewer
from mlsd.prompts.case import Case
from mlsd.rubric.model import Rubric, load_rubric
from mlsd.rubric.score import ScoreReport
from mlsd.rubric.tracker import EvidenceTracker, TurnEvidence
from mlsd.sessions.lock import SessionLock
from mlsd.sessions.scoring import offline_score
from mlsd.sessions.store import SessionRow, SessionStatus, Store, StoreError, now_iso


class PracticeSession:
    def __init__(self, store: Store, row: SessionRow, case: Case, clock: Clock,
                 interviewer: Interviewer, rubric: Rubric | None = None, lock: SessionLock | None = None):
        self.store, self.row, self.case, self.clock, self.interviewer = store, row, case, clock, interviewer
        self.lock = lock  # this process's hold on the session: no other runs it meanwhile
        self.rubric = rubric or load_rubric()
        self.plan = session_plan(self.rubric, row.minutes, row.focus)
        self.tracker = EvidenceTracker(self.rubric, case, self.plan)
        self.policy = policy_for(self.plan, self.rubric, case, row.seed)
        self.turns: list[Turn] = []
        self.finished = row.status != "active"
        self.discarded = False  # ended with no answer: not scored, not kept
        self.score: ScoreReport | None = None
        self._evidence = TurnEvidence()  # of the latest turn
        self.notices: list[str] = []  # for the front end to show: an error stood in for, said once each
        self.failures: list[str] = []  # every error of ours stood in for, kept (mlsd simulate counts them)

    @classmethod
    def start(cls, store: Store, case: Case, clock: Clock, interviewer: Interviewer, minutes: float = 45,
              backend: str = "offline", model: str | None = None, seed: int = 0,
              focus: str | None = None) -> PracticeSession:
        """A new session: a full interview, or with `focus` a drill on that rubric category."""
        session_plan(load_rubric(), minutes, focus)  # an unknown focus fails before anything is stored
        row = store.create_session(case.id, case.title, backend, minutes, model=model, seed=seed, focus=focus)
        return cls(store, row, case, clock, interviewer, lock=SessionLock.take(store.path, row.id))

    @classmethod
    def resume(cls, store: Store, row: SessionRow, case: Case, clock: Clock,
               interviewer: Interviewer) -> PracticeSession:
        """Rebuild the tracker and the policy from the stored turns. StoreError when another
        process has the session open, or it was finished meanwhile."""
        lock = SessionLock.take(store.path, row.id)
        row = store.session(row.id)  # read again under the lock: the other process may have gone on
        if row.status != "active":
            lock.release()
            raise StoreError(f"session {row.id} is {row.status.replace('_', ' ')}; only unfinished sessions resume")
        session = cls(store, row, case, clock, interviewer, lock=lock)
        for turn in store.turns(row.id):
            session._remember(turn)
        session.tracker.add_diagram(row.diagram)
        return session

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def elapsed(self) -> int:
        return int(self.clock.elapsed())

    def _remember(self, turn: Turn) -> None:
        """A stored turn, replayed on resume: the policy learns what it had decided."""
        self.turns.append(turn)
        self._evidence = self.tracker.add(turn)
        self.policy.observe(turn, turn.move, self._evidence, len(self.turns))

    def _store(self, turn: Turn) -> None:
        # A live turn: the policy recorded its own move when it decided it.
        self.store.add_turn(self.id, turn)
        self.turns.append(turn)
        self._evidence = self.tracker.add(turn)

    def set_diagram(self, text: str) -> None:
        """The diagram pane changed: store it (with a version for replays) and show it to the tracker."""
        if text == self.row.diagram:
            return
        self.store.save_diagram(self.id, text, min(self.elapsed, self.plan.total))
        self.row = self.row.model_copy(update={"diagram": text})
        self.tracker.add_diagram(text)

    def save_clock(self, draft: str | None = None) -> None:
        """Store where the clock stands (and the unsent answer), so a resumed session
        continues from here."""
        if self.finished:
            return
        fields: dict[str, Any] = {"elapsed": min(self.elapsed, self.plan.total)}
        if draft is not None:
            fields["draft"] = draft
        self.store.update_session(self.id, **fields)

    # ------------------------------------------------------------------ turns
    async def open(self) -> AsyncIterator[str]:
        async for chunk in self._speak(self.policy.opening()):
            yield chunk

    @property
    def awaiting_reply(self) -> bool:
        """The last stored turn is the candidate's: the process stopped before the reply."""
        return not self.finished and bool(self.turns) and self.turns[-1].speaker == "candidate"

    async def pending_reply(self) -> AsyncIterator[str]:
        """The reply to a candidate turn that was stored but never answered."""
        if not self.awaiting_reply:
            return
        last = self.turns[-1]
        move = self._decide(lambda: self.policy.decide(last.elapsed, last.text, self._evidence, self.tracker),
                            last.elapsed)
        async for chunk in self._speak(move):
            yield chunk

    async def answer(self, text: str) -> AsyncIterator[str]:
        """The candidate said `text`: store it, then stream the interviewer's reply."""
        if self.finished:
            return
        elapsed = min(self.elapsed, self.plan.total)
        turn = Turn(speaker="candidate", text=text, elapsed=elapsed, phase=self.plan.phase_id_at(elapsed))
        self.store.add_turn(self.id, turn)
        self.turns.append(turn)
        evidence = self.tracker.add(turn)
        move = self._decide(lambda: self.policy.decide(elapsed, text, evidence, self.tracker), elapsed)
        async for chunk in self._speak(move):
            yield chunk

    async def interject(self) -> AsyncIterator[str]:
        """The candidate is silent past the end of a phase: the interviewer moves them on."""
        if self.finished:
            return
        elapsed = min(self.elapsed, self.plan.total)
        move = self._decide(lambda: self.policy.on_silence(elapsed, self.tracker), elapsed, quiet=True)
        if move is not None:
            async for chunk in self._speak(move):
                yield chunk

    async def end_early(self) -> AsyncIterator[str]:
        async for chunk in self._speak(Move(kind="end_early", phase=self.policy.phase, elapsed=self.elapsed)):
            yield chunk

    @property
    def time_is_up(self) -> bool:
        return self.elapsed >= self.plan.total

    async def time_up(self, draft: str = "") -> AsyncIterator[str]:
        """The clock ran out: what the candidate had typed is their last answer, not lost, and
        the interviewer closes the session."""
        close = self.answer(draft) if draft.strip() else \
            self._speak(Move(kind="close", phase=self.plan.phases[-1].id, elapsed=self.plan.total))
        async for chunk in close:
            yield chunk

    def _decide(self, decide: Callable[[], Move | None], elapsed: int, quiet: bool = False) -> Move | None:
        """The policy's move. Should the policy fail (our bug), the session goes on: a plain
        "go on" stands in (nothing at all after a silence), and the error is said."""
        try:
            return decide()
        except Exception as exc:
            self.failures.append(f"policy: {type(exc).__name__}: {exc} at {elapsed / 60:.1f} min")
            self.notices.append(f"the interviewer's policy failed ({type(exc).__name__}: {exc}); "
                                "a plain prompt stands in. Please report this.")
            return None if quiet else Move(kind="follow_up", phase=self.policy.phase, elapsed=elapsed)

    def take_notices(self) -> list[str]:
        """What the front end should tell the candidate since last asked: the interviewer
        changing hands, or an error that something stood in for."""
        notices = self.interviewer.notices
        taken, notices[:] = list(notices) + self.notices, []
        self.notices = []
        return taken

    async def _speak(self, move: Move | None) -> AsyncIterator[str]:
        if move is None:  # the policy failed at a moment that needed no words
            return
        ctx = TurnContext(case=self.case, plan=self.plan, move=move, turn_no=len(self.turns) + 1,
                          turns=list(self.turns), tracker=self.tracker, seed=self.row.seed)
        parts: list[str] = []
        try:
            async for chunk in self.interviewer.reply(ctx):
                chunk = clean_text(chunk)  # a model's words are shown as they will be stored
                parts.append(chunk)
                yield chunk
        except Exception as exc:
            self.failures.append(f"interviewer: {type(exc).__name__}: {exc} at {move.elapsed / 60:.1f} min")
            # The offline interviewer says this turn (going on from a reply cut short).
            self.notices.append(f"the interviewer failed ({type(exc).__name__}: {exc}); the offline interviewer "
                                "answers this turn")
            stand_in = ("\n\n" if "".join(parts).strip() else "") + OfflineInterviewer().render(ctx)
            parts.append(stand_in)
            yield stand_in
        text = "".join(parts).strip()
        self._store(Turn(speaker="interviewer", text=text, elapsed=move.elapsed, phase=move.phase,
                         probe=move.probe, move=move.kind))
        if move.kind in ("close", "end_early"):
            self._finish("completed" if move.kind == "close" else "ended_early")

    @property
    def answered(self) -> bool:
        return any(t.speaker == "candidate" for t in self.turns)

    def discard_if_unused(self, draft: str) -> bool:
        """Leaving a session with nothing answered, typed or drawn: it is not kept, so history
        and progress hold only sessions someone worked on. True if it was removed."""
        if self.finished or self.answered or draft.strip() or self.row.diagram.strip():
            return False
        self.store.delete_session(self.id)
        self.finished = self.discarded = True
        return True

    def _finish(self, status: SessionStatus) -> None:
        self.finished = True
        if not self.answered:
            # Nothing to score: a 0/100 of nobody's answers would only pull the progress lines down.
            self.store.delete_session(self.id)
            self.discarded = True
            return
        self.store.update_session(self.id, status=status, ended=now_iso(), elapsed=self.elapsed)
        self.score = offline_score(self.transcript(), self.case, self.plan, self.rubric)
        self.store.save_score(self.id, self.score)

    def transcript(self) -> Transcript:
        return Transcript(case_id=self.case.id, turns=list(self.turns), diagram=self.row.diagram)

    async def aclose(self) -> None:
        """Let go of the interviewer's connections (on the loop the session ran on) and of the
        session, for another process to resume. The store is its owner's to close."""
        try:
            await self.interviewer.aclose()
        finally:
            if self.lock is not None:
                self.lock.release()
