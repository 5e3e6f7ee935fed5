"""The real bot on PostgreSQL stores redacted conversations only.

The bot is started as `make run` starts it (tests/e2e/servers.py), with
DATABASE_URL on the test PostgreSQL server, so the answers and the
conversations both live there.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.e2e.servers import ROOT, RunningBot, start_bot, stop_in_background
from tests.support.postgres import create_database

pytestmark = pytest.mark.e2e

MESSAGE = "my name is John Smith, email john@example.com, can MDMA therapy help PTSD?"


@pytest.fixture(scope="module")
def bot_on_postgres(postgres_url, tmp_path_factory) -> Iterator[tuple[RunningBot, str]]:
    url = create_database(postgres_url, "e2e_bot")
    workdir = tmp_path_factory.mktemp("bot-on-postgres")
    bot = start_bot(workdir, {"DATABASE_URL": url})
    yield bot, url
    # Nothing is checked once it stops; the server outlives it (conftest.py).
    stop_in_background(bot)


def _rows(url: str, query: str, **params) -> list:
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(query), params).all()
    finally:
        engine.dispose()


def test_the_events_table_holds_the_redacted_message(bot_on_postgres):
    bot, url = bot_on_postgres
    sender = f"privacy-{uuid.uuid4().hex[:8]}"
    stored = f"rest:{sender}"  # conversations are stored per channel

    replies = bot.send(MESSAGE, sender=sender)

    assert any(reply.get("text") for reply in replies), replies
    rows = _rows(
        url,
        "SELECT type_name, intent_name, data FROM events WHERE sender_id = :s",
        s=stored,
    )
    assert rows
    assert not any("john@example.com" in row.data for row in rows)
    assert not any("John Smith" in row.data for row in rows)
    user = [json.loads(row.data) for row in rows if row.type_name == "user"]
    assert len(user) == 1
    for text in (user[0]["text"], user[0]["parse_data"]["text"]):
        assert "[NAME]" in text and "[EMAIL]" in text
        assert "MDMA" in text and "PTSD" in text
    assert rows[[r.type_name for r in rows].index("user")].intent_name
    # If the bot could not place it, the unanswered question is redacted too.
    for (text,) in _rows(
        url, "SELECT text FROM unanswered_questions WHERE sender_id = :s", s=stored
    ):
        assert "[EMAIL]" in text and "john@example.com" not in text
    # The vetted answers were loaded into PostgreSQL too, and are served from it.
    assert _rows(url, "SELECT count(*) FROM vetted_answers")[0][0] > 0
    answer = bot.send("when will the FDA approve MDMA therapy?", sender=sender)
    assert "Sources:" in " ".join(reply.get("text", "") for reply in answer)


def test_an_off_topic_question_is_recorded_and_can_be_erased(bot_on_postgres):
    bot, url = bot_on_postgres
    sender = f"privacy-{uuid.uuid4().hex[:8]}"
    stored = f"rest:{sender}"  # conversations are stored per channel
    bot.send("what's the weather in boston tomorrow", sender=sender)

    rows = _rows(
        url,
        "SELECT intent, channel, text FROM unanswered_questions WHERE sender_id = :s",
        s=stored,
    )
    assert [(r.intent, r.channel) for r in rows] == [("out_of_scope", "rest")]
    assert "[LOCATION]" in rows[0].text and "boston" not in rows[0].text

    erased = subprocess.run(
        [sys.executable, "-m", "bot.ops.cli", "erase-sender", stored],
        cwd=ROOT,
        env=bot.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "1 unanswered questions" in erased.stdout
    assert not _rows(url, "SELECT id FROM events WHERE sender_id = :s", s=stored)
    assert not _rows(
        url, "SELECT id FROM unanswered_questions WHERE sender_id = :s", s=stored
    )
