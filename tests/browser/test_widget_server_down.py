"""When the Rasa server is down the widget says so, and recovers after."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import ask, open_widget, question_box
from tests.e2e.servers import wait_for_url

RESTART_TIMEOUT_SECONDS = 240


def test_unreachable_server_is_reported_and_retry_works_after_restart(widget_bot, page):
    page.goto(widget_bot.widget_url)
    open_widget(page)
    ask(page, "what is mdma")

    stopped = widget_bot.supervisorctl("stop", "rasa")
    try:
        assert "stopped" in stopped, stopped
        box = question_box(page)
        box.fill("is mdma therapy fda approved?")
        box.press("Enter")
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("can't reach the assistant")
        expect(alert).to_contain_text("988")
        retry = alert.get_by_role("button", name="Try again")
        expect(retry).to_be_visible()
        # The crisis line in the message is a link, and "Get help now" needs
        # no server.
        expect(alert.get_by_role("link", name="Call 988")).to_have_attribute(
            "href", "tel:988"
        )
        page.get_by_role("button", name="Get help now").click()
        help_dialog = page.get_by_role("dialog", name="Get help now")
        expect(help_dialog.get_by_role("link", name="Text 988")).to_have_attribute(
            "href", "sms:988"
        )
        page.keyboard.press("Escape")
        expect(help_dialog).to_be_hidden()
        # The question stays in the transcript, once.
        expect(page.locator(".message.user .text")).to_have_text(
            ["what is mdma", "is mdma therapy fda approved?"]
        )
        # Retrying while the server is still down says so again.
        retry.click()
        expect(page.get_by_role("alert")).to_contain_text("can't reach the assistant")
        # The failure survives a reload, with its retry button.
        page.reload()
        expect(
            page.get_by_role("alert").get_by_role("button", name="Try again")
        ).to_be_visible()
    finally:
        started = widget_bot.supervisorctl("start", "rasa")
        wait_for_url(widget_bot.rasa_url + "/", RESTART_TIMEOUT_SECONDS)
    assert "started" in started, started

    page.get_by_role("alert").get_by_role("button", name="Try again").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    answer = page.locator(".message.bot").last
    expect(answer.locator(".disclaimer")).to_contain_text("controlled clinical setting")
    expect(page.locator(".message.user .text")).to_have_text(
        ["what is mdma", "is mdma therapy fda approved?"]
    )
    # And a new question works as usual.
    reply = ask(page, "what are the side effects")
    expect(reply.locator(".sources li").first).to_be_visible()
    assert page.dialogs == []
