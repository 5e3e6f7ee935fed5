"""Reading level of every text the bot sends on its own: the gate's figures.

Flesch-Kincaid grade from `textstat` (pinned in requirements/dev.txt; it
counts syllables with Pyphen's bundled dictionaries, so it works offline).
Run `python -m tests.reading_level` for the table in the README.
"""

from __future__ import annotations

import re
from statistics import mean

import textstat
import yaml

from bot.content import read_content_file
from bot.disclaimer import build_disclaimer
from bot.settings import DEFAULT_CONTENT_FILE
from tests.training_data import ROOT

MAX_GRADE = 8.0

# The domain's fixed replies for the safety routes, and the crisis reminder.
SAFETY_RESPONSES = (
    "utter_crisis_help",
    "utter_crisis_check_in",
    "utter_helper_help",
    "utter_crisis_reminder",
    "utter_emergency_help",
    "utter_decline_self_dosing",
    "utter_decline_sourcing",
    "utter_decline_medical_advice",
)

# Words a reader may not know, and what must explain them where they are
# first used in an answer (a pattern searched near that first use).
JARGON: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "phase 3": (re.compile(r"\bphase 3\b", re.I), re.compile(r"final stage", re.I)),
    "placebo": (re.compile(r"\bplacebo\b", re.I), re.compile(r"dummy pill", re.I)),
    "integration": (
        re.compile(r"\bintegration\b", re.I),
        re.compile(r"mak(e|es|ing) sense", re.I),
    ),
    "Schedule I": (
        re.compile(r"\bSchedule I\b"),
        re.compile(r"cannot be legally prescribed", re.I),
    ),
    "PTSD": (
        re.compile(r"\bPTSD\b|post-traumatic stress disorder"),
        re.compile(r"post-traumatic stress disorder", re.I),
    ),
}
# How far from the first use (in characters, either side) the explanation
# may be: the same or the next sentence.
EXPLANATION_WINDOW = 160


def grade(text: str) -> float:
    """Flesch-Kincaid grade of a text, its line breaks read as spaces."""
    return float(textstat.flesch_kincaid_grade(" ".join(text.split())))


def texts_by_kind() -> dict[str, dict[str, str]]:
    """Kind -> name -> text, for every text the reading-level gate checks."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {
        "answers": {
            answer.topic: answer.text
            for answer in read_content_file(DEFAULT_CONTENT_FILE)
        },
        "safety replies": {
            name: " ".join(v["text"] for v in domain["responses"][name])
            for name in SAFETY_RESPONSES
        },
        "disclaimer": {"disclaimer": build_disclaimer()},
    }


def unexplained_jargon(text: str) -> list[str]:
    """The jargon words whose first use in `text` has no explanation nearby."""
    missing = []
    for word, (term, explanation) in JARGON.items():
        first = term.search(text)
        if first is None:
            continue
        start = max(0, first.start() - EXPLANATION_WINDOW)
        if not explanation.search(text[start : first.end() + EXPLANATION_WINDOW]):
            missing.append(word)
    return missing


def table() -> str:
    """The README table: each text's grade, then mean and maximum per kind."""
    lines = ["| kind | text | FK grade |", "|---|---|---:|"]
    summary = ["", "| kind | texts | mean grade | max grade |", "|---|---:|---:|---:|"]
    for kind, texts in texts_by_kind().items():
        grades = {name: grade(text) for name, text in texts.items()}
        lines += [
            f"| {kind} | {name} | {value:.1f} |" for name, value in grades.items()
        ]
        summary.append(
            f"| {kind} | {len(grades)} | {mean(grades.values()):.1f} | "
            f"{max(grades.values()):.1f} |"
        )
    return "\n".join(summary[1:] + [""] + lines)


if __name__ == "__main__":
    print(table())
