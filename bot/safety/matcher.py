"""A spaCy matcher for the safety routes, typos and slang included.

Each token is turned into a canonical word: as written and as its spaCy
lemma, with known slang and misspellings fixed and typos of key words
corrected by edit distance. The patterns in `bot.safety.patterns` are matched
against Docs of those canonical words with spaCy's `Matcher`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from bot.safety.patterns import (
    CANONICAL_SPELLINGS,
    CRISIS_PATTERNS,
    FUZZY_TARGETS,
    POSS_WORDS,
    ROUTE_RULES,
    SELF_WORDS,
)
from bot.safety.routes import CRISIS, ROUTE_PRIORITY

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
