"""What the tracker store wrote for one conversation, read back with SQL."""

from __future__ import annotations

import json

import sqlalchemy as sa


def stored_events(
    database_url: str, sender: str, channel: str = "rest"
) -> list[tuple[str, dict]]:
    """The conversation's events in stored order, as (type name, data).

    Conversations are stored under `<channel>:<sender>` (bot.server.channels.senders).
    """
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT type_name, data FROM events "
                    "WHERE sender_id = :sender ORDER BY id"
                ),
                {"sender": f"{channel}:{sender}"},
            ).all()
    finally:
        engine.dispose()
    return [(row.type_name, json.loads(row.data)) for row in rows]
