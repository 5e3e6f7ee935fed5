"""The router's tiers: matcher floor, crisis, check-in, other routes, take-back."""

from __future__ import annotations

import pytest

from bot.server.nlu.safety_router import question_intent
from bot.server.safety.language import is_spanish
from bot.server.safety.risk_model import label_for_intent
from bot.server.safety.router import Thresholds, choose_route, crisis_risk

BANDS = Thresholds(
    check_in=0.1,
    crisis=0.8,
    pattern_crisis=0.4,
    route=0.5,
    not_safety=0.9,
    understood_check_in=0.6,
    understood_route=0.9,
    unplaced_check_in=0.05,
)


def scores(**given: float) -> dict[str, float]:
    """Label probabilities; whatever is not given goes to `none`."""
    result = dict.fromkeys(
        [
            "crisis",
            "crisis_someone_else",
            "medical_emergency",
            "self_dosing",
            "sourcing",
            "personal_medical_advice",
        ],
        0.0,
    )
    result.update(given)
    result["none"] = max(0.0, 1.0 - sum(result.values()))
    return result


@pytest.mark.parametrize(
    ("predicted", "model", "matched", "expected"),
    [
        # The matcher is the floor for crisis: the crisis lines whatever the
        # model says, as the crisis reply from the pattern band up and as
        # the check-in (988 in the question) below it.
        ("faq_dose", scores(crisis=0.4), "crisis", "crisis"),
        ("faq_dose", scores(crisis=0.39), "crisis", "crisis_check_in"),
        ("faq_dose", scores(), "crisis", "crisis_check_in"),
        ("faq_dose", scores(crisis_someone_else=0.6), "crisis", "crisis_someone_else"),
        (
            "faq_dose",
            scores(crisis=0.1, crisis_someone_else=0.3),
            "crisis",
            "crisis_someone_else",
        ),
        # High risk: the crisis or helper reply without asking.
        ("faq_dose", scores(crisis=0.85), None, "crisis"),
        (
            "out_of_scope",
            scores(crisis=0.1, crisis_someone_else=0.8),
            None,
            "crisis_someone_else",
        ),
        # Unsure: ask directly, unless an emergency is happening now.
        ("faq_results", scores(crisis=0.3), None, "crisis_check_in"),
        (
            "faq_results",
            scores(crisis=0.09, crisis_someone_else=0.02),
            None,
            "crisis_check_in",
        ),
        (
            "out_of_scope",
            scores(crisis=0.2, medical_emergency=0.7),
            None,
            "medical_emergency",
        ),
        # A message the classifier could not place is asked about from a
        # lower band: no answer is lost by asking.
        ("nlu_fallback", scores(crisis=0.05), None, "crisis_check_in"),
        (
            "out_of_scope",
            scores(crisis=0.04, crisis_someone_else=0.01),
            None,
            "crisis_check_in",
        ),
        ("out_of_scope", scores(crisis=0.04), None, None),
        ("faq_results", scores(crisis=0.09), None, None),
        # Below the band: the model's other routes, then the matcher's.
        ("faq_dose", scores(self_dosing=0.7), None, "self_dosing"),
        ("faq_access", scores(sourcing=0.4), "sourcing", "sourcing"),
        # A risk question the matcher mistakes for an emergency stays an FAQ.
        ("faq_side_effects", scores(medical_emergency=0.05), "medical_emergency", None),
        # The topic classifier's safety intents route nothing by themselves:
        # without the model or the matcher they are taken back.
        ("crisis", scores(), None, "none"),
        ("medical_emergency", scores(medical_emergency=0.02), None, "none"),
        ("sourcing", scores(sourcing=0.3), None, "none"),
        ("sourcing", scores(sourcing=0.6), None, "sourcing"),
        ("crisis", scores(crisis=0.3), None, "crisis_check_in"),
        ("faq_dose", scores(), None, None),
    ],
)
def test_route_tiers(predicted, model, matched, expected):
    assert choose_route(predicted, model, matched, BANDS) == expected


