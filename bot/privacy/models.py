"""The `unanswered_questions` table: what the bot could not answer.

One row per message that ended in fallback (`nlu_fallback`), was out of
scope (`out_of_scope`), or asked about MDMA therapy beyond every vetted answer
(`faq_not_covered`, whose reply says there is no vetted answer yet),
redacted like every stored message, with when and through which channel it
came. The content team reads these to decide which
answers to write next. The sender id is kept only so that a person's rows
can be erased with the rest of their conversation.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Text
from sqlalchemy.engine import Engine

from bot.store.models import Base

UNANSWERED_INTENTS = ("nlu_fallback", "out_of_scope", "faq_not_covered")


class UnansweredQuestion(Base):
    """A redacted message the bot had no vetted answer for."""

    __tablename__ = "unanswered_questions"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, index=True)
    asked_at = Column(DateTime(timezone=True), nullable=False, index=True)
    channel = Column(String(255), nullable=True)
    intent = Column(String(64), nullable=False)
    text = Column(Text, nullable=False)


def create_privacy_tables(engine: Engine) -> None:
    """Create the `unanswered_questions` table if it is missing.

    Args:
        engine: The engine of the bot's database.

    """
    UnansweredQuestion.__table__.create(engine, checkfirst=True)
