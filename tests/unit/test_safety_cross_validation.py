"""Replaying the safety router's bands over recorded inputs."""

from __future__ import annotations

import pytest

from bot.ops.safety_cross_validation import (
    ANSWERED,
    RouterInput,
    outcome,
    score,
    summary,
)
from bot.server.safety.router import Thresholds

BANDS = Thresholds(check_in=0.3, crisis=0.9, pattern_crisis=0.9)


def seen(label, written_as=None, predicted="faq_dose", matched=None, **scores):
    return RouterInput(
        label=label,
        written_as=written_as or label,
        predicted=predicted,
        scores={"none": 1.0 - sum(scores.values()), **scores},
        matched=matched,
        understood_question=False,
        has_vetted_answer=True,
    )


def test_outcome_follows_the_router_and_keeps_or_answers_the_rest():
    assert outcome(seen("crisis", crisis=0.95), BANDS) == "crisis"
    assert outcome(seen("crisis", crisis=0.5), BANDS) == "crisis_check_in"
    assert (
        outcome(seen("crisis", matched="crisis", crisis=0.5), BANDS)
        == "crisis_check_in"
    )
    assert outcome(seen("none"), BANDS) == "faq_dose"
    # A safety intent the router takes back is answered as a question.
    assert outcome(seen("none", predicted="crisis"), BANDS) == ANSWERED


def test_the_same_records_score_differently_under_other_bands():
    records = [
        seen("crisis", crisis=0.95),
        seen("crisis", crisis=0.5),
        seen("crisis", crisis=0.1),
        seen("none", "idiom", crisis=0.93),
        seen("none", "faq_risk", medical_emergency=0.8),
        seen("self_dosing", self_dosing=0.7),
        seen("sourcing", sourcing=0.2),
    ]
    figures = score(records, BANDS)
    assert (figures.crisis, figures.caught, figures.asked) == (3, 2, 1)
    assert figures.hard_negatives == 2
    assert (figures.false_crisis, figures.check_ins) == (1, 0)
    assert (figures.risk_questions, figures.emergency_on_risk_questions) == (1, 1)
    assert figures.routed_right["self_dosing"] == 1.0
    assert figures.routed_right["sourcing"] == 0.0
    assert figures.routed_right["medical_emergency"] == 0.0

    higher = score(records, Thresholds(check_in=0.3, crisis=0.97, pattern_crisis=0.97))
    assert (higher.caught, higher.asked) == (2, 2)
    assert (higher.false_crisis, higher.check_ins) == (0, 1)


def test_summary_pools_counts_and_averages_routes_over_writers():
    one = score(
        [seen("crisis", crisis=0.95), seen("self_dosing", self_dosing=0.7)], BANDS
    )
    two = score(
        [seen("crisis", crisis=0.1), seen("crisis", crisis=0.95), seen("self_dosing")],
        BANDS,
    )
    pooled = summary({"writer_x": one, "writer_y": two})
    assert pooled["crisis_caught"] == pytest.approx(2 / 3)
    assert pooled["lowest_writer_crisis_caught"] == pytest.approx(0.5)
    assert pooled["self_dosing"] == pytest.approx(0.5)
