"""The Slack channel's pure parts: formatting, signatures, repeats, incoming text."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
import yaml
from rasa.core.actions.action import create_bot_utterance
from rasa_sdk.executor import CollectingDispatcher

from actions.sending import send_reply
from bot.answers.safety_replies import CRISIS_REMINDER, with_crisis_reminder
from bot.content import Source, VettedAnswer
from bot.disclaimer import build_disclaimer
from bot.replies import (
    ANSWER_PARTS_KEY,
    answer_unavailable_reply,
    capabilities_reply,
    clarify_reply,
    vetted_answer_reply,
)
from bot.server.channels.slack import SlackOutput, answer_turn
from bot.server.channels.slack_format import (
    CRISIS_LINE_REPLIES,
    MAX_SECTION_CHARS,
    plain_text_from_slack,
    slack_messages,
    split_text,
    to_mrkdwn,
)
from bot.server.channels.slack_requests import (
    RecentKeys,
    event_keys,
    is_signature_valid,
    slack_signature,
)
from bot.server.channels.turns import WholeMessageCollector, reply_to_unusable_text
from bot.settings import load_settings
from bot.topics import STARTER_TOPICS, TOPIC_TITLES
from tests.training_data import ROOT

DOMAIN_RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))[
    "responses"
]


def bot_message(reply) -> dict:
    """A reply as Rasa hands it to an output channel (after actions/sending.py).

    The action sends it through rasa-sdk's dispatcher; Rasa drops its empty
    values (RemoteAction._utter_responses), makes it a BotUttered event and
    hands the channel the event's message.
    """
    dispatcher = CollectingDispatcher()
    send_reply(dispatcher, reply)
    [response] = dispatcher.messages
    return create_bot_utterance({k: v for k, v in response.items() if v}).message()


def vetted(vetted_answers: list[VettedAnswer], topic: str) -> VettedAnswer:
    return next(answer for answer in vetted_answers if answer.topic == topic)


# --- vetted answers -----------------------------------------------------------


def test_vetted_answer_is_one_message_with_answer_sources_and_disclaimer(
    vetted_answers,
):
    answer = vetted(vetted_answers, "fda")
    [post] = slack_messages(bot_message(vetted_answer_reply(answer)))
    blocks = post["blocks"]
    assert blocks[0]["type"] == "section"
    assert blocks[0]["text"]["text"] == to_mrkdwn(answer.text)
    sources = blocks[1]["text"]["text"]
    assert sources.startswith("*Sources:*\n")
    assert sources.count("• ") == len(answer.sources)
    assert blocks[-1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": build_disclaimer()}],
    }
    # The body does not repeat the sources or the disclaimer.
    assert "Sources:" not in blocks[0]["text"]["text"]
    assert build_disclaimer() not in blocks[0]["text"]["text"]
    # The text fallback is the full website text.
    assert build_disclaimer() in post["text"] and "Sources:" in post["text"]
    assert "vetted_answer" not in json.dumps(post)


def test_the_988_reminder_after_a_crisis_is_shown_under_the_answer(vetted_answers):
    answer = vetted(vetted_answers, "fda")
    reply = with_crisis_reminder(vetted_answer_reply(answer))
    [post] = slack_messages(bot_message(reply))
    blocks = post["blocks"]
    assert blocks[0]["text"]["text"] == to_mrkdwn(answer.text)
    assert [b["type"] for b in blocks[-2:]] == ["context", "section"]
    assert blocks[-1]["text"]["text"] == CRISIS_REMINDER
    assert post["text"].endswith(CRISIS_REMINDER)


def test_every_vetted_answer_fits_slack_limits(vetted_answers):
    for answer in vetted_answers:
        [post] = slack_messages(bot_message(vetted_answer_reply(answer)))
        assert len(post["blocks"]) <= 50
        for block in post["blocks"]:
            if block["type"] == "section":
                assert 0 < len(block["text"]["text"]) <= MAX_SECTION_CHARS
        # The disclaimer closes the answer; only topic buttons may follow.
        answer_blocks = [b for b in post["blocks"] if b["type"] != "actions"]
        assert answer_blocks[-1]["type"] == "context"
        last = "actions" if answer.topic == "not_covered" else "context"
        assert post["blocks"][-1]["type"] == last


def test_sources_with_urls_are_links_and_titles_are_escaped():
    answer = VettedAnswer(
        topic="safety",
        version=3,
        reviewed_on=__import__("datetime").date(2026, 1, 1),
        text="Risks & benefits: heart rate <20% higher.",
        sources=(
            Source(
                title="Trial A | phase 3 <final>", url="https://example.org/a?x=1&y=2"
            ),
            Source(title="Book B", url=None),
        ),
    )
    [post] = slack_messages(bot_message(vetted_answer_reply(answer)))
    body, sources = post["blocks"][0]["text"]["text"], post["blocks"][1]["text"]["text"]
    assert body == "Risks &amp; benefits: heart rate &lt;20% higher."
    assert (
        "• <https://example.org/a?x=1&amp;y=2|Trial A ¦ phase 3 &lt;final&gt;>"
        in sources
    )
    assert "• Book B" in sources


def test_the_layout_comes_from_the_answers_parts_not_from_its_text():
    # Words that reading the text apart would take for the sources, the
    # disclaimer or what follows it.
    disclaimer = build_disclaimer()
    answer = VettedAnswer(
        topic="fda",
        version=1,
        reviewed_on=__import__("datetime").date(2026, 1, 1),
        text=f"An answer.\n\nSources: quoted.\n\n{disclaimer}\n\nStill the answer.",
        sources=(Source(title="Trial A", url=None),),
    )
    message = bot_message(with_crisis_reminder(vetted_answer_reply(answer)))
    assert message[ANSWER_PARTS_KEY]["answer"] == answer.text
    [post] = slack_messages(message)
    blocks = post["blocks"]
    assert [b["type"] for b in blocks] == ["section", "section", "context", "section"]
    assert blocks[0]["text"]["text"] == to_mrkdwn(answer.text)
    assert blocks[1]["text"]["text"] == "*Sources:*\n• Trial A"
    assert blocks[2]["elements"][0]["text"] == disclaimer
    assert blocks[3]["text"]["text"] == CRISIS_REMINDER
    assert post["text"] == to_mrkdwn(message["text"])


@pytest.mark.parametrize("reminder", [False, True])
async def test_rest_and_widget_replies_do_not_carry_the_parts(vetted_answers, reminder):
    reply = vetted_answer_reply(vetted(vetted_answers, "fda"))
    reply = with_crisis_reminder(reply) if reminder else reply
    message = bot_message(reply)
    assert ANSWER_PARTS_KEY in message
    without = {k: v for k, v in message.items() if k != ANSWER_PARTS_KEY}
    collected = []
    for sent in (message, without):
        collector = WholeMessageCollector()
        await collector.send_response("web-1", dict(sent))
        collected.append(collector.messages)
    assert collected[0] == collected[1]
    text, custom = collected[0]
    assert text["text"] == reply.text and custom["custom"] == reply.custom
    assert not any(ANSWER_PARTS_KEY in m for m in collected[0])


def test_vetted_answer_always_shows_a_disclaimer_even_if_the_text_changes():
    message = {
        "text": "An answer in a new format.",
        "custom": {"vetted_answer": {"topic": "fda", "version": 1, "sources": []}},
    }
    [post] = slack_messages(message)
    assert post["blocks"][0]["text"]["text"] == "An answer in a new format."
    assert post["blocks"][-1]["elements"][0]["text"] == build_disclaimer()


def test_long_answers_are_split_into_blocks_without_losing_words():
    text = " ".join(f"word{i}" for i in range(2000))
    pieces = split_text(text)
    assert all(len(piece) <= MAX_SECTION_CHARS for piece in pieces)
    assert " ".join(pieces).split() == text.split()


# --- other replies ------------------------------------------------------------


def test_buttons_become_block_kit_buttons_with_their_payloads():
    reply = capabilities_reply()
    [post] = slack_messages(bot_message(reply))
    section, actions = post["blocks"]
    assert section["type"] == "section"
    assert section["text"]["type"] == "mrkdwn"
    assert "• " + TOPIC_TITLES["definition"] in section["text"]["text"]
    assert actions["type"] == "actions"
    assert [e["value"] for e in actions["elements"]] == [
        f"/faq_{topic}" for topic in STARTER_TOPICS
    ]
    assert [e["text"]["text"] for e in actions["elements"]] == [
        TOPIC_TITLES[topic] for topic in STARTER_TOPICS
    ]
    assert len({e["action_id"] for e in actions["elements"]}) == len(STARTER_TOPICS)
    assert post["text"].startswith("I'm an automated assistant")


def test_a_layout_past_a_block_kit_limit_is_sent_as_its_text():
    # slack_sdk's Block Kit models check the limits (a button URL is at most
    # 3000 characters); the text still carries the reply.
    url = "https://example.org/" + "x" * 3000
    [post] = slack_messages(
        {"text": "Read more:", "buttons": [{"title": "More", "url": url}]}
    )
    assert post == {"text": "Read more:"}
    image = "https://example.org/" + "y" * 3000
    assert slack_messages({"image": image}) == [{"text": image}]
    [post] = slack_messages({"image": "https://example.org/a.png"})
    assert post["blocks"] == [
        {
            "type": "image",
            "image_url": "https://example.org/a.png",
            "alt_text": "https://example.org/a.png",
        }
    ]


def test_clarify_reply_has_its_topic_buttons():
    [post] = slack_messages(bot_message(clarify_reply(["dose", "onset"])))
    values = [e["value"] for e in post["blocks"][-1]["elements"]]
    assert values == ["/faq_dose", "/faq_onset"]


def test_plain_text_is_one_escaped_message_even_with_paragraphs():
    crisis = (
        "I'm really sorry. Please reach out now:\n\n- Call or text 988, any time.\n\n"
        "- Text HOME to 741741.\n\n- If you are in danger right now, call 911."
    )
    [post] = slack_messages({"text": crisis})
    assert "blocks" not in post
    assert "988" in post["text"] and "741741" in post["text"] and "911" in post["text"]
    assert "• Call or text 988" in post["text"]
    [post] = slack_messages({"text": "a < b & c > d"})
    assert post["text"] == "a &lt; b &amp; c &gt; d"


# --- crisis replies ---------------------------------------------------------


def domain_text(name: str) -> str:
    [variant] = DOMAIN_RESPONSES[name]
    return variant["text"]


# Each reply's numbers and text codes, as they must appear in bold.
CRISIS_LINE_NUMBERS = {
    "utter_crisis_help": ["*988*", "*838255*", "*HOME*", "*741741*", "*911*"],
    "utter_crisis_help_es": ["*988*", "*AYUDA*", "*911*"],
    "utter_helper_help": ["*911*", "*988*", "*838255*"],
    "utter_helper_help_es": ["*911*", "*988*", "*AYUDA*"],
}


@pytest.mark.parametrize("name", sorted(CRISIS_LINE_NUMBERS))
def test_crisis_replies_are_one_section_per_line(name):
    text = domain_text(name)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    [post] = slack_messages({"text": text, "utter_action": name})
    blocks = post["blocks"]
    assert [block["type"] for block in blocks] == ["section"] * len(lines)
    sections = [block["text"]["text"] for block in blocks]
    for line, section in zip(lines, sections, strict=True):
        assert section.replace("*", "") == to_mrkdwn(line).replace("*", "")
        # A list item of the reply is a bullet, in the section of its own.
        assert section.startswith("• ") == line.startswith("- ")
    joined = "\n".join(sections)
    for number in CRISIS_LINE_NUMBERS[name]:
        assert number in joined, number
    # Nothing else is made bold or a link.
    assert "<" not in joined and "**" not in joined
    # Notifications and screen readers get the whole reply.
    assert post["text"] == to_mrkdwn(text)


def test_every_crisis_line_reply_is_laid_out():
    assert set(CRISIS_LINE_NUMBERS) == CRISIS_LINE_REPLIES
    assert CRISIS_LINE_REPLIES <= set(DOMAIN_RESPONSES)


def test_crisis_layout_follows_the_response_name_not_the_words():
    crisis = domain_text("utter_crisis_help")
    # The same words with no response name (or another one) stay one text.
    for message in ({"text": crisis}, {"text": crisis, "utter_action": "utter_greet"}):
        [post] = slack_messages(message)
        assert "blocks" not in post
    # Other words under the crisis reply's name are laid out as lines.
    [post] = slack_messages(
        {"text": "Opening.\n- One line\n- Another", "utter_action": "utter_crisis_help"}
    )
    assert [b["text"]["text"] for b in post["blocks"]] == [
        "Opening.",
        "• One line",
        "• Another",
    ]


def test_crisis_layout_escapes_the_text_and_keeps_buttons():
    [post] = slack_messages(
        {
            "text": "A <b>&</b> line\n- Call 911",
            "buttons": [{"title": "Ask later", "payload": "/faq_dose"}],
            "utter_action": "utter_helper_help",
        }
    )
    types = [block["type"] for block in post["blocks"]]
    assert types == ["section", "section", "actions"]
    assert post["blocks"][0]["text"]["text"] == "A &lt;b&gt;&amp;&lt;/b&gt; line"
    assert post["blocks"][1]["text"]["text"] == "• Call *911*"


def test_answer_unavailable_reply_keeps_its_disclaimer():
    [post] = slack_messages(bot_message(answer_unavailable_reply()))
    assert build_disclaimer() in post["text"] and "988" in post["text"]


def test_structured_custom_data_is_dropped_and_slack_payloads_pass():
    assert slack_messages({"custom": {"feedback": {"topic": "fda"}}}) == []
    blocks = [{"type": "divider"}]
    assert slack_messages({"custom": {"blocks": blocks, "channel": "C999"}}) == [
        {"blocks": blocks}
    ]


def test_empty_message_posts_nothing():
    assert slack_messages({"text": "", "buttons": None, "custom": None}) == []


async def test_output_channel_uses_the_configured_api_address():
    output = SlackOutput("xoxb-test", "D1", None, None, "http://127.0.0.1:9/api")
    assert output.client.base_url == "http://127.0.0.1:9/api/"
    default = SlackOutput("xoxb-test", "D1")
    assert default.client.base_url == "https://slack.com/api/"


class StubClient:
    """Stands in for slack_sdk's AsyncWebClient; fails with the given errors."""

    def __init__(self, errors=()) -> None:
        self.calls: list[dict] = []
        self.errors = list(errors)

    async def chat_postMessage(self, **arguments):  # noqa: N802 (Slack's name)
        from slack_sdk.errors import SlackApiError

        self.calls.append(arguments)
        if self.errors:
            raise SlackApiError("refused", {"ok": False, "error": self.errors.pop(0)})
        return {"ok": True}


