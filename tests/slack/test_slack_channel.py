"""The Slack channel end to end: real servers, real Slack payloads, a fake Slack.

Each test talks to the bot as Slack would (signed Events API and
interactivity requests to /webhooks/slack/webhook) and checks what the bot
posted to the local fake of Slack's Web API. Every test uses its own user and
channel ids, so tests do not see each other's posts.

To check that something was NOT posted, a test sends a valid "probe" message
in the same conversation afterwards and waits for its answer: Rasa handles a
conversation's messages in order, so anything the earlier request had caused
would have been posted by then.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import yaml

from bot.answers.safety_replies import CRISIS_REMINDER
from bot.content import read_content_file
from bot.disclaimer import build_disclaimer
from bot.settings import DEFAULT_CONTENT_FILE, load_settings
from tests.e2e.servers import ROOT, RunningBot
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.slack.fake_slack import (
    BOT_USER_ID,
    ApiCall,
    FakeSlack,
    button_click,
    dm_event,
    event_callback,
    mention_event,
    new_id,
    signed_headers,
)

pytestmark = pytest.mark.e2e

WEBHOOK = "/webhooks/slack/webhook"
NAUGHTY_STRINGS = ROOT.parent / "shared" / "data" / "naughty-strings" / "blns.json"
ANSWERS = {answer.topic: answer for answer in read_content_file(DEFAULT_CONTENT_FILE)}
FDA_QUESTION = "is mdma therapy approved by the fda yet?"
SIDE_EFFECTS_QUESTION = "what are the side effects"


def escaped(text: str) -> str:
    """Text as it appears in a Slack message (mrkdwn-escaped)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def answer_text(topic: str) -> str:
    return escaped(ANSWERS[topic].text)


def send(
    bot: RunningBot,
    payload: dict,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    extra: dict[str, str] | None = None,
) -> tuple[int, str]:
    body = json.dumps(payload).encode("utf-8")
    return bot.post(
        WEBHOOK,
        None,
        raw=body,
        headers=signed_headers(secret, body, timestamp=timestamp, extra=extra),
    )


def click(bot: RunningBot, body: bytes) -> tuple[int, str]:
    return bot.post(
        WEBHOOK,
        None,
        raw=body,
        headers=signed_headers(
            SIGNING_SECRET, body, content_type="application/x-www-form-urlencoded"
        ),
    )


def containing(posts: list[ApiCall], needle: str) -> list[ApiCall]:
    return [post for post in posts if needle in post.all_text()]


def assert_vetted_answer_post(post: ApiCall, topic: str) -> None:
    """A vetted answer as one Slack message: answer, sources, disclaimer."""
    answer = ANSWERS[topic]
    blocks = post.blocks
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert answer_text(topic) in "\n".join(sections)
    sources = next(s for s in sections if s.startswith("*Sources:*"))
    for source in answer.sources:
        title = escaped(source.title)
        assert (f"<{source.url}|" in sources) if source.url else (title in sources)
    context = [
        e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]
    ]
    assert escaped(build_disclaimer()) in context
    # The plain text (notifications, screen readers) carries everything too.
    assert escaped(build_disclaimer()) in post.arguments["text"]
    assert "Sources:" in post.arguments["text"]


def assert_no_raw_json(posts: list[ApiCall]) -> None:
    for post in posts:
        assert "vetted_answer" not in post.arguments
        assert "vetted_answer" not in json.dumps(post.arguments)


def test_launcher_turned_slack_on_without_writing_secrets(slack_bot: RunningBot):
    assert "Slack channel: on" in slack_bot.log()
    credentials = (Path(slack_bot.env["RUN_DIR"]) / "credentials.yml").read_text()
    assert "bot.server.channels.slack.SlackInput:" in credentials
    assert "${SLACK_TOKEN}" in credentials and "${SLACK_SIGNING_SECRET}" in credentials
    assert SIGNING_SECRET not in credentials and BOT_TOKEN not in credentials


