"""The vetted answers file and its checks."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml

from bot.content import ContentError, parse_answers, read_content_file
from bot.settings import DEFAULT_CONTENT_FILE
from bot.topics import TOPIC_TITLES


def _document() -> dict:
    return yaml.safe_load(DEFAULT_CONTENT_FILE.read_text(encoding="utf-8"))


def test_shipped_content_has_one_answer_per_topic(vetted_answers):
    assert [a.topic for a in vetted_answers] == list(TOPIC_TITLES)


def test_every_answer_has_text_sources_version_and_review_date(vetted_answers):
    for answer in vetted_answers:
        assert len(answer.text.split()) >= 30, answer.topic
        assert answer.sources, answer.topic
        assert answer.version >= 1
        assert answer.reviewed_on <= dt.date.today()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda a: a.update(text="   "), "(topic 'dose') has no text"),
        (lambda a: a.pop("text"), "(topic 'dose') has no text"),
        (lambda a: a.update(sources=[]), "(topic 'dose') has no source"),
        (lambda a: a.pop("sources"), "(topic 'dose') has no source"),
        (
            lambda a: a.update(topic="dosing_advice"),
            "(topic 'dosing_advice') has an unknown topic",
        ),
        (lambda a: a.update(version=0), "needs a whole-number version"),
        (lambda a: a.update(reviewed_on="last week"), "needs a reviewed_on date"),
        (
            lambda a: a.update(sources=[{"title": "x", "url": "javascript:alert(1)"}]),
            "not http(s)",
        ),
    ],
)
def test_bad_answer_is_refused_with_its_name(change, expected):
    document = _document()
    dose = next(a for a in document["answers"] if a["topic"] == "dose")
    change(dose)
    with pytest.raises(ContentError) as raised:
        parse_answers(document)
    assert expected in str(raised.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # Values that are not text were taken before and failed later.
        (lambda a: a.update(sources=[{"title": 5}]), "has source #1 without a title"),
        (
            lambda a: a["reviews"][0].update(reviewed_by=5),
            "has review #1 without reviewed_by",
        ),
        (lambda a: a.update(version=True), "needs a whole-number version"),
        (lambda a: a.update(reviewed_on=20261130), "needs a reviewed_on date"),
        (
            lambda a: a["reviews"].insert(1, "a note"),
            "has review #2 that is not a mapping",
        ),
    ],
)
def test_values_of_the_wrong_kind_are_refused_with_a_reason(change, expected):
    document = _document()
    dose = next(a for a in document["answers"] if a["topic"] == "dose")
    change(dose)
    with pytest.raises(ContentError) as raised:
        parse_answers(document)
    assert f"(topic 'dose') {expected}" in str(raised.value)


def test_duplicate_topic_is_refused():
    document = _document()
    document["answers"].append(copy.deepcopy(document["answers"][0]))
    with pytest.raises(ContentError, match="same topic as an earlier answer"):
        parse_answers(document)


def test_missing_topic_is_refused():
    document = _document()
    document["answers"] = [a for a in document["answers"] if a["topic"] != "fda"]
    with pytest.raises(ContentError, match="Topic 'fda' has no answer"):
        parse_answers(document)


def test_not_a_content_document_is_refused():
    with pytest.raises(ContentError):
        parse_answers(["just", "a", "list"])


def test_unreadable_file_is_a_content_error(tmp_path):
    with pytest.raises(ContentError, match="Cannot read"):
        read_content_file(tmp_path / "missing.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("answers: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match="not valid YAML"):
        read_content_file(broken)
