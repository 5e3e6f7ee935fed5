"""What the bot and the visitor write is shown as text, and nothing runs."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.browser.helpers import (
    ask,
    let_injected_code_run,
    open_widget,
    question_box,
    widget_elements,
)

ATTACK = "<img src=x onerror=alert(1)>"


def test_html_in_a_message_is_shown_as_text_and_runs_nothing(widget_bot, page):
    page.goto(widget_bot.widget_url)
    open_widget(page)
    reply = ask(page, ATTACK)
    expect(page.locator(".message.user .text")).to_have_text(ATTACK)
    expect(reply).to_contain_text("Sorry")
    let_injected_code_run(page)  # an onerror handler would have fired by now
    assert widget_elements(page, "img") == 0
    assert page.locator("img").count() == 0
    assert page.dialogs == [] and page.errors == []
    # Restored from storage after a reload: still text.
    page.reload()
    expect(page.locator(".message.user .text")).to_have_text(ATTACK)
    let_injected_code_run(page)
    assert widget_elements(page, "img") == 0
    assert page.dialogs == []


def _fulfil(route, replies):
    route.fulfill(
        status=200,
        content_type="application/json",
        headers={"Access-Control-Allow-Origin": "*"},
        body=json.dumps(replies),
    )


def test_bot_content_is_text_and_only_http_links_are_links(widget_bot, page):
    """Replies a compromised server could send: markup, script addresses."""
    pending = []
    page.route("**/webhooks/widget/webhook", lambda route: pending.append(route))
    page.goto(widget_bot.widget_url)
    open_widget(page)
    question_box(page).fill("tell me about sources")
    question_box(page).press("Enter")

    # The typing indicator shows while the reply is on its way.
    typing = page.get_by_role("status").filter(has_text="The assistant is typing")
    expect(typing).to_be_visible()
    for _ in range(100):
        if pending:
            break
        page.wait_for_timeout(50)
    assert len(pending) == 1
    sent = json.loads(pending[0].request.post_data)
    assert sent == {
        "sender": page.evaluate("window.mdmaFaqWidget.state.senderId"),
        "message": "tell me about sources",
    }
    _fulfil(
        pending[0],
        [
            {
                "recipient_id": "x",
                "text": "<b>Bold?</b> <script>alert(2)</script>"
                "\n\nSources: x\n\nDisclaimer here.",
            },
            {
                "recipient_id": "x",
                "custom": {
                    "vetted_answer": {
                        "topic": "safety",
                        "version": 3,
                        "reviewed_on": "2026-01-01",
                        "disclaimer": "Disclaimer here.",
                        "sources": [
                            {"title": "Script link", "url": "javascript:alert(3)"},
                            {
                                "title": "Data link",
                                "url": "data:text/html,<script>alert(4)</script>",
                            },
                            {"title": "Good link", "url": "https://example.org/study"},
                            {"title": "<i>No address</i>", "url": None},
                        ],
                    }
                },
            },
            {
                "recipient_id": "x",
                "text": "Pick one",
                "buttons": [{"title": "<u>Safety</u>", "payload": "/faq_safety"}],
            },
        ],
    )
    expect(typing).to_be_hidden()
    answer = page.locator(".message.bot").first
    expect(answer.locator(".text")).to_have_text(
        "<b>Bold?</b> <script>alert(2)</script>"
    )
    expect(answer.locator(".disclaimer")).to_have_text("Disclaimer here.")
    links = answer.locator(".sources a")
    expect(links).to_have_count(1)
    expect(links).to_have_attribute("href", "https://example.org/study")
    expect(links).to_have_attribute("rel", "noopener noreferrer")
    expect(links).to_have_attribute("target", "_blank")
    items = answer.locator(".sources li")
    expect(items).to_have_text(
        [
            "Script link",
            "Data link",
            "Good link (opens in a new tab)",
            "<i>No address</i>",
        ]
    )
    expect(page.get_by_role("button", name="<u>Safety</u>")).to_be_visible()
    for tag in ("b", "script", "i", "u", "img", "iframe"):
        assert widget_elements(page, f".log {tag}") == 0, tag
    let_injected_code_run(page)
    assert page.dialogs == [] and page.errors == []


def test_an_empty_reply_is_never_silent(widget_bot, page):
    page.route("**/webhooks/widget/webhook", lambda route: _fulfil(route, []))
    page.goto(widget_bot.widget_url)
    open_widget(page)
    question_box(page).fill("hello?")
    question_box(page).press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("didn't answer")
    expect(alert).to_contain_text("988")
    expect(alert.get_by_role("button", name="Try again")).to_be_visible()
