"""The database goes away mid-conversation and comes back.

The real bot runs on a real PostgreSQL server, which the test stops and
starts again. While it is down, answers come from the content file and the
conversation continues from memory; each process logs the outage once; when
the server is back, everything said meanwhile is stored.
"""

from __future__ import annotations

import pytest

from bot.disclaimer import build_disclaimer
from tests.e2e.servers import running_bot
from tests.support.events import stored_events
from tests.support.postgres import PostgresMissing, create_database, running_postgres
from tests.support.replies import vetted_topic

SENDER = "fault-database"


def _stored_user_texts(database_url: str) -> list[str]:
    events = stored_events(database_url, SENDER)
    return [data["text"] for kind, data in events if kind == "user"]


@pytest.fixture
def postgres():
    try:
        with running_postgres() as server:
            yield server
    except PostgresMissing as missing:
        pytest.fail(str(missing))


def test_answers_continue_while_the_database_is_down(tmp_path, postgres):
    database_url = create_database(postgres.url, "bot")
    with running_bot(tmp_path, {"DATABASE_URL": database_url}) as bot:
        first = bot.send("what happens during a dosing session?", sender=SENDER)
        assert vetted_topic(first) == "session_experience"

        postgres.stop()
        during = [
            bot.send("how long does it take?", sender=SENDER, timeout=10),
            bot.send("is it legal?", sender=SENDER, timeout=10),
            bot.send("is mdma therapy safe?", sender=SENDER, timeout=10),
        ]
        # The follow-up still knows the previous answer (conversation in memory)
        # and answers come from the content file, each with the disclaimer.
        assert [vetted_topic(replies) for replies in during] == [
            "session_length",
            "fda",
            "safety",
        ]
        for replies in during:
            assert build_disclaimer() in "\n".join(r.get("text", "") for r in replies)
        # Output reaches the log through supervisor, so a line logged before
        # a reply was sent can land a moment after it: wait for it, then count.
        bot.wait_for_log("The conversation database is unreachable")
        log = bot.wait_for_log("Cannot read answers from the database")
        assert log.count("The conversation database is unreachable") == 1
        assert log.count("Cannot read answers from the database") == 1

        postgres.start()
        after = bot.send("what happens during a dosing session?", sender=SENDER)
        assert vetted_topic(after) == "session_experience"
        # Seen in a failed CI run: the line was not yet in the file right after
        # the reply. Three diagnostic runs showed the write had succeeded each
        # time (all five messages stored at once) and the line arrived within
        # 11 ms: late output, not a failed write.
        bot.wait_for_log(
            "The conversation database is reachable again; storing resumed. "
            "Conversations written from memory: 1."
        )
        bot.wait_for_log("The answer database is readable again")

    # Nothing said during the outage was lost.
    assert _stored_user_texts(database_url) == [
        "what happens during a dosing session?",
        "how long does it take?",
        "is it legal?",
        "is mdma therapy safe?",
        "what happens during a dosing session?",
    ]
