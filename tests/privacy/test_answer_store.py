"""The vetted answer store on both databases: idempotent load, reads, refusal."""

from __future__ import annotations

import dataclasses

import pytest

from bot.answers.lookup import AnswerLookup
from bot.answers.store import fetch_answer
from bot.content import ContentError, read_content_file
from bot.db.engine import create_db_engine, session_factory
from bot.db.migrate import upgrade_to_head
from bot.ops.load_content import load_answers
from bot.settings import DEFAULT_CONTENT_FILE

ANSWERS = read_content_file(DEFAULT_CONTENT_FILE)


def test_answers_load_once_and_read_back(database_url):
    engine = create_db_engine(database_url)
    upgrade_to_head(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        assert load_answers(session, ANSWERS).added == len(ANSWERS)
    with sessions() as session:
        again = load_answers(session, ANSWERS)
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(ANSWERS))
    with sessions() as session:
        assert fetch_answer(session, "dose") == next(
            a for a in ANSWERS if a.topic == "dose"
        )
    lookup = AnswerLookup(sessions, DEFAULT_CONTENT_FILE)
    assert lookup.find("fda").topic == "fda"
    engine.dispose()


def test_bad_change_leaves_the_stored_answers_as_they_were(database_url):
    engine = create_db_engine(database_url)
    upgrade_to_head(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        load_answers(session, ANSWERS)
    edited = [
        dataclasses.replace(a, text="Edited without a new version.")
        if a.topic == "fda"
        else a
        for a in ANSWERS
    ]
    with sessions() as session, pytest.raises(ContentError):
        load_answers(session, edited)
    with sessions() as session:
        assert fetch_answer(session, "fda").text.startswith("No.")
    engine.dispose()
