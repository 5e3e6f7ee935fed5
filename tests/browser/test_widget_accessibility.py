"""Keyboard alone, a 360 px wide screen, labels, live region and contrast."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import (
    LAUNCHER,
    launcher,
    open_widget,
    question_box,
    tab_to,
)


def _focus_ring(page) -> str:
    return page.evaluate(
        """() => {
            let el = document.activeElement;
            while (el.shadowRoot && el.shadowRoot.activeElement) {
                el = el.shadowRoot.activeElement;
            }
            const style = getComputedStyle(el);
            return style.outlineStyle + " " + style.outlineWidth;
        }"""
    )


def test_keyboard_alone_opens_sends_and_closes(widget_bot, page):
    page.goto(widget_bot.widget_url)
    tab_to(page, LAUNCHER)
    assert _focus_ring(page) == "solid 3px"  # visible focus
    page.keyboard.press("Enter")
    expect(question_box(page)).to_be_focused()
    page.keyboard.type("what are the side effects")
    page.keyboard.press("Enter")
    answer = page.locator(".message.bot").first
    expect(answer.locator(".disclaimer")).to_contain_text("controlled clinical setting")
    # Feedback and the source links are reachable by keyboard too.
    tab_to(page, "Helpful", key="Shift+Tab")
    assert _focus_ring(page) == "solid 3px"
    page.keyboard.press("Enter")
    expect(answer.locator(".feedback-status")).to_have_text(
        "Thank you for your feedback."
    )
    tab_to(page, "Close chat", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(question_box(page)).to_be_hidden()
    expect(launcher(page)).to_be_focused()
    expect(launcher(page)).to_have_attribute("aria-expanded", "false")
    # Escape closes too.
    page.keyboard.press("Enter")
    expect(question_box(page)).to_be_focused()
    page.keyboard.press("Escape")
    expect(question_box(page)).to_be_hidden()
    expect(launcher(page)).to_be_focused()


def test_labels_live_region_and_contrast(widget_bot, page):
    page.goto(widget_bot.widget_url)
    open_widget(page)
    expect(
        page.get_by_role("dialog", name="Questions about MDMA-assisted therapy")
    ).to_be_visible()
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    for name in ("Get help now", "New conversation", "Close chat", "Send"):
        expect(page.get_by_role("button", name=name)).to_be_visible()
    ask_box = question_box(page)
    ask_box.fill("what are the side effects")
    ask_box.press("Enter")
    expect(log.locator(".message.bot .feedback")).to_have_count(1)
    ratios = page.evaluate(
        """() => {
            const root = document.getElementById("mdma-faq-widget").shadowRoot;
            const rgb = (value) => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
            const lum = (c) => {
                const [r, g, b] = c.map((v) => {
                    v /= 255;
                    return v <= 0.03928
                        ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
                });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
            };
            const ratio = (a, b) => {
                const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
                return (x + 0.05) / (y + 0.05);
            };
            const background = (el) => {
                for (; el; el = el.parentElement) {
                    const bg = getComputedStyle(el).backgroundColor;
                    if (bg !== "rgba(0, 0, 0, 0)") return rgb(bg);
                }
                return [255, 255, 255];
            };
            const out = {};
            for (const selector of [".title", ".header-button", ".notice p",
                                    ".message.user .text", ".message.bot .text",
                                    ".disclaimer", ".feedback-button", ".send",
                                    ".feedback-question", ".input", ".help-button",
                                    ".line-link", ".help-title", ".help-close",
                                    ".help-intro", ".help-line-name",
                                    ".help-line-detail", ".help-link",
                                    ".help-outside"]) {
                const el = root.querySelector(selector);
                if (!el) { out[selector] = 0; continue; }
                out[selector] = ratio(rgb(getComputedStyle(el).color), background(el));
            }
            return out;
        }"""
    )
    low = {selector: round(r, 2) for selector, r in ratios.items() if r < 4.5}
    assert not low, f"contrast below 4.5:1: {low}"


def test_works_on_a_360_px_wide_screen(widget_bot, page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(widget_bot.widget_url)
    box = launcher(page).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    open_widget(page)
    panel = page.get_by_role("dialog").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 360, panel
    for name in ("Get help now", "New conversation", "Close chat", "Send"):
        button = page.get_by_role("button", name=name).bounding_box()
        assert 0 <= button["x"] and button["x"] + button["width"] <= 360, (name, button)
    ask_box = question_box(page)
    ask_box.fill("what is mdma assisted therapy")
    ask_box.press("Enter")
    answer = page.locator(".message.bot").first
    expect(answer.locator(".disclaimer")).to_be_visible()
    overflow = page.evaluate(
        """() => {
            const root = document.getElementById("mdma-faq-widget").shadowRoot;
            const log = root.querySelector(".log");
            return log.scrollWidth - log.clientWidth;
        }"""
    )
    assert overflow <= 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-360px.png"))


def _page_with_widget(page, widget_bot, attributes: str) -> None:
    """A clinic page of our own, embedding the widget with one tag."""
    base = f"http://localhost:{widget_bot.env['WIDGET_PORT']}"
    server = f"http://localhost:{widget_bot.env['RASA_PORT']}"
    html = (
        "<!doctype html><html lang=en><title>Clinic</title><body><h1>Clinic</h1>"
        f'<script src="{base}/widget.js" data-server-url="{server}" {attributes}>'
        "</script></body></html>"
    )
    page.route(
        f"{base}/clinic.html",
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )
    page.goto(f"{base}/clinic.html")


def _launcher_colours(page) -> list[str]:
    style = launcher(page).evaluate(
        "(el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]"
    )
    return style


def test_site_colours_and_title_are_used_when_readable(widget_bot, page):
    _page_with_widget(
        page,
        widget_bot,
        'data-title="Ask Example Clinic" data-accent-color="#5a1f79" '
        'data-accent-text-color="#ffffff"',
    )
    expect(launcher(page)).to_be_visible()
    assert _launcher_colours(page) == ["rgb(90, 31, 121)", "rgb(255, 255, 255)"]
    open_widget(page)
    expect(page.get_by_role("dialog", name="Ask Example Clinic")).to_be_visible()


def test_unreadable_or_invalid_colours_fall_back_to_the_defaults(widget_bot, page):
    for attributes in (
        'data-accent-color="#ffff00" data-accent-text-color="#ffffff"',
        'data-accent-color="red; background: url(x)"',
    ):
        _page_with_widget(page, widget_bot, attributes)
        expect(launcher(page)).to_be_visible()
        assert _launcher_colours(page) == ["rgb(31, 78, 121)", "rgb(255, 255, 255)"]
