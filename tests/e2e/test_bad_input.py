"""Bad input over the real REST channel: a polite reply or a clear error."""

from __future__ import annotations

import json
import urllib.request

from tests.training_data import ROOT

NAUGHTY_STRINGS = ROOT.parent / "shared" / "data" / "naughty-strings" / "blns.json"


def test_malformed_json_and_missing_fields_get_clear_400(bot):
    for raw in [b"{not json", b"[]", b'{"message": "hi"}', b'{"sender": "a"}']:
        status, body = bot.post("/webhooks/rest/webhook", None, raw=raw)
        assert status == 400, raw
        assert json.loads(body)["error"], raw


def test_empty_message_gets_a_polite_reply(bot):
    replies = bot.send("   ", sender="bad-input-empty")
    assert "didn't get any words" in replies[0]["text"]


def test_100_kb_message_gets_a_short_too_long_reply(bot):
    replies = bot.send("why " * 25_000, sender="bad-input-huge", timeout=10)
    assert "too long" in replies[0]["text"]
    assert len(replies[0]["text"]) < 300


def test_every_naughty_string_gets_a_polite_reply_and_the_server_lives(bot):
    strings = json.loads(NAUGHTY_STRINGS.read_text(encoding="utf-8"))
    assert len(strings) >= 500
    failures = []
    for number, text in enumerate(strings):
        status, body = bot.post(
            "/webhooks/rest/webhook",
            {"sender": f"naughty-{number % 20}", "message": text},
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
