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
]
VERSION = len(SCHEMA)


def migrate(conn: sqlite3.Connection, current: int) -> None:
    """Apply every step above `current`, each in its own transaction."""
    for version in range(current + 1, VERSION + 1):
        with conn:
            conn.executescript("BEGIN;" + SCHEMA[version - 1] + f"PRAGMA user_version = {version};")
