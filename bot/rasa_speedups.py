"""One fix to Rasa 3.6's per-message cost, installed when the server starts.

Rasa checks every action server reply against a JSON schema with
`jsonschema.validate`, which first checks the *schema itself* against the
draft 2020-12 meta-schema. Profiling the server under load (py-spy, 200
sequential messages) put half of its CPU time in that meta-schema check. The
schema never changes, so it is checked once here and its validator reused;
replies are still validated exactly as before, with the same error.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import exceptions
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def action_response_validator() -> Validator:
    """The validator for action server replies; its schema is checked once."""
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    # Same behaviour and message as RemoteAction._validate_action_result.
    error = exceptions.best_match(action_response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            "For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    """Makes Rasa reuse one checked validator for action server replies."""
    RemoteAction._validate_action_result = _validate_action_result
