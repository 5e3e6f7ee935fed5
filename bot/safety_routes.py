"""The safety routes: intents whose messages never get FAQ content.

One list, most urgent first, shared by the matcher, the learned risk model,
the router that combines them, and the tests.
"""

from __future__ import annotations

CRISIS = "crisis"
# Someone else is at risk: the writer is a partner, parent or friend.
CRISIS_SOMEONE_ELSE = "crisis_someone_else"
# Not sure enough to send the crisis reply: ask directly.
CRISIS_CHECK_IN = "crisis_check_in"
# A crisis message in Spanish: the crisis reply in Spanish.
CRISIS_SPANISH = "crisis_spanish"
# The check-in and the helper reply for a message in Spanish.
CRISIS_CHECK_IN_SPANISH = "crisis_check_in_spanish"
CRISIS_SOMEONE_ELSE_SPANISH = "crisis_someone_else_spanish"
MEDICAL_EMERGENCY = "medical_emergency"
SELF_DOSING = "self_dosing"
SOURCING = "sourcing"
PERSONAL_MEDICAL_ADVICE = "personal_medical_advice"
# The risk model's label for everything else.
NOT_SAFETY = "none"

# Most urgent first: the first route whose rule matches is the one taken.
ROUTE_PRIORITY = (
    CRISIS,
    MEDICAL_EMERGENCY,
    SELF_DOSING,
    SOURCING,
    PERSONAL_MEDICAL_ADVICE,
)
# Routes whose reply carries the crisis lines (988).
CRISIS_ROUTES = frozenset(
    {
        CRISIS,
        CRISIS_SOMEONE_ELSE,
        CRISIS_CHECK_IN,
        CRISIS_SPANISH,
        CRISIS_CHECK_IN_SPANISH,
        CRISIS_SOMEONE_ELSE_SPANISH,
    }
)
# The crisis routes that ask ("Are you thinking about suicide...?") instead
# of sending the crisis lines as the whole reply.
CHECK_IN_ROUTES = frozenset({CRISIS_CHECK_IN, CRISIS_CHECK_IN_SPANISH})
# The crisis routes that send the crisis lines (or the helper reply) at once:
# on an ordinary message, these are the false crisis alarms.
CRISIS_REPLY_ROUTES = CRISIS_ROUTES - CHECK_IN_ROUTES
# A crisis route's reply for a message written in Spanish.
SPANISH_CRISIS_ROUTES = {
    CRISIS: CRISIS_SPANISH,
    CRISIS_CHECK_IN: CRISIS_CHECK_IN_SPANISH,
    CRISIS_SOMEONE_ELSE: CRISIS_SOMEONE_ELSE_SPANISH,
}
SAFETY_INTENTS = frozenset(ROUTE_PRIORITY) | CRISIS_ROUTES
# The check-in's buttons (domain.yml, utter_crisis_check_in): yes, no, and
# "I'm asking about someone else".
CHECK_IN_BUTTON_INTENTS = ("affirm", "deny", "asking_for_someone_else")
