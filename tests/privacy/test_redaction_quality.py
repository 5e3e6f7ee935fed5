"""Redaction measured on the hand-labelled set: recall and over-redaction."""

from __future__ import annotations

from tests.measurements import record
from tests.privacy.redaction_scoring import load_messages, score

MIN_RECALL = 0.95
MAX_OVER_REDACTION = 0.02


def test_the_set_covers_every_kind_of_detail():
    messages = load_messages()
    with_details = [m for m in messages if m.details]
    assert len(with_details) >= 100
    kinds = {d.placeholder for m in messages for d in m.details}
    assert kinds == {"NAME", "EMAIL", "PHONE", "LOCATION", "DATE", "URL", "ADDRESS"}
    assert sum(len(m.details) >= 2 for m in with_details) >= 40
    assert sum(m.text == m.text.lower() for m in with_details) >= 20
    assert sum(not m.details for m in messages) >= 30


def test_redaction_removes_details_and_keeps_other_words(redactor):
    messages = load_messages()
    result = score(redactor, messages)
    held_out = score(redactor, [m for m in messages if m.held_out])
    record("redaction_recall", round(result.recall, 4))
    record("redaction_recall_held_out_part", round(held_out.recall, 4))
    record("over_redaction", round(result.over_redaction, 4))
    record("redaction_placeholder_accuracy", round(result.label_accuracy, 4))
    record("redaction_set_details", result.details)
    assert result.recall >= MIN_RECALL, "Missed:\n" + "\n".join(result.misses)
    assert result.over_redaction <= MAX_OVER_REDACTION, "Over-redacted:\n" + "\n".join(
        result.over
    )
