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
    "crisis_spanish": "utter_crisis_help_es",
    "crisis_someone_else": "utter_helper_help",
    "crisis_check_in": "utter_crisis_check_in",
    "crisis_check_in_spanish": "utter_crisis_check_in_es",
    "crisis_someone_else_spanish": "utter_helper_help_es",
    "asking_for_someone_else": "utter_helper_help",
    "medical_emergency": "utter_emergency_help",
    "self_dosing": "utter_decline_self_dosing",
    "sourcing": "utter_decline_sourcing",
    "personal_medical_advice": "utter_decline_medical_advice",
}
REQUIRED_WORDS = {
    "utter_crisis_help": ["988", "press 1", "838255", "HOME to 741741", "911"],
    "utter_crisis_reminder": ["988", "741741", "911"],
    # 988 in Spanish: call and press 2, or text AYUDA (facts-since-article).
    "utter_crisis_help_es": ["988 y marca 2", "AYUDA", "911"],
    # For helpers: 911, 988 is for them too, ask directly, keep them safe
    # from firearms and stockpiled medicines, stay with them.
    "utter_helper_help": [
        "911",
        "988",
        "someone else",
        "suicide",
        "guns",
        "medicines",
        "Stay with them",
    ],
    # 911 too: an emergency the model was unsure of can be asked about.
    "utter_crisis_check_in": [
        "thinking about suicide",
        "hurting yourself",
        "988",
        "911",
    ],
    "utter_crisis_check_in_es": [
        "pensando en el suicidio",
        "hacerte",
        "988 y",
        "marca 2",
        "AYUDA",
        "911",
    ],
    "utter_helper_help_es": [
        "911",
        "988 y",
        "marca 2",
        "AYUDA",
        "otra persona",
        "suicidio",
        "armas",
        "medicamentos",
        "Quédate con esa persona",
    ],
    # An overdose may be on purpose ("I tried to overdose two days ago and I
    # still want to" got this reply): 988 is in it too.
    "utter_emergency_help": ["911", "1-800-222-1222", "call or text 988"],
    # "if I take all my wife's oxy plus my own meds will it be painless?"
    # got this decline (an after-freeze writer's crisis message): 988 too.
    "utter_decline_self_dosing": [
        "clinical setting",
        "623-473-7433",
        "call or text 988",
        "911",
    ],
    "utter_decline_sourcing": ["clinical trials", "research"],
    # An emergency worded as a question about oneself ("chest pain since my
    # session, should I wait?") can land here: the reply still says 911.
    "utter_decline_medical_advice": ["doctor", "trial's team", "call 911"],
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
    # No sentence of any vetted answer (a bare "No." would match any text).
    for answer in vetted_answers:
        for sentence in re.split(r"(?<=[.!?])\s+", answer.text):
            if len(sentence.split()) >= 4:
                assert sentence not in text, (response, sentence)


@pytest.mark.parametrize(("intent", "response"), SAFETY_REPLIES.items())
def test_each_safety_intent_has_a_rule_to_its_fixed_reply(intent, response):
    assert {"steps": [{"intent": intent}, {"action": response}]} in [
        {"steps": rule["steps"]} for rule in RULES["rules"]
    ]


@pytest.mark.parametrize(
    "response", ["utter_crisis_check_in", "utter_crisis_check_in_es"]
)
def test_the_check_in_offers_yes_no_and_someone_else(response):
    [variant] = DOMAIN["responses"][response]
    assert [button["payload"] for button in variant["buttons"]] == [
        "/affirm",
        "/deny",
        "/asking_for_someone_else",
    ]
