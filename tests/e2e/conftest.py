"""One real bot for the end-to-end tests of a run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.servers import RunningBot, running_bot


@pytest.fixture(scope="session")
def bot(tmp_path_factory) -> Iterator[RunningBot]:
    with running_bot(tmp_path_factory.mktemp("bot")) as started:
        yield started
