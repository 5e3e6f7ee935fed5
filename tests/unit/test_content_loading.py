"""Loading vetted answers into the database: idempotent and all-or-nothing."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from bot.answers.store import fetch_answer
from bot.content import ContentError, Source
from bot.db.engine import session_factory
from bot.db.tables import AnswerRecord, SourceRecord
from bot.ops.load_content import load_answers


def _count(engine, model) -> int:
    with session_factory(engine)() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_first_load_stores_every_answer(engine, vetted_answers):
    with session_factory(engine)() as session:
        summary = load_answers(session, vetted_answers)
    assert summary.added == len(vetted_answers) == _count(engine, AnswerRecord)
    with session_factory(engine)() as session:
        stored = fetch_answer(session, "dose")
    assert stored == next(a for a in vetted_answers if a.topic == "dose")


def test_loading_twice_changes_nothing(loaded_engine, vetted_answers):
    sources_before = _count(loaded_engine, SourceRecord)
    with session_factory(loaded_engine)() as session:
        summary = load_answers(session, vetted_answers)
    assert (summary.added, summary.updated, summary.removed) == (0, 0, 0)
    assert summary.unchanged == len(vetted_answers)
    assert _count(loaded_engine, SourceRecord) == sources_before


def test_changed_answer_with_higher_version_is_updated(loaded_engine, vetted_answers):
    changed = [
        dataclasses.replace(
            a,
            text="New text.",
            version=a.version + 1,
            sources=(Source("New source", "https://example.org/"),),
        )
        if a.topic == "fda"
        else a
        for a in vetted_answers
    ]
    with session_factory(loaded_engine)() as session:
        assert load_answers(session, changed).updated == 1
    with session_factory(loaded_engine)() as session:
        stored = fetch_answer(session, "fda")
    assert stored.text == "New text."
    assert stored.sources == (Source("New source", "https://example.org/"),)


def test_changed_answer_without_new_version_leaves_database_unchanged(
    loaded_engine, vetted_answers
):
    changed = [
        dataclasses.replace(a, text="Edited.") if a.topic in {"fda", "dose"} else a
        for a in vetted_answers
    ]
    with session_factory(loaded_engine)() as session:
        with pytest.raises(ContentError, match="Answer 'fda' changed"):
            load_answers(session, changed)
    with session_factory(loaded_engine)() as session:
        assert fetch_answer(session, "fda") == next(
            a for a in vetted_answers if a.topic == "fda"
        )


def test_answer_dropped_from_content_is_removed(loaded_engine, vetted_answers):
    with session_factory(loaded_engine)() as session:
        summary = load_answers(session, vetted_answers[1:])
    assert summary.removed == 1
    with session_factory(loaded_engine)() as session:
        assert fetch_answer(session, vetted_answers[0].topic) is None