def test_url_verification_challenge_is_answered(slack_bot: RunningBot):
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    payload = {"token": "unused", "challenge": challenge, "type": "url_verification"}
    status, body = send(slack_bot, payload)
    assert status == 200
    assert json.loads(body) == {"challenge": challenge}
    # Unsigned, it is refused like anything else.
    raw = json.dumps(payload).encode()
    status, _ = slack_bot.post(WEBHOOK, None, raw=raw)
    assert status == 401


def test_direct_message_gets_the_answer_with_sources_and_disclaimer(
    slack_bot: RunningBot, slack_api: FakeSlack
):
    user, channel = new_id("U"), new_id("D")
    status, _ = send(slack_bot, event_callback(dm_event(user, channel, FDA_QUESTION)))
    assert status == 200
    posts = slack_api.wait_for_text(channel, answer_text("fda"))
    [answer] = containing(posts, answer_text("fda"))
    assert answer.thread_ts is None  # a DM is answered in the DM, not a thread
    assert answer.authorization == f"Bearer {BOT_TOKEN}"
    assert_vetted_answer_post(answer, "fda")
    assert_no_raw_json(slack_api.posts(channel))


def test_mention_in_a_channel_is_answered_in_its_thread(
    slack_bot: RunningBot, slack_api: FakeSlack
):
    user, channel = new_id("U"), new_id("C")
    event = mention_event(user, channel, SIDE_EFFECTS_QUESTION)
    status, _ = send(slack_bot, event_callback(event))
    assert status == 200
    posts = slack_api.wait_for_text(channel, answer_text("side_effects"))
    [answer] = containing(posts, answer_text("side_effects"))
    assert answer.thread_ts == event["ts"]
    assert_vetted_answer_post(answer, "side_effects")
    assert_no_raw_json(slack_api.posts(channel))


def _button_value(post: ApiCall, payload: str) -> str:
    values = [
        e.get("value")
        for b in post.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["type"] == "button"
    ]
    assert payload in values, values
    return payload


def test_topic_button_click_gets_the_answer(
    slack_bot: RunningBot, slack_api: FakeSlack
):
    user, channel = new_id("U"), new_id("D")
    send(slack_bot, event_callback(dm_event(user, channel, "what can you do")))
    posts = slack_api.wait_for_posts(
        channel, lambda ps: any(b["type"] == "actions" for p in ps for b in p.blocks)
    )
    menu = next(p for p in posts if any(b["type"] == "actions" for b in p.blocks))
    value = _button_value(menu, "/faq_safety")
    status, _ = click(
        slack_bot, button_click(user, channel, value, message_ts="1700000000.000100")
    )
    assert status == 200
    posts = slack_api.wait_for_text(channel, answer_text("safety"))
    [answer] = containing(posts, answer_text("safety"))
    assert answer.thread_ts is None
    assert_vetted_answer_post(answer, "safety")


def test_button_click_in_a_thread_is_answered_in_that_thread(
    slack_bot: RunningBot, slack_api: FakeSlack
):
    user, channel = new_id("U"), new_id("C")
    event = mention_event(user, channel, "what can you do")
    send(slack_bot, event_callback(event))
    posts = slack_api.wait_for_posts(
        channel, lambda ps: any(b["type"] == "actions" for p in ps for b in p.blocks)
    )
    menu = next(p for p in posts if any(b["type"] == "actions" for b in p.blocks))
    assert menu.thread_ts == event["ts"]
    value = _button_value(menu, "/faq_fda")
    body = button_click(
        user, channel, value, message_ts="1700000000.000200", thread_ts=event["ts"]
    )
    assert click(slack_bot, body)[0] == 200
    posts = slack_api.wait_for_text(channel, answer_text("fda"))
    [answer] = containing(posts, answer_text("fda"))
    assert answer.thread_ts == event["ts"]


