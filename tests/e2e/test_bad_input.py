"""Bad input over the real REST and widget channels: a polite reply or a clear error.

The widget's path (`/webhooks/widget/webhook`) gets the same checks as the
REST channel's. Slack's are in tests/slack.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.training_data import ROOT

PATHS = ("/webhooks/rest/webhook", "/webhooks/widget/webhook")

NAUGHTY_STRINGS = ROOT.parent / "shared" / "data" / "naughty-strings" / "blns.json"


@pytest.mark.parametrize("path", PATHS)
def test_malformed_json_and_missing_fields_get_clear_400(bot, path):
    for raw in [b"{not json", b"[]", b'{"message": "hi"}', b'{"sender": "a"}']:
        status, body = bot.post(path, None, raw=raw)
        assert status == 400, raw
        assert json.loads(body)["error"], raw


def test_empty_message_gets_a_polite_reply(bot):
    replies = bot.send("   ", sender="bad-input-empty")
    assert "didn't get any words" in replies[0]["text"]


@pytest.mark.parametrize("path", PATHS)
def test_100_kb_message_gets_a_short_too_long_reply(bot, path):
    status, body = bot.post(
        path, {"sender": "bad-input-huge", "message": "why " * 25_000}, timeout=10
    )
    assert status == 200
    replies = json.loads(body)
    assert "too long" in replies[0]["text"]
    assert len(replies[0]["text"]) < 300


@pytest.mark.parametrize("path", PATHS)
def test_every_naughty_string_gets_a_polite_reply_and_the_server_lives(bot, path):
    strings = json.loads(NAUGHTY_STRINGS.read_text(encoding="utf-8"))
    assert len(strings) >= 500
    failures = []
    for number, text in enumerate(strings):
        status, body = bot.post(
            path, {"sender": f"naughty-{number % 20}", "message": text}
        )
        replies = json.loads(body) if status == 200 else []
        if (
            status != 200
            or not replies
            or not any(r.get("text", "").strip() for r in replies)
        ):
            failures.append((number, text[:40], status))
    assert failures == []
    with urllib.request.urlopen(bot.rasa_url + "/", timeout=5) as response:
        assert response.status == 200
