"""The user's files, read and written safely. A file mlsd reads is a regular file (not a FIFO
that never ends, not /dev/zero) of at most a stated size, in UTF-8 (a leading BOM is
dropped); a file mlsd writes appears whole or not at all."""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

MB = 1024 * 1024

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def size_text(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def read_text(path: Path, limit: int, what: str, error: type[Exception]) -> str:
    """The text of `path`, or `error` with one line naming the file: `what` (such as "a
    transcript") is read only from a regular UTF-8 file of at most `limit` bytes."""
    try:
        # Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = next((name for test, name in _KINDS if test(st.st_mode)), "not a file")
            raise error(f"{path}: is {kind}; mlsd reads {what} only from a regular file")
        if st.st_size > limit:
            raise error(f"{path}: {size_text(st.st_size)} is more than the {size_text(limit)} mlsd reads for {what}")
        try:
            data = f.read(limit + 1)  # it may be growing as we read: never more than this
        except OSError as exc:
            raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise error(f"{path}: more than the {size_text(limit)} mlsd reads for {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text (byte {exc.start})") from None


def write_atomic(path: Path, text: str) -> None:
    """`text` into `path` through a temporary file beside it, renamed over it once complete:
    a full disk or a crash leaves the old file as it was. Raises OSError."""
    path = Path(path)
    if path.exists() and not path.is_file():  # /dev/stdout, a FIFO: nothing to rename over
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    mode = stat.S_IMODE(os.stat(path).st_mode) if path.exists() else 0o666  # a new file: the umask applies
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
