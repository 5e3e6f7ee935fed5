"""The FAQ topics the bot answers, in the order they are offered to people.

Topic ids are snake_case and match the NLU intents `faq_<topic>` and the
`topic` field of the vetted answers. Titles are the short labels used on
topic buttons and in the list of what the bot can do.
"""

from __future__ import annotations

FAQ_INTENT_PREFIX = "faq_"
# What the topic classifier predicts when it found no FAQ question to answer:
# too unsure (Rasa's FallbackClassifier) or outside the bot's scope.
FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"
UNPLACED_INTENTS = frozenset({FALLBACK_INTENT, OUT_OF_SCOPE_INTENT})

TOPIC_TITLES: dict[str, str] = {
    "definition": "What MDMA-assisted therapy is",
    "what_is_mdma": "What MDMA is",
    "mechanism": "How it works in the brain",
    "effects": "How it feels",
    "benefits": "Why MDMA is added to therapy",
    "ptsd": "Therapy for PTSD",
    "other_conditions": "Depression, anxiety and other conditions",
    "research": "The research so far",
    "results": "How well it worked in studies",
    "process": "The steps of treatment",
    "course_length": "How long the treatment takes",
    "session_length": "How long a session lasts",
    "dose": "The dose used in clinical trials",
    "onset": "How soon it takes effect",
    "effect_duration": "How long the effects last",
    "session_experience": "What happens on a dosing day",
    "integration": "What happens afterwards",
    "long_term": "Whether the results last",
    "safety": "Safety",
    "side_effects": "Side effects and risks",
    "recreational": "Therapy versus street ecstasy",
    "fda": "FDA approval",
    "access": "How to take part",
    "experiences": "What patients say",
    "therapist": "Who gives the therapy",
    "status_outside_us": "Outside the US (Australia and elsewhere)",
    "other_treatments": "Other PTSD treatments",
    "not_covered": "Questions without a vetted answer yet",
}

# Topics that answer no question themselves and are not offered in lists:
# `not_covered` says plainly that there is no vetted answer yet.
UNLISTED_TOPICS: frozenset[str] = frozenset({"not_covered"})

# Topics offered as buttons under an answer: the nearest vetted topics to a
# question the bot has no vetted answer for.
RELATED_TOPICS: dict[str, tuple[str, ...]] = {
    "not_covered": ("access", "fda", "status_outside_us", "other_treatments"),
}

# Offered when the bot cannot help with a question: a few common starting
# points rather than every topic.
STARTER_TOPICS: tuple[str, ...] = ("definition", "safety", "fda", "access")


def topic_for_intent(intent: str | None) -> str | None:
    """Returns the topic of an FAQ intent, or None for any other intent."""
    if not intent or not intent.startswith(FAQ_INTENT_PREFIX):
        return None
    topic = intent[len(FAQ_INTENT_PREFIX) :]
    return topic if topic in TOPIC_TITLES else None


def intent_for_topic(topic: str) -> str:
    """Returns the NLU intent that asks about a topic."""
    if topic not in TOPIC_TITLES:
        raise KeyError(f"unknown topic {topic!r}")
    return f"{FAQ_INTENT_PREFIX}{topic}"


def topic_button(topic: str) -> dict[str, str]:
    """A button that asks about a topic when clicked, bypassing NLU."""
    return {"title": TOPIC_TITLES[topic], "payload": f"/{intent_for_topic(topic)}"}
