"""Which words are ordinary English, to spot names and places typed in lower case.

"my girlfriend priyanka" and "i live in killeen": a word after such a cue
that is no English word is most likely a name or a place. The English words
are the base forms the spaCy model's lemmatizer knows (about 88,000, from
WordNet), plus the chat words it lacks ("gonna", "idk").
"""

from __future__ import annotations

from spacy.language import Language

CHAT_WORDS = frozenset(
    """
    gonna wanna gotta kinda sorta tryna finna prolly lol lmao idk tbh imo imho
    omg btw pls plz thx ty ur u ya yea yeah nah nope yep yup hmm hm ok okay
    im ive id ill dont cant wont didnt doesnt isnt wasnt arent havent hasnt
    shouldnt wouldnt couldnt thats whats theres heres hows whos ima imma bc
    cuz cos tho thru rn asap fyi jk smh ppl msg convo meds docs appt alot legit
    """.split()
)
MIN_LETTERS = 3


def english_words(nlp: Language) -> frozenset[str]:
    """The base forms of English words the model's lemmatizer knows.

    Args:
        nlp: A loaded English spaCy pipeline with a rule-based lemmatizer.

    Returns:
        Lower-case words; empty if the pipeline has no such lemmatizer.

    """
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None:
        return frozenset()
    words: set[str] = set()
    for name in ("lemma_index", "lemma_exc"):
        if lookups.has_table(name):
            for entries in lookups.get_table(name).values():
                words.update(entries)
    return frozenset(word.lower() for word in words)


def is_unknown(word: str, lemma: str | None, known: frozenset[str]) -> bool:
    """Whether a word is no English word (so maybe a name or a place).

    Args:
        word: The word, in any case.
        lemma: Its lemma from spaCy, if any.
        known: The English words, from `english_words`.

    Returns:
        True for an alphabetic word of three letters or more that is neither
        an English word (itself or its lemma) nor a chat word. Always False
        when no English words are known.

    """
    key = word.lower()
    return (
        bool(known)
        and key.isalpha()
        and len(key) >= MIN_LETTERS
        and key not in known
        and (lemma or "").lower() not in known
        and key not in CHAT_WORDS
        and not any(stem in known for stem in _stems(key))
    )


def _stems(word: str) -> list[str]:
    """Base forms an inflected word may have: "texting" -> "text", "texte"."""
    stems = []
    for suffix in ("ing", "ed", "es", "s", "ly", "er", "est"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            stems += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                stems.append(stem[:-1])
    return stems
