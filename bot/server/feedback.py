"""Feedback on vetted answers ("helpful" / "not helpful") from the web widget.

Each row of `answer_feedback` (`bot.db.tables.FeedbackRecord`) says whether
one person (a widget sender id) found one version of one topic's answer
helpful, and when. Answers are versioned (see
`bot.ops.load_content`), so feedback stays tied to the exact text that was read.

The request body is checked here, apart from any web framework, so the rules
can be tested directly: `feedback_from_body` turns the raw body into a
`Feedback` or raises `FeedbackError` with every problem found (the pydantic
model `FeedbackBody` declares the fields), and `record_feedback` stores a
checked `Feedback`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from pydantic import (
    BaseModel,
    Extra,
    StrictBool,
    StrictStr,
    ValidationError,
    conint,
    validator,
)
from sqlalchemy import insert
from sqlalchemy.orm import Session

from bot.db.tables import FeedbackRecord
from bot.server.channels.senders import is_valid_sender_id
from bot.topics import TOPIC_TITLES

MAX_VERSION = 2**31 - 1
# A feedback body is a few dozen bytes; anything far larger is not feedback.
MAX_BODY_BYTES = 4096
FIELDS = ("sender", "topic", "version", "helpful")
# What the client is told about each field that has an unusable value.
FIELD_RULES = {
    "sender": (
        '\'sender\' must be 1 to 128 characters: letters, digits, "_", ".", ":" or "-".'
    ),
    "topic": "'topic' must be the topic id of a vetted answer.",
    "version": "'version' must be a whole number of at least 1.",
    "helpful": "'helpful' must be true or false.",
}


class FeedbackError(ValueError):
    """A feedback request that cannot be stored; the message says why."""

    def __init__(self, problems: list[str]) -> None:
        """Keep every problem found, for a single clear answer to the client.

        Args:
            problems: One sentence per problem.

        """
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Feedback:
    """Checked feedback, ready to store."""

    sender_id: str
    topic: str
    version: int
    helpful: bool


def feedback_from_body(
    body: bytes | str | None, known_topics: Collection[str] = tuple(TOPIC_TITLES)
) -> Feedback:
    """Parse and check a feedback request body.

    The body must be a JSON object with exactly these fields: `sender` (the
    widget's sender id), `topic` (a known topic id), `version` (the answer's
    version, a whole number from 1) and `helpful` (true or false).

    Args:
        body: The raw request body.
        known_topics: Topic ids feedback may be about.

    Returns:
        The checked feedback.

    Raises:
        FeedbackError: The body is not JSON, not an object, or has missing,
            unknown or invalid fields.

    """
    if not body:
        raise FeedbackError(["The request body is empty: send a JSON object."])
    if len(body) > MAX_BODY_BYTES:
        raise FeedbackError(
            [f"The request body is larger than {MAX_BODY_BYTES} bytes."]
        )
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise FeedbackError(["The request body is not valid JSON."]) from None
    return feedback_from_payload(payload, known_topics)


class FeedbackBody(BaseModel):
    """The feedback request body: exactly these four fields, strictly typed.

    Strict types: a version of `true` or `"2"` and a verdict of `1` or
    `"yes"` are refused, not converted. The topic is checked against the
    known topics by `feedback_from_payload`.
    """

    sender: StrictStr
    topic: StrictStr
    version: conint(strict=True, ge=1, le=MAX_VERSION)  # type: ignore[valid-type]
    helpful: StrictBool

    class Config:
        """Unknown fields are refused."""

        extra = Extra.forbid

    @validator("sender")
    def _sender_id(cls, sender: str) -> str:
        if not is_valid_sender_id(sender):
            raise ValueError("not a sender id")
        return sender


def feedback_from_payload(
    payload: Any, known_topics: Collection[str] = tuple(TOPIC_TITLES)
) -> Feedback:
    """Check already-decoded feedback JSON (see `feedback_from_body`).

    Args:
        payload: The decoded JSON value.
        known_topics: Topic ids feedback may be about.

    Returns:
        The checked feedback.

    Raises:
        FeedbackError: Missing, unknown or invalid fields.

    """
    if not isinstance(payload, Mapping):
        raise FeedbackError(
            [
                "The request body must be a JSON object with the fields "
                "sender, topic, version and helpful."
            ]
        )
    errors: list[dict[str, Any]] = []
    body: FeedbackBody | None = None
    try:
        body = FeedbackBody.parse_obj(payload)
    except ValidationError as error:
        errors = error.errors()
    missing = {e["loc"][0] for e in errors if e["type"] == "value_error.missing"}
    unknown = {e["loc"][0] for e in errors if e["type"] == "value_error.extra"}
    invalid = {e["loc"][0] for e in errors} - missing - unknown
    topic = payload.get("topic")
    if "topic" in payload and isinstance(topic, str) and topic not in known_topics:
        invalid.add("topic")
    problems = []
    if missing:
        names = ", ".join(name for name in FIELDS if name in missing)
        problems.append(f"Missing field(s): {names}.")
    if unknown:
        problems.append(f"Unknown field(s): {', '.join(sorted(map(str, unknown)))}.")
    problems += [FIELD_RULES[name] for name in FIELDS if name in invalid]
    if problems or body is None:
        raise FeedbackError(problems)
    return Feedback(
        sender_id=body.sender,
        topic=body.topic,
        version=body.version,
        helpful=body.helpful,
    )


def record_feedback(
    session: Session, feedback: Feedback, now: datetime | None = None
) -> int:
    """Store one piece of feedback and commits (2.0-style insert).

    Args:
        session: A session that this function commits, or rolls back on error.
        feedback: Checked feedback.
        now: When it was given; the current UTC time when not given.

    Returns:
        The id of the new row.

    """
    statement = insert(FeedbackRecord).values(
        sender_id=feedback.sender_id,
        topic=feedback.topic,
        version=feedback.version,
        helpful=feedback.helpful,
        created_at=now or datetime.now(timezone.utc),
    )
    try:
        result = session.execute(statement)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return result.inserted_primary_key[0]