async def test_replies_go_to_the_channel_and_thread_of_the_question(vetted_answers):
    output = SlackOutput("xoxb-test", "C1", "1700000000.000100")
    output.client = StubClient()
    reply = vetted_answer_reply(vetted(vetted_answers, "dose"))
    await output.send_response("U1_C1_1700000000.000100", bot_message(reply))
    [call] = output.client.calls
    assert call["channel"] == "C1" and call["thread_ts"] == "1700000000.000100"
    assert call["blocks"][-1]["type"] == "context"


async def test_refused_layout_is_resent_as_plain_text_with_the_disclaimer(
    vetted_answers,
):
    output = SlackOutput("xoxb-test", "D1")
    output.client = StubClient(errors=["invalid_blocks"])
    reply = vetted_answer_reply(vetted(vetted_answers, "dose"))
    await output.send_response("U1_D1", bot_message(reply))
    first, second = output.client.calls
    assert "blocks" in first and "blocks" not in second
    assert build_disclaimer() in second["text"] and "Sources:" in second["text"]
    assert "thread_ts" not in second


async def test_other_slack_errors_are_not_retried_as_text(vetted_answers):
    output = SlackOutput("xoxb-test", "C1", "1.2")
    output.client = StubClient(errors=["not_in_channel"])
    reply = vetted_answer_reply(vetted(vetted_answers, "dose"))
    await output.send_response("U1_C1_1.2", bot_message(reply))  # logged, no raise
    assert len(output.client.calls) == 1


