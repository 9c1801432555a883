"""`mlsd practice --plain`: the interview as a line-by-line terminal dialogue.

Pasted multi-line text arrives as one answer (on a terminal, its bracketed-paste marks say
where a paste ends); a line ending in a backslash continues.
Ctrl-C leaves the session resumable; Ctrl-D or /end finishes it early and scores it. The
interview's rules are the session's: this module reads lines and prints what it returns.
(It does not apply the silence rule: a terminal in line mode does not show us keystrokes,
so someone typing a long answer would look silent.)"""
from __future__ import annotations

import asyncio
import select
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import TextIO

from mlsd.core.transcript import stamp
from mlsd.sessions.practice import PracticeSession

HELP = ("Commands: /time shows the clock, /end finishes early, /help. "
        "Ctrl-C pauses (resume with `mlsd practice --resume`).")
NOT_KEPT = "Nothing was answered, so nothing was scored or kept."
PASTE_GAP = 0.05  # lines arriving closer together than this are one paste
# Bracketed paste: the terminal wraps what is pasted in these marks once asked to.
PASTE_ON, PASTE_OFF, PASTE_START, PASTE_END = "\x1b[?2004h", "\x1b[?2004l", "\x1b[200~", "\x1b[201~"
CONTINUE_PROMPT = "... "


class PlainDialogue:
    def __init__(self, session: PracticeSession, stdin: TextIO | None = None, stdout: TextIO | None = None):
        # The streams of the moment, not of import time: a caller may have replaced them since.
        self.s, self.stdin, self.out = session, stdin or sys.stdin, stdout or sys.stdout
        self.loop = asyncio.new_event_loop()
        # On a terminal, lines that arrive together are one paste; from a pipe, a line is a turn.
        self.merge_pastes = bool(getattr(self.stdin, "isatty", lambda: False)())

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _stream(self, label: str, chunks: AsyncIterator[str]) -> None:
        async def run() -> None:
            self.out.write(f"\n[{stamp(self.s.elapsed)}] {label}: ")
            async for chunk in chunks:
                self.out.write(chunk)
                self.out.flush()
            self.out.write("\n")

        self.loop.run_until_complete(run())
        for notice in self.s.take_notices():
            self.say(f"  ({notice})")
        last = self.s.turns[-1] if self.s.turns else None
        if last is not None and last.move == "transition" and last.phase:
            phase = self.s.plan.phase(last.phase)
            self.say(f"── {phase.title} ({stamp(phase.start)}–{stamp(phase.end)}) ──")

    def _read(self) -> str | None:
        """One answer, or None at end of input. Returns '' if the session time ran out first.

        A line ending in a backslash goes on in the next line; a paste is one answer, from the
        terminal's paste-start mark to its paste-end mark (its last line may arrive only with
        the Enter typed after it); lines arriving together are one paste too, where the
        terminal does not mark pastes."""
        lines: list[str] = []
        pasting = continued = False
        while True:
            remaining = self.s.plan.total - self.s.elapsed
            if remaining <= 0 and not lines:
                return ""
            awaited = not lines or pasting or continued  # a whole line is still to come
            if not self._ready(max(remaining, 0.1) if awaited else PASTE_GAP):
                if (lines and not awaited) or (lines and remaining <= 0):
                    break  # the burst is over, or the time is, mid-answer: send what there is
                continue
            line = self.stdin.readline()
            if not line:
                return "\n".join(lines) if lines else None
            line = line.rstrip("\n")
            pasted = pasting or PASTE_START in line
            pasting = (pasting or PASTE_START in line) and PASTE_END not in line
            line = line.replace(PASTE_START, "").replace(PASTE_END, "")
            # A backslash ends a typed line that goes on; a pasted one keeps its backslash.
            continued = not pasted and line.endswith("\\")
            lines.append(line[:-1] if continued else line)
            if continued:
                self.out.write(CONTINUE_PROMPT)
                self.out.flush()
            if pasting or continued:
                continue
            if pasted or not self.merge_pastes or not self._ready(PASTE_GAP):
                break
        return "\n".join(lines)

    def _ready(self, timeout: float) -> bool:
        try:
            return bool(select.select([self.stdin], [], [], timeout)[0])
        except (ValueError, OSError, TypeError):  # not a real file (tests): read blocking
            return True

    @contextmanager
    def _pastes_marked(self) -> Iterator[None]:
        """On a terminal: ask it to mark pastes, and to echo the marks as nothing rather than
        as ^[[200~ (no ECHOCTL); both undone on the way out."""
        tty = self.merge_pastes and getattr(self.out, "isatty", lambda: False)()
        saved = None
        if tty:
            try:
                import termios

                fd = self.stdin.fileno()
                saved = termios.tcgetattr(fd)
                quiet = list(saved)
                quiet[3] &= ~termios.ECHOCTL
                termios.tcsetattr(fd, termios.TCSANOW, quiet)
            except (ImportError, OSError, ValueError, AttributeError):
                saved = None
            self.out.write(PASTE_ON)
            self.out.flush()
        try:
            yield
        finally:
            if tty:
                self.out.write(PASTE_OFF)
                self.out.flush()
            if saved is not None:
                termios.tcsetattr(self.stdin.fileno(), termios.TCSADRAIN, saved)

    def run(self) -> int:
        with self._pastes_marked():
            return self._run()

    def _run(self) -> int:
        s = self.s
        if not s.turns:
            self._stream("Interviewer", s.open())
        else:
            self.say(f"Resuming session {s.id} at {stamp(s.elapsed)}.")
            last = s.turns[-1]
            who = "Interviewer" if last.speaker == "interviewer" else "You"
            self.say(f"[{stamp(last.elapsed)}] {who}: {last.text}")
            if s.awaiting_reply:
                self._stream("Interviewer", s.pending_reply())
        try:
            while not s.finished:
                self.out.write(f"\n[{stamp(s.elapsed)}] You> ")
                self.out.flush()
                text = self._read()
                if text and not self.merge_pastes:
                    self.say(text)  # from a pipe nothing echoed it: keep the dialogue readable
                if text is None or text.strip() == "/end":
                    self._stream("Interviewer", s.end_early())
                    break
                if text.strip() == "/help":
                    self.say(HELP)
                    continue
                if text.strip() == "/time":
                    phase = s.plan.phase_at(s.elapsed)
                    self.say(f"{stamp(s.elapsed)} of {stamp(s.plan.total)}; "
                             f"phase: {phase.title} until {stamp(phase.end)}")
                    continue
                if s.time_is_up:
                    self._stream("Interviewer", s.time_up(text))
                    break
                if text.strip():
                    self._stream("Interviewer", s.answer(text))
        except KeyboardInterrupt:
            if s.discard_if_unused(""):
                self.say(f"\n{NOT_KEPT}")
            else:
                self.say(f"\nPaused. Every turn so far is saved; resume with: mlsd practice --resume {s.id}")
            return 130
        finally:
            self.loop.run_until_complete(self._let_go())
            self.loop.close()
        return 0

    async def _let_go(self) -> None:
        """The session's connections and lock, and any generator still open, let go of on this
        loop before it goes."""
        await self.s.aclose()
        await self.loop.shutdown_asyncgens()
