"""Figures measured by the tests, printed at the end of the run and saved."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS_FILE = Path(__file__).resolve().parent.parent / "results" / "measurements.json"

MEASUREMENTS: dict[str, object] = {}


def record(name: str, value: object) -> None:
    """Keeps a figure for the summary and for results/measurements.json."""
    MEASUREMENTS[name] = value
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    existing = {}
    if RESULTS_FILE.exists():
        existing = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
    existing[name] = value
    RESULTS_FILE.write_text(json.dumps(existing, indent=2) + "\n", encoding="utf-8")
