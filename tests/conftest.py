"""Shared pytest set-up: the trained model once per run, and the measured
figures printed at the end of a run."""

from __future__ import annotations

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


def pytest_terminal_summary(terminalreporter):
    if not MEASUREMENTS:
        return
    terminalreporter.section("measured")
    for name, value in MEASUREMENTS.items():
        terminalreporter.write_line(f"{name}: {value}")
