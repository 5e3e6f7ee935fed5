"""Migrations on SQLite and PostgreSQL: a database made before migrations keeps
its rows, a new one reaches the head, and the head equals `bot.db.tables`.

The database "made before migrations" is built from a committed SQL script
per dialect (`before_migrations/`): the CREATE statements the code at commit
01f9578 sent, captured from its own paths, and a few rows.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.content import read_content_file
from bot.db import tables
from bot.db.engine import create_db_engine, session_factory
from bot.db.migrate import current_revision, head_revision, upgrade_to_head
from bot.ops import cli
from bot.server.feedback import Feedback, record_feedback
from bot.settings import DEFAULT_CONTENT_FILE
from tests.privacy.conversations import make_store
from tests.support.postgres import create_database

SCRIPTS = Path(__file__).with_name("before_migrations")
# The columns of the baseline, which the scripts fill: later revisions may add
# columns, and rows must keep what these hold.
BASELINE_COLUMNS = {
    "vetted_answers": ("id", "topic", "version", "reviewed_on", "text"),
    "answer_sources": ("id", "answer_id", "position", "title", "url"),
    "events": (
        "id",
        "sender_id",
        "type_name",
        "timestamp",
        "intent_name",
        "action_name",
        "data",
    ),
    "unanswered_questions": (
        "id",
        "sender_id",
        "asked_at",
        "channel",
        "intent",
        "text",
    ),
    "answer_feedback": ("id", "sender_id", "topic", "version", "helpful", "created_at"),
}


def _made_before_migrations(engine: sa.engine.Engine) -> None:
    """Runs the dialect's script: the tables and rows of an install of 01f9578."""
    script = (SCRIPTS / f"{engine.dialect.name}.sql").read_text(encoding="utf-8")
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.executescript(script)
        else:
            cursor.execute(script)
        connection.commit()
    finally:
        connection.close()


def _rows(engine: sa.engine.Engine) -> dict[str, list[tuple]]:
    """The baseline columns of every row of the baseline tables, in id order."""
    rows = {}
    with engine.connect() as connection:
        for name, columns in BASELINE_COLUMNS.items():
            table = sa.table(name, *(sa.column(c) for c in columns))
            query = sa.select(*table.c).order_by(table.c.id)
            rows[name] = [tuple(row) for row in connection.execute(query)]
    return rows


def _schema_diff(engine: sa.engine.Engine) -> list:
    """What autogenerate would write to make the database match bot.db."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, tables.metadata)


def _revision(engine: sa.engine.Engine) -> str | None:
    with engine.connect() as connection:
        return current_revision(connection)


@pytest.fixture
def engine(database_url):
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


def test_the_script_builds_a_database_without_a_migration_record(engine):
    _made_before_migrations(engine)
    names = set(sa.inspect(engine).get_table_names())
    assert names == set(BASELINE_COLUMNS)
    counts = {name: len(rows) for name, rows in _rows(engine).items()}
    assert counts == {
        "vetted_answers": 2,
        "answer_sources": 3,
        "events": 7,
        "unanswered_questions": 1,
        "answer_feedback": 2,
    }


def test_a_database_made_before_migrations_keeps_its_rows(engine):
    _made_before_migrations(engine)
    before = _rows(engine)

    assert upgrade_to_head(engine) == head_revision()

    assert _revision(engine) == head_revision()
    assert _rows(engine) == before
    assert _schema_diff(engine) == []
    # Ids go on from the stored ones (PostgreSQL's sequences were kept).
    with session_factory(engine)() as session:
        new_id = record_feedback(session, Feedback("widget:web-3", "fda", 2, True))
    assert new_id == len(before["answer_feedback"]) + 1
    # A second upgrade finds nothing to do and changes nothing.
    assert upgrade_to_head(engine) == head_revision()
    assert _rows(engine)["events"] == before["events"]


def test_load_content_upgrades_a_database_made_before_migrations(
    engine, database_url, monkeypatch, capsys
):
    _made_before_migrations(engine)
    before = _rows(engine)
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert cli.main(["load-content"]) == 0

    assert f"Database schema at revision {head_revision()}." in capsys.readouterr().out
    assert _revision(engine) == head_revision()
    after = _rows(engine)
    # Conversations, unanswered questions and feedback stay as they were;
    # the answers are now those of the content file, newer versions included.
    for name in ("events", "unanswered_questions", "answer_feedback"):
        assert after[name] == before[name]
    answers = read_content_file(DEFAULT_CONTENT_FILE)
    content = {answer.topic: answer.version for answer in answers}
    stored = {row[1]: row[2] for row in after["vetted_answers"]}
    assert stored == content
    assert stored["fda"] > 1 and stored["dose"] > 1


def test_a_new_database_upgrades_to_a_head_equal_to_bot_db(engine):
    assert _revision(engine) is None

    assert upgrade_to_head(engine) == head_revision()

    assert set(sa.inspect(engine).get_table_names()) == {
        *tables.metadata.tables,
        "alembic_version",
    }
    assert _schema_diff(engine) == []


def test_the_tracker_store_on_a_new_database_reaches_the_head(
    engine, database_url, monkeypatch
):
    # Rasa makes `events` first, then the store upgrades: the adoption path.
    make_store(database_url, monkeypatch)

    assert _revision(engine) == head_revision()
    assert _schema_diff(engine) == []


# One server's start-up: connect, wait for the others, then upgrade.
UPGRADE_ONE = """
import sys, time
from pathlib import Path
from bot.db.migrate import upgrade_to_head
from bot.db.engine import create_db_engine
engine = create_db_engine(sys.argv[1])
engine.connect().close()
print("ready", flush=True)
go, deadline = Path(sys.argv[2]), time.monotonic() + 60
while not go.exists():
    if time.monotonic() > deadline:
        sys.exit("no go")
    time.sleep(0.01)
print(upgrade_to_head(engine), flush=True)
"""


def test_servers_starting_together_upgrade_once(postgres_url, tmp_path):
    url = create_database(postgres_url, "test_migrations_together")
    go = tmp_path / "go"
    servers = [
        subprocess.Popen(
            [sys.executable, "-c", UPGRADE_ONE, url, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    try:
        for server in servers:
            assert server.stdout.readline().strip() == "ready"
        go.touch()
        results = [server.communicate(timeout=60) for server in servers]
    finally:
        for server in servers:
            if server.poll() is None:
                server.kill()
    assert [server.returncode for server in servers] == [0, 0, 0], results
    assert [out.strip() for out, _ in results] == [head_revision()] * 3
    engine = create_db_engine(url)
    try:
        assert _schema_diff(engine) == []
    finally:
        engine.dispose()
