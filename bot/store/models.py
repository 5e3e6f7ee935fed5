"""SQLAlchemy models of the vetted answers as stored in the database."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class AnswerRecord(Base):
    """The current vetted answer of one topic."""

    __tablename__ = "vetted_answers"

    id = Column(Integer, primary_key=True)
    topic = Column(String(64), nullable=False, unique=True)
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
