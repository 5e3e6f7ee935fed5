"""Names and places found from the words around them, for any casing.

The NER model misses "im sarah from tulsa" and "my husband david". This
recognizer reads the words of a message and marks:

- a word after an introduction ("my name is", "call me", "i'm", "this is"),
  a relation ("my wife", "my therapist"), a title ("Dr.", "Ms.") or before
  "here" ("Jamal here"), when it looks like a name;
- a sign-off at the end ("- Kevin", "thanks, steve");
- any common first name, US state, province, country or large city
  (`bot.server.privacy.gazetteers`), whatever its casing;
- in a message typed without capitals, a proper noun after "in", "from",
  "near" or "at", or a word that is no English word after "live in",
  "moved to" or "from" (a place);
- a word that is no English word (`bot.server.privacy.vocabulary`) right after
  "my wife", "my therapist"... or "i'm" (a name).

A name that is found is extended over the surname that follows it. The
spaCy tokens that Presidio has already computed give parts of speech.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from bot.server.privacy.allow_list import is_allowed
from bot.server.privacy.gazetteers import FIRST_NAMES, PLACES, STATE_CODES
from bot.server.privacy.vocabulary import is_unknown

WORD = regex.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# The longest place names have four words ("rio de janeiro", ...).
MAX_PLACE_WORDS = 4

STRONG_CUES = (
    ("my", "name", "is"),
    ("my", "names"),
    ("my", "name's"),
    ("name", "is"),
    ("name's",),
    ("i", "am", "called"),
    ("i'm", "called"),
    ("mi", "nombre", "es"),
    ("me", "llamo"),
)
# "I'm ..." and "call me ..." name the writer: a word after them that is no
# English word is a name ("call me crazy" is not).
SELF_CUES = (("i'm",), ("i’m",), ("im",), ("iam",), ("i", "am"), ("call", "me"))
WEAK_CUES = SELF_CUES + (
    ("this", "is"),
    ("it's",),
    ("it’s",),
    ("its",),
    ("it", "is"),
)
RELATIONS = frozenset(
    """
    husband wife son daughter brother sister mom mother dad father parent
    partner boyfriend girlfriend fiance fiancee friend buddy cousin uncle aunt
    niece nephew grandson granddaughter grandma grandpa grandmother grandfather
    ex therapist psychiatrist psychologist counselor counsellor doctor nurse
    coworker colleague roommate neighbor neighbour kid child stepson stepdaughter
    """.split()
)
TITLES = frozenset("dr mr mrs ms miss prof professor".split())
SIGN_OFFS = frozenset("thanks thank thx regards cheers sincerely best love".split())
PLACE_CUES = frozenset("in from near at around outside".split())
# Verbs after which "in"/"at"/"to"/"near" surely leads to a place.
LIVING = frozenset(
    "live lives living lived moved move based located stationed grew raised".split()
)
# Words that follow "call me" or a title but are no names.
NOT_NAMES = frozenset(
    """
    back today tomorrow tonight anytime later asap please pls plz now soon
    sometime said says told tells wants wanted thinks recommended prescribed
    appointment visit office note orders
    """.split()
)
NAME_POS = frozenset({"PROPN", "NOUN", "ADJ", "X", "INTJ"})
# spaCy entities that are never places: "in january", "from tuesday", "in french".
NOT_PLACE_LABELS = frozenset({"DATE", "TIME", "NORP", "LANGUAGE"})


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return self.text.lower().replace("’", "'")

    @property
    def base(self) -> str:
        """The key without a possessive "'s" ("alex's" -> "alex")."""
        key = self.key
        return key[:-2] if key.endswith("'s") else key


class CueRecognizer(LocalRecognizer):
    """Finds PERSON and LOCATION spans from cues and word lists."""

    def __init__(
        self, known_words: frozenset[str] = frozenset(), score: float = 0.6
    ) -> None:
        """Set the English vocabulary and the score of every span found.

        Args:
            known_words: English words (`bot.server.privacy.vocabulary`); a word
                after a cue that is none of them counts as a name or place.
                Empty turns that rule off.
            score: Confidence of the spans, between 0 and 1.

        """
        self.known_words = known_words
        self.score = score
        super().__init__(
            supported_entities=["PERSON", "LOCATION"],
            supported_language="en",
            name="cue_recognizer",
        )

    def load(self) -> None:
        """Nothing to load: the word lists are module constants."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts = None
    ) -> list[RecognizerResult]:
        """Mark the names and places in a message.

        Args:
            text: The message.
            entities: Entities asked for; PERSON and LOCATION are served.
            nlp_artifacts: Presidio's NLP output, whose `tokens` is the
                spaCy document of the message.

        Returns:
            One result per span found.

        """
        doc = nlp_artifacts.tokens if nlp_artifacts is not None else None
        words = [_Word(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
        finder = _Finder(text, words, doc, self.known_words)
        spans = []
        if "PERSON" in entities:
            spans += [("PERSON", s, e) for s, e in finder.names()]
        if "LOCATION" in entities:
            spans += [("LOCATION", s, e) for s, e in finder.places()]
        return [
            RecognizerResult(entity_type=label, start=start, end=end, score=self.score)
            for label, start, end in spans
        ]


class _Finder:
    """The cue rules over the words of one message."""

    def __init__(
        self, text: str, words: list[_Word], doc: Doc | None, known: frozenset[str]
    ) -> None:
        self.text = text
        self.known = known
        self.lemmas = {}
        self.words = words
        self.keys = [word.key for word in words]
        self.bases = [word.base for word in words]
        self.lower_case = not any(char.isupper() for char in text)
        self.all_caps = text.isupper()
        self.pos = {}
        self.norp = set()
        self.not_places = set()
        if doc is not None:
            for token in doc:
                self.pos[token.idx] = token.pos_
                self.lemmas[token.idx] = token.lemma_
            for entity in doc.ents:
                chars = range(entity.start_char, entity.end_char)
                if entity.label_ == "NORP":
                    self.norp.update(chars)
                if entity.label_ in NOT_PLACE_LABELS:
                    self.not_places.update(chars)

    # Names.

    def names(self) -> list[tuple[int, int]]:
        found = set()
        for i, key in enumerate(self.keys):
            if self.bases[i] in FIRST_NAMES and not is_allowed(key):
                found.add(i)
            for cue in STRONG_CUES:
                if self._cue_at(i, cue) and self._strong_name(i + len(cue)):
                    found.add(i + len(cue))
            for cue in WEAK_CUES:
                after = i + len(cue)
                if self._cue_at(i, cue) and self._weak_name(
                    after, unknown=cue in SELF_CUES
                ):
                    found.add(after)
            if key == "my" and self._key(i + 1) in RELATIONS:
                named = self._key(i + 2) in ("named", "called")
                if self._weak_name(i + 2 + named, unknown=True):
                    found.add(i + 2 + named)
            if key in TITLES and self._title_name(i + 1):
                found.add(i + 1)
            if key == "here" and i > 0 and self._weak_name(i - 1):
                found.add(i - 1)
            if (
                key == "name"
                and self._punct_after(i, ":-")
                and self._strong_name(i + 1)
            ):
                found.add(i + 1)
        found |= self._sign_off()
        return [self._with_surname(i) for i in sorted(found)]

    def _strong_name(self, i: int) -> bool:
        key = self._key(i)
        return (
            key is not None
            and key not in STOP_WORDS
            and key not in NOT_NAMES
            and not is_allowed(key)
            and self._pos(i) in NAME_POS
        )

    def _weak_name(self, i: int, unknown: bool = False) -> bool:
        # A listed first name or a capitalised proper noun; with `unknown`,
        # also a lower-case word that is no English word.
        key = self._key(i)
        if key is None or is_allowed(key) or key in STOP_WORDS:
            return False
        return (
            self.bases[i] in FIRST_NAMES
            or self._capitalised_name(i)
            or (unknown and self._unknown(i))
        )

    def _title_name(self, i: int) -> bool:
        if self._key(i - 1) == "doctor":
            return self._weak_name(i)
        key = self._key(i)
        if key is None or key in STOP_WORDS or key in NOT_NAMES or is_allowed(key):
            return False
        if self.lower_case or self.all_caps:
            return self._pos(i) in ("PROPN", "NOUN", "X")
        return self.words[i].text[0].isupper()

    def _capitalised_name(self, i: int) -> bool:
        word = self.words[i]
        return (
            not self.lower_case
            and not self.all_caps
            and word.text[0].isupper()
            and not self._sentence_start(i)
            and self._pos(i) == "PROPN"
            and word.start not in self.norp
        )

    def _sign_off(self) -> set[int]:
        if not self.words or self.text[self.words[-1].end :].strip(" .!"):
            return set()
        last = len(self.words) - 1
        first = last - 1 if last > 0 and self._weak_name(last - 1) else last
        between = (
            self.text[self.words[first - 1].end : self.words[first].start]
            if first
            else ""
        )
        cued = "-" in between or "—" in between or "–" in between
        cued = cued or (first > 0 and self.keys[first - 1] in SIGN_OFFS)
        if cued and self._weak_name(first, unknown=True):
            return {first}
        return set()

    def _with_surname(self, i: int) -> tuple[int, int]:
        end = i
        while end + 1 < len(self.words) and end - i < 2 and self._surname(end + 1):
            end += 1
        return self.words[i].start, self.words[end].end

    def _surname(self, i: int) -> bool:
        gap = self.text[self.words[i - 1].end : self.words[i].start]
        key = self.keys[i]
        if gap.strip() or key in STOP_WORDS or is_allowed(key) or len(key) < 2:
            return False
        if self.words[i].text.isupper() and key in STATE_CODES:
            return False  # "Austin TX": a place, not a surname
        if self.lower_case or self.all_caps:
            return self.bases[i] in FIRST_NAMES or self._pos(i) == "PROPN"
        return self.words[i].text[0].isupper()

    # Places.

    def places(self) -> list[tuple[int, int]]:
        spans = []
        i = 0
        while i < len(self.words):
            size = self._place_at(i)
            if size:
                spans.append((self.words[i].start, self.words[i + size - 1].end))
                i += size
                continue
            if (
                self.lower_case
                and self._after_place_cue(i)
                and self.keys[i] not in STOP_WORDS
                and not is_allowed(self.keys[i])
                and self.words[i].start not in self.not_places
            ):
                spans.append((self.words[i].start, self.words[i].end))
            i += 1
        return spans

    def _after_place_cue(self, i: int) -> bool:
        # A proper noun after "in", "from"...; or a word that is no English
        # word after "live in", "moved to", "from"...
        cue = self._key(i - 1)
        if cue in PLACE_CUES and self._pos(i) == "PROPN":
            return True
        strong = cue == "from" or (
            cue in ("in", "at", "to", "near") and self._key(i - 2) in LIVING
        )
        return strong and self._unknown(i)

    def _place_at(self, i: int) -> int:
        for size in range(MAX_PLACE_WORDS, 0, -1):
            if i + size > len(self.words):
                continue
            name = " ".join(self.keys[i : i + size])
            if name in PLACES and not is_allowed(name):
                return size
        return 0

    # Helpers.

    def _cue_at(self, i: int, cue: tuple[str, ...]) -> bool:
        return tuple(self.keys[i : i + len(cue)]) == cue

    def _unknown(self, i: int) -> bool:
        word = self.words[i]
        return (
            word.text.islower()
            and not is_allowed(word.key)
            and is_unknown(self.bases[i], self.lemmas.get(word.start), self.known)
        )

    def _key(self, i: int) -> str | None:
        return self.keys[i] if 0 <= i < len(self.keys) else None

    def _pos(self, i: int) -> str | None:
        return self.pos.get(self.words[i].start) if 0 <= i < len(self.words) else None

    def _sentence_start(self, i: int) -> bool:
        before = self.text[: self.words[i].start].rstrip()
        return not before or before[-1] in ".!?:;-\n"

    def _punct_after(self, i: int, marks: str) -> bool:
        if i + 1 >= len(self.words):
            return False
        gap = self.text[self.words[i].end : self.words[i + 1].start].strip()
        return bool(gap) and gap[0] in marks
