"""The fixed replies of the safety routes: the right lines, no dose, no FAQ."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.training_data import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RULES = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))

SAFETY_REPLIES = {
    "crisis": "utter_crisis_help",
    "medical_emergency": "utter_emergency_help",
    "self_dosing": "utter_decline_self_dosing",
    "sourcing": "utter_decline_sourcing",
    "personal_medical_advice": "utter_decline_medical_advice",
}
REQUIRED_WORDS = {
    "utter_crisis_help": ["988", "press 1", "838255", "HOME to 741741", "911"],
    "utter_crisis_reminder": ["988", "741741", "911"],
    "utter_emergency_help": ["911", "1-800-222-1222"],
    "utter_decline_self_dosing": ["clinical setting", "623-473-7433", "911"],
    "utter_decline_sourcing": ["clinical trials", "research"],
    "utter_decline_medical_advice": ["doctor", "trial's team"],
}
DOSE_FIGURE = re.compile(r"\d+\s*(mg|milligram|microgram|pill|tab)", re.IGNORECASE)


def _text(response: str) -> str:
    return " ".join(variant["text"] for variant in DOMAIN["responses"][response])


@pytest.mark.parametrize(("response", "words"), REQUIRED_WORDS.items())
def test_safety_reply_gives_the_right_help(response, words):
    text = _text(response)
    for word in words:
        assert word in text, (response, word)


@pytest.mark.parametrize("response", REQUIRED_WORDS)
def test_safety_reply_has_no_dose_figure_and_no_faq_content(response, vetted_answers):
    text = _text(response)
    assert not DOSE_FIGURE.search(text)
    for answer in vetted_answers:
        first_sentence = answer.text.split(". ")[0]
        assert first_sentence not in text


@pytest.mark.parametrize(("intent", "response"), SAFETY_REPLIES.items())
def test_each_safety_intent_has_a_rule_to_its_fixed_reply(intent, response):
    assert {"steps": [{"intent": intent}, {"action": response}]} in [
        {"steps": rule["steps"]} for rule in RULES["rules"]
    ]
