"""Shared pytest set-up: what tests of several suites use, started once per run.

- `agent`: the trained model (story and NLU tests).
- `slack_api` and `shared_bot`: the fake Slack Web API and the one real bot
  the e2e, Slack and browser tests share (tests/support/shared_bot.py).
- At the end: bots still stopping are waited for, the time spent in each
  test folder is recorded when `make test` runs several in one process
  (scripts/test_times.py), and the measured figures are printed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.measurements import MEASUREMENTS

# Seconds spent in each test folder's tests (set-up, call, tear-down).
_folder_seconds: dict[str, float] = {}


@pytest.fixture(scope="session")
def agent():
    """The trained model, loaded once for every test of the run that needs it."""
    from tests.support.model import ModelMissing, load_agent

    try:
        return load_agent()
    except ModelMissing as missing:
        pytest.fail(str(missing))


@pytest.fixture(scope="session")
def slack_api():
    """The fake Slack Web API (tests/slack/fake_slack.py) on loopback."""
    from tests.slack.fake_slack import fake_slack

    with fake_slack() as fake:
        yield fake


def pytest_configure(config):
    # Here rather than in pyproject.toml, whose change reinstalls the
    # environment and retrains the model.
    config.addinivalue_line(
        "markers",
        "own_bot(**settings): the test gets a bot of its own with these "
        "settings (tests/e2e/conftest.py)",
    )


# The shared bot while it runs; stopped once the last test using it is done.
_running_shared_bots: list = []


@pytest.fixture(scope="session")
def shared_bot(tmp_path_factory, slack_api) -> Iterator:
    """The real bot of the e2e, Slack and browser tests, started once per run."""
    from tests.e2e.servers import start_bot
    from tests.support.shared_bot import shared_bot_settings

    workdir = tmp_path_factory.mktemp("shared-bot")
    started = start_bot(workdir, shared_bot_settings(slack_api))
    _running_shared_bots.append(started)
    yield started
    _stop_shared_bot()


def _stop_shared_bot() -> None:
    from tests.e2e.servers import stop_in_background

    while _running_shared_bots:
        stop_in_background(_running_shared_bots.pop())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # The tests after the last one that uses the shared bot (faults, privacy,
    # scale in one process) run while it stops, instead of the run waiting
    # for it at the very end.
    if _running_shared_bots and not any(
        "shared_bot" in later.fixturenames for later in _items_after(item)
    ):
        _stop_shared_bot()


def _items_after(item) -> list:
    items = item.session.items
    return items[items.index(item) + 1 :]


def pytest_runtest_logreport(report):
    parts = report.nodeid.split("/")
    folder = parts[1] if len(parts) > 2 and parts[0] == "tests" else parts[0]
    _folder_seconds[folder] = _folder_seconds.get(folder, 0.0) + report.duration


def pytest_sessionfinish(session):
    from tests.e2e.servers import wait_for_background_stops

    wait_for_background_stops()
    part = os.environ.get("TEST_PART")
    if part and len(_folder_seconds) > 1:
        from scripts.test_times import record

        for folder, seconds in _folder_seconds.items():
            record(folder, seconds, parent=part)


def pytest_terminal_summary(terminalreporter):
    if not MEASUREMENTS:
        return
    terminalreporter.section("measured")
    for name, value in MEASUREMENTS.items():
        terminalreporter.write_line(f"{name}: {value}")
