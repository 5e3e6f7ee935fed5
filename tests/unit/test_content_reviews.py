"""The review record of each answer, and which answers are due for review."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import yaml

from bot.content import ContentError, parse_answers
from bot.ops.cli import main
from bot.ops.review_age import due_for_review, months_before, review_lines
from bot.settings import DEFAULT_CONTENT_FILE


def _document() -> dict:
    return yaml.safe_load(DEFAULT_CONTENT_FILE.read_text(encoding="utf-8"))


def test_every_answer_records_who_reviewed_each_version_against_what(
    vetted_answers,
):
    for answer in vetted_answers:
        newest = answer.reviews[0]
        assert (newest.version, newest.reviewed_on) == (
            answer.version,
            answer.reviewed_on,
        ), answer.topic
        assert newest.reviewed_by and newest.checked_against, answer.topic
        versions = [review.version for review in answer.reviews]
        assert versions == sorted(versions, reverse=True), answer.topic


def test_changed_answers_name_the_shared_content_they_were_checked_against(
    vetted_answers,
):
    for answer in vetted_answers:
        if answer.reviews[0].reviewed_on >= dt.date(2026, 11, 30):
            assert all(
                c.startswith(("source-article.txt §", "facts-since-article.md §"))
                for c in answer.reviews[0].checked_against
            ), answer.topic


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda a: a.pop("reviews"), "has no review record"),
        (lambda a: a.update(reviews=[]), "has no review record"),
        (lambda a: a["reviews"][0].pop("reviewed_by"), "without reviewed_by"),
        (
            lambda a: a["reviews"][0].update(checked_against=[]),
            "without the sources it was checked against",
        ),
        (lambda a: a["reviews"][0].update(reviewed_on="soon"), "without a reviewed_on"),
        (
            lambda a: a.update(version=a["version"] + 1),
            "newest review that is not of this version and date",
        ),
        (
            lambda a: a.update(reviewed_on=dt.date(2026, 12, 1)),
            "newest review that is not of this version and date",
        ),
    ],
)
def test_a_missing_or_stale_review_record_is_refused(change, expected):
    document = _document()
    dose = next(a for a in document["answers"] if a["topic"] == "dose")
    change(dose)
    with pytest.raises(ContentError) as raised:
        parse_answers(document)
    assert "(topic 'dose')" in str(raised.value) and expected in str(raised.value)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 30), 12, dt.date(2025, 11, 30)),
        (dt.date(2028, 2, 29), 12, dt.date(2027, 2, 28)),
        (dt.date(2027, 3, 31), 1, dt.date(2027, 2, 28)),
        (dt.date(2027, 1, 15), 1, dt.date(2026, 12, 15)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_due_for_review_uses_the_given_day_not_the_clock(vetted_answers):
    answers = {a.topic: a for a in vetted_answers}
    old = dataclasses.replace(answers["fda"], reviewed_on=dt.date(2025, 11, 29))
    edge = dataclasses.replace(answers["dose"], reviewed_on=dt.date(2025, 11, 30))
    today = dt.date(2026, 11, 30)
    assert due_for_review([old, edge, answers["safety"]], today) == [old]
    # A year on, everything shipped today is due; a day before, nothing is.
    assert len(due_for_review(vetted_answers, dt.date(2027, 12, 1))) == len(
        vetted_answers
    )
    assert due_for_review(vetted_answers, dt.date(2026, 11, 30)) == []


def test_review_lines_name_each_due_answer_and_its_reviewer(vetted_answers):
    lines = review_lines(vetted_answers, dt.date(2027, 11, 27))
    assert lines[0].startswith("Answers due for review")
    due_topics = {
        a.topic for a in vetted_answers if a.reviewed_on < dt.date(2026, 11, 27)
    }
    assert due_topics, "some answers were last reviewed on 2026-11-25"
    listed = " ".join(lines[1:])
    for topic in due_topics:
        assert f"  {topic} (version" in "\n".join(lines)
    assert "not recorded" in listed
    assert review_lines(vetted_answers, dt.date(2026, 11, 30))[0].startswith(
        "Answers due for review: none"
    )


def test_make_report_lists_answers_due_for_review(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    status = main(
        ["report", "--out", str(tmp_path / "r.html"), "--today", "2028-01-01"]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert "Answers due for review (last reviewed more than 12 months" in out
    assert "  fda (version 2, reviewed 2026-11-30" in out
    assert (tmp_path / "r.html").is_file()
