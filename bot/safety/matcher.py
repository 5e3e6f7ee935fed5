"""A spaCy matcher that recognises crisis messages, typos and slang included.

Each token is turned into a canonical word: its spaCy lemma, with known
slang and misspellings fixed and typos of key words corrected by edit
distance. The patterns in `bot.safety.patterns` are matched against a Doc of
those canonical words with spaCy's `Matcher`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from bot.safety.patterns import (
    CANONICAL_SPELLINGS,
    CRISIS_PATTERNS,
    FUZZY_TARGETS,
    POSS_WORDS,
    SELF_WORDS,
)

_GAP = {"OP": "{0,3}"}
_MIN_FUZZY_LENGTH = 5


def compile_pattern(pattern: str) -> list[dict]:
    """Turns one readable pattern into a spaCy Matcher token pattern."""
    tokens: list[dict] = []
    expanded = pattern.replace("SELF", SELF_WORDS).replace("POSS", POSS_WORDS)
    for slot in expanded.split():
        if slot == "~":
            tokens.append(dict(_GAP))
            continue
        optional = slot.endswith("?") and len(slot) > 1
        words = slot.rstrip("?").split("|") if optional else slot.split("|")
        token: dict = {"ORTH": words[0]} if len(words) == 1 else {"ORTH": {"IN": words}}
        if optional:
            token["OP"] = "?"
        tokens.append(token)
    return tokens


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, stopping early once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + (char_a != char_b),
                )
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


@lru_cache(maxsize=4096)
def _fuzzy_fix(word: str) -> str | None:
    """The key word that `word` is a typo of, if any."""
    if len(word) < _MIN_FUZZY_LENGTH or not word.isalpha():
        return None
    for target in FUZZY_TARGETS:
        limit = 1 if len(target) <= 7 else 2
        if word[0] == target[0] and _edit_distance(word, target, limit) <= limit:
            return target
    return None


def _squeeze(word: str) -> str:
    """Letters repeated for emphasis ("dieee", "meee") count at most twice."""
    return "".join(
        char
        for i, char in enumerate(word)
        if i < 2 or not (char == word[i - 1] == word[i - 2])
    )


def canonical_forms(token: Token) -> tuple[str, str]:
    """The word a token stands for, as written and as its lemma.

    Slang and misspellings are fixed in both; typos of key words are
    corrected by edit distance.
    """
    surface = _squeeze(token.lower_)
    fixed = CANONICAL_SPELLINGS.get(surface)
    if fixed is None and surface not in FUZZY_TARGETS:
        fixed = _fuzzy_fix(surface)
    if fixed is not None:
        return fixed, FUZZY_TARGETS.get(fixed, fixed)
    if surface in FUZZY_TARGETS:
        return surface, FUZZY_TARGETS[surface]
    return surface, token.lemma_.lower() or surface


class CrisisMatcher:
    """Finds crisis language in spaCy Docs made by the bot's English model."""

    def __init__(self, vocab: Vocab, patterns: Iterable[str] = CRISIS_PATTERNS) -> None:
        """Compiles the patterns for a spaCy vocabulary."""
        self._vocab = vocab
        self._matcher = Matcher(vocab)
        for number, pattern in enumerate(patterns):
            self._matcher.add(f"crisis_{number}", [compile_pattern(pattern)])

    def canonical_docs(self, doc: Doc) -> tuple[Doc, Doc]:
        """Two Docs of `doc`'s canonical words: as written, and as lemmas.

        A pattern matches if it matches either, so it can be written with the
        forms people type ("better off without me") or with lemmas ("end
        thing" for "ending things").
        """
        # spaCy refuses empty words; "_" stands in and matches no pattern.
        forms = [canonical_forms(token) for token in doc] or [("_", "_")]
        surface = Doc(self._vocab, words=[form[0] or "_" for form in forms])
        lemmas = Doc(self._vocab, words=[form[1] or "_" for form in forms])
        return surface, lemmas

    def matches(self, doc: Doc) -> list[str]:
        """The canonical phrases in `doc` that signal a crisis."""
        return [
            canonical[start:end].text
            for canonical in self.canonical_docs(doc)
            for _, start, end in self._matcher(canonical)
        ]

    def is_crisis(self, doc: Doc) -> bool:
        """Whether `doc` contains crisis language."""
        return bool(self.matches(doc))


def crisis_matcher_for(nlp: Language) -> CrisisMatcher:
    """A crisis matcher for a loaded spaCy pipeline."""
    return CrisisMatcher(nlp.vocab)
