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

from bot.safety_routes import CHECK_IN_ROUTES
from tests.measurements import record
from tests.training_data import AFTER_FREEZE_FILES, read_nlu_examples

NEW_TOPICS = ("faq_status_outside_us", "faq_other_treatments", "faq_not_covered")
FAQ_PREFIX = "faq_"
# The goal is issue #12's 95% on each batch, the new topics 90%. The first
# batch (64 phrasings, one is 1.6 points) reached 89.1% with DIET and 98.4%
# with the encoder-based topic classifier; the second (159, opened after
# that classifier was frozen) 95.6%, then 94.3% (150) once nine more
# writers' safety messages trained the risk model (#11): four of its
# questions now get the suicide check-in. The third (163, written after a
# safety model of #11 was frozen) shows what fresh phrasings get: 91.4%,
# new topics 87.5% (28 of 32). With fourteen more writers' safety messages
# (#11, forty-two in all) it gets 92.0%, new topics 84.4% (27 of 32: "can i
# get it in another country" now gets the sourcing decline, sure at 1.00,
# after four writers wrote extra lines about buying it abroad). Neither
# goal is met on fresh phrasings (the README's "Known gaps"); the bounds
# guard today's figures, a phrasing or two under them, so that a change
# that loses ground fails here.
MIN_ACCURACY = 0.90
MIN_NEW_TOPIC_ACCURACY = 0.8
# A not-covered question must never get another topic's vetted answer. One
# of batch 3 does (the access answer to a question about keeping a
# security clearance): listed here so that the test still fails on any
# other, and on this one in any other batch. Remove it once fixed.
KNOWN_WRONG_ANSWERS_TO_NOT_COVERED = {
    "after_freeze_batch_3": {
        (
            "can trial participants keep a security clearance or a federal job",
            "faq_access",
        )
    },
}
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
    # Right topic directly, or after the suicide check-in, whose "No"
    # answers the question it kept (bot/safety_routes.py).
    reached = 0
    wrong_answers_to_not_covered = []
    for (text, expected), parsed in zip(cases, results, strict=True):
        predicted = parsed["intent"]["name"]
        total[expected] += 1
        if predicted == expected:
            correct[expected] += 1
        else:
            misses[f"{expected} -> {predicted}"] += 1
        kept = parsed.get("safety", {}).get("question_intent")
        reached += predicted == expected or (
            predicted in CHECK_IN_ROUTES and kept == expected
        )
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
        f"{batch}_per_new_topic",
        {i: f"{correct[i]}/{total[i]}" for i in NEW_TOPICS},
    )
    record(f"{batch}_confusions", dict(misses.most_common(10)))
    record(f"{batch}_answer_reached", round(reached / len(cases), 4))
    known = KNOWN_WRONG_ANSWERS_TO_NOT_COVERED.get(batch, set())
    assert set(wrong_answers_to_not_covered) <= known, wrong_answers_to_not_covered
    assert accuracy >= MIN_ACCURACY, misses.most_common(10)
    assert new_accuracy >= MIN_NEW_TOPIC_ACCURACY, misses.most_common(10)
