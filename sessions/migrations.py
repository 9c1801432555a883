"""Schema versions, kept in SQLite's user_version. Each step moves the schema up by one."""
from __future__ import annotations

import sqlite3

SCHEMA = [
    # 1: sessions, turns, scores
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id TEXT NOT NULL,
        case_title TEXT NOT NULL DEFAULT '',
        backend TEXT NOT NULL,
        model TEXT,
        minutes REAL NOT NULL,
        started TEXT NOT NULL,
        ended TEXT,
        status TEXT NOT NULL,
        elapsed INTEGER NOT NULL DEFAULT 0,
        diagram TEXT NOT NULL DEFAULT '',
        seed INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE turns (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        speaker TEXT NOT NULL,
        text TEXT NOT NULL,
        elapsed INTEGER NOT NULL,
        phase TEXT,
        probe TEXT,
        move TEXT,
        PRIMARY KEY (session_id, idx)
    );
    CREATE TABLE scores (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        scorer TEXT NOT NULL,
        created TEXT NOT NULL,
        overall REAL NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (session_id, scorer)
    );
    """,
    # 2: the diagram pane's versions, so a replay shows the diagram as it stood at each turn;
    #    the unsent answer of a session left mid-sentence
    """
    ALTER TABLE sessions ADD COLUMN draft TEXT NOT NULL DEFAULT '';
    CREATE TABLE diagrams (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        elapsed INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX diagrams_by_session ON diagrams(session_id, elapsed);
    """,
    # 3: focused drills: the rubric category a short session drills (NULL: a full interview)
    """
    ALTER TABLE sessions ADD COLUMN focus TEXT;
    """,
]
VERSION = len(SCHEMA)


class ForeignDatabase(Exception):
    """The file is SQLite, but not a database mlsd made."""


def migrate(conn: sqlite3.Connection, current: int) -> None:
    """Apply every step above `current` in one IMMEDIATE transaction: when two processes
    (or threads) open a new database at once, one migrates and the other waits, then finds
    the work done."""
    if current >= VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        # Read under the lock: another connection may have just finished migrating.
        if current == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise ForeignDatabase()
        for version in range(current + 1, VERSION + 1):
            for statement in _statements(SCHEMA[version - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    out, part = [], ""
    for line in script.splitlines(keepends=True):
        part += line
        if sqlite3.complete_statement(part):
            out.append(part.strip())
            part = ""
    return [s for s in out if s.strip(" ;\n")]
