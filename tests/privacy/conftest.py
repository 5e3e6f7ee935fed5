"""Fixtures of the privacy tests: the redactor, and a database per test on
SQLite and on a real PostgreSQL server.

The PostgreSQL server is started once per test session and stopped at its
end. Without PostgreSQL installed its tests are skipped, unless
POSTGRES_TESTS_REQUIRED=1 (as `make test-privacy` sets), when they fail.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from bot.server.privacy.redactor import Redactor, default_redactor
from tests.e2e.servers import wait_for_background_stops
from tests.support.postgres import PostgresMissing, create_database, postgres_server

BACKENDS = ("sqlite", "postgresql")
_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    return default_redactor()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    try:
        with postgres_server() as url:
            yield url
            # Bots on this server may still be stopping: let them first.
            wait_for_background_stops()
    except PostgresMissing as error:
        if os.environ.get("POSTGRES_TESTS_REQUIRED") == "1":
            pytest.fail(str(error))
        pytest.skip(str(error))


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    server = request.getfixturevalue("postgres_url")
    return create_database(server, f"test_{next(_database_numbers)}")
