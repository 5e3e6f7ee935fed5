"""Reads vetted answers from the database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.content import Source, VettedAnswer
from bot.db.tables import AnswerRecord


def fetch_answer(session: Session, topic: str) -> VettedAnswer | None:
    """Returns the stored answer for a topic, or None if none is stored."""
    record = session.execute(
        select(AnswerRecord).where(AnswerRecord.topic == topic)
    ).scalar_one_or_none()
    return None if record is None else to_vetted_answer(record)


def to_vetted_answer(record: AnswerRecord) -> VettedAnswer:
    """Turns a stored record into the plain answer the rest of the bot uses."""
    return VettedAnswer(
        topic=record.topic,
        version=record.version,
        reviewed_on=record.reviewed_on,
        text=record.text,
        sources=tuple(Source(title=s.title, url=s.url) for s in record.sources),
    )
