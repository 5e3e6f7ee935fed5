"""Every table the bot reads or writes, declared once on one `MetaData`.

- `vetted_answers`, `answer_sources`: the vetted answers, loaded from the
  content file by `bot.ops.load_content` and read by `bot.answers.store`.
- `answer_feedback`: "helpful" / "not helpful" from the web widget
  (`bot.server.feedback`).
- `unanswered_questions`: redacted messages the bot had no vetted answer
  for, written by the tracker store (`bot.server.privacy.tracker`).
- `events`: Rasa's SQL tracker store's table. Rasa writes it through its own
  model (`rasa.core.tracker_store.SQLTrackerStore.SQLEvent`); it is mirrored
  here, column for column, so that migrations create it and retention and
  the report can query it.

There are no review records in the database: the review record of each
answer lives in the content file (`bot.content`).

A change here needs a migration (docs/database.md); a test fails while the
migrations and these declarations differ.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import declarative_base, relationship

# Rasa's tracker store keeps sender ids in String(255) columns; the bot's
# tables use the same width so that every stored id fits.
MAX_SENDER_LENGTH = 255
MAX_TOPIC_LENGTH = 64

metadata = MetaData()
Base = declarative_base(metadata=metadata)


class AnswerRecord(Base):
    """The current vetted answer of one topic."""

    __tablename__ = "vetted_answers"

    id = Column(Integer, primary_key=True)
    topic = Column(String(MAX_TOPIC_LENGTH), nullable=False, unique=True)
    version = Column(Integer, nullable=False)
    reviewed_on = Column(Date, nullable=False)
    text = Column(Text, nullable=False)
    sources = relationship(
        "SourceRecord",
        order_by="SourceRecord.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class SourceRecord(Base):
    """One source of a vetted answer, kept in the order the content gives."""

    __tablename__ = "answer_sources"

    id = Column(Integer, primary_key=True)
    answer_id = Column(
        Integer, ForeignKey("vetted_answers.id", ondelete="CASCADE"), nullable=False
    )
    position = Column(Integer, nullable=False)
    title = Column(Text, nullable=False)
    url = Column(Text, nullable=True)


class FeedbackRecord(Base):
    """One person's verdict on one version of one vetted answer."""

    __tablename__ = "answer_feedback"
    __table_args__ = (Index("ix_answer_feedback_topic_version", "topic", "version"),)

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(MAX_SENDER_LENGTH), nullable=False)
    topic = Column(String(MAX_TOPIC_LENGTH), nullable=False)
    version = Column(Integer, nullable=False)
    helpful = Column(Boolean, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)


class UnansweredQuestion(Base):
    """A redacted message the bot had no vetted answer for.

    The sender id is kept only so that a person's rows can be erased with
    the rest of their conversation.
    """

    __tablename__ = "unanswered_questions"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(MAX_SENDER_LENGTH), nullable=False, index=True)
    asked_at = Column(DateTime(timezone=True), nullable=False, index=True)
    channel = Column(String(255), nullable=True)
    intent = Column(String(64), nullable=False)
    text = Column(Text, nullable=False)


# Exactly as Rasa 3.6's SQLTrackerStore declares it (tests/unit/test_db.py
# compares the two), including the optional sequence: databases without
# autoincrement (Oracle) need it, SQLite and PostgreSQL skip it.
events = Table(
    "events",
    metadata,
    Column("id", Integer, Sequence("events_seq", optional=True), primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

# Core handles of the ORM tables, for queries that need no objects.
feedback = FeedbackRecord.__table__
unanswered_questions = UnansweredQuestion.__table__