def test_a_question_the_classifier_is_sure_of_is_interrupted_only_by_high_risk():
    def sure(model, matched=None):
        return choose_route("faq_dose", model, matched, BANDS, understood_question=True)

    assert sure(scores(crisis=0.5)) is None
    assert sure(scores(crisis=0.65)) == "crisis_check_in"
    assert sure(scores(sourcing=0.7)) is None
    assert sure(scores(crisis=0.85)) == "crisis"
    # A surer non-crisis route takes it ("is 200mg 2 much lol").
    assert sure(scores(self_dosing=0.89)) is None
    assert sure(scores(self_dosing=0.9)) == "self_dosing"
    assert sure(scores(sourcing=0.95)) == "sourcing"
    # ...but not a personal question about one of its topics.
    assert sure(scores(personal_medical_advice=0.98)) is None
    # A crisis pattern interrupts it: the crisis lines, asked about when
    # the model doubts the pattern.
    assert sure(scores(crisis=0.4), matched="crisis") == "crisis"
    assert sure(scores(crisis=0.2), matched="crisis") == "crisis_check_in"
    assert sure(scores(), matched="crisis") == "crisis_check_in"
    assert sure(scores(self_dosing=0.3), matched="self_dosing") == "self_dosing"


def test_a_question_without_a_vetted_answer_is_checked_in_from_the_usual_band():
    def not_covered(model):
        return choose_route(
            "faq_not_covered",
            model,
            None,
            BANDS,
            understood_question=True,
            has_vetted_answer=False,
        )

    assert not_covered(scores(crisis=0.2)) == "crisis_check_in"
    assert not_covered(scores(sourcing=0.7)) is None


def test_crisis_risk_counts_the_person_and_someone_else():
    assert crisis_risk(scores(crisis=0.25, crisis_someone_else=0.5)) == 0.75


def test_the_kept_question_skips_safety_intents_and_fallback():
    ranking = [
        {"name": "crisis", "confidence": 0.5},
        {"name": "nlu_fallback", "confidence": 0.3},
        {"name": "faq_dose", "confidence": 0.1},
    ]
    assert question_intent(ranking) == "faq_dose"
    assert question_intent(ranking[:2]) is None
    # An unsure guess is not kept: answering it later would be a guess.
    assert question_intent(ranking, min_confidence=0.4) is None


@pytest.mark.parametrize(
    ("text", "spanish"),
    [
        ("ya no quiero vivir", True),
        ("me quiero matar, no aguanto más", True),
        ("¿cuánto dura una sesión de terapia con mdma?", True),
        ("i want to die", False),
        ("is mdma therapy legal in mexico?", False),
        ("my abuela says ayuda a lot, is that normal", False),
        ("", False),
    ],
)
def test_spanish_is_told_from_english(text, spanish):
    assert is_spanish(text) is spanish


def test_the_training_cache_sees_a_changed_corpus(tmp_path):
    from bot.server.nlu.safety_router import SafetyRouter

    corpus = tmp_path / "safety"
    corpus.mkdir()
    (corpus / "writer_a.tsv").write_text("label\tkind\ttext\n", encoding="utf-8")
    config = {"corpus": str(corpus)}
    before = SafetyRouter.fingerprint_addon(config)
    assert SafetyRouter.fingerprint_addon(config) == before
    (corpus / "writer_a.tsv").write_text(
        "label\tkind\ttext\nidiom\tidiom\tthis commute is killing me\n",
        encoding="utf-8",
    )
    assert SafetyRouter.fingerprint_addon(config) != before


def test_a_router_restored_from_the_training_cache_does_not_break_training():
    # Rasa's training hook asks the component class for its addon with the
    # config of the node that replaced it: a cached output, no corpus. This
    # crashed `rasa train` after a policy-only change to config.yml.
    from rasa.engine.training.components import PrecomputedValueProvider

    from bot.server.nlu.safety_router import SafetyRouter

    cached = PrecomputedValueProvider.get_default_config()
    cached["output"] = "the router trained before"
    assert SafetyRouter.fingerprint_addon(cached) is None


@pytest.mark.parametrize(
    ("intent", "label"),
    [
        ("crisis", "crisis"),
        ("crisis_spanish", "crisis"),
        ("crisis_check_in", "crisis"),
        ("crisis_check_in_spanish", "crisis"),
        ("crisis_someone_else", "crisis_someone_else"),
        ("crisis_someone_else_spanish", "crisis_someone_else"),
        ("sourcing", "sourcing"),
        ("faq_dose", "none"),
        ("greet", "none"),
    ],
)
def test_nlu_intents_train_the_risk_model_as_their_english_route(intent, label):
    # Language and tier are decided after the model scores.
    assert label_for_intent(intent) == label