async def test_rasa_text_calls_post_one_message():
    output = SlackOutput("xoxb-test", "D1")
    output.client = StubClient()
    await output.send_text_message("U1_D1", "First part.\n\nSecond part.")
    [call] = output.client.calls
    assert call["text"] == "First part.\n\nSecond part."
    await output.send_custom_json("U1_D1", {"vetted_answer": {"topic": "fda"}})
    assert len(output.client.calls) == 1


async def test_rasa_passes_the_response_name_to_the_crisis_layout():
    """Rasa's OutputChannel.send_response hands `utter_action` on as a kwarg."""
    output = SlackOutput("xoxb-test", "D1")
    output.client = StubClient()
    crisis = domain_text("utter_crisis_help")
    await output.send_text_message("U1_D1", crisis, utter_action="utter_crisis_help")
    await output.send_text_with_buttons(
        "U1_D1",
        domain_text("utter_helper_help"),
        [{"title": "Ask later", "payload": "/faq_dose"}],
        utter_action="utter_helper_help",
    )
    await output.send_text_message("U1_D1", crisis)
    crisis_post, helper_post, unnamed_post = output.client.calls
    paragraphs = [line for line in crisis.splitlines() if line.strip()]
    assert [b["type"] for b in crisis_post["blocks"]] == ["section"] * len(paragraphs)
    assert [b["type"] for b in helper_post["blocks"]][-1] == "actions"
    assert "blocks" not in unnamed_post


