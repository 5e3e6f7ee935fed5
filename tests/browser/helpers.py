"""Shared steps of the browser tests: open the widget, ask, look inside it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.e2e.servers import RunningBot

LAUNCHER = "Questions? Chat with us"
DISCLAIMER_WORDS = "controlled clinical setting"


def launcher(page: Page) -> Locator:
    return page.get_by_role("button", name=LAUNCHER)


def question_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Your question")


def open_widget(page: Page) -> None:
    launcher(page).click()
    expect(question_box(page)).to_be_visible()


def ask(page: Page, question: str) -> Locator:
    """Types a question, presses Enter, and returns the bot's next message."""
    before = page.locator(".message.bot").count()
    box = question_box(page)
    box.fill(question)
    box.press("Enter")
    reply = page.locator(".message.bot").nth(before)
    expect(reply).to_be_visible()
    return reply


def sender_id(page: Page) -> str:
    return page.evaluate("() => window.mdmaFaqWidget.state.senderId")


def deep_focus(page: Page) -> str:
    """The accessible name of the focused element, inside the widget too."""
    return page.evaluate(
        """() => {
            let el = document.activeElement;
            while (el && el.shadowRoot && el.shadowRoot.activeElement) {
                el = el.shadowRoot.activeElement;
            }
            if (!el) return "";
            return el.getAttribute("aria-label") || el.textContent.trim()
                || el.getAttribute("placeholder") || el.tagName;
        }"""
    )


def tab_to(page: Page, name: str, key: str = "Tab", max_presses: int = 30) -> None:
    """Presses Tab (or `key`) until the element named `name` has focus."""
    for _ in range(max_presses):
        page.keyboard.press(key)
        if deep_focus(page) == name:
            return
    raise AssertionError(
        f"{key} never reached {name!r}; focus is on {deep_focus(page)!r}"
    )


def widget_elements(page: Page, selector: str) -> int:
    """How many elements inside the widget's shadow root match a selector."""
    return page.evaluate(
        """(selector) => {
            const host = document.getElementById("mdma-faq-widget");
            return host.shadowRoot.querySelectorAll(selector).length;
        }""",
        selector,
    )


def let_injected_code_run(page: Page, timeout_ms: float = 10_000) -> None:
    """Returns once markup injected so far would have run its handlers.

    Checks that nothing ran ("no dialog, no page error") need the page to
    have had its chance first. Instead of a fixed pause, the page loads a
    broken image of its own, at the address an injected `<img src=x
    onerror=...>` would load, after everything rendered so far; its error
    handler firing (waited for with a deadline), plus one more frame and
    task, is the sign that an injected one would have fired too.
    """
    page.evaluate(
        """() => {
            window.__probeFired = false;
            const probe = new Image();
            probe.onerror = () => requestAnimationFrame(
                () => setTimeout(() => { window.__probeFired = true; }, 0));
            probe.src = "x";
        }"""
    )
    page.wait_for_function("() => window.__probeFired === true", timeout=timeout_ms)


def database(bot: RunningBot) -> sqlite3.Connection:
    url = bot.env["DATABASE_URL"]
    assert url.startswith("sqlite:///"), url
    return sqlite3.connect(Path(url.removeprefix("sqlite:///")))
