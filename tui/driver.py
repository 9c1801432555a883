"""The practice session's own thread. The store, the interviewer and the scorer run there, on
an asyncio loop of their own inside a Textual thread worker, so the UI never waits for a
model, a disk write or a score. The driver talks back to the screen only with messages."""
from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future

from textual.message import Message
from textual.message_pump import MessagePump

from mlsd.rubric.score import ScoreReport
from mlsd.core.transcript import Turn
from mlsd.sessions.runner import PracticeSession
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


class SessionDriver:
    def __init__(self, make_session: Callable[[], PracticeSession], target: MessagePump) -> None:
        self._make_session = make_session
        self._target = target
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock: asyncio.Lock | None = None  # one thing at a time, in the order asked
        self._replying: asyncio.Task | None = None
        self._leaving = False
        self._guard = threading.Lock()
        self._stopping = False
        self._stop_early = False  # stop() came before the loop ran
        self._early_draft: str | None = None
        self.stopped = threading.Event()
        self.session: PracticeSession | None = None
        self.failed: str | None = None

    # ------------------------------------------------------------------ the thread
    def serve(self) -> None:
        """Runs in a thread worker until `stop()`."""
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            try:
                self.session = self._make_session()
            except USER_FAILURES as exc:
                self.failed = str(exc)
                self._post(DriverFailed(self.failed))
                return
            self._lock = asyncio.Lock()
            s = self.session
            with self._guard:
                if self._stop_early:
                    return  # the screen closed before the session was ready
                self._loop = loop
            self._post(SessionReady(s.id, list(s.turns), s.row.diagram, s.row.draft, s.interviewer.label))
            loop.run_forever()
        finally:
            if self.session is not None:
                draft = self._early_draft if self._loop is None else None
                self._quietly(lambda: self.session.save_clock(draft))
                self._quietly(self.session.store.close)
            loop.close()
            self.stopped.set()

    def stop(self, draft: str | None = None) -> None:
        """Finish what was asked before (a reply in flight is cut short; the candidate's turn
        is already stored and is answered on resume), keep the draft, then end the thread."""
        with self._guard:
            if self._stopping:
                return
            self._stopping = True
            if self._loop is None:
                self._stop_early, self._early_draft = True, draft
                return
        self._submit(self._shutdown(draft))

    async def _shutdown(self, draft: str | None) -> None:
        self._leaving = True
        if self._replying is not None:
            # It has stored its candidate turn already: only the reply is given up.
            self._replying.cancel()
        async with self._lock:
            if draft is not None:
                self._quietly(lambda: self.session.save_clock(draft))
        asyncio.get_running_loop().stop()

    def _post(self, message: Message) -> None:
        self._target.post_message(message)

    @staticmethod
    def _quietly(fn: Callable[[], object]) -> None:
        try:
            fn()
        except USER_FAILURES:
            pass

    def _submit(self, coro) -> Future | None:
        if self._loop is None or self._loop.is_closed():
            coro.close()
            return None
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

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

    def time_up(self) -> None:
        self._submit(self._reply(lambda s: s.time_up()))

    def set_diagram(self, text: str) -> None:
        self._submit(self._call(lambda s: s.set_diagram(text)))

    def save_clock(self) -> None:
        self._submit(self._call(lambda s: s.save_clock()))

    # ------------------------------------------------------------------ on the session's loop
    async def _call(self, fn: Callable[[PracticeSession], object]) -> None:
        async with self._lock:
            try:
                fn(self.session)
            except USER_FAILURES as exc:
                self._post(DriverFailed(str(exc)))

    async def _reply(self, start: Callable[[PracticeSession], AsyncIterator[str]], draft: str | None = None) -> None:
        async with self._lock:
            if self.session.finished:
                return
            self._replying = asyncio.current_task()
            try:
                await self._stream(start, draft)
            except asyncio.CancelledError:
                pass  # stopped mid-reply: the unfinished reply is not stored
            finally:
                self._replying = None

    async def _stream(self, start: Callable[[PracticeSession], AsyncIterator[str]], draft: str | None) -> None:
        session = self.session
        stored = len(session.turns)
        self._post(ReplyStarted())
        pending: list[str] = []
        flushed = 0.0
        try:
            async for chunk in start(session):
                if self._leaving:
                    break  # the candidate's turn is stored; the reply waits for the resume
                pending.append(chunk)
                # The first chunk goes out at once; after it, chunks are sent a frame's worth
                # at a time, so a fast stream does not queue a render per token.
                if time.monotonic() - flushed >= CHUNK_BATCH_SECONDS:
                    self._post(ReplyChunk("".join(pending)))
                    pending.clear()
                    flushed = time.monotonic()
            if pending and not self._leaving:
                self._post(ReplyChunk("".join(pending)))
        except USER_FAILURES as exc:
            # The answer is given back only if it never reached the store.
            kept = draft if len(session.turns) == stored and not _stored_last(session, draft) else None
            self._post(DriverFailed(str(exc), kept))
            self._post(ReplyDone(None, session.finished))
            return
        notices = getattr(session.interviewer, "notices", [])
        while notices:
            self._post(BackendNotice(notices.pop(0), session.interviewer.label))
        turn = session.turns[-1] if len(session.turns) > stored else None
        self._post(ReplyDone(turn, session.finished))
        if session.finished:
            self._post(SessionScored(session.id, session.score))


def _stored_last(session: PracticeSession, draft: str | None) -> bool:
    return draft is not None and bool(session.turns) and session.turns[-1].text == draft