def turn(text: str):
    from rasa.core.channels.channel import UserMessage

    output = SlackOutput("xoxb-test", "D1")
    output.client = StubClient()
    return UserMessage(text, output, "U1_D1", input_channel="slack"), output


async def test_a_turn_with_a_reply_gets_no_apology():
    message, output = turn("what is mdma therapy?")

    async def bot(incoming):
        await incoming.output_channel.send_response("U1_D1", {"text": "An answer."})

    await answer_turn(bot, message, output)
    assert [call["text"] for call in output.client.calls] == ["An answer."]


@pytest.mark.parametrize("failure", ["silent", "raises"])
async def test_a_turn_without_a_reply_gets_the_apology_never_silence(failure):
    message, output = turn("what is mdma therapy?")

    async def bot(incoming):
        if failure == "raises":
            raise RuntimeError("action server down")

    await answer_turn(bot, message, output)
    [call] = output.client.calls
    assert "988" in call["text"] and build_disclaimer() in call["text"]


@pytest.mark.parametrize("kind", ["empty", "too long"])
async def test_unusable_text_gets_the_websites_polite_reply_without_the_bot(kind):
    limit = load_settings().max_message_chars
    text = "" if kind == "empty" else "x" * (limit + 1)
    message, output = turn(text)

    async def bot(incoming):
        raise AssertionError("the bot must not see this message")

    await answer_turn(bot, message, output)
    [call] = output.client.calls
    assert call["text"] == to_mrkdwn(reply_to_unusable_text(text, limit).text)


