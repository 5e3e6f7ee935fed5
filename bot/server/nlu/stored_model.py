"""A trainable Rasa component whose fitted model is one joblib file.

The topic classifier and the safety router both keep a fitted
`TextClassifier` in Rasa's model storage; this is their shared constructor,
`create`, `load` and save, so the two differ only in what they fit and do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

from bot.server.nlu.text_classifier import TextClassifier


class StoredModelComponent(GraphComponent):
    """Keeps a fitted `TextClassifier` as `MODEL_FILE` in the model storage."""

    MODEL_FILE: ClassVar[str]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: TextClassifier | None = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StoredModelComponent:
        """A component to train."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> StoredModelComponent:
        """The trained component, its model read from the storage."""
        with model_storage.read_from(resource) as folder:
            model = joblib.load(Path(folder) / cls.MODEL_FILE)
        return cls(config, model_storage, resource, model)

    def _save(self, model: TextClassifier) -> Resource:
        """Keeps the fitted model and writes it to the storage."""
        self._model = model
        with self._storage.write_to(self._resource) as folder:
            joblib.dump(model, Path(folder) / self.MODEL_FILE)
        return self._resource
