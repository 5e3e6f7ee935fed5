"""Brings a database's schema to the newest migration, from Python.

Alembic runs with a configuration built here (no `alembic.ini`, so no
database URL or password in a file) on a connection opened by the caller's
engine, in one transaction (DDL included on PostgreSQL; SQLite runs DDL
outside transactions).

A database made before migrations has some of the baseline tables and no
`alembic_version` table. It is adopted: the baseline tables it lacks are
created, the baseline revision is recorded, and the later revisions run,
so its rows stay. Rasa's tracker store makes `events` itself when it starts
(`create_all`, which skips a table that exists), so a new database may also
meet this path with `events` alone; either order ends at the same head.

On PostgreSQL, processes that upgrade at once (two Rasa servers starting)
take turns on an advisory lock; threads of one process take turns on a lock
of their own. SQLite has no such lock between processes: it serves one
machine, where `make run` upgrades before it starts the servers.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"
# Any fixed 64-bit number; only this bot's migrations take this lock.
ADVISORY_LOCK_KEY = 7_246_312_091
# Alembic's commands keep their state in module-level proxies (`alembic.op`,
# `alembic.context`): one migration at a time per process.
_ALEMBIC_LOCK = threading.Lock()


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the bot's migrations.

    Args:
        connection: The connection `env.py` runs the migrations on.

    Returns:
        A configuration with no file behind it.

    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Revision files are named by number, then the message: 0002_add_x.py.
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    ruff = Path(sys.executable).with_name("ruff")
    if ruff.is_file():
        # New revision files come out formatted as the rest of the code.
        config.set_section_option("post_write_hooks", "hooks", "ruff")
        config.set_section_option("post_write_hooks", "ruff.type", "exec")
        config.set_section_option("post_write_hooks", "ruff.executable", str(ruff))
        config.set_section_option(
            "post_write_hooks", "ruff.options", "format REVISION_SCRIPT_FILENAME"
        )
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None before any migration."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> str:
    """Bring the database's schema to the newest revision, keeping its rows.

    Args:
        engine: The bot's database.

    Returns:
        The revision the database is at afterwards (the head).

    """
    with _ALEMBIC_LOCK, engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Other processes wait here; released when this transaction ends.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
            )
        config = alembic_config(connection)
        _adopt_unversioned(connection, config)
        command.upgrade(config, "head")
        return current_revision(connection)


def _adopt_unversioned(connection: Connection, config: Config) -> None:
    """Record the baseline on a database that has its tables but no version."""
    names = set(inspect(connection).get_table_names())
    if "alembic_version" in names:
        return
    script = ScriptDirectory.from_config(config)
    baseline = script.get_revision(BASELINE).module.baseline_metadata()
    found = sorted(names & set(baseline.tables))
    if not found:
        return
    logger.info(
        "The database has %s but no migration record: adopting it at the "
        "baseline revision %s.",
        ", ".join(found),
        BASELINE,
    )
    baseline.create_all(connection, checkfirst=True)
    command.stamp(config, BASELINE)


def new_revision(message: str) -> Path:
    """Write a revision for what changed in `bot.db.tables` since the head.

    Alembic compares the tables with a scratch SQLite database upgraded to
    the head, and writes the difference as the next numbered revision.
    Read it before committing: renames come out as a drop and an add.

    Args:
        message: What the revision does, such as "add reviewer to answers".

    Returns:
        The path of the new revision file.

    """
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{folder}/head.sqlite3", future=True)
        try:
            upgrade_to_head(engine)
            with engine.begin() as connection:
                config = alembic_config(connection)
                number = len(list(ScriptDirectory.from_config(config).walk_revisions()))
                script = command.revision(
                    config,
                    message=message,
                    autogenerate=True,
                    rev_id=f"{number + 1:04d}",
                )
        finally:
            engine.dispose()
    return Path(script.path)
