"""Off-topic everyday questions (CLINC150 val, never trained on) are declined."""

from __future__ import annotations

import json
from collections import Counter

from bot.ops.clinc150 import SMALL_TALK_INTENTS, clinc150_file
from tests.measurements import record

MIN_DECLINE_RATE = 0.95
DECLINING_INTENTS = {"out_of_scope", "nlu_fallback"}


def test_clinc150_validation_queries_are_declined(classify):
    splits = json.loads(clinc150_file().read_text(encoding="utf-8"))
    texts = [
        text
        for text, intent in splits["val"] + splits["oos_val"]
        if intent not in SMALL_TALK_INTENTS
    ]
    results = classify(texts)
    answered_as = Counter(
        parsed["intent"]["name"]
        for parsed in results
        if parsed["intent"]["name"] not in DECLINING_INTENTS
    )
    declined = len(texts) - sum(answered_as.values())
    rate = declined / len(texts)
    record("clinc150_decline_rate", round(rate, 4))
    record("clinc150_evaluated", len(texts))
    record("clinc150_not_declined_as", dict(answered_as.most_common(8)))
    assert rate >= MIN_DECLINE_RATE, answered_as.most_common(10)
