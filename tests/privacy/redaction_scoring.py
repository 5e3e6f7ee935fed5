"""Scores the redactor on the hand-labelled set in redaction_set.yml.

Recall: a detail counts as removed when every letter and digit of it lies
inside a redacted span. Over-redaction: the share of the other words (words
that are no part of any detail) that lie, even partly, inside a redacted span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import regex
import yaml

from bot.server.privacy.redactor import Detail, Redactor

SET_FILE = Path(__file__).with_name("redaction_set.yml")
WORD = regex.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass(frozen=True)
class Expected:
    start: int
    end: int
    placeholder: str
    text: str


@dataclass(frozen=True)
class Message:
    text: str
    details: tuple[Expected, ...]
    held_out: bool


@dataclass
class Score:
    details: int = 0
    removed: int = 0
    labelled_right: int = 0
    other_words: int = 0
    other_removed: int = 0
    misses: list[str] = field(default_factory=list)
    over: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.removed / self.details if self.details else 1.0

    @property
    def over_redaction(self) -> float:
        return self.other_removed / self.other_words if self.other_words else 0.0

    @property
    def label_accuracy(self) -> float:
        return self.labelled_right / self.removed if self.removed else 1.0


def load_messages(path: Path = SET_FILE) -> list[Message]:
    raw = path.read_text(encoding="utf-8")
    held_out_from = raw.index("# held-out:")
    entries = yaml.safe_load(raw)["messages"]
    # The held-out part starts at the marker comment in the file.
    held_out_texts = {
        entry["text"]
        for entry in yaml.safe_load(
            "messages:\n" + raw[held_out_from:].split("\n", 1)[1]
        )["messages"]
    }
    messages = []
    for entry in entries:
        text = entry["text"]
        details = []
        for placeholder, substrings in (entry.get("details") or {}).items():
            for substring in substrings:
                substring = str(substring)
                # Whole words only: "joe" is not the start of "joe.vet@aol.com".
                hits = [
                    m.start()
                    for m in regex.finditer(
                        r"(?<![\w.@-])" + regex.escape(substring) + r"(?![\w@-]|\.\w)",
                        text,
                    )
                ]
                if len(hits) != 1:
                    raise ValueError(
                        f"{substring!r} must appear exactly once in {text!r}"
                    )
                start = hits[0]
                details.append(
                    Expected(start, start + len(substring), placeholder, substring)
                )
        has_details = bool(details)
        messages.append(
            Message(text, tuple(details), has_details and text in held_out_texts)
        )
    return messages


def score(redactor: Redactor, messages: list[Message]) -> Score:
    result = Score()
    for message in messages:
        found = redactor.find(message.text)
        _score_message(message, found, result)
    return result


def _score_message(message: Message, found: list[Detail], result: Score) -> None:
    covered = set()
    for detail in found:
        covered.update(range(detail.start, detail.end))
    for expected in message.details:
        result.details += 1
        chars = [
            i for i in range(expected.start, expected.end) if message.text[i].isalnum()
        ]
        if all(i in covered for i in chars):
            result.removed += 1
            span = next(d for d in found if d.start <= chars[0] < d.end)
            result.labelled_right += span.placeholder == expected.placeholder
        else:
            result.misses.append(
                f"{expected.placeholder} {expected.text!r} in {message.text!r}"
            )
    inside_details = set()
    for expected in message.details:
        inside_details.update(range(expected.start, expected.end))
    for word in WORD.finditer(message.text):
        chars = range(word.start(), word.end())
        if any(i in inside_details for i in chars):
            continue
        result.other_words += 1
        if any(i in covered for i in chars):
            result.other_removed += 1
            result.over.append(f"{word.group()!r} in {message.text!r}")
