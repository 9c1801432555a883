"""The practice session's own thread. The store, the interviewer and the scorer run there, on
an asyncio loop of their own inside a Textual thread worker, so the UI never waits for a
model, a disk write or a score. The screen asks for things with the methods below (from the
UI thread); they run one at a time, in the order asked, and the driver answers only with
messages."""
from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass

from textual.message import Message
from textual.message_pump import MessagePump

from mlsd.core.transcript import Turn
from mlsd.rubric.score import ScoreReport
from mlsd.sessions.practice import PracticeSession
from mlsd.sessions.store import StoreError


class SessionReady(Message):
    def __init__(self, session_id: int, turns: list[Turn], diagram: str, draft: str, label: str) -> None:
        super().__init__()
        self.session_id, self.turns, self.diagram, self.draft, self.label = session_id, turns, diagram, draft, label


class ReplyStarted(Message):
    pass


class ReplyChunk(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ReplyDone(Message):
    def __init__(self, turn: Turn | None, finished: bool) -> None:
        super().__init__()
        self.turn, self.finished = turn, finished


class SessionScored(Message):
    def __init__(self, session_id: int, report: ScoreReport | None) -> None:
        super().__init__()
        self.session_id, self.report = session_id, report


class BackendNotice(Message):
    """The interviewer changed hands (the endpoint failed, or came back)."""

    def __init__(self, text: str, label: str) -> None:
        super().__init__()
        self.text, self.label = text, label


class DriverFailed(Message):
    """Something the user can act on went wrong; `draft` is the answer to give back to them."""

    def __init__(self, error: str, draft: str | None = None) -> None:
        super().__init__()
        self.error, self.draft = error, draft


USER_FAILURES = (StoreError, OSError)
CHUNK_BATCH_SECONDS = 1 / 30
Job = Callable[[PracticeSession], Awaitable[None]]


@dataclass
class _Leave:
    """The last job: keep the unsent answer, then end the thread."""

    draft: str | None


class SessionDriver:
    def __init__(self, make_session: Callable[[], PracticeSession], target: MessagePump) -> None:
        self._make_session = make_session
        self._target = target
        # Made here and run by the worker thread, so jobs can be queued before it starts.
        self._loop = asyncio.new_event_loop()
        self._jobs: asyncio.Queue[Job | _Leave] = asyncio.Queue()
        self._leaving = asyncio.Event()  # replies still queued store their turn but are not spoken
        self._current: asyncio.Task[None] | None = None
        self.stopped = threading.Event()

    # ------------------------------------------------------------------ the thread
    def serve(self) -> None:
        """Runs in a thread worker until `stop()`."""
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._main())
        finally:
            # A generator still open (a stream cut short) is closed on this loop, not left to
            # garbage collection after it is gone.
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()
            self.stopped.set()

    async def _main(self) -> None:
        try:
            session = self._make_session()
        except USER_FAILURES as exc:
            self._post(DriverFailed(str(exc)))
            return
        draft: str | None = None
        try:
            self._post(SessionReady(session.id, list(session.turns), session.row.diagram, session.row.draft,
                                    session.interviewer.label))
            while not isinstance(job := await self._jobs.get(), _Leave):
                self._current = asyncio.ensure_future(job(session))
                with suppress(asyncio.CancelledError):  # stopped mid-reply: the unfinished reply is not stored
                    await self._current
            draft = job.draft
        finally:
            # Left with nothing answered, typed or drawn, the session is not kept; else its clock is.
            if draft is None or not self._quietly(lambda: session.discard_if_unused(draft)):
                self._quietly(lambda: session.save_clock(draft))
            with suppress(*USER_FAILURES):
                await session.aclose()  # its connections and its lock
            self._quietly(session.store.close)

    def stop(self, draft: str | None = None) -> None:
        """Finish what was asked before (a reply in flight is cut short; the candidate's turn
        is already stored and is answered on resume), keep the draft, then end the thread."""
        self._call_soon(self._leave, draft)

    def _leave(self, draft: str | None) -> None:
        if self._leaving.is_set():
            return
        self._leaving.set()
        if self._current is not None:
            self._current.cancel()  # it has stored its candidate turn already: only the reply is given up
        self._jobs.put_nowait(_Leave(draft))

    def _call_soon(self, fn: Callable[..., object], *args: object) -> None:
        with suppress(RuntimeError):  # the thread has ended: nothing left to do
            self._loop.call_soon_threadsafe(fn, *args)

    def _submit(self, job: Job) -> None:
        self._call_soon(self._jobs.put_nowait, job)

    def _post(self, message: Message) -> None:
        self._target.post_message(message)

    @staticmethod
    def _quietly(fn: Callable[[], object]) -> object:
        with suppress(*USER_FAILURES):
            return fn()
        return None

    # ------------------------------------------------------------------ asked by the screen
    def open(self) -> None:
        """The opening, or on resume the reply the candidate's last turn never got."""
        self._submit(self._reply(lambda s: s.pending_reply() if s.awaiting_reply else s.open()))

    def answer(self, text: str) -> None:
        self._submit(self._reply(lambda s: s.answer(text), draft=text))

    def interject(self) -> None:
        self._submit(self._reply(lambda s: s.interject()))

    def end_early(self) -> None:
        self._submit(self._reply(lambda s: s.end_early()))

    def time_up(self, draft: str) -> None:
        self._submit(self._reply(lambda s: s.time_up(draft), draft=draft or None))

    def set_diagram(self, text: str) -> None:
        self._submit(self._call(lambda s: s.set_diagram(text)))

    def save_clock(self) -> None:
        self._submit(self._call(lambda s: s.save_clock()))

    def save_draft(self, text: str) -> None:
        self._submit(self._call(lambda s: s.save_clock(draft=text)))

    # ------------------------------------------------------------------ jobs, on the session's loop
    def _call(self, fn: Callable[[PracticeSession], object]) -> Job:
        async def job(session: PracticeSession) -> None:
            try:
                fn(session)
            except Exception as exc:
                self._post(DriverFailed(_said(exc)))
        return job

    def _reply(self, start: Callable[[PracticeSession], AsyncIterator[str]], draft: str | None = None) -> Job:
        async def job(session: PracticeSession) -> None:
            if not session.finished:
                await self._stream(session, start, draft)
        return job

    async def _stream(self, session: PracticeSession, start: Callable[[PracticeSession], AsyncIterator[str]],
                      draft: str | None) -> None:
        stored = len(session.turns)
        self._post(ReplyStarted())
        pending: list[str] = []
        flushed = 0.0
        try:
            async for chunk in start(session):
                if self._leaving.is_set():
                    break  # the candidate's turn is stored; the reply waits for the resume
                pending.append(chunk)
                # The first chunk goes out at once; after it, chunks are sent a frame's worth
                # at a time, so a fast stream does not queue a render per token.
                if time.monotonic() - flushed >= CHUNK_BATCH_SECONDS:
                    self._post(ReplyChunk("".join(pending)))
                    pending.clear()
                    flushed = time.monotonic()
            if pending and not self._leaving.is_set():
                self._post(ReplyChunk("".join(pending)))
        except Exception as exc:
            # The answer is given back only if it never reached the store.
            kept = draft if len(session.turns) == stored and not _stored_last(session, draft) else None
            self._post(DriverFailed(_said(exc), kept))
            self._post(ReplyDone(None, session.finished))
            return
        for notice in session.take_notices():
            self._post(BackendNotice(notice, session.interviewer.label))
        turn = session.turns[-1] if len(session.turns) > stored else None
        self._post(ReplyDone(turn, session.finished))
        if session.finished:
            self._post(SessionScored(session.id, session.score))


def _said(exc: Exception) -> str:
    """A user's problem in its own words; a bug by its kind too, so that it can be reported."""
    return str(exc) if isinstance(exc, USER_FAILURES) else f"{type(exc).__name__}: {exc}"


def _stored_last(session: PracticeSession, draft: str | None) -> bool:
    return draft is not None and bool(session.turns) and session.turns[-1].text == draft
