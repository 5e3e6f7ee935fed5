"""The learned risk model's data: how likely a message belongs on each safety route.

Keyword rules cannot cover how people in crisis write ("gave my guitar to my
nephew and wrote some letters"), so a classifier trained on thousands of
written examples scores every message: a `bot.server.nlu.text_classifier`
(sentence embedding for meaning, word n-grams for slang such as "ctb" and
Spanish, character n-grams for typos).

The training examples are `data/safety/*.tsv` (label, kind, text), written
by several writers for variety, plus the NLU training data: its safety
intents as their own label and every other intent as `none`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.safety_routes import (
    CRISIS,
    CRISIS_CHECK_IN,
    CRISIS_SOMEONE_ELSE,
    MEDICAL_EMERGENCY,
    NOT_SAFETY,
    PERSONAL_MEDICAL_ADVICE,
    SAFETY_INTENTS,
    SELF_DOSING,
    SOURCING,
    SPANISH_CRISIS_ROUTES,
)

# The corpus files' labels, as the bot's intents.
CORPUS_LABELS = {
    "crisis": CRISIS,
    "crisis_other": CRISIS_SOMEONE_ELSE,
    "emergency": MEDICAL_EMERGENCY,
    "self_dosing": SELF_DOSING,
    "sourcing": SOURCING,
    "medical_advice": PERSONAL_MEDICAL_ADVICE,
    # Questions about risks and everyday idioms with alarming words: the
    # hard negatives that must not raise an alarm.
    "faq_risk": NOT_SAFETY,
    "idiom": NOT_SAFETY,
    # Ordinary questions from the people this bot serves, with nothing
    # alarming in them ("my husband is a Marine vet, how would he get into a
    # trial?"). They test false alarms (tests/safety); trained on, they
    # taught the model that a question after a dark sentence is ordinary.
    "ordinary": NOT_SAFETY,
}


@dataclass(frozen=True)
class Example:
    """One labelled message of the safety corpus."""

    # The bot's intent for it (or `none`).
    label: str
    # What variety of message it is (passive_ideation, typo_texting, ...).
    kind: str
    text: str
    # The corpus label as written (`faq_risk` and `idiom` are both `none`).
    written_as: str


def read_corpus(paths: Iterable[Path]) -> list[Example]:
    """Reads corpus TSV files (`label<TAB>kind<TAB>text`, with a header line).

    Raises:
        ValueError: On a malformed line or an unknown label, naming the file
            and line, so bad data never trains silently.

    """
    examples: list[Example] = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(rows, None)
            if header != ["label", "kind", "text"]:
                raise ValueError(f"{path}: the header must be label, kind, text")
            for number, row in enumerate(rows, start=2):
                if len(row) != 3 or row[0] not in CORPUS_LABELS or not row[2].strip():
                    raise ValueError(f"{path}:{number}: not a valid corpus line")
                examples.append(
                    Example(CORPUS_LABELS[row[0]], row[1], row[2].strip(), row[0])
                )
    return examples


def label_for_intent(intent: str) -> str:
    """The risk label of an NLU training intent.

    Safety intents keep theirs, except that the Spanish and the unsure
    check-in examples are crisis (or someone else's crisis) language to the
    risk model: language and tier are decided after it scores.
    """
    intent = _ENGLISH_ROUTES.get(intent, intent)
    if intent == CRISIS_CHECK_IN:
        return CRISIS
    return intent if intent in SAFETY_INTENTS else NOT_SAFETY


# Each Spanish crisis route's English one.
_ENGLISH_ROUTES = {
    spanish: english for english, spanish in SPANISH_CRISIS_ROUTES.items()
}
