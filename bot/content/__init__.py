"""Vetted answer content: the file the content team edits, and its checks."""

from bot.content.vetted import (
    ContentError,
    Source,
    VettedAnswer,
    parse_answers,
    read_content_file,
)

__all__ = [
    "ContentError",
    "Source",
    "VettedAnswer",
    "parse_answers",
    "read_content_file",
]
