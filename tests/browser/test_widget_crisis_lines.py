"""Help one tap away: the crisis lines as call and text links, and "Get help now".

The safety replies come from the real bot where a message reliably gets
them (the same messages as tests/e2e/test_crisis_paths.py); every safety
reply of domain.yml is also rendered from a mocked server, so a reply the
model is not asked for here is still checked word for word.
"""

from __future__ import annotations

import json
import re

import yaml
from playwright.sync_api import Page, expect

from bot.answers.safety_replies import CRISIS_REMINDER
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import (
    ask,
    deep_focus,
    let_injected_code_run,
    open_widget,
    question_box,
    sender_id,
    tab_to,
)
from tests.e2e.servers import ROOT
from tests.support.events import stored_events

DOMAIN_RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))[
    "responses"
]
SAFETY_RESPONSES = [
    "utter_crisis_help",
    "utter_crisis_help_es",
    "utter_helper_help",
    "utter_crisis_check_in",
    "utter_crisis_check_in_es",
    "utter_helper_help_es",
    "utter_crisis_reminder",
    "utter_emergency_help",
]
# Every address a crisis line link may have.
LINE_ADDRESSES = {
    "tel:988",
    "sms:988",
    "tel:911",
    "sms:838255",
    "sms:741741?body=HOME",
    "sms:988?body=AYUDA",
    "tel:18002221222",
}
# The numbers and text codes that must never be left as plain text.
LINE_NUMBERS = re.compile(r"\b(988|911|838255|741741|1-800-222-1222)\b")
# (accessible name, address) of the links in each reply, in order.
CRISIS_LINKS = [
    ("Call 988", "tel:988"),
    ("text 988", "sms:988"),
    ("dial 988", "tel:988"),
    ("text 838255", "sms:838255"),
    ("Text HOME to 741741", "sms:741741?body=HOME"),
    ("call 911", "tel:911"),
    # "En español: call 988 and press 2, or text AYUDA to 988."
    ("Call 988, then press 2", "tel:988"),
    ("text AYUDA to 988", "sms:988?body=AYUDA"),
    # "988 is also there if you are worried about someone else."
    ("Call 988", "tel:988"),
]
SPANISH_LINKS = [
    ("Llama al 988", "tel:988"),
    ("envía AYUDA por mensaje de texto al 988", "sms:988?body=AYUDA"),
    ("llama al 911", "tel:911"),
]
REMINDER_LINKS = [("Call 988", "tel:988"), ("text 988", "sms:988")]
HELP_LINKS = [
    ("Call 988", "tel:988"),
    ("Text 988", "sms:988"),
    ("Call 988, then press 1", "tel:988"),
    ("Text 838255", "sms:838255"),
    ("Text HOME to 741741", "sms:741741?body=HOME"),
    ("Call 911", "tel:911"),
    ("Call 1-800-222-1222", "tel:18002221222"),
    ("Llama al 988 y marca 2", "tel:988"),
    ("Envía AYUDA al 988", "sms:988?body=AYUDA"),
]
WEBHOOK = "/webhooks/widget/webhook"


def domain_text(name: str) -> str:
    [variant] = DOMAIN_RESPONSES[name]
    return variant["text"]


def link_names_and_addresses(page: Page, selector: str) -> list[tuple[str, str]]:
    """(accessible name, href) of every link inside the widget's `selector`."""
    pairs = page.evaluate(
        """(selector) => {
            const root = document.getElementById("mdma-faq-widget").shadowRoot;
            const scope = root.querySelector(selector);
            return [...scope.querySelectorAll("a")].map((a) => [
                a.getAttribute("aria-label") || a.textContent, a.getAttribute("href"),
            ]);
        }""",
        selector,
    )
    return [tuple(pair) for pair in pairs]


def unlinked_text(page: Page, selector: str) -> str:
    """The text inside `selector` that is not inside a link."""
    return page.evaluate(
        """(selector) => {
            const root = document.getElementById("mdma-faq-widget").shadowRoot;
            const scope = root.querySelector(selector);
            const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
            const parts = [];
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                if (!node.parentElement.closest("a")) parts.push(node.data);
            }
            return parts.join("|");
        }""",
        selector,
    )


