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

from tests.measurements import record
from tests.training_data import AFTER_FREEZE_FILES, read_nlu_examples

NEW_TOPICS = ("faq_status_outside_us", "faq_other_treatments", "faq_not_covered")
FAQ_PREFIX = "faq_"
# 64 phrasings: one is 1.6 points. Measured 90.6% before the learned safety
# routing's intents joined the training data and 89.1% after (the misses are
# fallbacks and neighbouring topics, never a safety route); the bounds keep
# about two phrasings of margin for retraining.
MIN_ACCURACY = 0.86
MIN_NEW_TOPIC_ACCURACY = 0.83


def _cases() -> list[tuple[str, str]]:
    return [
        (text, intent)
        for intent, texts in read_nlu_examples(AFTER_FREEZE_FILES).items()
        for text in texts
    ]


def test_the_batch_is_big_enough_and_covers_the_new_topics():
    cases = _cases()
    assert len(cases) >= 60
    counts = Counter(intent for _, intent in cases)
    for intent in NEW_TOPICS:
        assert counts[intent] >= 10, intent


def test_after_freeze_accuracy_and_no_wrong_answer_to_not_covered(classify):
    cases = _cases()
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
    record("after_freeze_size", len(cases))
    record("after_freeze_accuracy", round(accuracy, 4))
    record("after_freeze_new_topics_accuracy", round(new_accuracy, 4))
    record(
        "after_freeze_per_new_topic",
        {i: f"{correct[i]}/{total[i]}" for i in NEW_TOPICS},
    )
    record("after_freeze_confusions", dict(misses.most_common(10)))
    assert wrong_answers_to_not_covered == []
    assert accuracy >= MIN_ACCURACY, misses.most_common(10)
    assert new_accuracy >= MIN_NEW_TOPIC_ACCURACY, misses.most_common(10)
