"""One fix to Rasa 3.6's per-message cost, installed when the server starts.

Rasa checks every action server reply against a JSON schema with
`jsonschema.validate`, which first checks the *schema itself* against the
draft 2020-12 meta-schema. Profiling the server under load (py-spy, 200
sequential messages) put half of its CPU time in that meta-schema check. The
schema never changes, so it is checked once here and its validator reused;
replies are still validated exactly as before, with the same error.

The fix replaces a private method of Rasa's `RemoteAction`, so it is
installed only on the Rasa version it was read against and tested on; on any
other version Rasa's own method is kept and a warning says so. The server
logs `INSTALLED_LOG` when the fix is installed and `FIRST_USE_LOG` the first
time it validates a reply, which the end-to-end tests wait for
(tests/e2e/test_rasa_speedups.py).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from jsonschema import exceptions
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.version import __version__ as RASA_VERSION

logger = logging.getLogger(__name__)

# The Rasa release whose RemoteAction._validate_action_result this replaces
# (requirements/app.txt pins it).
TESTED_RASA_VERSION = "3.6.21"
INSTALLED_LOG = "Rasa speed-up installed: action replies use a validator checked once"
FIRST_USE_LOG = "Rasa speed-up in use: an action reply was validated"

_used = False


@lru_cache(maxsize=1)
def action_response_validator() -> Validator:
    """The validator for action server replies; its schema is checked once."""
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    # Same behaviour and message as RemoteAction._validate_action_result.
    global _used
    if not _used:
        _used = True
        logger.info("%s.", FIRST_USE_LOG)
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


def install(rasa_version: str = RASA_VERSION) -> bool:
    """Makes Rasa reuse one checked validator for action server replies.

    Args:
        rasa_version: The running Rasa's version (the installed one unless a
            test says otherwise).

    Returns:
        True if the fix is in place; False if this Rasa version was not
        tested with it, so Rasa's own (slower) validation is kept.

    """
    if rasa_version != TESTED_RASA_VERSION:
        logger.warning(
            "Rasa speed-up NOT installed: it replaces a private method of Rasa "
            "%s and this is Rasa %s. Replies are validated by Rasa's own, "
            "slower code; check bot/server/rasa_speedups.py against this version.",
            TESTED_RASA_VERSION,
            rasa_version,
        )
        return False
    if RemoteAction._validate_action_result is not _validate_action_result:
        RemoteAction._validate_action_result = _validate_action_result
        logger.info("%s (Rasa %s).", INSTALLED_LOG, rasa_version)
    return True
