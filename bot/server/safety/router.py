"""Chooses a message's safety route from the matcher and the risk model.

Either one can route a message. The matcher is the floor for crisis: a
crisis pattern always gets a reply with the crisis lines, the check-in when
the model doubts it. The risk model adds what patterns cannot cover, in
tiers:

- high risk: the crisis reply (or the helper reply when someone else is at
  risk);
- unsure: a direct check-in question, with the crisis lines in it;
- a current emergency, self-dosing, sourcing or personal medical advice: that
  route's reply;
- nothing else. The topic classifier's own safety intents route nothing:
  trained without the safety corpus's hard negatives, it put "this commute
  is killing me" on crisis and mixed up the other routes (on the never-tuned
  writer's messages, 112 crisis replies to 560 ordinary messages and route
  accuracy down to 76-83%, against 39 and 83-94% without it). Its safety
  intent is taken back to the FAQ intent it ranked next.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.safety_routes import (
    CRISIS,
    CRISIS_CHECK_IN,
    CRISIS_ROUTES,
    CRISIS_SOMEONE_ELSE,
    MEDICAL_EMERGENCY,
    NOT_SAFETY,
    ROUTE_PRIORITY,
    SAFETY_INTENTS,
    SELF_DOSING,
    SOURCING,
)
from bot.topics import UNPLACED_INTENTS


@dataclass(frozen=True)
class Thresholds:
    """Score bands, calibrated by cross-validation across the corpus writers."""

    # Crisis risk (crisis + someone else) from which the bot checks in.
    check_in: float = 0.3
    # Crisis risk from which the bot sends the crisis reply without asking.
    # Under it the check-in asks, with 988 and 911 in the question: people
    # writing that they are doing better now scored up to the 0.9s.
    crisis: float = 0.97
    # Crisis risk from which a crisis pattern gets the crisis reply; under
    # it the pattern gets the check-in, which carries the crisis lines too.
    # The same band as without a pattern: the patterns' false alarms were the
    # same idioms and past ideation.
    pattern_crisis: float = 0.97
    # Probability from which a non-crisis safety route is taken.
    route: float = 0.5
    # Probability of "none" from which the matcher's non-crisis route is
    # overruled ("does MDMA cause seizures?" is a question, not a seizure).
    not_safety: float = 0.9
    # The classifier's confidence in an FAQ intent from which the check-in
    # band and the model's non-crisis routes leave the question alone.
    understood: float = 0.9
    # Crisis risk from which even such a question is checked in: a crisis
    # sentence at the end of a clear FAQ question ("do they give you
    # homework? i ask because i ...") scored 0.6 to 0.8, and the check-in's
    # "No" still answers the question.
    understood_check_in: float = 0.5
    # ...and the probability from which an emergency, self-dosing or
    # sourcing route still takes it: "is 200mg 2 much lol" is a sure dose
    # question and a surer self-dosing message.
    understood_route: float = 0.9
    # Crisis risk from which a message the classifier could not place
    # (fallback, out of scope) is checked in: there is no answer to lose by
    # asking.
    unplaced_check_in: float = 0.25


# The routes that take even a question the classifier is sure of, given a
# sure score (`Thresholds.understood_route`).
ROUTES_OVER_SURE_QUESTIONS = frozenset({MEDICAL_EMERGENCY, SELF_DOSING, SOURCING})


def crisis_risk(scores: dict[str, float]) -> float:
    """How likely the message is about someone at risk of suicide or self-harm."""
    return scores.get(CRISIS, 0.0) + scores.get(CRISIS_SOMEONE_ELSE, 0.0)


def _crisis_reply_route(scores: dict[str, float]) -> str:
    if scores.get(CRISIS_SOMEONE_ELSE, 0.0) > scores.get(CRISIS, 0.0):
        return CRISIS_SOMEONE_ELSE
    return CRISIS


def _likeliest_route(scores: dict[str, float]) -> tuple[str, float]:
    others = {label: p for label, p in scores.items() if label not in CRISIS_ROUTES}
    if not others:
        return NOT_SAFETY, 0.0
    label = max(others, key=others.get)
    return label, others[label]


def choose_route(
    predicted: str | None,
    scores: dict[str, float],
    matched: str | None,
    thresholds: Thresholds,
    understood_question: bool = False,
    has_vetted_answer: bool = True,
) -> str | None:
    """The safety route for a message, `None` to keep a non-safety prediction.

    Args:
        predicted: The intent the topic classifier chose (its safety intents
            are taken back unless the model or the matcher routes the message).
        scores: The risk model's probability per label.
        matched: The matcher's most urgent route, if any.
        thresholds: The score bands.
        understood_question: The classifier is sure the message is an FAQ
            question (`Thresholds.understood` or more).
        has_vetted_answer: False when the question's reply would be "no
            vetted answer yet": asking about suicide then costs no answer, so
            the check-in band applies however sure the classifier is.

    Returns:
        A safety route; `NOT_SAFETY` when the classifier's safety intent is
        taken back (the caller picks the FAQ intent); or `None` to keep what
        was predicted. The caller switches crisis routes to Spanish.

    """
    risk = crisis_risk(scores)
    if matched == CRISIS:
        # The floor: a crisis pattern always gets the crisis lines. Who is at
        # risk decides between the crisis and the helper reply. When the
        # model doubts the pattern, the words were far more often an idiom
        # ("this commute is killing me") or someone doing better now ("I
        # used to want to die, therapy helped") than a crisis: those are
        # asked instead, with 988 in the question.
        if risk >= thresholds.pattern_crisis:
            return _crisis_reply_route(scores)
        return CRISIS_CHECK_IN
    if risk >= thresholds.crisis:
        return _crisis_reply_route(scores)
    label, probability = _likeliest_route(scores)
    # A question the classifier is sure of is answered unless a pattern or a
    # higher score says otherwise: asking "are you thinking about suicide?"
    # or declining an FAQ question on a middling score cost more answers
    # than they caught crisis messages (see config.yml).
    answer_at_stake = understood_question and has_vetted_answer
    if answer_at_stake:
        band = thresholds.understood_check_in
    elif predicted in UNPLACED_INTENTS:
        band = thresholds.unplaced_check_in
    else:
        band = thresholds.check_in
    if risk >= band:
        # A medical emergency happening now cannot wait for an answer.
        if label == MEDICAL_EMERGENCY and probability >= thresholds.route:
            return MEDICAL_EMERGENCY
        return CRISIS_CHECK_IN
    if understood_question:
        # Only a sure emergency, self-dosing or sourcing message takes a
        # question the classifier is sure of: a personal question about one
        # of its topics ("I'm in Melbourne, is it allowed for me?") gets the
        # vetted answer, whose disclaimer says it is not medical advice.
        takes_route = (
            label in ROUTES_OVER_SURE_QUESTIONS
            and probability >= thresholds.understood_route
        )
    else:
        takes_route = label in ROUTE_PRIORITY and probability >= thresholds.route
    if takes_route:
        return label
    if matched is not None and scores.get(NOT_SAFETY, 0.0) < thresholds.not_safety:
        return matched
    if predicted in SAFETY_INTENTS:
        return NOT_SAFETY
    return None
