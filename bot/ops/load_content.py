"""Loads the vetted content file into the database, idempotently.

The whole load is one transaction: either every answer is stored or, on any
problem, nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answers.store import to_vetted_answer
from bot.content import ContentError, VettedAnswer
from bot.db.tables import AnswerRecord, SourceRecord


@dataclass(frozen=True)
class LoadSummary:
    """How many answers a load added, changed, left alone and removed."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.removed} removed"
        )


def load_answers(session: Session, answers: Sequence[VettedAnswer]) -> LoadSummary:
    """Makes the stored answers equal to `answers`, in one transaction.

    An answer whose text or sources changed must have a higher version than
    the stored one, because feedback is recorded per version.

    Args:
        session: A session that this function commits, or rolls back on error.
        answers: Checked answers, as from `read_content_file`.

    Returns:
        What changed.

    Raises:
        ContentError: An answer changed without a higher version; nothing is
            stored.

    """
    try:
        summary = _apply(session, answers)
    except Exception:
        session.rollback()
        raise
    session.commit()
    return summary


def _apply(session: Session, answers: Sequence[VettedAnswer]) -> LoadSummary:
    stored = {
        record.topic: record
        for record in session.execute(select(AnswerRecord)).scalars()
    }
    added = updated = unchanged = 0
    problems = []
    for answer in answers:
        record = stored.pop(answer.topic, None)
        if record is None:
            session.add(_new_record(answer))
            added += 1
            continue
        current = to_vetted_answer(record)
        if current == answer:
            unchanged += 1
        elif answer.version <= current.version:
            problems.append(
                f"Answer '{answer.topic}' changed but its version {answer.version} "
                f"is not higher than the stored version {current.version}: "
                "raise its version."
            )
        else:
            _overwrite(record, answer)
            updated += 1
    if problems:
        raise ContentError("Invalid vetted content:\n- " + "\n- ".join(problems))
    for record in stored.values():
        session.delete(record)
    return LoadSummary(added, updated, unchanged, removed=len(stored))


def _new_record(answer: VettedAnswer) -> AnswerRecord:
    record = AnswerRecord(topic=answer.topic)
    _overwrite(record, answer)
    return record


def _overwrite(record: AnswerRecord, answer: VettedAnswer) -> None:
    record.version = answer.version
    record.reviewed_on = answer.reviewed_on
    record.text = answer.text
    record.sources = [
        SourceRecord(position=position, title=source.title, url=source.url)
        for position, source in enumerate(answer.sources)
    ]
