"""The messages of `make bench`: the held-out FAQ test phrasings.

Read from tests/nlu/faq_*.yml (never trained on), the first time they are
asked for.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


@cache
def faq_questions() -> tuple[str, ...]:
    """Every example of the held-out FAQ test files, in file order."""
    questions: list[str] = []
    for path in sorted((ROOT / "tests" / "nlu").glob("faq_*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            questions += [
                line.strip()[2:]
                for line in block["examples"].splitlines()
                if line.strip().startswith("- ")
            ]
    return tuple(questions)