# --- signatures ---------------------------------------------------------------

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
# Slack's documented example request.
BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
    b"&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA"
    b"&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url="
    b"https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F"
    b"96rGlfmibIGlgcZRskXaIFfN&trigger_id="
    b"398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)


def test_signature_matches_slacks_documented_example():
    # https://api.slack.com/authentication/verifying-requests-from-slack
    assert slack_signature(SECRET, "1531420618", BODY) == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )
    # ... and agrees with slack_sdk's own verifier.
    from slack_sdk.signature import SignatureVerifier

    assert SignatureVerifier(SECRET).generate_signature(
        timestamp="1531420618", body=BODY
    ) == slack_signature(SECRET, "1531420618", BODY)


def test_valid_signature_is_accepted_within_five_minutes():
    sig = slack_signature(SECRET, "1531420618", BODY)
    assert is_signature_valid(SECRET, "1531420618", sig, BODY, now=1531420618 + 299)
    assert is_signature_valid(SECRET, "1531420618", sig, BODY, now=1531420618 - 299)


@pytest.mark.parametrize(
    ("secret", "timestamp", "signature", "body", "now"),
    [
        (SECRET, "1531420618", "v0=" + "0" * 64, BODY, 1531420618),  # wrong
        ("other", "1531420618", None, BODY, 1531420618),  # missing
        (SECRET, "1531420618", "", BODY, 1531420618),  # empty
        (SECRET, None, "sig", BODY, 1531420618),  # no timestamp
        (SECRET, "yesterday", "sig", BODY, 1531420618),  # not a number
        (SECRET, "1531420618", "sig", BODY, 1531420618 + 301),  # stale
        (SECRET, "1531420618", "sig", BODY, 1531420618 - 301),  # from the future
        ("", "1531420618", "sig", BODY, 1531420618),  # no secret configured
        (SECRET, "1531420618", "sig", BODY + b"&x=1", 1531420618),  # tampered
        (SECRET, "1531420618", "v0=é", BODY, 1531420618),  # not ASCII
    ],
)
def test_invalid_signatures_are_refused(secret, timestamp, signature, body, now):
    if signature == "sig":
        signature = slack_signature(SECRET, str(timestamp), BODY)
    assert not is_signature_valid(secret, timestamp, signature, body, now=now)


