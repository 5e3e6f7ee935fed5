"""The one declaration of the tables: Rasa's `events` mirrored exactly, and no
table declared anywhere else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex
from sqlalchemy.schema import CreateTable as TableDDL

from bot.db import tables

ROOT = Path(__file__).resolve().parents[2]
# A table declaration (a Core table or a mapped class), spelt so that this
# line is not one.
DECLARATION = re.compile(r"Table\(|__table[n]ame__")


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()])
def test_events_mirrors_rasas_tracker_store_table(dialect):
    rasa = SQLTrackerStore.SQLEvent.__table__

    def ddl(table):
        indexes = [CreateIndex(index) for index in table.indexes]
        statements = [TableDDL(table), *indexes]
        return sorted(str(s.compile(dialect=dialect)) for s in statements)

    assert ddl(tables.events) == ddl(rasa)
    assert [c.name for c in tables.events.columns] == [c.name for c in rasa.columns]
    assert tables.events.c.id.default.name == rasa.c.id.default.name == "events_seq"
    assert tables.events.c.id.default.optional and rasa.c.id.default.optional


def test_every_table_the_bot_uses_is_declared_in_bot_db():
    assert set(tables.metadata.tables) == {
        "vetted_answers",
        "answer_sources",
        "answer_feedback",
        "unanswered_questions",
        "events",
    }
    elsewhere = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("bot", "actions", "tests", "scripts", "bench")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (ROOT / "bot" / "db") not in path.parents
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DECLARATION.search(line)
    ]
    assert elsewhere == []
