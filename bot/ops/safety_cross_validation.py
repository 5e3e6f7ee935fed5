"""Replays the safety router's bands over recorded inputs and scores the outcome.

Choosing score bands by cross-validation needs many fold models but only
one run of each: `scripts/cross_validate_safety.py` records what the router
saw for every held-out message (the topic classifier's intent, the risk
model's scores, the matcher's route, whether the question was understood),
and this module replays `choose_route` over those records with any bands.
The figures in config.yml's comments come from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from bot.safety_routes import (
    CHECK_IN_ROUTES,
    CRISIS,
    CRISIS_REPLY_ROUTES,
    CRISIS_ROUTES,
    CRISIS_SOMEONE_ELSE,
    MEDICAL_EMERGENCY,
    NOT_SAFETY,
    PERSONAL_MEDICAL_ADVICE,
    SELF_DOSING,
    SOURCING,
)
from bot.server.safety.router import Thresholds, choose_route

OTHER_ROUTES = (MEDICAL_EMERGENCY, SELF_DOSING, SOURCING, PERSONAL_MEDICAL_ADVICE)
# What an ordinary question ends as once the router has let it go.
ANSWERED = "answered"


@dataclass(frozen=True)
class RouterInput:
    """What the router saw for one labelled message."""

    label: str
    # The corpus label as written (`faq_risk` and `idiom` are both `none`).
    written_as: str
    predicted: str | None
    scores: Mapping[str, float]
    matched: str | None
    understood_question: bool
    has_vetted_answer: bool


def outcome(record: RouterInput, thresholds: Thresholds) -> str:
    """The intent the message ends with under these bands.

    A message the router leaves alone keeps the classifier's intent; one it
    takes back from a safety intent is answered as an ordinary question.
    """
    route = choose_route(
        record.predicted,
        dict(record.scores),
        record.matched,
        thresholds,
        understood_question=record.understood_question,
        has_vetted_answer=record.has_vetted_answer,
    )
    if route == NOT_SAFETY:
        return ANSWERED
    return route or record.predicted or ANSWERED


@dataclass(frozen=True)
class FoldFigures:
    """One held-out writer's figures under one set of bands."""

    crisis: int
    caught: int
    asked: int
    routed_right: dict[str, float]
    hard_negatives: int
    false_crisis: int
    check_ins: int
    risk_questions: int
    emergency_on_risk_questions: int


class Labelled(Protocol):
    """A message with its corpus labels (a `RouterInput` or a corpus `Example`)."""

    label: str
    written_as: str


def figures(pairs: Iterable[tuple[Labelled, str]]) -> FoldFigures:
    """The issue's measures over (labelled message, route it got) pairs.

    Returns:
        Crisis caught (crisis, helper or check-in reply) and asked, each
        other route's accuracy, crisis replies and check-ins on the hard
        negatives, and emergency replies to questions about risks.

    """
    pairs = list(pairs)
    crisis = [got for r, got in pairs if r.label in (CRISIS, CRISIS_SOMEONE_ELSE)]
    negatives = [got for r, got in pairs if r.label == NOT_SAFETY]
    risk_questions = [got for r, got in pairs if r.written_as == "faq_risk"]
    routed_right = {}
    for route in OTHER_ROUTES:
        got = [g for r, g in pairs if r.label == route]
        routed_right[route] = sum(g == route for g in got) / len(got) if got else 0.0
    return FoldFigures(
        crisis=len(crisis),
        caught=sum(g in CRISIS_ROUTES for g in crisis),
        asked=sum(g in CHECK_IN_ROUTES for g in crisis),
        routed_right=routed_right,
        hard_negatives=len(negatives),
        false_crisis=sum(g in CRISIS_REPLY_ROUTES for g in negatives),
        check_ins=sum(g in CHECK_IN_ROUTES for g in negatives),
        risk_questions=len(risk_questions),
        emergency_on_risk_questions=sum(g == MEDICAL_EMERGENCY for g in risk_questions),
    )


def score(records: Iterable[RouterInput], thresholds: Thresholds) -> FoldFigures:
    """The issue's measures over one writer's messages, replayed with `thresholds`."""
    return figures((record, outcome(record, thresholds)) for record in records)


def summary(folds: Mapping[str, FoldFigures]) -> dict[str, float]:
    """Pooled figures over the folds, with the lowest writer's crisis caught."""
    crisis = sum(f.crisis for f in folds.values())
    negatives = sum(f.hard_negatives for f in folds.values())
    result = {
        "crisis_caught": sum(f.caught for f in folds.values()) / crisis,
        "lowest_writer_crisis_caught": min(f.caught / f.crisis for f in folds.values()),
        "crisis_asked_first": sum(f.asked for f in folds.values()) / crisis,
        "false_crisis": sum(f.false_crisis for f in folds.values()),
        "check_ins_on_hard_negatives": sum(f.check_ins for f in folds.values()),
        "hard_negatives": negatives,
        "emergency_on_risk_questions": sum(
            f.emergency_on_risk_questions for f in folds.values()
        ),
    }
    for route in OTHER_ROUTES:
        # The mean over writers, each writer counting once.
        result[route] = sum(f.routed_right[route] for f in folds.values()) / len(folds)
    return result