def test_crisis_message_gets_the_crisis_reply_and_no_faq_content(
    slack_bot: RunningBot, slack_api: FakeSlack
):
    user, channel = new_id("U"), new_id("D")
    send(slack_bot, event_callback(dm_event(user, channel, "i want to kill myself")))
    slack_api.wait_for_text(channel, "988")
    # Probe: after a crisis reply, a greeting gets the crisis lines once more.
    send(slack_bot, event_callback(dm_event(user, channel, "hello")))
    posts = slack_api.wait_for_text(channel, "glad you're still here")
    crisis_turn = posts[: posts.index(containing(posts, "glad you're still here")[0])]
    # One message, with every crisis line in it (not split per paragraph).
    [crisis] = crisis_turn
    text = crisis.all_text()
    assert "988" in text and "838255" in text and "741741" in text and "911" in text
    for post in posts:
        assert "Sources:" not in post.all_text()
        assert escaped(build_disclaimer()) not in post.all_text()
        assert not any(b["type"] == "actions" for b in post.blocks)
    assert_no_raw_json(posts)


# Messages that get each of the replies laid out one line per section (the
# same wording as tests/e2e/test_crisis_paths.py), and the reply's opening.
CRISIS_LINE_MESSAGES = {
    "utter_crisis_help": "i want to end my life",
    "utter_crisis_help_es": "ya no quiero vivir, no aguanto más",
    "utter_helper_help": (
        "my dad keeps talking about his pistol and saying we'd all be better off"
    ),
}
DOMAIN_RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))[
    "responses"
]


@pytest.mark.parametrize("response", sorted(CRISIS_LINE_MESSAGES))
def test_crisis_replies_are_posted_as_one_section_per_line(
    slack_bot: RunningBot, slack_api: FakeSlack, response: str
):
    [variant] = DOMAIN_RESPONSES[response]
    lines = [line.strip() for line in variant["text"].split("\n") if line.strip()]
    user, channel = new_id("U"), new_id("D")
    message = CRISIS_LINE_MESSAGES[response]
    send(slack_bot, event_callback(dm_event(user, channel, message)))
    opening = escaped(lines[0])
    posts = slack_api.wait_for_text(channel, opening)
    [post] = containing(posts, opening)
    assert [block["type"] for block in post.blocks] == ["section"] * len(lines)
    sections = [block["text"]["text"] for block in post.blocks]
    for line, section in zip(lines, sections, strict=True):
        # The line's words, a list item as a bullet, its numbers in bold.
        bullet = "• " if line.startswith("- ") else ""
        assert section.replace("*", "") == bullet + escaped(line.removeprefix("- "))
    numbers = re.findall(r"\b(988|911|838255|741741|HOME|AYUDA)\b", variant["text"])
    assert numbers
    for number in numbers:
        assert f"*{number}*" in "\n".join(sections), number
    # The message text (notifications, screen readers) is the whole reply.
    assert post.arguments["text"].startswith(opening)
    assert "Sources:" not in post.all_text()


def test_an_answer_after_a_crisis_shows_the_988_reminder(
    slack_bot: RunningBot, slack_api: FakeSlack
):
    user, channel = new_id("U"), new_id("D")
    send(slack_bot, event_callback(dm_event(user, channel, "i want to end my life")))
    slack_api.wait_for_text(channel, "741741")
    send(slack_bot, event_callback(dm_event(user, channel, FDA_QUESTION)))
    posts = slack_api.wait_for_text(channel, answer_text("fda"))
    [answer] = containing(posts, answer_text("fda"))
    assert_vetted_answer_post(answer, "fda")
    # Shown under the answer, not only in the notification text.
    assert answer.blocks[-1] == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": CRISIS_REMINDER},
    }


