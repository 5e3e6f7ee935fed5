"""Slack formatting: mrkdwn text and Block Kit blocks for the bot's replies.

Blocks are built with slack_sdk's Block Kit models. A vetted answer is laid
out from its parts (`bot.replies.AnswerParts`, which travel with the bot
message under `ANSWER_PARTS_KEY`), never by reading its text apart.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    ImageBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.disclaimer import build_disclaimer
from bot.replies import ANSWER_PARTS_KEY

logger = logging.getLogger(__name__)

# Block Kit limits (https://api.slack.com/reference/block-kit).
MAX_SECTION_CHARS = 3000
MAX_BUTTON_TITLE_CHARS = 75
MAX_BUTTON_VALUE_CHARS = 2000
MAX_ACTIONS_PER_BLOCK = 25
MAX_BLOCKS = 50
# Safety replies laid out one line per section (crisis_line_blocks). They are
# recognised by the domain response Rasa names in `utter_action`, never by
# their words, so rewording a reply cannot change how it is shown.
CRISIS_LINE_REPLIES = frozenset(
    {
        "utter_crisis_help",
        "utter_crisis_help_es",
        "utter_helper_help",
        "utter_helper_help_es",
    }
)
# chat.postMessage arguments a custom payload may set (not the channel).
SLACK_KEYS = frozenset(
    {"text", "blocks", "attachments", "mrkdwn", "unfurl_links", "unfurl_media"}
)


_USER_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_CHANNEL_LINK = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([^>|]*)(?:\|([^>]*))?>")
_LINK = re.compile(r"<([^<>|@#!][^<>|]*)(?:\|([^<>]*))?>")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# The crisis lines' numbers and text codes, shown in bold.
_LINE_NUMBER = re.compile(
    r"(?<![\w*])(988|911|838255|741741|1-800-222-1222|HOME|AYUDA)(?![\w*])"
)


def plain_text_from_slack(text: str) -> str:
    """Return what a person wrote, without Slack's markup.

    Mentions (of the bot or anyone) are dropped, links and channel names
    become their labels, and Slack's `&amp;`, `&lt;`, `&gt;` are decoded, so
    the NLU and the crisis check see the words as typed.
    """
    text = _USER_MENTION.sub(" ", text)
    text = _CHANNEL_LINK.sub(lambda m: f"#{m.group(1)}" if m.group(1) else " ", text)
    text = _SPECIAL.sub(lambda m: m.group(2) or " ", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1).removeprefix("mailto:"), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = _CONTROL_CHARACTERS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------------------
# Outgoing messages


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack's mrkdwn gives a meaning to."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str) -> str:
    """Plain reply text as Slack mrkdwn: escaped, with "- " items as bullets."""
    lines = escape_mrkdwn(text.strip()).split("\n")
    return "\n".join(
        "• " + line.lstrip()[2:] if line.lstrip().startswith("- ") else line
        for line in lines
    )


def split_text(text: str, limit: int = MAX_SECTION_CHARS) -> list[str]:
    """Split text into pieces of at most `limit` characters.

    Splits at a paragraph break, else a line break, else a space, so a long
    answer fills several blocks without losing a word.
    """
    pieces = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _section_blocks(mrkdwn: str) -> list[Block]:
    return [
        SectionBlock(text=MarkdownTextObject(text=piece))
        for piece in split_text(mrkdwn)
    ]


def crisis_line_blocks(text: str) -> list[Block]:
    """Lay out a crisis reply as one section per line, numbers in bold.

    The opening, each line (a "- " item, shown as a bullet) and the closing
    each get their own section, so every number stands on its own line in
    every Slack client. The numbers are plain text, not `tel:`/`sms:` links:
    Slack's formatting reference covers links to web and mailto addresses,
    not `tel:` or `sms:`, and a link that does nothing when tapped is worse
    than a number a person can read.

    Args:
        text: The reply's text as written in domain.yml.

    Returns:
        Block Kit section blocks, in the order of the reply's lines.

    """
    blocks: list[Block] = []
    for line in text.strip().split("\n"):
        if line.strip():
            blocks.extend(_section_blocks(_LINE_NUMBER.sub(r"*\1*", to_mrkdwn(line))))
    return blocks


def _link(title: str, url: str | None) -> str:
    label = escape_mrkdwn(title.strip()).replace("|", "¦")
    if not url:
        return label
    return f"<{escape_mrkdwn(url.strip()).replace('|', '%7C')}|{label}>"


def _disclaimer_block(disclaimer: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=escape_mrkdwn(disclaimer))])


def vetted_answer_blocks(parts: dict[str, Any]) -> list[Block]:
    """Build the blocks of a vetted answer from its parts.

    Args:
        parts: The answer's `AnswerParts.to_json()`: `answer`, `sources`,
            `disclaimer` and `reminder`.

    Returns:
        The answer; "*Sources:*" with links; the disclaimer as a context
        block, always there; and the 988 reminder, if any, last.

    """
    disclaimer = str(parts.get("disclaimer") or build_disclaimer())
    blocks = _section_blocks(to_mrkdwn(str(parts.get("answer") or "")))
    sources = [
        source
        for source in parts.get("sources") or []
        if isinstance(source, dict) and str(source.get("title") or "").strip()
    ]
    if sources:
        listing = "\n".join(
            "• " + _link(str(source["title"]), source.get("url")) for source in sources
        )
        blocks.extend(_section_blocks(f"*Sources:*\n{listing}"))
    blocks.append(_disclaimer_block(disclaimer))
    reminder = str(parts.get("reminder") or "").strip()
    if reminder:
        blocks.extend(_section_blocks(to_mrkdwn(reminder)))
    return blocks


def _button(index: int, button: dict[str, Any]) -> ButtonElement | None:
    title = str(button.get("title") or "").strip()
    if not title:
        return None
    if len(title) > MAX_BUTTON_TITLE_CHARS:
        title = title[: MAX_BUTTON_TITLE_CHARS - 1] + "…"
    text = PlainTextObject(text=title, emoji=True)
    action_id = f"rasa_button_{index}"
    if button.get("url"):
        return ButtonElement(text=text, action_id=action_id, url=str(button["url"]))
    if button.get("payload"):
        value = str(button["payload"])[:MAX_BUTTON_VALUE_CHARS]
        return ButtonElement(text=text, action_id=action_id, value=value)
    return None


def button_blocks(buttons: list[dict[str, Any]]) -> list[Block]:
    """Turn Rasa buttons into Block Kit `actions` blocks."""
    elements = [
        element
        for element in (_button(index, button) for index, button in enumerate(buttons))
        if element
    ]
    return [
        ActionsBlock(elements=elements[start : start + MAX_ACTIONS_PER_BLOCK])
        for start in range(0, len(elements), MAX_ACTIONS_PER_BLOCK)
    ]


def _as_dicts(blocks: list[Block]) -> list[dict[str, Any]] | None:
    """The blocks as chat.postMessage takes them; None if Slack would refuse one.

    slack_sdk checks Block Kit's limits here. Past them the text alone, which
    carries the whole reply, is sent, as when Slack refuses a layout.
    """
    try:
        return [block.to_dict() for block in blocks]
    except SlackObjectFormationError as error:
        logger.warning("A reply's blocks break a Block Kit limit (%s).", error)
        return None


def slack_messages(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Build the chat.postMessage arguments (all but channel) for a message.

    Args:
        message: A bot message as Rasa hands it to an output channel (`text`,
            `buttons`, `custom`, `image`, `attachment`; `utter_action` when it
            is a domain response; `ANSWER_PARTS_KEY` when it is a vetted
            answer).

    Returns:
        Usually one message. Its `text` carries the whole reply (the
        notification and screen-reader fallback); `blocks` lay it out.

    """
    text = str(message.get("text") or "").strip()
    buttons = [b for b in message.get("buttons") or [] if isinstance(b, dict)]
    custom = message.get("custom")
    vetted = custom.get("vetted_answer") if isinstance(custom, dict) else None
    parts = message.get(ANSWER_PARTS_KEY)
    posts: list[dict[str, Any]] = []

    blocks: list[Block] = []
    if isinstance(parts, dict) and text:
        blocks = vetted_answer_blocks(parts)
    elif isinstance(vetted, dict) and text:
        # A vetted answer without its parts (from an action server older
        # than this channel): its text as it is, and the disclaimer always.
        blocks = [
            *_section_blocks(to_mrkdwn(text)),
            _disclaimer_block(str(vetted.get("disclaimer") or build_disclaimer())),
        ]
    elif text and message.get("utter_action") in CRISIS_LINE_REPLIES:
        blocks = crisis_line_blocks(text)
    elif text and buttons:
        blocks = _section_blocks(to_mrkdwn(text))
    if buttons:
        blocks.extend(button_blocks(buttons))
    if text or blocks:
        post: dict[str, Any] = {"text": to_mrkdwn(text) if text else " "}
        # Past Slack's block limit the text alone, which carries everything
        # (sources and disclaimer too), is safer than a cut-off layout.
        laid_out = _as_dicts(blocks) if blocks and len(blocks) <= MAX_BLOCKS else None
        if laid_out:
            post["blocks"] = laid_out
        posts.append(post)

    if isinstance(custom, dict) and not vetted:
        # A custom payload meant for Slack (blocks or text) goes out as it is;
        # anything else is structured data for other channels and is dropped.
        if custom.get("blocks") or custom.get("text") or custom.get("attachments"):
            posts.append(
                {key: value for key, value in custom.items() if key in SLACK_KEYS}
            )
        else:
            logger.debug("Dropped a custom payload with keys %s", sorted(custom))
    if message.get("image"):
        image = str(message["image"])
        post = {"text": image}
        laid_out = _as_dicts([ImageBlock(image_url=image, alt_text=image)])
        if laid_out:
            post["blocks"] = laid_out
        posts.append(post)
    if isinstance(message.get("attachment"), dict):
        posts.append({"text": " ", "attachments": [message["attachment"]]})
    return posts


def plain_fallback(post: dict[str, Any]) -> dict[str, Any] | None:
    """Return the message without blocks, if it has text worth sending."""
    text = str(post.get("text") or "").strip()
    return {"text": text} if text and post.get("blocks") else None
