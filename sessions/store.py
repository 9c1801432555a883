"""The SQLite store (through sqlite-utils): sessions, turns and scores. Every write is its
own committed transaction, so a turn is on disk before the next one is taken; a write that
reads first (the next turn's index, an import) takes the write lock before it reads."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, cast

import sqlite_utils
from pydantic import BaseModel, Field, model_validator

from mlsd.core.printable import strings_without_controls
from mlsd.core.transcript import Transcript, Turn
from mlsd.rubric.score import ScoreReport
from mlsd.sessions import migrations

OPEN_TIMEOUT = 5.0  # seconds to wait for another process holding the database
SQLITE_INT = Field(default=0, ge=-(2 ** 63), lt=2 ** 63)


class StoreError(Exception):
    """A problem with the database file that the user can act on."""


SessionStatus = Literal["active", "completed", "ended_early", "imported"]


class SessionRow(BaseModel):
    id: int
    case_id: str
    case_title: str = ""
    backend: str
    model: str | None = None
    minutes: float
    started: str
    ended: str | None = None
    status: SessionStatus
    elapsed: int = SQLITE_INT
    diagram: str = ""
    seed: int = SQLITE_INT
    draft: str = ""  # what the candidate had typed but not sent when they left
    focus: str | None = None  # the rubric category of a drill; None for a full interview

    @model_validator(mode="before")
    @classmethod
    def _no_control_characters(cls, data: Any) -> Any:
        # An imported file's case id, title or model name is shown on screens and terminals.
        return strings_without_controls(data)

    @property
    def is_drill(self) -> bool:
        return self.focus is not None


def _writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 256 * 1024
    except OSError:
        return False


def now_iso() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


class Store:
    def __init__(self, path: Path, durable: bool = True):
        """`durable=False` is for scratch databases (simulated sessions): a commit is not
        flushed to the disk, so it may not survive a power cut, and it is much faster."""
        self.path = Path(path)
        self.durable = durable
        with self._errors("open"):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            deadline = time.monotonic() + OPEN_TIMEOUT
            while True:
                try:
                    self._open()
                    break
                except sqlite3.OperationalError as exc:
                    # Switching to WAL or migrating needs a moment alone with a new file;
                    # another connection opening it at the same time is worth waiting for.
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                    self.db.conn.close()
                    time.sleep(0.05)

    def _open(self) -> None:
        conn = sqlite3.connect(self.path, timeout=OPEN_TIMEOUT)
        self.db = sqlite_utils.Database(conn)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > migrations.VERSION:
            raise StoreError(
                f"{self.path}: database schema v{version} is newer than this mlsd knows "
                f"(v{migrations.VERSION}); upgrade mlsd"
            )
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed turn survives a power cut, not only a killed process.
        conn.execute("PRAGMA synchronous = FULL" if self.durable else "PRAGMA synchronous = OFF")
        try:
            migrations.migrate(conn, version)
        except migrations.ForeignDatabase:
            raise StoreError(f"{self.path}: not an mlsd database (it has other tables)") from None

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except StoreError:
            raise
        except sqlite3.DatabaseError as exc:
            msg = str(exc)
            if "file is not a database" in msg or "malformed" in msg:
                msg = "not an SQLite database, or a damaged one"
            elif "locked" in msg:
                msg = "the database is locked by another process; try again"
            elif "readonly" in msg or ("unable to open" in msg and not _writable(self.path)):
                msg = "the database file or its folder is read-only; mlsd needs to write there"
            elif "full" in msg or ("disk I/O error" in msg and _nearly_full(self.path.parent)):
                msg = "the disk is full; free some space, nothing stored so far is lost"
            elif "disk I/O error" in msg:
                msg = "a disk I/O error; check the disk, nothing stored so far is lost"
            raise StoreError(f"{self.path}: cannot {doing}: {msg}") from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot {doing}: {exc.strerror or exc}") from None

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def _immediate(self) -> Iterator[sqlite3.Connection]:
        """One write transaction holding the write lock from its start: what it reads, no
        other writer changes before it commits."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # ------------------------------------------------------------------ sessions
    def create_session(self, case_id: str, case_title: str, backend: str, minutes: float,
                       model: str | None = None, seed: int = 0, status: SessionStatus = "active",
                       started: str | None = None, focus: str | None = None) -> SessionRow:
        row = dict(case_id=case_id, case_title=case_title, backend=backend, model=model, minutes=minutes,
                   started=started or now_iso(), status=status, seed=seed, focus=focus)
        with self._errors("create a session"):
            table = self.db.table("sessions").insert(row)
        return self.session(cast(int, table.last_pk))

    def session(self, session_id: int | str) -> SessionRow:
        try:
            sid = int(session_id)
        except (TypeError, ValueError):
            raise StoreError(f"{session_id!r} is not a session id (see `mlsd history`)") from None
        with self._errors("read sessions"):
            rows = list(self.db.query("SELECT * FROM sessions WHERE id = ?", [sid]))
        if not rows:
            raise StoreError(f"no session {sid} in {self.path} (see `mlsd history`)")
        return SessionRow(**rows[0])

    def sessions(self) -> list[SessionRow]:
        with self._errors("read sessions"):
            return [SessionRow(**r) for r in self.db.query("SELECT * FROM sessions ORDER BY id DESC")]

    def update_session(self, session_id: int, **fields: Any) -> None:
        with self._errors("update the session"):
            self.db.table("sessions").update(session_id, fields)

    def delete_session(self, session_id: int) -> None:
        """The session, its turns, diagrams and scores, in one transaction."""
        self.session(session_id)
        with self._errors("delete the session"), self._immediate() as conn:
            conn.execute("DELETE FROM sessions WHERE id = ?", [session_id])

    def save_diagram(self, session_id: int, text: str, elapsed: int) -> None:
        """The diagram now, and a version of it for replays, in one transaction."""
        with self._errors("save the diagram"), self._immediate() as conn:
            conn.execute("UPDATE sessions SET diagram = ? WHERE id = ?", [text, session_id])
            conn.execute("INSERT INTO diagrams (session_id, elapsed, text) VALUES (?,?,?)", [session_id, elapsed, text])

    def diagrams(self, session_id: int) -> list[tuple[int, str]]:
        """(elapsed, text) of every saved version, oldest first."""
        with self._errors("read diagrams"):
            rows = self.db.conn.execute(
                "SELECT elapsed, text FROM diagrams WHERE session_id = ? ORDER BY elapsed, rowid", [session_id])
            return [(e, t) for e, t in rows]

    # ------------------------------------------------------------------ turns
    def add_turn(self, session_id: int, turn: Turn) -> int:
        """Append a turn and commit it, with the session's clock, in one transaction."""
        with self._errors("save the turn"), self._immediate() as conn:
            idx = self._insert_turn(conn, session_id, turn)
            if turn.speaker == "candidate":  # the draft, if any, has now been sent
                conn.execute("UPDATE sessions SET draft = '' WHERE id = ?", [session_id])
        return idx

    @staticmethod
    def _insert_turn(conn: sqlite3.Connection, session_id: int, turn: Turn) -> int:
        idx: int = conn.execute(
            "SELECT coalesce(max(idx), 0) + 1 FROM turns WHERE session_id = ?", [session_id]).fetchone()[0]
        conn.execute(
            "INSERT INTO turns (session_id, idx, speaker, text, elapsed, phase, probe, move) VALUES (?,?,?,?,?,?,?,?)",
            [session_id, idx, turn.speaker, turn.text, turn.elapsed, turn.phase, turn.probe, turn.move])
        conn.execute("UPDATE sessions SET elapsed = max(elapsed, ?) WHERE id = ?", [turn.elapsed, session_id])
        return idx

    def import_session(self, row: SessionRow, turns: list[Turn], scores: list[ScoreReport]) -> SessionRow:
        """A whole session from elsewhere, as a new session (`row.id` is not used), in one
        transaction: it is all stored, or nothing is."""
        fields = row.model_dump(exclude={"id", "draft"})
        with self._errors("import the session"), self._immediate() as conn:
            sid = conn.execute(f"INSERT INTO sessions ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})",
                               list(fields.values())).lastrowid
            for turn in turns:
                self._insert_turn(conn, cast(int, sid), turn)
            if row.diagram and turns:  # and a version of it for replays, as of the last turn
                conn.execute("INSERT INTO diagrams (session_id, elapsed, text) VALUES (?,?,?)",
                             [sid, turns[-1].elapsed, row.diagram])
            for report in scores:
                conn.execute("INSERT INTO scores (session_id, scorer, created, overall, json) VALUES (?,?,?,?,?)",
                             [sid, report.scorer, now_iso(), report.overall, report.model_dump_json()])
        return self.session(cast(int, sid))

    def turns(self, session_id: int) -> list[Turn]:
        with self._errors("read turns"):
            rows = self.db.query(
                "SELECT speaker, text, elapsed, phase, probe, move FROM turns WHERE session_id = ? ORDER BY idx",
                [session_id])
            return [Turn(**r) for r in rows]

    def answer_counts(self) -> dict[int, int]:
        """How many turns the candidate took in each session that has any, by session id."""
        with self._errors("read turns"):
            rows = self.db.conn.execute(
                "SELECT session_id, count(*) FROM turns WHERE speaker = 'candidate' GROUP BY session_id")
            return {sid: n for sid, n in rows}

    def transcript(self, session_id: int) -> Transcript:
        s = self.session(session_id)
        headers = {"case": s.case_id, "minutes": f"{s.minutes:g}", "started": s.started, "backend": s.backend}
        if s.model:
            headers["model"] = s.model
        if s.focus:
            headers["focus"] = s.focus
        return Transcript(case_id=s.case_id, headers=headers, turns=self.turns(s.id), diagram=s.diagram)

    # ------------------------------------------------------------------ scores
    def save_score(self, session_id: int, report: ScoreReport) -> None:
        row = dict(session_id=session_id, scorer=report.scorer, created=now_iso(), overall=report.overall,
                   json=report.model_dump_json())
        with self._errors("save the score"):
            self.db.table("scores").upsert(row, pk=("session_id", "scorer"))

    def scores(self, session_id: int) -> dict[str, ScoreReport]:
        with self._errors("read scores"):
            rows = self.db.query("SELECT scorer, json FROM scores WHERE session_id = ?", [session_id])
            return {r["scorer"]: ScoreReport.model_validate(json.loads(r["json"])) for r in rows}

    def all_scores(self, scorer: str) -> dict[int, ScoreReport]:
        """Every session's report from `scorer`, by session id."""
        with self._errors("read scores"):
            rows = self.db.query("SELECT session_id, json FROM scores WHERE scorer = ?", [scorer])
            return {r["session_id"]: ScoreReport.model_validate(json.loads(r["json"])) for r in rows}

    def overall_scores(self) -> dict[int, float]:
        """Each session's offline overall, for listings."""
        with self._errors("read scores"):
            rows = self.db.query("SELECT session_id, overall FROM scores WHERE scorer = 'offline'")
            return {r["session_id"]: r["overall"] for r in rows}
