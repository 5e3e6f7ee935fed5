"""Shared pytest set-up: prints the measured figures at the end of a run."""

from __future__ import annotations

from tests.measurements import MEASUREMENTS


def pytest_terminal_summary(terminalreporter):
    if not MEASUREMENTS:
        return
    terminalreporter.section("measured")
    for name, value in MEASUREMENTS.items():
        terminalreporter.write_line(f"{name}: {value}")
