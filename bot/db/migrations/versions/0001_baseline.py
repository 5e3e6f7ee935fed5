"""Baseline: the tables as the bot created them before migrations.

A frozen copy of the schema that the code before migrations made (answer
tables and feedback from `bot/store/`, `unanswered_questions` from
`bot/privacy/models.py`, and Rasa 3.6's `events`). It never changes: later
changes are later revisions. `bot.db.migrate` also uses it to adopt a
database made before migrations (it creates whichever of these tables that
database lacks, then records this revision).

Revision ID: 0001
Revises:
Created: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def baseline_metadata() -> sa.MetaData:
    """The five tables of the baseline, on a `MetaData` of their own."""
    metadata = sa.MetaData()
    sa.Table(
        "vetted_answers",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("topic", sa.String(64), nullable=False, unique=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("reviewed_on", sa.Date, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    sa.Table(
        "answer_sources",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "answer_id",
            sa.Integer,
            sa.ForeignKey("vetted_answers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=True),
    )
    sa.Table(
        "answer_feedback",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_answer_feedback_topic_version", "topic", "version"),
    )
    sa.Table(
        "unanswered_questions",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("channel", sa.String(255), nullable=True),
        sa.Column("intent", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    sa.Table(
        "events",
        metadata,
        sa.Column(
            "id",
            sa.Integer,
            sa.Sequence("events_seq", optional=True),
            primary_key=True,
        ),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("type_name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float),
        sa.Column("intent_name", sa.String(255)),
        sa.Column("action_name", sa.String(255)),
        sa.Column("data", sa.Text),
    )
    return metadata


def upgrade() -> None:
    """Create the baseline tables."""
    baseline_metadata().create_all(op.get_bind(), checkfirst=False)


def downgrade() -> None:
    """Drop the baseline tables (and everything in them)."""
    baseline_metadata().drop_all(op.get_bind(), checkfirst=False)
