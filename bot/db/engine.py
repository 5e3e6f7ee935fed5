"""Engines and sessions for the answer database.

Engines are made on first use, never at import time, and one per database
URL is kept for the life of the process (it holds the connection pool).
Sessions are opened per unit of work by the callers. The tables are made
and changed by migrations only (`bot.db.migrate`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool


def create_db_engine(database_url: str) -> Engine:
    """Creates an engine for a database URL (2.0-style API).

    For a SQLite file the folder is created, so the default set-up needs
    nothing beforehand. Both are the owner's alone: they hold conversations.
    """
    url = make_url(database_url)
    in_memory = url.database in (None, "", ":memory:")
    if url.get_backend_name() == "sqlite" and not in_memory:
        _owner_only_sqlite_file(Path(url.database))
        engine = create_engine(
            url,
            future=True,
            # SQLAlchemy 1.4 opens a new SQLite connection for every session
            # of a file database; a pool keeps them (each is used by one
            # thread at a time, so sharing across threads is safe).
            poolclass=QueuePool,
            connect_args={
                # The Rasa server writes conversations to the same file; wait
                # for its lock instead of failing at once.
                "timeout": 15,
                "check_same_thread": False,
            },
        )
        event.listen(engine, "connect", _write_ahead_log)
        return engine
    connect_args = {"timeout": 15} if url.get_backend_name() == "sqlite" else {}
    return create_engine(
        url, future=True, pool_pre_ping=True, connect_args=connect_args
    )


def _write_ahead_log(connection: Any, _record: Any) -> None:
    """SQLite's write-ahead log: a commit appends instead of rewriting pages.

    Readers (the action server) no longer wait for writers either. Commits
    still reach the disk before they return (`synchronous` stays FULL).
    The -wal and -shm files take the database file's owner-only mode.
    """
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _owner_only_sqlite_file(path: Path) -> None:
    """Create the folder of an SQLite file owner-only; tighten an old file."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        # Created by SQLite with the process's umask; make sure it is 0600
        # whatever that umask is.
        path.touch(mode=0o600)
    if path.stat().st_mode & 0o077 and path.stat().st_uid == os.geteuid():
        path.chmod(0o600)


@lru_cache(maxsize=8)
def engine_for(database_url: str) -> Engine:
    """The process-wide engine for a database URL."""
    return create_db_engine(database_url)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to an engine; open one session per unit of work."""
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)
