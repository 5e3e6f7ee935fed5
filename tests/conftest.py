"""Shared pytest set-up: what tests of several suites use, started once per run.

- `agent`: the trained model (story and NLU tests).
- `slack_api` and `shared_bot`: the fake Slack Web API and the one real bot
  the e2e, Slack and browser tests share (tests/support/shared_bot.py).
- At the end: bots still stopping are waited for, and the measured figures
  are printed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.measurements import MEASUREMENTS


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


@pytest.fixture(scope="session")
def shared_bot(tmp_path_factory, slack_api) -> Iterator:
    """The real bot of the e2e, Slack and browser tests, started once per run."""
    from tests.e2e.servers import running_bot
    from tests.support.shared_bot import shared_bot_settings

    workdir = tmp_path_factory.mktemp("shared-bot")
    with running_bot(workdir, shared_bot_settings(slack_api)) as started:
        yield started


def pytest_sessionfinish(session):
    from tests.e2e.servers import wait_for_background_stops

    wait_for_background_stops()


def pytest_terminal_summary(terminalreporter):
    if not MEASUREMENTS:
        return
    terminalreporter.section("measured")
    for name, value in MEASUREMENTS.items():
        terminalreporter.write_line(f"{name}: {value}")
