"""Reads the NLU training data and the held-out test sets for tests."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TRAINING_FILES = sorted((ROOT / "data").glob("nlu*.yml"))
FAQ_TEST_FILES = sorted((ROOT / "tests" / "nlu").glob("faq_*.yml"))
# Written after the training data was frozen, and never used to change it:
# a check that the held-out figures were not reached by tuning to them.
AFTER_FREEZE_FILES = sorted((ROOT / "tests" / "nlu").glob("after_freeze_*.yml"))
SAFETY_TEST_FILE = ROOT / "tests" / "safety" / "safety_test_set.yml"
NOT_CRISIS_FILE = ROOT / "tests" / "safety" / "not_crisis.yml"


def normalise(text: str) -> str:
    """Lower case, punctuation and repeated spaces removed, for comparisons."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def read_nlu_examples(files: list[Path]) -> dict[str, list[str]]:
    """Intent -> examples, from Rasa NLU YAML files."""
    examples: dict[str, list[str]] = defaultdict(list)
    for path in files:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for block in document.get("nlu", []):
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples[block["intent"]].append(line[2:].strip())
    return dict(examples)


def read_route_set(path: Path) -> dict[str, list[str]]:
    """Route -> messages, from a plain YAML mapping of lists."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))