def test_a_body_that_is_not_utf8_or_a_blank_secret_is_refused_not_an_error():
    # Slack's bodies are UTF-8 and slack_sdk verifies over the text, so a
    # body that is not is refused even with an HMAC of its bytes.
    body = b"\xff\xfe{}"
    digest = hmac.new(SECRET.encode(), b"v0:1531420618:" + body, hashlib.sha256)
    signature = "v0=" + digest.hexdigest()
    assert not is_signature_valid(SECRET, "1531420618", signature, body, 1531420618)
    assert not is_signature_valid("  ", "1531420618", signature, BODY, 1531420618)


def test_channel_refuses_to_start_without_a_signing_secret():
    from rasa.shared.exceptions import InvalidConfigException

    from bot.server.channels.slack import SlackInput

    with pytest.raises(InvalidConfigException):
        SlackInput.from_credentials(
            {"slack_token": "xoxb-test", "slack_signing_secret": ""}
        )
    with pytest.raises(InvalidConfigException):
        SlackInput.from_credentials({"slack_token": "", "slack_signing_secret": "s"})
    channel = SlackInput.from_credentials(
        {
            "slack_token": " xoxb-test\n",
            "slack_signing_secret": "s ",
            "slack_channel": None,
        }
    )
    assert channel.slack_token == "xoxb-test" and channel.slack_signing_secret == "s"
    assert channel.name() == "slack"


# --- repeated events ----------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_repeats_are_spotted_until_they_expire():
    clock = Clock()
    recent = RecentKeys(ttl_seconds=60, max_entries=100, clock=clock)
    assert recent.check_and_remember(["event:1"]) is False
    assert recent.check_and_remember(["event:1"]) is True
    clock.now = 59
    assert recent.check_and_remember(["event:2", "event:1"]) is True
    clock.now = 59 + 61
    assert recent.check_and_remember(["event:1"]) is False
    assert len(recent) == 1


def test_memory_stays_bounded():
    recent = RecentKeys(ttl_seconds=3600, max_entries=3, clock=Clock())
    for key in "abcde":
        recent.check_and_remember([key])
    assert len(recent) == 3
    assert recent.check_and_remember(["a"]) is False  # forgotten, oldest first
    assert recent.check_and_remember(["e"]) is True


def test_a_mention_seen_as_message_and_app_mention_is_one_message():
    message = {
        "event_id": "Ev1",
        "event": {
            "type": "message",
            "client_msg_id": "m-1",
            "channel": "C1",
            "ts": "1.2",
        },
    }
    mention = {
        "event_id": "Ev2",
        "event": {
            "type": "app_mention",
            "client_msg_id": "m-1",
            "channel": "C1",
            "ts": "1.2",
        },
    }
    recent = RecentKeys()
    assert recent.check_and_remember(event_keys(message)) is False
    assert recent.check_and_remember(event_keys(mention)) is True
    assert event_keys(message) == ["event:Ev1", "message:m-1", "ts:C1:1.2"]


# --- incoming text ------------------------------------------------------------


@pytest.mark.parametrize(
    ("slack", "plain"),
    [
        ("<@U0BOT> what is mdma therapy?", "what is mdma therapy?"),
        ("what is it <@U0BOT|bot>", "what is it"),
        ("side effects &amp; risks &lt;3", "side effects & risks <3"),
        ("see <https://example.org|this page> please", "see this page please"),
        ("see <https://example.org>", "see https://example.org"),
        ("mail <mailto:a@b.org|a@b.org>", "mail a@b.org"),
        ("<!here> is it legal", "is it legal"),
        ("in <#C123|general> someone said", "in #general someone said"),
        ("<@U0BOT>   i want to kill myself", "i want to kill myself"),
        ("is it\x00 safe?\x07\nreally", "is it safe? really"),
    ],
)
def test_slack_markup_is_removed_from_what_people_write(slack, plain):
    assert plain_text_from_slack(slack) == plain
