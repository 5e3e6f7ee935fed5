"""Reads and checks the vetted answers file (`bot/content/answers.yml`).

Every answer is checked before anything is stored or served: a bad answer is
refused with a message that names it, so a content mistake is caught when it
is loaded, not when a patient asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from bot.topics import TOPIC_TITLES


class ContentError(ValueError):
    """The vetted content is invalid; the message names each bad answer."""


@dataclass(frozen=True)
class Source:
    """Where an answer's facts come from."""

    title: str
    url: str | None = None


@dataclass(frozen=True)
class Review:
    """Who checked one version of an answer, when, and against what."""

    version: int
    reviewed_on: dt.date
    reviewed_by: str
    checked_against: tuple[str, ...]


@dataclass(frozen=True)
class VettedAnswer:
    """One reviewed answer to an FAQ topic.

    `reviews` is the review record, newest first. Answers read back from the
    database carry none (the record lives in the content file), so it takes
    no part in comparing answers.
    """

    topic: str
    version: int
    reviewed_on: dt.date
    text: str
    sources: tuple[Source, ...]
    reviews: tuple[Review, ...] = field(default=(), compare=False)


def read_content_file(path: Path) -> list[VettedAnswer]:
    """Reads and checks a vetted answers file.

    Args:
        path: The YAML file with a top-level `answers` list.

    Returns:
        The answers, in file order.

    Raises:
        ContentError: The file is missing, is not valid YAML, or holds an
            invalid answer.

    """
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ContentError(f"Cannot read the content file {path}: {error}") from error
    except yaml.YAMLError as error:
        raise ContentError(
            f"The content file {path} is not valid YAML: {error}"
        ) from error
    return parse_answers(document)


def parse_answers(
    document: Any,
    known_topics: Collection[str] = tuple(TOPIC_TITLES),
    require_every_topic: bool = True,
) -> list[VettedAnswer]:
    """Checks a parsed content document and turns it into answers.

    Args:
        document: The parsed YAML: a mapping with an `answers` list.
        known_topics: Topic ids an answer may have.
        require_every_topic: Also refuse content that leaves a topic without
            an answer.

    Returns:
        The answers, in document order.

    Raises:
        ContentError: Listing every problem found, each naming its answer.

    """
    if not isinstance(document, dict) or not isinstance(document.get("answers"), list):
        raise ContentError("The content must be a mapping with an 'answers' list.")

    problems: list[str] = []
    answers: list[VettedAnswer] = []
    seen: set[str] = set()
    for position, entry in enumerate(document["answers"], start=1):
        label = _label(position, entry)
        entry_problems = list(_problems_with(entry, known_topics))
        if not entry_problems and entry["topic"] in seen:
            entry_problems.append("has the same topic as an earlier answer")
        if entry_problems:
            problems.extend(f"{label} {problem}." for problem in entry_problems)
            continue
        seen.add(entry["topic"])
        answers.append(_to_answer(entry))

    if require_every_topic:
        problems.extend(
            f"Topic '{topic}' has no answer."
            for topic in known_topics
            if topic not in seen
        )
    if problems:
        raise ContentError("Invalid vetted content:\n- " + "\n- ".join(problems))
    return answers


def _label(position: int, entry: Any) -> str:
    topic = entry.get("topic") if isinstance(entry, dict) else None
    return f"Answer #{position} (topic '{topic}')" if topic else f"Answer #{position}"


def _problems_with(entry: Any, known_topics: Collection[str]) -> Iterable[str]:
    if not isinstance(entry, dict):
        yield "is not a mapping"
        return
    topic = entry.get("topic")
    if not isinstance(topic, str) or not topic.strip():
        yield "has no topic"
    elif topic not in known_topics:
        yield f"has an unknown topic (known: {', '.join(sorted(known_topics))})"
    text = entry.get("text")
    if not isinstance(text, str) or not text.strip():
        yield "has no text"
    version = entry.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        yield "needs a whole-number version of 1 or more"
    if _as_date(entry.get("reviewed_on")) is None:
        yield "needs a reviewed_on date (YYYY-MM-DD)"
    yield from _review_problems(entry)
    sources = entry.get("sources")
    if not isinstance(sources, list) or not sources:
        yield "has no source"
        return
    for number, source in enumerate(sources, start=1):
        if not isinstance(source, dict) or not str(source.get("title") or "").strip():
            yield f"has source #{number} without a title"
        elif source.get("url") is not None and not _is_web_link(source["url"]):
            yield f"has source #{number} with a link that is not http(s)"


def _review_problems(entry: dict[str, Any]) -> Iterable[str]:
    """The review record: newest first, and its newest entry is this version."""
    reviews = entry.get("reviews")
    if not isinstance(reviews, list) or not reviews:
        yield "has no review record (`reviews`)"
        return
    for number, review in enumerate(reviews, start=1):
        if not isinstance(review, dict):
            yield f"has review #{number} that is not a mapping"
            continue
        version = review.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            yield f"has review #{number} without a whole-number version"
        if _as_date(review.get("reviewed_on")) is None:
            yield f"has review #{number} without a reviewed_on date"
        if not str(review.get("reviewed_by") or "").strip():
            yield f"has review #{number} without reviewed_by"
        checked = review.get("checked_against")
        if (
            not isinstance(checked, list)
            or not checked
            or not all(isinstance(c, str) and c.strip() for c in checked)
        ):
            yield f"has review #{number} without the sources it was checked against"
    newest = reviews[0]
    if isinstance(newest, dict) and (
        newest.get("version") != entry.get("version")
        or _as_date(newest.get("reviewed_on")) != _as_date(entry.get("reviewed_on"))
    ):
        yield "has a newest review that is not of this version and date"


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _is_web_link(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parsed = urlparse(value)
    return parsed.scheme in {"http", "https"} and bool(parsed.netloc)


def _to_answer(entry: dict[str, Any]) -> VettedAnswer:
    reviewed_on = _as_date(entry["reviewed_on"])
    assert reviewed_on is not None  # checked by _problems_with
    return VettedAnswer(
        topic=entry["topic"],
        version=entry["version"],
        reviewed_on=reviewed_on,
        text=" ".join(entry["text"].split()),
        sources=tuple(
            Source(title=source["title"].strip(), url=source.get("url"))
            for source in entry["sources"]
        ),
        reviews=tuple(
            Review(
                version=review["version"],
                reviewed_on=_as_date(review["reviewed_on"]),  # type: ignore[arg-type]
                reviewed_by=review["reviewed_by"].strip(),
                checked_against=tuple(c.strip() for c in review["checked_against"]),
            )
            for review in entry["reviews"]
        ),
    )
