"""One process at a time per practice session. While a session runs it holds an exclusive
lock on a small file in `locks/` beside the database, so a second `practice --resume` of it
(another terminal, a second app) is told so instead of interleaving turns. The operating
system drops the lock with the process, however it ends (kill -9 too): it never goes stale."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from mlsd.sessions.store import StoreError

if sys.platform != "win32":  # Windows has no flock: sessions are not guarded there
    import fcntl


class SessionLock:
    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    @classmethod
    def take(cls, db_path: Path, session_id: int) -> SessionLock:
        """The lock on `session_id`, or StoreError if another process holds it."""
        if sys.platform == "win32":
            return cls(None)
        folder = Path(db_path).parent / "locks"
        try:
            folder.mkdir(exist_ok=True)
            fd = os.open(folder / f"{Path(db_path).stem}-session-{session_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreError(f"{folder}: cannot lock session {session_id}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise StoreError(f"session {session_id} is open in another mlsd; leave it there (Ctrl+Q, or Ctrl-C "
                             "in plain mode) before resuming it here") from None
        return cls(fd)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file lets go of the lock
            self._fd = None
