"""The SQLite engine: pooled connections, write-ahead log, owner-only files."""

from __future__ import annotations

import os
import stat
import threading

import sqlalchemy as sa

from bot.db.engine import create_db_engine


def test_a_sqlite_file_uses_the_write_ahead_log_and_keeps_its_files_private(
    tmp_path,
):
    previous = os.umask(0o022)
    try:
        engine = create_db_engine(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE t (x INTEGER)"))
            connection.execute(sa.text("INSERT INTO t VALUES (1)"))
            mode = connection.execute(sa.text("PRAGMA journal_mode")).scalar()
            synchronous = connection.execute(sa.text("PRAGMA synchronous")).scalar()
        assert mode == "wal"
        assert synchronous == 2  # FULL: a commit is on disk when it returns
        written = sorted(p.name for p in tmp_path.iterdir())
        assert "bot.sqlite3-wal" in written
        for path in tmp_path.iterdir():
            # Conversations pass through the log too.
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    finally:
        os.umask(previous)
        engine.dispose()


def test_pooled_sqlite_connections_serve_several_threads(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE t (x INTEGER)"))
    errors = []

    def write(number: int) -> None:
        try:
            for _ in range(20):
                with engine.begin() as connection:
                    connection.execute(
                        sa.text("INSERT INTO t VALUES (:x)"), {"x": number}
                    )
        except Exception as error:  # noqa: BLE001 - collected for the assert
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as connection:
        count = connection.execute(sa.text("SELECT count(*) FROM t")).scalar()
    engine.dispose()
    assert errors == []
    assert count == 80
