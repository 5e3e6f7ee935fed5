"""spaCy's named entities, minus the guesses it makes on lower-case chat.

Without capital letters the small English model calls "heya" a person, "kms"
an organisation and "meds" a place. In a message typed without capitals, an
entity is kept only when the message has at least three words, the entity is
longer than three letters, and it has a proper noun (not a topic word) or
follows a place word
("in", "from", "near"). Names and places in such messages are found mainly
by `bot.server.privacy.cues`.
"""

from __future__ import annotations

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from bot.server.privacy.allow_list import is_allowed
from bot.server.privacy.cues import PLACE_CUES

MIN_WORDS = 3
MIN_LETTERS = 4


class LowerCaseAwareSpacyRecognizer(SpacyRecognizer):
    """Presidio's spaCy recognizer, stricter on messages without capitals."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts = None
    ) -> list[RecognizerResult]:
        """The entities spaCy found, filtered when the message has no capitals.

        Args:
            text: The message.
            entities: Entities asked for.
            nlp_artifacts: Presidio's NLP output, with the spaCy document.

        Returns:
            The entities kept.

        """
        results = super().analyze(text, entities, nlp_artifacts)
        if any(char.isupper() for char in text) or nlp_artifacts is None:
            return results
        doc = nlp_artifacts.tokens
        words = sum(1 for token in doc if token.is_alpha)
        return [
            result
            for result in results
            if words >= MIN_WORDS and _plausible(doc, result)
        ]


def _plausible(doc, result: RecognizerResult) -> bool:
    span = doc.char_span(result.start, result.end, alignment_mode="expand")
    if span is None or sum(char.isalpha() for char in span.text) < MIN_LETTERS:
        return False
    if any(token.pos_ == "PROPN" and not is_allowed(token.text) for token in span):
        return True
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    return result.entity_type == "LOCATION" and before in PLACE_CUES
