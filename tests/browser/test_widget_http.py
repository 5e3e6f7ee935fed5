"""The widget's HTTP side against the real servers: routes, errors, CORS."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from bot.content import read_content_file
from bot.disclaimer import build_disclaimer
from bot.settings import DEFAULT_CONTENT_FILE
from tests.browser.helpers import database


def _request(url: str, method: str = "GET", headers: dict | None = None):
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_vetted_answer_comes_whole_then_its_structured_part(widget_bot):
    status, body = widget_bot.post(
        "/webhooks/widget/webhook",
        {"sender": "http-1", "message": "is mdma therapy fda approved?"},
    )
    assert status == 200
    replies = json.loads(body)
    assert [sorted(reply) for reply in replies] == [
        ["recipient_id", "text"],
        ["custom", "recipient_id"],
    ]
    text = replies[0]["text"]
    assert "\n\nSources: " in text and text.endswith(build_disclaimer())
    vetted = replies[1]["custom"]["vetted_answer"]
    assert vetted["topic"] == "fda" and vetted["disclaimer"] == build_disclaimer()


def test_malformed_requests_get_400_and_a_json_error(widget_bot):
    for path in ("/webhooks/widget/webhook", "/webhooks/widget/feedback"):
        status, body = widget_bot.post(path, None, raw=b"{not json")
        assert status == 400, (path, body)
        assert "not valid JSON" in json.loads(body)["error"]
    status, body = widget_bot.post(
        "/webhooks/widget/feedback", {"sender": "http-2", "topic": "fda"}
    )
    assert status == 400
    assert json.loads(body)["problems"] == ["Missing field(s): version, helpful."]


def test_feedback_is_stored(widget_bot):
    # Feedback is taken only on an answer this conversation was sent.
    status, body = widget_bot.post(
        "/webhooks/widget/webhook",
        {"sender": "http-3", "message": "is mdma therapy safe?"},
    )
    assert status == 200, body
    sent = next(r["custom"]["vetted_answer"] for r in json.loads(body) if "custom" in r)
    version = next(
        a.version
        for a in read_content_file(DEFAULT_CONTENT_FILE)
        if a.topic == "safety"
    )
    assert (sent["topic"], sent["version"]) == ("safety", version)
    status, body = widget_bot.post(
        "/webhooks/widget/feedback",
        {"sender": "http-3", "topic": "safety", "version": version, "helpful": False},
    )
    assert status == 201, body
    row_id = json.loads(body)["id"]
    with database(widget_bot) as db:
        row = db.execute(
            "SELECT sender_id, topic, version, helpful FROM answer_feedback "
            "WHERE id = ?",
            (row_id,),
        ).fetchone()
    assert row == ("widget:http-3", "safety", version, 0)


def test_only_the_demo_page_origins_may_call_the_server(widget_bot):
    port = widget_bot.env["WIDGET_PORT"]
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    for origin in (f"http://localhost:{port}", f"http://127.0.0.1:{port}"):
        status, headers, _ = _request(
            widget_bot.rasa_url + "/webhooks/widget/feedback",
            "OPTIONS",
            {"Origin": origin, **preflight},
        )
        assert status == 200 and headers["Access-Control-Allow-Origin"] == origin
    _, headers, _ = _request(
        widget_bot.rasa_url + "/webhooks/widget/webhook",
        "OPTIONS",
        {"Origin": "https://evil.example", **preflight},
    )
    assert "Access-Control-Allow-Origin" not in headers


def test_widget_server_serves_its_files_and_nothing_else(widget_bot):
    base = f"http://127.0.0.1:{widget_bot.env['WIDGET_PORT']}"
    status, headers, page = _request(base + "/")
    assert status == 200
    rasa_port = widget_bot.env["RASA_PORT"]
    # The configured address (PUBLIC_URL, localhost by default), never the
    # Host header the request came with.
    assert f'data-server-url="http://localhost:{rasa_port}"' in page.decode()
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    for path, kind in (("/widget.js", "javascript"), ("/widget.css", "css")):
        status, headers, _ = _request(base + path)
        assert status == 200 and kind in headers["Content-Type"]
        assert headers["X-Content-Type-Options"] == "nosniff"
    for path in ("/server.py", "/../server.py", "/static/widget.js", "/%2e%2e/x"):
        status, _, _ = _request(base + path)
        assert status == 404, path
