"""Follow-up questions whose meaning depends on the previous answer.

"How long does it take?" after hearing what the therapy is means the whole
course; after hearing about the dosing day it means a session. The mapping is
a plain table so the content team can read and change it.
"""

from __future__ import annotations

# After which topic, "how long ...?" is about what.
_HOW_LONG_AFTER: dict[str, str] = {
    "session_experience": "session_length",
    "session_length": "session_length",
    "effects": "effect_duration",
    "onset": "effect_duration",
    "dose": "effect_duration",
    "what_is_mdma": "effect_duration",
    "mechanism": "effect_duration",
    "effect_duration": "effect_duration",
}
_HOW_LONG_DEFAULT = "course_length"

# After which topic, "and after that?" / "what happens next?" is about what.
_NEXT_AFTER: dict[str, str] = {
    "definition": "process",
    "process": "session_experience",
    "onset": "session_experience",
    "dose": "session_experience",
    "session_length": "session_experience",
    "session_experience": "integration",
    "integration": "long_term",
    "research": "results",
    "results": "long_term",
    "fda": "access",
}

FOLLOW_UP_INTENTS = ("follow_up_how_long", "follow_up_next")


def resolve_follow_up(intent: str, previous_topic: str | None) -> str | None:
    """Returns the topic a follow-up question is about, or None if unclear.

    Args:
        intent: `follow_up_how_long` or `follow_up_next`.
        previous_topic: The topic of the last answer given, if any.

    """
    if intent == "follow_up_how_long":
        return _HOW_LONG_AFTER.get(previous_topic or "", _HOW_LONG_DEFAULT)
    if intent == "follow_up_next":
        return _NEXT_AFTER.get(previous_topic or "")
    return None
