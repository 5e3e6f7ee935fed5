"""Fixtures for the browser tests: the real bot, and Debian's Chromium.

The bot is the run's shared bot (tests/conftest.py), started exactly as
`make run` starts it (tests/e2e/servers.py), widget demo page included.
Chromium is driven by Playwright with the system browser (/usr/bin/chromium);
no browser is ever downloaded.
Each test gets a fresh browser profile, so a fresh localStorage.

`make test-browser` sets BROWSER_TESTS_REQUIRED=1: a missing Playwright or
Chromium then fails the run instead of skipping these tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.servers import ROOT, RunningBot, wait_for_url

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
# Replies of the real bot take a second or two; the first one longer.
EXPECT_TIMEOUT_MS = 30_000


def _unavailable(reason: str) -> None:
    if os.environ.get("BROWSER_TESTS_REQUIRED") == "1":
        pytest.fail(f"{reason} Run `make browser-deps`.")
    pytest.skip(reason)


# Package scope: Playwright's event loop must be gone before other tests of
# the same run (async unit tests) start their own.
@pytest.fixture(scope="package")
def playwright():
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed.")
    if not CHROMIUM.is_file():
        _unavailable(f"Chromium was not found at {CHROMIUM}.")
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="package")
def widget_bot(playwright, shared_bot: RunningBot) -> RunningBot:
    """The run's shared bot (tests/conftest.py) with its widget demo page;
    `widget_url` is the page."""
    port = shared_bot.env["WIDGET_PORT"]
    wait_for_url(f"http://127.0.0.1:{port}/health", 60)
    # The address `make run` prints.
    shared_bot.widget_url = f"http://localhost:{port}/"
    return shared_bot


@pytest.fixture
def context(playwright, tmp_path):
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1000, "height": 760},
    )
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    yield context
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.browser_test_failed = report.failed


@pytest.fixture
def page(context, request):
    """A page that records dialogs (and dismisses them) and page errors."""
    page = context.pages[0] if context.pages else context.new_page()
    page.dialogs = []
    page.errors = []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    if getattr(request.node, "browser_test_failed", False):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}.png"))
