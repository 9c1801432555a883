"""Storage faults as a user meets them, each through the real `mlsd` command: one line, exit
code 2, no traceback, and nothing already stored is lost."""
from __future__ import annotations

import contextlib
import os
import select
import shutil
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cli_helpers import mlsd, one_line

from bench.llm_server import FakeLLM
from mlsd.core.transcript import Turn
from mlsd.sessions.store import Store

DATA = Path(__file__).parent / "data" / "transcripts"
MEDIUM_TURNS = sum(1 for line in (DATA / "delivery-time.medium.txt").read_text().splitlines() if line.startswith("["))


def seeded(home: Path, n: int = 2) -> Path:
    for _ in range(n):
        assert mlsd(home, "import", DATA / "delivery-time.medium.txt").returncode == 0
    return home / "mlsd.db"


def intact(db: Path, sessions: int) -> None:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == sessions
    assert conn.execute("SELECT count(*) FROM turns").fetchone()[0] == sessions * MEDIUM_TURNS
    conn.close()


def test_a_database_locked_by_another_process(tmp_path):
    db = seeded(tmp_path)
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE sessions SET case_title = case_title")
    try:
        one_line(mlsd(tmp_path, "import", DATA / "payment-fraud.weak.txt"), "locked by another process")
    finally:
        holder.rollback()
        holder.close()
    intact(db, 2)
    assert mlsd(tmp_path, "import", DATA / "payment-fraud.weak.txt").returncode == 0  # and it passes once freed


def test_a_database_from_a_newer_mlsd(tmp_path):
    db = seeded(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    one_line(mlsd(tmp_path, "history"), "schema v99 is newer", "upgrade mlsd")


def test_a_truncated_database_file(tmp_path):
    db = seeded(tmp_path)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    one_line(mlsd(tmp_path, "history"), "mlsd.db", "damaged")


def test_two_processes_writing_one_database_do_not_corrupt_it(tmp_path):
    seeded(tmp_path, 1)

    def importer(_):
        return [mlsd(tmp_path, "import", DATA / "delivery-time.medium.txt").returncode for _ in range(6)]

    with ThreadPoolExecutor(2) as pool:
        codes = [c for run in pool.map(importer, range(2)) for c in run]
    assert codes == [0] * 12
    intact(tmp_path / "mlsd.db", 13)


@contextlib.contextmanager
def small_disk(path: Path, size: str):
    path.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs")
    mount = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)]
    if subprocess.run(mount, capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_a_full_disk_loses_nothing_already_stored(tmp_path):
    with small_disk(tmp_path / "disk", "512k") as home:
        db = seeded(home, 1)
        filler = home / "filler"
        with contextlib.suppress(OSError), open(filler, "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
        result = mlsd(home, "import", DATA / "delivery-time.strong.txt")
        one_line(result, "disk is full")
        filler.unlink()
        intact(db, 1)


def test_a_read_only_database(tmp_path):
    with small_disk(tmp_path / "disk", "4m") as home:
        db = seeded(home, 1)
        subprocess.run(["mount", "-o", "remount,ro", str(home)], check=True)
        one_line(mlsd(home, "import", DATA / "delivery-time.strong.txt"), "mlsd.db", "read-only")
        subprocess.run(["mount", "-o", "remount,rw", str(home)], check=True)
        intact(db, 1)


def test_the_next_turns_index_is_read_under_the_write_lock(tmp_path):
    store = Store(tmp_path / "m.db")
    sid = store.create_session("delivery-time", "", "offline", 45).id
    other = sqlite3.connect(tmp_path / "m.db", timeout=0)
    seen: list[str] = []

    def while_reading_the_index(sql: str) -> None:
        if "max(idx)" not in sql:
            return
        try:  # another writer, between the read of the index and the insert that uses it
            other.execute("BEGIN IMMEDIATE")
            other.rollback()
            seen.append("another writer got in")
        except sqlite3.OperationalError:
            seen.append("locked out")

    store.db.conn.set_trace_callback(while_reading_the_index)
    store.add_turn(sid, Turn(speaker="candidate", text="Hello there.", elapsed=3))
    assert seen == ["locked out"]


class Practice:
    """`mlsd practice --plain` left running, waiting for the candidate's next answer."""

    def __init__(self, home: Path, *args: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "tui", "practice", "--plain", *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env={**os.environ, "MLSD_HOME": str(home)})
        out = b""
        while b"You> " not in out:
            assert select.select([self.proc.stdout], [], [], 30)[0], out
            chunk = self.proc.stdout.read1(4096)
            assert chunk, (out, self.proc.stderr.read())
            out += chunk

    def end(self, answer: str) -> int:
        self.proc.communicate(f"{answer}\n/end\n".encode(), timeout=30)
        return self.proc.returncode


def test_a_session_open_in_one_process_is_one_line_when_resumed_in_another(tmp_path):
    first = Practice(tmp_path, "--case", "delivery-time", "--minutes", "5")
    try:
        second = mlsd(tmp_path, "practice", "--plain", "--resume", "1", stdin="Hello\n/end\n")
    finally:
        assert first.end("We predict minutes per order.") == 0  # answered, so the session is kept
    one_line(second, "session 1 is open in another mlsd")
    said = [t.text for t in Store(tmp_path / "mlsd.db").turns(1) if t.speaker == "candidate"]
    assert said == ["We predict minutes per order."]  # nothing of the second process's
    assert Store(tmp_path / "mlsd.db").turns(1)[-1].move == "end_early"
    resumed = mlsd(tmp_path, "practice", "--plain", "--resume", "1")
    one_line(resumed, "no unfinished session 1")  # it was ended by its own process, not half by both


def test_a_plain_llm_session_ending_at_end_of_input_leaves_nothing_on_stderr(tmp_path):
    with FakeLLM() as llm:
        for stdin in ("How many orders a day?\n", ""):
            run = mlsd(tmp_path, "practice", "--plain", "--case", "delivery-time", stdin=stdin,
                       env={"OPENAI_BASE_URL": llm.base_url, "MLSD_MODEL": "test-model"})
            assert run.returncode == 0 and run.stderr == "", run.stderr