def expect_links(scope, links: list[tuple[str, str]]) -> None:
    """Finds each link by its accessible name, as a screen reader would."""
    for name, address in links:
        link = scope.get_by_role("link", name=name, exact=True).first
        expect(link).to_have_attribute("href", address)


def test_crisis_replies_link_their_lines_and_the_reminder_follows(widget_bot, page):
    page.goto(widget_bot.widget_url)
    open_widget(page)

    crisis = ask(page, "i want to end my life")
    # The words are exactly the reply's; only numbers and codes became links.
    expect(crisis.locator(".text")).to_have_text(domain_text("utter_crisis_help"))
    entry = crisis.get_attribute("data-entry")
    assert link_names_and_addresses(page, f"[data-entry='{entry}']") == CRISIS_LINKS
    expect_links(crisis, CRISIS_LINKS)
    assert not LINE_NUMBERS.search(unlinked_text(page, f"[data-entry='{entry}'] .text"))

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-crisis-reply.png"))

    # Reachable with the keyboard, backwards from the question box.
    question_box(page).focus()
    tab_to(page, "Text HOME to 741741", key="Shift+Tab")
    tab_to(page, "Call 988", key="Shift+Tab")

    # The next answer ends with the 988 reminder, linked the same way.
    answer = ask(page, "what is mdma assisted therapy")
    expect(answer.locator(".disclaimer")).to_be_visible()
    tail = answer.locator(".answer-tail")
    expect(tail).to_have_text(CRISIS_REMINDER)
    expect_links(tail, REMINDER_LINKS)

    # A crisis in Spanish, in a new conversation: the Spanish lines.
    page.get_by_role("button", name="New conversation").click()
    spanish = ask(page, "ya no quiero vivir, no aguanto más")
    expect(spanish.locator(".text")).to_have_text(domain_text("utter_crisis_help_es"))
    entry = spanish.get_attribute("data-entry")
    assert link_names_and_addresses(page, f"[data-entry='{entry}']") == SPANISH_LINKS

    # After a reload, from the stored transcript: still links.
    page.reload()
    spanish = page.locator(f"[data-entry='{entry}']")
    expect_links(spanish, SPANISH_LINKS)
    assert page.dialogs == [] and page.errors == []


def _fulfil(route, replies) -> None:
    route.fulfill(
        status=200,
        content_type="application/json",
        headers={"Access-Control-Allow-Origin": "*"},
        body=json.dumps(replies),
    )


def test_every_safety_reply_has_each_number_linked(widget_bot, page):
    """Each safety reply of domain.yml, as the server sends it."""
    # As Rasa's REST channel sends them: text, and buttons where there are any.
    replies = [
        {"recipient_id": "x", **variant}
        for name in SAFETY_RESPONSES
        for variant in DOMAIN_RESPONSES[name]
    ]
    assert len(replies) == len(SAFETY_RESPONSES)
    # Words a compromised server could send: only the fixed lines are links.
    hostile = (
        'Call <a href="javascript:alert(1)">988</a> or tel:+19005550100 '
        "or sms:555?body=x, https://evil.example"
    )
    replies.append({"recipient_id": "x", "text": hostile})
    page.route(f"**{WEBHOOK}", lambda route: _fulfil(route, replies))
    page.goto(widget_bot.widget_url)
    open_widget(page)
    question_box(page).fill("show me every safety reply")
    question_box(page).press("Enter")
    messages = page.locator(".message.bot")
    expect(messages).to_have_count(len(replies))

    for index, name in enumerate(SAFETY_RESPONSES):
        message = messages.nth(index)
        expect(message.locator(".text")).to_have_text(domain_text(name))
        entry = message.get_attribute("data-entry")
        scope = f"[data-entry='{entry}'] .text"
        assert not LINE_NUMBERS.search(unlinked_text(page, scope)), name
        links = link_names_and_addresses(page, scope)
        assert links and {href for _, href in links} <= LINE_ADDRESSES, (name, links)
    emergency = messages.nth(SAFETY_RESPONSES.index("utter_emergency_help"))
    expect_links(
        emergency,
        [
            ("Call 911", "tel:911"),
            ("Call Poison Control, 1-800-222-1222", "tel:18002221222"),
            *REMINDER_LINKS,
        ],
    )
    # The check-in keeps its buttons next to its linked 988.
    check_in = messages.nth(SAFETY_RESPONSES.index("utter_crisis_check_in"))
    expect(check_in.get_by_role("button", name="Yes")).to_be_visible()
    expect_links(check_in, REMINDER_LINKS)

    hostile_message = messages.last
    expect(hostile_message.locator(".text")).to_have_text(hostile)
    entry = hostile_message.get_attribute("data-entry")
    assert link_names_and_addresses(page, f"[data-entry='{entry}']") == [
        ("Call 988", "tel:988")
    ]
    let_injected_code_run(page)
    assert page.dialogs == [] and page.errors == []


