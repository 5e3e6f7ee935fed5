"""A clinic visitor's whole visit: ask, pick a topic, reload, give feedback."""

from __future__ import annotations

import json
import shutil

from playwright.sync_api import expect

from bot.content import read_content_file
from bot.settings import DEFAULT_CONTENT_FILE
from bot.topics import TOPIC_TITLES
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import (
    DISCLAIMER_WORDS,
    ask,
    database,
    launcher,
    open_widget,
    question_box,
    sender_id,
)
from tests.e2e.servers import ROOT

ANSWERS = {answer.topic: answer for answer in read_content_file(DEFAULT_CONTENT_FILE)}
SCREENSHOT_FOR_README = ROOT / "docs" / "widget-screenshot.png"


def test_visitor_asks_picks_a_topic_reloads_and_gives_feedback(widget_bot, page):
    page.goto(widget_bot.widget_url)
    expect(launcher(page)).to_have_attribute("aria-expanded", "false")
    open_widget(page)

    # The notice on first open.
    notice = page.locator(".notice")
    expect(notice).to_contain_text("not medical advice")
    expect(notice).to_contain_text("call or text 988")
    expect(question_box(page)).to_be_focused()

    # A question, typed and sent with Enter: the answer, its sources, the
    # disclaimer.
    fda = ask(page, "is mdma therapy fda approved?")
    expect(page.locator(".message.user .text").first).to_have_text(
        "is mdma therapy fda approved?"
    )
    expect(fda.locator(".text")).to_have_text(ANSWERS["fda"].text)
    expect(fda.locator(".disclaimer")).to_contain_text(DISCLAIMER_WORDS)
    sources = fda.locator(".sources li")
    expect(sources).to_have_count(len(ANSWERS["fda"].sources))
    expect(sources.first).to_have_text(ANSWERS["fda"].sources[0].title)
    # These sources have no address: plain text, not links.
    expect(fda.locator(".sources a")).to_have_count(0)

    # Feedback on the answer, stored with its topic, version and sender.
    fda.get_by_role("button", name="Helpful", exact=True).click()
    expect(fda.locator(".feedback-status")).to_have_text("Thank you for your feedback.")
    expect(fda.get_by_role("button", name="Helpful", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    sender = sender_id(page)
    with database(widget_bot) as db:
        rows = db.execute(
            "SELECT sender_id, topic, version, helpful, created_at "
            "FROM answer_feedback WHERE sender_id = ?",
            (f"widget:{sender}",),
        ).fetchall()
    assert len(rows) == 1, rows
    assert rows[0][:4] == (f"widget:{sender}", "fda", ANSWERS["fda"].version, 1)
    assert rows[0][4]

    # The picture for the README: the end of the answer, its sources, the
    # disclaimer and the feedback buttons.
    page.evaluate(
        """() => {
            const root = document.getElementById("mdma-faq-widget").shadowRoot;
            const log = root.querySelector(".log");
            const answer = root.querySelector(".message.bot");
            log.scrollTop = answer.offsetTop + answer.offsetHeight
                - log.clientHeight + 12;
        }"""
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget.png"))
    shutil.copyfile(ARTIFACTS / "widget.png", SCREENSHOT_FOR_README)

    # An off-topic question gets topic buttons; a click sends the topic and
    # shows the button's title as the visitor's choice.
    declined = ask(page, "what's the weather in boston tomorrow")
    expect(declined).to_contain_text(
        "only answer questions about MDMA-assisted therapy"
    )
    expect(declined.locator(".sources")).to_have_count(0)
    expect(declined.locator(".feedback")).to_have_count(0)
    choice = TOPIC_TITLES["access"]
    declined.get_by_role("button", name=choice).click()
    expect(page.locator(".message.user .text").last).to_have_text(choice)
    access = page.locator(".message.bot").last
    expect(access.locator(".text")).to_have_text(ANSWERS["access"].text)
    expect(access.locator(".disclaimer")).to_contain_text(DISCLAIMER_WORDS)
    # Sources with an address are links that open safely in a new tab.
    links = access.locator(".sources a")
    with_url = [s for s in ANSWERS["access"].sources if s.url]
    expect(links).to_have_count(len(with_url))
    for link, source in zip(links.all(), with_url, strict=True):
        assert link.get_attribute("href") == source.url
        assert "noopener" in link.get_attribute("rel").split()
        assert link.get_attribute("target") == "_blank"

    # After a reload: same sender, same transcript, feedback still given.
    page.reload()
    expect(page.locator(".message.bot")).to_have_count(3)
    expect(page.locator(".message.user")).to_have_count(3)
    expect(page.locator(".message.bot").first.locator(".text")).to_have_text(
        ANSWERS["fda"].text
    )
    expect(page.locator(".message.user .text").last).to_have_text(choice)
    expect(page.locator(".message.bot").first.locator(".feedback-status")).to_have_text(
        "Thank you for your feedback."
    )
    assert sender_id(page) == sender
    # The conversation goes on with the same sender id at the Rasa server.
    ask(page, "what is mdma assisted therapy")
    with database(widget_bot) as db:
        channels = [
            json.loads(data).get("input_channel")
            for (data,) in db.execute(
                "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'",
                (f"widget:{sender}",),
            )
        ]
    assert len(channels) == 4 and set(channels) == {"widget"}, channels

    # "New conversation": a new sender id and an empty transcript.
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator(".message")).to_have_count(0)
    expect(page.locator(".notice")).to_have_count(1)
    assert sender_id(page) != sender
    page.reload()
    if launcher(page).is_visible():
        open_widget(page)
    expect(page.locator(".notice")).to_be_visible()
    expect(page.locator(".message")).to_have_count(0)

    assert page.dialogs == [] and page.errors == []
