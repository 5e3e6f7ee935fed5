"""Vetted answer content: the file the content team edits, and its checks."""

from bot.content.vetted import (
    ContentError,
    Review,
    Source,
    VettedAnswer,
    parse_answers,
    read_content_file,
)

__all__ = [
    "ContentError",
    "Review",
    "Source",
    "VettedAnswer",
    "parse_answers",
    "read_content_file",
]
