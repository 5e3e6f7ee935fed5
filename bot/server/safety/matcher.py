"""A spaCy matcher for the safety routes, typos and slang included.

Each token is turned into a canonical word: as written and as its spaCy
lemma, with known slang and misspellings fixed and typos of key words
corrected (found by spaCy's `Matcher` with its `FUZZY` operator). The patterns
in `bot.server.safety.patterns` are matched against Docs of those canonical words
with spaCy's `Matcher`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.matcher.levenshtein import levenshtein_compare
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from bot.safety_routes import CRISIS, ROUTE_PRIORITY
from bot.server.safety.patterns import (
    CANONICAL_SPELLINGS,
    CRISIS_PATTERNS,
    FUZZY_TARGETS,
    POSS_WORDS,
    ROUTE_RULES,
    SELF_WORDS,
)

_NEGATION = "NOT "

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


def _typo_pattern(target: str) -> list[dict]:
    """A one-word Matcher pattern for typos of a key word."""
    # One edit for a key word of up to seven letters, two for a longer one.
    return [{"ORTH": {"FUZZY1" if len(target) <= 7 else "FUZZY2": target}}]


def is_typo_of(word: str, target: str, max_edits: int) -> bool:
    """Whether a word is close enough to a key word to be a typo of it.

    The typo Matcher's `fuzzy_compare`: spaCy's Levenshtein comparison, for
    words of five or more letters that start with the key word's letter, so
    short common words ("did", "like") are never turned into key words.

    Args:
        word: A word as written (lower case).
        target: A key word of `FUZZY_TARGETS`.
        max_edits: The edits allowed (from the pattern's `FUZZYn`).

    Returns:
        True if the word is a typo of the key word.

    """
    if len(word) < _MIN_FUZZY_LENGTH or not word.isalpha() or word[0] != target[0]:
        return False
    return levenshtein_compare(word, target, max_edits)


def _squeeze(word: str) -> str:
    """Letters repeated for emphasis ("dieee", "meee") count at most twice."""
    return "".join(
        char
        for i, char in enumerate(word)
        if i < 2 or not (char == word[i - 1] == word[i - 2])
    )


def canonical_forms(token: Token, typo_of: str | None = None) -> tuple[str, str]:
    """The word a token stands for, as written and as its lemma.

    Slang and misspellings are fixed in both; a typo of a key word becomes
    the key word.

    Args:
        token: A token of the message.
        typo_of: The key word the token is a typo of, if any (found by the
            typo Matcher of `SafetyMatcher`).

    Returns:
        The canonical word as written, and as its lemma.

    """
    surface = _squeeze(token.lower_)
    fixed = CANONICAL_SPELLINGS.get(surface)
    if fixed is None and surface not in FUZZY_TARGETS:
        fixed = typo_of
    if fixed is not None:
        return fixed, FUZZY_TARGETS.get(fixed, fixed)
    if surface in FUZZY_TARGETS:
        return surface, FUZZY_TARGETS[surface]
    return surface, token.lemma_.lower() or surface


@dataclass(frozen=True)
class _Rule:
    route: str
    required: tuple[str, ...]
    forbidden: tuple[str, ...]


def _compile_rules(
    crisis_patterns: Iterable[str],
    route_rules: dict[str, tuple[tuple[str, ...], ...]],
) -> tuple[list[_Rule], dict[str, list[list[dict]]]]:
    """Rules and the Matcher patterns of their parts, keyed by part name."""
    rules: list[_Rule] = []
    parts: dict[str, list[list[dict]]] = {}
    all_rules = [(CRISIS, (pattern,)) for pattern in crisis_patterns] + [
        (route, rule) for route, rules_of in route_rules.items() for rule in rules_of
    ]
    for number, (route, components) in enumerate(all_rules):
        required, forbidden = [], []
        for index, component in enumerate(components):
            negated = component.startswith(_NEGATION)
            text = component[len(_NEGATION) :] if negated else component
            key = f"{route}:{number}:{index}"
            parts[key] = [compile_pattern(p.strip()) for p in text.split("||")]
            (forbidden if negated else required).append(key)
        rules.append(_Rule(route, tuple(required), tuple(forbidden)))
    return rules, parts


class SafetyMatcher:
    """Finds safety-route language in Docs made by the bot's English model."""

    def __init__(
        self,
        vocab: Vocab,
        crisis_patterns: Iterable[str] = CRISIS_PATTERNS,
        route_rules: dict[str, tuple[tuple[str, ...], ...]] = ROUTE_RULES,
    ) -> None:
        """Compiles the patterns for a spaCy vocabulary."""
        self._vocab = vocab
        self._matcher = Matcher(vocab)
        self._rules, parts = _compile_rules(crisis_patterns, route_rules)
        for key, patterns in parts.items():
            self._matcher.add(key, patterns)
        self._typo_matcher = Matcher(vocab, fuzzy_compare=is_typo_of)
        for target in FUZZY_TARGETS:
            self._typo_matcher.add(target, [_typo_pattern(target)])
        # A word close to several key words is a typo of the first listed.
        self._typo_rank = {target: rank for rank, target in enumerate(FUZZY_TARGETS)}

    def typos(self, doc: Doc) -> dict[int, str]:
        """The tokens of `doc` that are typos of key words, by position.

        Args:
            doc: The message.

        Returns:
            Token index -> the key word it is a typo of (key words
            themselves are no typos).

        """
        # spaCy refuses empty words; "_" stands in and is no typo.
        written = Doc(self._vocab, words=[_squeeze(t.lower_) or "_" for t in doc])
        matches = sorted(
            (self._typo_rank[self._vocab.strings[match_id]], start, match_id)
            for match_id, start, _ in self._typo_matcher(written)
        )
        found: dict[int, str] = {}
        for _, start, match_id in matches:
            if written[start].text not in FUZZY_TARGETS:  # a key word itself
                found.setdefault(start, self._vocab.strings[match_id])
        return found

    def canonical_docs(self, doc: Doc) -> tuple[Doc, Doc]:
        """Two Docs of `doc`'s canonical words: as written, and as lemmas.

        A pattern matches if it matches either, so it can be written with the
        forms people type ("better off without me") or with lemmas ("end
        thing" for "ending things").
        """
        typos = self.typos(doc)
        # spaCy refuses empty words; "_" stands in and matches no pattern.
        forms = [canonical_forms(token, typos.get(token.i)) for token in doc]
        forms = forms or [("_", "_")]
        surface = Doc(self._vocab, words=[form[0] or "_" for form in forms])
        lemmas = Doc(self._vocab, words=[form[1] or "_" for form in forms])
        return surface, lemmas

    def _matched_parts(self, doc: Doc) -> set[str]:
        strings = self._vocab.strings
        return {
            strings[match_id]
            for canonical in self.canonical_docs(doc)
            for match_id, _, _ in self._matcher(canonical)
        }

    def routes(self, doc: Doc) -> list[str]:
        """The safety routes whose language `doc` contains, most urgent first."""
        matched = self._matched_parts(doc)
        found = {
            rule.route
            for rule in self._rules
            if all(key in matched for key in rule.required)
            and not any(key in matched for key in rule.forbidden)
        }
        return [route for route in ROUTE_PRIORITY if route in found]

    def route(self, doc: Doc) -> str | None:
        """The most urgent safety route for `doc`, or None."""
        routes = self.routes(doc)
        return routes[0] if routes else None

    def is_crisis(self, doc: Doc) -> bool:
        """Whether `doc` contains crisis language."""
        return CRISIS in self.routes(doc)
