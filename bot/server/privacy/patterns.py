"""Regular-expression recognizers: e-mail, phone, web links, addresses, dates.

Each is a Presidio `PatternRecognizer` whose entity name is one of the keys
of `PLACEHOLDERS` in `bot.server.privacy.redactor`. Patterns ignore case, because
people type "Main st" and "DOB" alike. Presidio's own e-mail and web-link
recognizers are not used: they look up the public suffix list on the
internet.
"""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, PatternRecognizer

FLAGS = regex.IGNORECASE | regex.MULTILINE

_TLD = (
    r"(?:com|org|net|edu|gov|mil|info|io|co|us|uk|ca|au|de|fr|nl|ie|nz|in|me|ly"
    r"|app|health|care|blog)"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
_STREET_TYPE = (
    r"(?:street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct"
    r"|way|place|pl|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq"
    r"|trail|trl|crescent|close|row)"
)
_NAMED_STREET_TYPE = r"(?:street|avenue|ave|road|rd|boulevard|blvd|lane|ln|parkway)"
# Words that are never part of a street name: "3 sessions in a row", "the road".
_NOT_STOP = (
    r"(?!(?:in|on|at|a|an|the|of|to|for|and|or|with|by|from|off|my|your|our|their|his"
    r"|her|its|this|that|is|are|was|were|be|it|i|me|we|you|he|she|they|per|than|then"
    r"|so|but|as|if|same|long|whole|next|rocky|hard|test|sex|hours?|days?|weeks?"
    r"|months?|years?|mg|sessions?|times?|people|patients|doses?)\b)"
)
_UNIT = r"(?:,?\s+(?:apt|apartment|unit|suite|ste|flat|#)\.?\s*#?\s*[\w-]{1,6})?"

EMAIL_PATTERNS = [
    Pattern("email", r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", 1.0),
    # "mike dot jones at gmail dot com", "jane [at] mail [dot] org"
    Pattern(
        "spelled-out email",
        r"(?<!\w)\w[\w.+-]*(?:\s+dot\s+\w+)*\s*[\[(]?\s*\bat\b\s*[\])]?\s*[\w-]+"
        r"(?:\s*[\[(]?\s*\bdot\b\s*[\])]?\s*[\w-]+)*\s*[\[(]?\s*\bdot\b\s*[\])]?\s*"
        + _TLD
        + r"\b",
        0.8,
    ),
]

URL_PATTERNS = [
    Pattern("url with scheme", r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)]", 1.0),
    Pattern("url with www", r"\bwww\.[^\s<>\"']+[^\s<>\"'.,;:!?)]", 1.0),
    Pattern(
        "bare domain",
        r"(?<![@\w.-])(?:[a-z0-9-]+\.)+"
        + _TLD
        + r"\b(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)])?",
        0.7,
    ),
]

# phonenumbers (through Presidio) finds most numbers; these catch the common
# written forms it rejects, such as the 555 numbers of examples and films.
PHONE_PATTERNS = [
    Pattern(
        "north american",
        r"(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\w)",
        0.7,
    ),
    Pattern(
        "north american digits",
        r"(?<![\w+])(?:\+?1[\s.-]?)?\(\d{3}\)\d{3}-?\d{4}(?!\w)",
        0.7,
    ),
    Pattern(
        "with country code", r"(?<!\w)\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,5}(?!\w)", 0.7
    ),
    Pattern("uk", r"(?<![\w+])0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\w)", 0.6),
    Pattern("local", r"(?<![\w+.-])\d{3}[\s.-]\d{4}(?![\w.-])", 0.4),
]

ADDRESS_PATTERNS = [
    Pattern(
        "street address",
        r"\b\d{1,6}[a-z]?\s+(?:[nsew]\.?\s+)?(?:"
        + _NOT_STOP
        + r"[\w'.-]+\s+){0,3}?"
        + _STREET_TYPE
        + r"\b\.?"
        + _UNIT,
        0.8,
    ),
    Pattern(
        "continental street address",
        r"\b\d{1,5}\s*,?\s+(?:rue|calle|via|avenida|avenue|strasse|straße|chemin|rua)"
        r"(?:\s+(?:de|del|la|le|des|du|da|do|dos|di)\b)*(?:\s+[\w'-]+){1,2}",
        0.8,
    ),
    Pattern(
        "named street",
        # "3rd street", "Maple Ave": an ordinal or a capitalised name.
        r"\b(?:\d+(?:st|nd|rd|th)|"
        + _NOT_STOP
        + r"(?-i:[A-Z])[\w'-]+)\s+"
        + _NAMED_STREET_TYPE
        + r"\b",
        0.3,
    ),
    Pattern("po box", r"\bp\.?\s?o\.?\s+box\s+\d+", 0.9),
    Pattern(
        "zip code",
        r"(?<![\w$.,-])\d{5}(?:-\d{4})?(?![\w-]|[.,]\d|\s*(?:people|patients|dollars|usd|mg))",
        0.4,
    ),
    Pattern("uk postcode", r"\b[a-z]{1,2}\d[a-z\d]?\s+\d[a-z]{2}\b", 0.4),
]

DATE_PATTERNS = [
    Pattern(
        "numeric date",
        r"(?<![\w/.-])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\w/-]|\.\d)",
        0.8,
    ),
    Pattern("iso date", r"\b(?:19|20)\d{2}-[01]\d-[0-3]\d\b", 0.9),
    Pattern(
        "month day year",
        r"\b" + _MONTH + r"\s+" + _DAY + r"(?:,?\s+(?:19|20)\d{2})?\b",
        0.6,
    ),
    Pattern(
        "day month year",
        r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?:19|20)\d{2})?\b",
        0.6,
    ),
    # A bare year only when it is a year of birth: "born in 1958", "dob: 1971".
    Pattern(
        "year of birth",
        r"(?<=\b(?:born|b\.|dob|d\.o\.b\.?|birth\s*year|year\s+of\s+birth)\s*(?::|-|in|on)?\s*)"
        r"(?:19|20)\d{2}\b",
        0.8,
    ),
]

HANDLE_PATTERNS = [
    Pattern("social handle", r"(?<![\w@.])@[a-z0-9_][a-z0-9_.]{1,29}[a-z0-9_]", 0.8),
]


def _recognizer(entity: str, patterns: list[Pattern]) -> PatternRecognizer:
    return PatternRecognizer(
        supported_entity=entity,
        patterns=patterns,
        name=f"{entity.lower()}_patterns",
        global_regex_flags=FLAGS,
    )


def pattern_recognizers() -> list[PatternRecognizer]:
    """The regular-expression recognizers, one per kind of detail.

    Returns:
        Recognizers for e-mail, web links, phone numbers, street addresses
        and postcodes, dates and social-media handles.

    """
    return [
        _recognizer("EMAIL_ADDRESS", EMAIL_PATTERNS),
        _recognizer("URL", URL_PATTERNS),
        _recognizer("PHONE_NUMBER", PHONE_PATTERNS),
        _recognizer("STREET_ADDRESS", ADDRESS_PATTERNS),
        _recognizer("DATE", DATE_PATTERNS),
        _recognizer("HANDLE", HANDLE_PATTERNS),
    ]
