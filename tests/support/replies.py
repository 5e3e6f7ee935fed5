"""Reading the bot's REST replies in tests."""

from __future__ import annotations


def vetted_topics(replies: list[dict]) -> list[str]:
    """Topics of the vetted answers among the replies, in order."""
    return [r["custom"]["vetted_answer"]["topic"] for r in replies if "custom" in r]


def vetted_topic(replies: list[dict]) -> str | None:
    """The topic of the first vetted answer among the replies, if any."""
    topics = vetted_topics(replies)
    return topics[0] if topics else None