def test_a_retried_event_is_answered_once(slack_bot: RunningBot, slack_api: FakeSlack):
    user, channel = new_id("U"), new_id("D")
    payload = event_callback(dm_event(user, channel, FDA_QUESTION))
    assert send(slack_bot, payload)[0] == 200
    # Slack thought the first delivery timed out and sends it again at once.
    started = time.monotonic()
    status, _ = send(
        slack_bot,
        payload,
        extra={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert status == 200 and time.monotonic() - started < 5
    slack_api.wait_for_text(channel, answer_text("fda"))
    # ... and again later, for a reason Rasa's own connector would not drop.
    status, _ = send(
        slack_bot,
        payload,
        extra={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"},
    )
    assert status == 200
    send(slack_bot, event_callback(dm_event(user, channel, SIDE_EFFECTS_QUESTION)))
    posts = slack_api.wait_for_text(channel, answer_text("side_effects"))
    assert len(containing(posts, answer_text("fda"))) == 1


@pytest.mark.parametrize(
    "case",
    [
        "wrong secret",
        "no signature",
        "stale timestamp",
        "future timestamp",
        "tampered body",
    ],
)
def test_unauthentic_requests_are_rejected_and_never_answered(
    slack_bot: RunningBot, slack_api: FakeSlack, case: str
):
    user, channel = new_id("U"), new_id("D")
    payload = event_callback(dm_event(user, channel, SIDE_EFFECTS_QUESTION))
    body = json.dumps(payload).encode()
    if case == "wrong secret":
        status, _ = send(slack_bot, payload, secret="not-the-secret")
    elif case == "no signature":
        status, _ = slack_bot.post(WEBHOOK, None, raw=body)
    elif case == "stale timestamp":
        status, _ = send(slack_bot, payload, timestamp=int(time.time()) - 6 * 60)
    elif case == "future timestamp":
        status, _ = send(slack_bot, payload, timestamp=int(time.time()) + 6 * 60)
    else:
        headers = signed_headers(SIGNING_SECRET, body)
        forged = body.replace(b"side effects", b"side-effects")
        status, _ = slack_bot.post(WEBHOOK, None, raw=forged, headers=headers)
    assert status in (401, 403)
    # The same event, properly signed, is then answered once: a forged
    # request neither reached the bot nor marked the event as seen.
    assert send(slack_bot, payload)[0] == 200
    send(slack_bot, event_callback(dm_event(user, channel, FDA_QUESTION)))
    posts = slack_api.wait_for_text(channel, answer_text("fda"))
    assert len(containing(posts, answer_text("side_effects"))) == 1


def test_unsigned_button_click_is_rejected(slack_bot: RunningBot, slack_api: FakeSlack):
    user, channel = new_id("U"), new_id("D")
    body = button_click(user, channel, "/faq_dose", message_ts="1700000000.000300")
    status, _ = slack_bot.post(
        WEBHOOK,
        None,
        raw=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 401
    send(slack_bot, event_callback(dm_event(user, channel, FDA_QUESTION)))
    posts = slack_api.wait_for_text(channel, answer_text("fda"))
    assert not containing(posts, answer_text("dose"))


def test_bot_messages_are_ignored(slack_bot: RunningBot, slack_api: FakeSlack):
    user, channel = new_id("U"), new_id("D")
    from_a_bot = dm_event("U0OTHERBOT", channel, SIDE_EFFECTS_QUESTION)
    from_a_bot.update(bot_id="B0OTHERBOT")  # another app's bot user
    legacy_bot = dm_event("", channel, SIDE_EFFECTS_QUESTION)
    legacy_bot.pop("user")
    legacy_bot.update(subtype="bot_message", bot_id="B0LEGACY", username="legacy")
    own = dm_event(BOT_USER_ID, channel, SIDE_EFFECTS_QUESTION)
    edited = dm_event(user, channel, SIDE_EFFECTS_QUESTION)
    edited.update(subtype="message_changed")
    for event in (from_a_bot, legacy_bot, own, edited):
        assert send(slack_bot, event_callback(event))[0] == 200
    send(slack_bot, event_callback(dm_event(user, channel, FDA_QUESTION)))
    posts = slack_api.wait_for_text(channel, answer_text("fda"))
    assert not containing(posts, answer_text("side_effects"))


def test_unusable_messages_get_the_websites_polite_replies(
    slack_bot: RunningBot, slack_api: FakeSlack
):
    user, channel = new_id("U"), new_id("D")
    limit = load_settings(slack_bot.env).max_message_chars
    long_text = "please tell me about mdma therapy " * (limit // 30 + 1)
    send(slack_bot, event_callback(dm_event(user, channel, long_text)))
    [reply] = slack_api.wait_for_text(channel, "too long for me")
    assert "988" in reply.all_text() and reply.thread_ts is None
    room = new_id("C")
    event = mention_event(user, room, "")  # just "@bot"
    send(slack_bot, event_callback(event))
    [reply] = slack_api.wait_for_text(room, "didn't get any words")
    assert reply.thread_ts == event["ts"]


def test_no_secret_in_the_log(slack_bot: RunningBot):
    log = slack_bot.log()
    assert SIGNING_SECRET not in log
    assert BOT_TOKEN not in log


def test_malformed_requests_get_a_clear_400(slack_bot: RunningBot):
    signed_bodies = [
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (json.dumps({"type": "event_callback"}).encode(), "application/json"),
        (b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),
    ]
    for body, content_type in signed_bodies:
        status, reply = slack_bot.post(
            WEBHOOK,
            None,
            raw=body,
            headers=signed_headers(SIGNING_SECRET, body, content_type=content_type),
        )
        assert status == 400, body
        assert json.loads(reply)["error"], body


def test_every_naughty_string_gets_a_reply_in_slack(
    slack_bot: RunningBot, slack_api: FakeSlack
):
    strings = json.loads(NAUGHTY_STRINGS.read_text(encoding="utf-8"))
    # Slack never delivers an empty message; a 100 KB one it can.
    texts = [text for text in strings if text.strip()] + ["why " * 25_000]
    user = new_id("U")
    channels = []
    for text in texts:
        channel = new_id("D")
        status, _ = send(
            slack_bot, event_callback(dm_event(user, channel, escaped(text)))
        )
        assert status == 200
        channels.append(channel)
    unanswered = []
    for text, channel in zip(texts, channels, strict=True):
        try:
            slack_api.wait_for_posts(
                channel, lambda posts: any(p.all_text().strip() for p in posts), 120
            )
        except AssertionError:
            unanswered.append(text[:40])
    assert unanswered == []
    assert len(texts) > 480


def test_slack_conversations_are_kept_apart_and_slash_text_is_plain_text(
    slack_bot: RunningBot, slack_api: FakeSlack
):
    from tests.support.events import stored_events

    user, channel = new_id("U"), new_id("D")
    typed = "/help I am Jane Roe, call 415-555-0199"
    status, _ = send(slack_bot, event_callback(dm_event(user, channel, typed)))
    assert status == 200
    slack_api.wait_for_posts(channel, lambda posts: len(posts) >= 1)
    send(slack_bot, event_callback(dm_event(user, channel, "/faq_access")))
    slack_api.wait_for_text(channel, answer_text("access"))
    # Stored as a Slack conversation, never under an id another channel can
    # use. Rasa stores the turn just after posting its reply: poll.
    deadline = time.monotonic() + 30
    while True:
        events = stored_events(
            slack_bot.env["DATABASE_URL"], f"{user}_{channel}", channel="slack"
        )
        users = [data for kind, data in events if kind == "user"]
        if len(users) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(users) == 2, users
    assert users[0]["text"].startswith("help I am ")  # ordinary text
    assert users[1]["parse_data"]["intent"]["name"] == "faq_access"
    # Ids that are not Slack's are refused before they name a conversation.
    status, body = send(
        slack_bot, event_callback(dm_event("U1 jane@example.org", channel, "hi"))
    )
    assert status == 400 and json.loads(body)["error"]
