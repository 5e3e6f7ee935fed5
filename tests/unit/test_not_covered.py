"""Questions without a vetted answer: recorded for the content team."""

from __future__ import annotations

import pytest

from bot.server.privacy.events import unanswered_question


def _user_event(intent: str) -> dict:
    return {
        "event": "user",
        "text": "how much does it cost",
        "timestamp": 1_790_000_000.0,
        "input_channel": "rest",
        "parse_data": {"intent": {"name": intent, "confidence": 0.9}},
    }


def test_a_not_covered_question_is_recorded_as_unanswered():
    row = unanswered_question("s1", _user_event("faq_not_covered"))
    assert row is not None
    assert (row.sender_id, row.intent, row.channel, row.text) == (
        "s1",
        "faq_not_covered",
        "rest",
        "how much does it cost",
    )


@pytest.mark.parametrize(
    "intent", ["faq_dose", "faq_status_outside_us", "acknowledge", "crisis"]
)
def test_answered_questions_are_not_recorded(intent):
    assert unanswered_question("s1", _user_event(intent)) is None
