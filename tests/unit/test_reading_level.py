"""The reading-level gate: every answer, safety reply and the disclaimer."""

from __future__ import annotations

import pytest

from tests.reading_level import (
    MAX_GRADE,
    grade,
    texts_by_kind,
    unexplained_jargon,
)

TEXTS = [
    (kind, name, text)
    for kind, texts in texts_by_kind().items()
    for name, text in texts.items()
]


@pytest.mark.parametrize(("kind", "name", "text"), TEXTS, ids=[t[1] for t in TEXTS])
def test_text_is_at_or_below_grade_8(kind, name, text):
    assert grade(text) <= MAX_GRADE, (kind, name, grade(text))


def test_every_kind_is_checked():
    kinds = texts_by_kind()
    assert len(kinds["answers"]) >= 28
    # English ones: the Spanish crisis reply has no English reading grade.
    assert len(kinds["safety replies"]) == 8
    assert list(kinds["disclaimer"]) == ["disclaimer"]


def test_grade_tells_plain_from_hard_text():
    # The gate can fail: the disclaimer the bot used to send was grade 12.7.
    old_disclaimer = (
        "MDMA-assisted therapy should only take place in a controlled clinical "
        "setting with trained, licensed professionals. This information is "
        "educational and is not medical advice."
    )
    assert grade(old_disclaimer) > MAX_GRADE
    assert grade("The cat sat on the mat. It was warm.") < 3


def test_the_disclaimer_keeps_its_required_phrases():
    disclaimer = texts_by_kind()["disclaimer"]["disclaimer"]
    assert "controlled clinical setting" in disclaimer
    assert "not medical advice" in disclaimer


ANSWERS = texts_by_kind()["answers"]


@pytest.mark.parametrize(("name", "text"), ANSWERS.items(), ids=list(ANSWERS))
def test_jargon_is_explained_where_it_first_appears(name, text):
    assert unexplained_jargon(text) == [], name


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("It finished phase 3 last year.", ["phase 3"]),
        ("A phase 3 trial (the large, final stage of testing) ended.", []),
        ("They got a placebo.", ["placebo"]),
        ("They got a placebo (a dummy pill).", []),
        ("Then come integration sessions.", ["integration"]),
        ("MDMA is a Schedule I drug.", ["Schedule I"]),
        ("It helps PTSD.", ["PTSD"]),
        ("It helps PTSD (post-traumatic stress disorder).", []),
    ],
)
def test_jargon_check_catches_a_bare_term(text, missing):
    assert unexplained_jargon(text) == missing
