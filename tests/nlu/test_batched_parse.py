"""The NLU tests' batched parse decides as the server does, message by message.

`classify` (tests/nlu/conftest.py) parses the test sets in batches, which is
several times faster; the server parses one message at a time. The only
numeric difference is the sentence encoder's round-off on padded batches
(about 1e-7), so every decision must be the same: intent, ranking order,
route. This compares both on a spread of every set the NLU tests use.
"""

from __future__ import annotations

import asyncio
import json
import math

from bot.ops.clinc150 import clinc150_file
from bot.server.safety.risk_model import read_corpus
from tests.nlu.test_safety_model import HELD_OUT
from tests.training_data import (
    AFTER_FREEZE_FILES,
    FAQ_TEST_FILES,
    NOT_CRISIS_FILE,
    SAFETY_TEST_FILE,
    read_nlu_examples,
    read_route_set,
)

EVERY_NTH = 15
# Confidences and the risk score: round-off only (the risk is rounded to
# four decimals, so one rounding step apart at most).
TOLERANCE = 2e-4


def _sample() -> list[str]:
    splits = json.loads(clinc150_file().read_text(encoding="utf-8"))
    sets = [
        [text for text, _ in splits["val"] + splits["oos_val"]],
        [t for texts in read_nlu_examples(FAQ_TEST_FILES).values() for t in texts],
        [t for texts in read_nlu_examples(AFTER_FREEZE_FILES).values() for t in texts],
        [example.text for path in HELD_OUT.values() for example in read_corpus([path])],
        [
            text
            for path in (SAFETY_TEST_FILE, NOT_CRISIS_FILE)
            for texts in read_route_set(path).values()
            for text in texts
        ],
    ]
    return list(dict.fromkeys(text for texts in sets for text in texts[::EVERY_NTH]))


def _differences(batched: object, single: object, where: str = "") -> list[str]:
    if isinstance(batched, dict) and isinstance(single, dict):
        if batched.keys() != single.keys():
            return [f"{where}: keys {sorted(batched)} != {sorted(single)}"]
        return [
            difference
            for key in batched
            for difference in _differences(batched[key], single[key], f"{where}.{key}")
        ]
    if isinstance(batched, list) and isinstance(single, list):
        if len(batched) != len(single):
            return [f"{where}: {len(batched)} items != {len(single)}"]
        return [
            difference
            for number, (a, b) in enumerate(zip(batched, single, strict=True))
            for difference in _differences(a, b, f"{where}[{number}]")
        ]
    if isinstance(batched, float) and isinstance(single, float):
        if math.isclose(batched, single, rel_tol=0, abs_tol=TOLERANCE):
            return []
    elif batched == single:
        return []
    return [f"{where}: {batched!r} != {single!r}"]


def test_batched_parse_matches_parsing_one_message_at_a_time(agent, classify):
    texts = _sample()
    assert len(texts) >= 300
    batched = classify(texts)
    loop = asyncio.new_event_loop()
    try:
        single = [loop.run_until_complete(agent.parse_message(t)) for t in texts]
    finally:
        loop.close()
    differences = [
        f"{text!r}{difference}"
        for text, a, b in zip(texts, batched, single, strict=True)
        for difference in _differences(a, b)
    ]
    assert differences == []
