"""One real bot for the end-to-end tests of a run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.servers import RunningBot, running_bot

# Set, rather than made by `serve`, so the tests can call the action server
# as the Rasa server does (tests/e2e/test_security.py).
ACTION_SERVER_TOKEN = "e2e-action-token-0123456789abcdef"


@pytest.fixture(scope="session")
def bot(tmp_path_factory) -> Iterator[RunningBot]:
    workdir = tmp_path_factory.mktemp("bot")
    with running_bot(workdir, {"ACTION_SERVER_TOKEN": ACTION_SERVER_TOKEN}) as started:
        yield started
