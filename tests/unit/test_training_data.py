"""The training data, test sets, domain and topics agree with each other."""

from __future__ import annotations

from collections import Counter

import yaml

from bot.topics import TOPIC_TITLES, intent_for_topic
from tests.training_data import (
    AFTER_FREEZE_FILES,
    FAQ_TEST_FILES,
    ROOT,
    SAFETY_TEST_FILE,
    TRAINING_FILES,
    normalise,
    read_nlu_examples,
    read_route_set,
)

SAFETY_ROUTES = {
    "crisis",
    "medical_emergency",
    "self_dosing",
    "sourcing",
    "personal_medical_advice",
}


def _domain_intents() -> set[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return set(domain["intents"])


def test_domain_has_one_faq_intent_per_topic():
    faq_intents = {i for i in _domain_intents() if i.startswith("faq_")}
    assert faq_intents == {intent_for_topic(t) for t in TOPIC_TITLES}


def test_every_topic_has_at_least_20_varied_training_examples():
    training = read_nlu_examples(TRAINING_FILES)
    for topic in TOPIC_TITLES:
        examples = training.get(intent_for_topic(topic), [])
        assert len({normalise(e) for e in examples}) >= 20, topic


def test_every_topic_has_at_least_8_held_out_test_phrasings():
    tests = read_nlu_examples(FAQ_TEST_FILES)
    for topic in TOPIC_TITLES:
        assert len(tests.get(intent_for_topic(topic), [])) >= 8, topic


def test_training_intents_are_all_in_the_domain():
    assert set(read_nlu_examples(TRAINING_FILES)) <= _domain_intents()


def test_no_example_is_used_for_two_intents():
    owners = Counter()
    for examples in read_nlu_examples(TRAINING_FILES).values():
        owners.update({normalise(e) for e in examples})
    assert [text for text, count in owners.items() if count > 1] == []


def test_held_out_sets_share_nothing_with_training():
    training = {
        normalise(e)
        for examples in read_nlu_examples(TRAINING_FILES).values()
        for e in examples
    }
    held_out = [
        e
        for examples in read_nlu_examples(FAQ_TEST_FILES + AFTER_FREEZE_FILES).values()
        for e in examples
    ] + [e for messages in read_route_set(SAFETY_TEST_FILE).values() for e in messages]
    assert [e for e in held_out if normalise(e) in training] == []


def test_safety_test_set_has_40_phrasings_per_route():
    routes = read_route_set(SAFETY_TEST_FILE)
    assert set(routes) == SAFETY_ROUTES
    for route, messages in routes.items():
        assert len(set(messages)) >= 40, route