def _focus_place(page: Page) -> str:
    """Where focus is: inside the help dialog, elsewhere in the widget, or none."""
    return page.evaluate(
        """() => {
            const root = document.getElementById("mdma-faq-widget").shadowRoot;
            const el = root.activeElement;
            if (!el) return "none";
            return el.closest("dialog.help") ? "help" : "widget:" + el.className;
        }"""
    )


def test_get_help_now_shows_the_lines_without_sending_a_message(widget_bot, page):
    sent = []
    page.on(
        "request",
        lambda request: (
            sent.append(json.loads(request.post_data)["message"])
            if request.url.endswith(WEBHOOK) and request.method == "POST"
            else None
        ),
    )
    page.goto(widget_bot.widget_url)
    open_widget(page)
    ask(page, "what is mdma assisted therapy")
    sender = sender_id(page)

    help_button = page.get_by_role("button", name="Get help now")
    expect(help_button).to_have_attribute("aria-expanded", "false")
    help_button.click()
    dialog = page.get_by_role("dialog", name="Get help now")
    expect(dialog).to_be_visible()
    expect(help_button).to_have_attribute("aria-expanded", "true")
    # Focus moves into the dialog, to its title, so it is read from the start.
    expect(dialog.get_by_role("heading", name="Get help now")).to_be_focused()
    assert link_names_and_addresses(page, "dialog.help") == HELP_LINKS
    expect_links(dialog, HELP_LINKS)
    expect(dialog.locator("li[lang='es']")).to_contain_text("AYUDA")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-get-help-now.png"))

    # Tab reaches every line and the close button, and never leaves the
    # dialog for the chat behind it (focus may pass through the browser).
    reached = set()
    for _ in range(2 * len(HELP_LINKS) + 4):
        page.keyboard.press("Tab")
        place = _focus_place(page)
        assert place in ("help", "none"), place
        reached.add(deep_focus(page))
    assert {name for name, _ in HELP_LINKS} | {"Close"} <= reached

    # Escape closes the dialog, not the chat; focus goes back to the button.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(question_box(page)).to_be_visible()
    expect(help_button).to_be_focused()
    expect(help_button).to_have_attribute("aria-expanded", "false")
    # Enter opens it again; the close button closes it.
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(help_button).to_be_focused()

    # Nothing was sent: the next question is the second message the server
    # ever got from this visitor, on the network and in the tracker store.
    ask(page, "what are the side effects")
    assert sent == ["what is mdma assisted therapy", "what are the side effects"]
    events = stored_events(widget_bot.env["DATABASE_URL"], sender, channel="widget")
    said = [data.get("text") for kind, data in events if kind == "user"]
    assert said == sent
    assert page.dialogs == [] and page.errors == []


def test_get_help_now_fits_a_360_px_wide_screen(widget_bot, page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(widget_bot.widget_url)
    open_widget(page)
    page.get_by_role("button", name="Get help now").click()
    dialog = page.get_by_role("dialog", name="Get help now")
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    for name, _ in HELP_LINKS:
        link = dialog.get_by_role("link", name=name, exact=True)
        link.scroll_into_view_if_needed()
        target = link.bounding_box()
        # Big enough to tap (WCAG 2.5.5: 44 by 44 CSS pixels), on screen.
        assert target["height"] >= 44 and target["width"] >= 44, (name, target)
        assert target["x"] >= 0 and target["x"] + target["width"] <= 360, name
    # The close button stays on screen at the end of the list.
    expect(dialog.get_by_role("button", name="Close")).to_be_in_viewport()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-get-help-now-360px.png"))
