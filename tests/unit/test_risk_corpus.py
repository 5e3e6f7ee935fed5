"""Reading the safety corpus: every written label becomes a route or `none`."""

import pytest

from bot.safety_routes import CRISIS_SOMEONE_ELSE, NOT_SAFETY
from bot.server.safety.risk_model import read_corpus


def write(tmp_path, *lines):
    path = tmp_path / "writer_x.tsv"
    path.write_text("\n".join(["label\tkind\ttext", *lines]) + "\n", encoding="utf-8")
    return path


def test_hard_negatives_and_ordinary_questions_are_not_safety(tmp_path):
    path = write(
        tmp_path,
        "crisis_other\tpartner\tmy husband keeps saying we'd be better off without him",
        "ordinary\tpartner_question\tmy husband is a marine vet, how does he get in?",
        "idiom\teveryday_idiom\tthis commute is killing me",
        "faq_risk\tdeath_risk\tcan mdma kill you",
    )
    examples = read_corpus([path])
    assert [e.label for e in examples] == [
        CRISIS_SOMEONE_ELSE,
        NOT_SAFETY,
        NOT_SAFETY,
        NOT_SAFETY,
    ]
    assert [e.written_as for e in examples] == [
        "crisis_other",
        "ordinary",
        "idiom",
        "faq_risk",
    ]


@pytest.mark.parametrize(
    "line",
    ["unknown\tkind\ttext", "ordinary\tkind", "ordinary\tkind\t   "],
)
def test_a_bad_line_names_its_file_and_line(tmp_path, line):
    path = write(tmp_path, "ordinary\tsmall_talk\thello", line)
    with pytest.raises(ValueError, match=r"writer_x\.tsv:3"):
        read_corpus([path])
