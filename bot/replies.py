"""Builds the replies the actions send, so every channel gets the same words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.content import Source, VettedAnswer
from bot.disclaimer import build_disclaimer
from bot.topics import (
    RELATED_TOPICS,
    STARTER_TOPICS,
    TOPIC_TITLES,
    UNLISTED_TOPICS,
    topic_button,
)

MAX_SUGGESTED_TOPICS = 3
# The bot message's key for `AnswerParts.to_json()`. Rasa hands keys it does
# not know to output channels (as the BotUttered event's metadata): the Slack
# channel lays the answer out from them; the REST and widget channels never
# send them to their clients.
ANSWER_PARTS_KEY = "answer_parts"


@dataclass(frozen=True)
class AnswerParts:
    """A vetted answer's parts, for channels that lay them out apart.

    `text` joins them into the words every channel gets.
    """

    answer: str
    sources: tuple[Source, ...]
    disclaimer: str
    # The one-line 988 reminder after crisis lines, if given.
    reminder: str | None = None

    @property
    def text(self) -> str:
        """The answer, "Sources: ...", the disclaimer and any reminder."""
        sources = "; ".join(
            f"{source.title} ({source.url})" if source.url else source.title
            for source in self.sources
        )
        text = f"{self.answer}\n\nSources: {sources}\n\n{self.disclaimer}"
        return f"{text}\n\n{self.reminder}" if self.reminder else text

    def to_json(self) -> dict[str, Any]:
        """The parts as JSON, as they travel with the bot message."""
        return {
            "answer": self.answer,
            "sources": [
                {"title": source.title, "url": source.url} for source in self.sources
            ],
            "disclaimer": self.disclaimer,
            "reminder": self.reminder,
        }


@dataclass(frozen=True)
class Reply:
    """One bot message: text, optional buttons, optional structured data.

    `parts` is set on a vetted answer: the pieces its text is made of.
    """

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    custom: dict[str, Any] | None = None
    parts: AnswerParts | None = None


def vetted_answer_reply(answer: VettedAnswer) -> Reply:
    """The answer, its sources and the disclaimer, in one message.

    The plain text carries everything, so even a channel that shows only text
    shows the sources and the disclaimer. The structured part lets the web
    widget link the sources and record feedback against the answer version;
    the parts let Slack lay the answer out without reading the text apart.
    """
    disclaimer = build_disclaimer()
    parts = AnswerParts(
        answer=answer.text, sources=answer.sources, disclaimer=disclaimer
    )
    return Reply(
        text=parts.text,
        parts=parts,
        buttons=[topic_button(topic) for topic in RELATED_TOPICS.get(answer.topic, ())],
        custom={
            "vetted_answer": {
                "topic": answer.topic,
                "version": answer.version,
                "reviewed_on": answer.reviewed_on.isoformat(),
                "sources": [
                    {"title": source.title, "url": source.url}
                    for source in answer.sources
                ],
                "disclaimer": disclaimer,
            }
        },
    )


def clarify_reply(candidate_topics: list[str]) -> Reply:
    """Asks the person to rephrase, offering up to three likely topics."""
    topics = [
        t for t in candidate_topics if t in TOPIC_TITLES and t not in UNLISTED_TOPICS
    ][:MAX_SUGGESTED_TOPICS]
    if topics:
        text = (
            "Sorry, I'm not sure what you're asking. Could you say it another "
            "way? Or did you mean one of these?"
        )
    else:
        topics = list(STARTER_TOPICS[:MAX_SUGGESTED_TOPICS])
        text = (
            "Sorry, I didn't understand that. Could you say it another way? "
            "You can also pick a topic:"
        )
    return Reply(text=text, buttons=[topic_button(topic) for topic in topics])


def capabilities_reply() -> Reply:
    """Lists every topic the bot can answer."""
    listing = "\n".join(
        f"- {title}"
        for topic, title in TOPIC_TITLES.items()
        if topic not in UNLISTED_TOPICS
    )
    return Reply(
        text=(
            "I'm an automated assistant with vetted, sourced answers about "
            "MDMA-assisted therapy. You can ask me about:\n"
            f"{listing}\n\nAsk in your own words, or pick a topic below."
        ),
        buttons=[topic_button(topic) for topic in STARTER_TOPICS],
    )


def out_of_scope_reply() -> Reply:
    """Says what the bot covers when a question is outside it."""
    return Reply(
        text=(
            "Sorry, I can't help with that. I only answer questions about "
            "MDMA-assisted therapy: what it is, how the treatment works, its "
            "safety and side effects, the research, and how people take part. "
            "Here are some places to start:"
        ),
        buttons=[topic_button(topic) for topic in STARTER_TOPICS],
    )


def empty_message_reply() -> Reply:
    """Answers a message with no words in it."""
    return Reply(
        text=(
            "I didn't get any words in that message. What would you like to "
            "know about MDMA-assisted therapy?"
        )
    )


def too_long_reply(limit: int) -> Reply:
    """Answers a message too long to read, without reading it."""
    return Reply(
        text=(
            f"That message is too long for me (over {limit} characters). Could "
            "you ask your question in a few sentences? If you are in crisis, "
            "call or text 988 (in the US), or call 911 in an emergency."
        )
    )


def answer_unavailable_reply() -> Reply:
    """Sent when no vetted answer can be read at all; never silence."""
    return Reply(
        text=(
            "Sorry, I can't get that answer right now. Please try again in a "
            "moment. If you are in crisis, call or text 988 (in the US), or "
            "call 911 in an emergency.\n\n" + build_disclaimer()
        )
    )
