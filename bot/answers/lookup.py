"""Finds the vetted answer for a topic: from the database, else the content file.

The database is the normal source. If it cannot be read, or lacks the topic,
the answer still comes from the checked content file, so a person never gets
silence because of a storage problem. A database outage is logged once when it
starts and once when it ends, not for every message.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.answers.store import fetch_answer
from bot.content import VettedAnswer, read_content_file
from bot.db.engine import engine_for, session_factory

logger = logging.getLogger(__name__)


class AnswerLookup:
    """Answers by topic, reading the database per request."""

    def __init__(self, open_session: Callable[[], Session], content_file: Path) -> None:
        """Prepares a lookup; nothing is opened until the first request.

        Args:
            open_session: Opens a new database session (one per request).
            content_file: The vetted answers file, used when the database
                cannot answer.

        """
        self._open_session = open_session
        self._content_file = content_file
        self._file_answers: dict[str, VettedAnswer] | None = None
        self._database_failing = False
        self._lock = threading.Lock()

    def find(self, topic: str) -> VettedAnswer:
        """Returns the vetted answer for a topic.

        Raises:
            KeyError: Neither the database nor the content file has the topic.

        """
        answer = self._from_database(topic)
        if answer is None:
            answer = self._from_content_file(topic)
        return answer

    def _from_database(self, topic: str) -> VettedAnswer | None:
        try:
            with self._open_session() as session:
                answer = fetch_answer(session, topic)
        except SQLAlchemyError as error:
            self._note_database_failure(error)
            return None
        self._note_database_ok()
        if answer is None:
            logger.warning(
                "The database has no answer for topic '%s'; using the content "
                "file. Run `make load-content`.",
                topic,
            )
        return answer

    def _from_content_file(self, topic: str) -> VettedAnswer:
        with self._lock:
            if self._file_answers is None:
                answers = read_content_file(self._content_file)
                self._file_answers = {answer.topic: answer for answer in answers}
        return self._file_answers[topic]

    def _note_database_failure(self, error: SQLAlchemyError) -> None:
        with self._lock:
            first_failure = not self._database_failing
            self._database_failing = True
        if first_failure:
            logger.error(
                "Cannot read answers from the database (%s); answering from "
                "the content file until it is back.",
                type(error).__name__,
                exc_info=error,
            )

    def _note_database_ok(self) -> None:
        with self._lock:
            recovered = self._database_failing
            self._database_failing = False
        if recovered:
            logger.warning("The answer database is readable again.")


_default_lookup: AnswerLookup | None = None


def default_answer_lookup() -> AnswerLookup:
    """The process-wide lookup built from the settings, made on first use."""
    global _default_lookup
    if _default_lookup is None:
        from bot.settings import load_settings

        settings = load_settings()

        def open_session() -> Session:
            return session_factory(engine_for(settings.database_url))()

        _default_lookup = AnswerLookup(open_session, settings.content_file)
    return _default_lookup
