"""Phrasings written after the training data was frozen.

`after_freeze_*.yml` was written once the training data and pipeline were
final and was never used to change them, so its figures show how the bot
does on questions nobody tuned it for. Questions about MDMA therapy that no
vetted answer covers (`faq_not_covered`) must never get another topic's
vetted answer: a confident answer to a question it does not answer is worse
than "I don't have a vetted answer to that".
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.measurements import record
from tests.training_data import AFTER_FREEZE_FILES, read_nlu_examples

NEW_TOPICS = ("faq_status_outside_us", "faq_other_treatments", "faq_not_covered")
FAQ_PREFIX = "faq_"
# Each batch is measured on its own. The first (64 phrasings, one is 1.6
# points) reached 89.1% with DIET and 98.4% with the encoder-based topic
# classifier; the second (180 phrasings, written by another writer and
# opened only after that classifier was frozen) 96.1%. The bounds are the
# issue's 95% target (#12).
MIN_ACCURACY = 0.95
MIN_NEW_TOPIC_ACCURACY = 0.90
BATCHES = {path.stem: path for path in AFTER_FREEZE_FILES}


def _cases(batch: str) -> list[tuple[str, str]]:
    return [
        (text, intent)
        for intent, texts in read_nlu_examples([BATCHES[batch]]).items()
        for text in texts
    ]


def test_the_batches_are_big_enough_and_cover_the_new_topics():
    cases = [case for batch in BATCHES for case in _cases(batch)]
    assert len(cases) >= 60
    counts = Counter(intent for _, intent in cases)
    for intent in NEW_TOPICS:
        assert counts[intent] >= 10, intent


@pytest.mark.parametrize("batch", list(BATCHES))
def test_after_freeze_accuracy_and_no_wrong_answer_to_not_covered(classify, batch):
    cases = _cases(batch)
    results = classify([text for text, _ in cases])
    correct = Counter()
    total = Counter()
    misses = Counter()
    wrong_answers_to_not_covered = []
    for (text, expected), parsed in zip(cases, results, strict=True):
        predicted = parsed["intent"]["name"]
        total[expected] += 1
        if predicted == expected:
            correct[expected] += 1
        else:
            misses[f"{expected} -> {predicted}"] += 1
        # Any other topic's vetted answer is wrong here; the rephrase prompt,
        # the off-topic reply or a safety reply gives no wrong facts.
        if (
            expected == "faq_not_covered"
            and predicted.startswith(FAQ_PREFIX)
            and predicted != expected
        ):
            wrong_answers_to_not_covered.append((text, predicted))
    accuracy = sum(correct.values()) / len(cases)
    new_total = sum(total[i] for i in NEW_TOPICS)
    new_accuracy = sum(correct[i] for i in NEW_TOPICS) / new_total
    record(f"{batch}_size", len(cases))
    record(f"{batch}_accuracy", round(accuracy, 4))
    record(f"{batch}_new_topics_accuracy", round(new_accuracy, 4))
    record(
        "after_freeze_per_new_topic",
        {i: f"{correct[i]}/{total[i]}" for i in NEW_TOPICS},
    )
    record(f"{batch}_confusions", dict(misses.most_common(10)))
    assert wrong_answers_to_not_covered == []
    assert accuracy >= MIN_ACCURACY, misses.most_common(10)
    assert new_accuracy >= MIN_NEW_TOPIC_ACCURACY, misses.most_common(10)
