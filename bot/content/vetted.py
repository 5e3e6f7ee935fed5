"""Reads and checks the vetted answers file (`bot/content/answers.yml`).

Every answer is checked before anything is stored or served: a bad answer is
refused with a message that names it, so a content mistake is caught when it
is loaded, not when a patient asks. The file's shape is declared by pydantic
models (`_AnswerEntry`, `_ReviewEntry`, `_SourceEntry`); their validation
errors become sentences for the content team.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml
from pydantic import (
    BaseModel,
    StrictStr,
    ValidationError,
    conint,
    conlist,
    validator,
)

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
        checked, entry_problems = _check_entry(entry, known_topics)
        if checked is not None and checked.topic in seen:
            entry_problems.append("has the same topic as an earlier answer")
        if checked is None or entry_problems:
            problems.extend(f"{label} {problem}." for problem in entry_problems)
            continue
        seen.add(checked.topic)
        answers.append(_to_answer(checked))

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


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    return value


def _date(value: Any) -> dt.date:
    date = _as_date(value)
    if date is None:
        raise ValueError("not a date")
    return date


# A whole number of at least 1; strict, so `true` or "2" is no version.
Version = conint(strict=True, ge=1)


class _SourceEntry(BaseModel):
    """One source of an answer: a title, and an http(s) link if any."""

    title: StrictStr
    url: StrictStr | None = None

    _title = validator("title", allow_reuse=True)(_non_blank)

    @validator("url")
    def _web_link(cls, url: str | None) -> str | None:
        if url is not None and not _is_web_link(url):
            raise ValueError("not an http(s) link")
        return url


class _ReviewEntry(BaseModel):
    """One review of one version of an answer."""

    version: Version  # type: ignore[valid-type]
    reviewed_on: dt.date
    reviewed_by: StrictStr
    checked_against: conlist(StrictStr, min_items=1)  # type: ignore[valid-type]

    _reviewed_on = validator("reviewed_on", pre=True, allow_reuse=True)(_date)
    _reviewed_by = validator("reviewed_by", allow_reuse=True)(_non_blank)
    _checked = validator("checked_against", each_item=True, allow_reuse=True)(
        _non_blank
    )


class _AnswerEntry(BaseModel):
    """One answer of the content file, with its sources and review record."""

    topic: StrictStr
    text: StrictStr
    version: Version  # type: ignore[valid-type]
    reviewed_on: dt.date
    # Newest first.
    reviews: conlist(_ReviewEntry, min_items=1)  # type: ignore[valid-type]
    sources: conlist(_SourceEntry, min_items=1)  # type: ignore[valid-type]

    _filled = validator("topic", "text", allow_reuse=True)(_non_blank)
    _reviewed_on = validator("reviewed_on", pre=True, allow_reuse=True)(_date)


def _newest_review_is_stale(entry: dict[str, Any]) -> bool:
    """Whether the newest review is of another version or date than the answer.

    Compared as written, even where one of them is itself invalid, so a
    mistyped version is also named as not matching its review.
    """
    reviews = entry.get("reviews")
    newest = reviews[0] if isinstance(reviews, list) and reviews else None
    return isinstance(newest, dict) and (
        newest.get("version") != entry.get("version")
        or _as_date(newest.get("reviewed_on")) != _as_date(entry.get("reviewed_on"))
    )


# What the content team reads for an error at each place of an answer, in
# the order they are listed.
_ANSWER_PROBLEMS = {
    "topic": "has no topic",
    "text": "has no text",
    "version": "needs a whole-number version of 1 or more",
    "reviewed_on": "needs a reviewed_on date (YYYY-MM-DD)",
    "reviews": "has no review record (`reviews`)",
    "newest_review": "has a newest review that is not of this version and date",
    "sources": "has no source",
}
_REVIEW_PROBLEMS = {
    None: "that is not a mapping",
    "version": "without a whole-number version",
    "reviewed_on": "without a reviewed_on date",
    "reviewed_by": "without reviewed_by",
    "checked_against": "without the sources it was checked against",
}
_SOURCE_PROBLEMS = {
    None: "without a title",
    "title": "without a title",
    "url": "with a link that is not http(s)",
}


def _sentence(place: tuple[Any, ...]) -> str:
    """The sentence for a problem at one place of an answer."""
    name, *rest = place
    if name not in ("reviews", "sources") or not rest:
        return _ANSWER_PROBLEMS[name]
    number, *inner = rest
    problems = _REVIEW_PROBLEMS if name == "reviews" else _SOURCE_PROBLEMS
    return f"has {name[:-1]} #{number + 1} {problems[inner[0] if inner else None]}"


def _sentences(places: list[tuple[Any, ...]]) -> list[str]:
    """One sentence per problem of an answer, in the order of its fields.

    Args:
        places: Where each problem is (pydantic errors' `loc`).

    Returns:
        The sentences, each once; for a source without a title, that alone.

    """
    order = list(_ANSWER_PROBLEMS)
    ranked = sorted(places, key=lambda place: order.index(place[0]))
    sentences = list(dict.fromkeys(_sentence(place) for place in ranked))
    url, title = _SOURCE_PROBLEMS["url"], _SOURCE_PROBLEMS["title"]
    return [
        sentence
        for sentence in sentences
        if not (sentence.endswith(url) and sentence.replace(url, title) in sentences)
    ]


def _check_entry(
    entry: Any, known_topics: Collection[str]
) -> tuple[_AnswerEntry | None, list[str]]:
    """The checked answer, or None and the problems found."""
    if not isinstance(entry, dict):
        return None, ["is not a mapping"]
    places: list[tuple[Any, ...]] = []
    checked: _AnswerEntry | None = None
    try:
        checked = _AnswerEntry.parse_obj(entry)
    except ValidationError as error:
        places = [item["loc"] for item in error.errors()]
    if _newest_review_is_stale(entry):
        places.append(("newest_review",))
    problems = _sentences(places)
    topic = entry.get("topic")
    if isinstance(topic, str) and topic.strip() and topic not in known_topics:
        problems.insert(
            0, f"has an unknown topic (known: {', '.join(sorted(known_topics))})"
        )
    return (checked if not problems else None), problems


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


def _to_answer(entry: _AnswerEntry) -> VettedAnswer:
    return VettedAnswer(
        topic=entry.topic,
        version=entry.version,
        reviewed_on=entry.reviewed_on,
        text=" ".join(entry.text.split()),
        sources=tuple(
            Source(title=source.title.strip(), url=source.url)
            for source in entry.sources
        ),
        reviews=tuple(
            Review(
                version=review.version,
                reviewed_on=review.reviewed_on,
                reviewed_by=review.reviewed_by.strip(),
                checked_against=tuple(c.strip() for c in review.checked_against),
            )
            for review in entry.reviews
        ),
    )
