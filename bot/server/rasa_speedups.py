"""Two fixes to Rasa 3.6's per-message cost, installed when the server starts.

1. Rasa checks every action server reply against a JSON schema with
   `jsonschema.validate`, which first checks the *schema itself* against the
   draft 2020-12 meta-schema. Profiling the server under load (py-spy, 200
   sequential messages) put half of its CPU time in that meta-schema check.
   The schema never changes, so it is checked once here and its validator
   reused; replies are still validated exactly as before, with the same error.
2. Rasa sends the action server the conversation's *every* event on each
   call: by turn 50 about 600 events and 550 kB of JSON, serialised by the
   Rasa server and parsed by the action server on every answer, so each turn
   cost more than the one before. The actions read the slots and the latest
   message (sent whole, as before) and, for a "no" to the check-in, the
   message the check-in asked about: the events of the last two user turns
   are sent (`ACTION_CALL_USER_TURNS`).

The fixes replace private methods of Rasa's `RemoteAction`, so they are
installed only on the Rasa version they were read against and tested on; on
any other version Rasa's own methods are kept and a warning says so. The
server logs `INSTALLED_LOG` when they are installed and `FIRST_USE_LOG` the
first time it validates a reply, which the end-to-end tests wait for
(tests/e2e/test_rasa_speedups.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from jsonschema import exceptions
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.version import __version__ as RASA_VERSION

logger = logging.getLogger(__name__)

# The Rasa release whose RemoteAction._validate_action_result this replaces
# (requirements/app.txt pins it).
TESTED_RASA_VERSION = "3.6.21"
INSTALLED_LOG = (
    "Rasa speed-ups installed: action replies use a validator checked once, "
    "action calls carry the last user turns' events"
)
FIRST_USE_LOG = "Rasa speed-up in use: an action reply was validated"

# The user turns whose events an action call carries: the current one, and
# the one before it, which `action_answer_pending_question` reads when the
# current message is the "no" to a check-in.
ACTION_CALL_USER_TURNS = 2

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


def recent_events(events: Iterable[Event], user_turns: int) -> list[Event]:
    """The events from the `user_turns`-th last user message on, in order.

    All events when the conversation has fewer user messages than that.
    """
    recent: list[Event] = []
    seen = 0
    for event in reversed(events):
        recent.append(event)
        if isinstance(event, UserUttered):
            seen += 1
            if seen == user_turns:
                break
    recent.reverse()
    return recent


def _action_call_format(
    self: RemoteAction, tracker: DialogueStateTracker, domain: Any
) -> dict[str, Any]:
    # As RemoteAction._action_call_format, with only the recent events.
    tracker_state = tracker.current_state(EventVerbosity.NONE)
    tracker_state["events"] = [
        event.as_dict()
        for event in recent_events(tracker.events, ACTION_CALL_USER_TURNS)
    ]
    result = {
        "next_action": self._name,
        "sender_id": tracker.sender_id,
        "tracker": tracker_state,
        "version": RASA_VERSION,
    }
    if (
        not self._is_selective_domain_enabled()
        or domain.does_custom_action_explicitly_need_domain(self.name())
    ):
        result["domain"] = domain.as_dict()
    return result


def install(rasa_version: str = RASA_VERSION) -> bool:
    """Makes Rasa reuse one checked validator and send only recent events.

    Args:
        rasa_version: The running Rasa's version (the installed one unless a
            test says otherwise).

    Returns:
        True if the fixes are in place; False if this Rasa version was not
        tested with them, so Rasa's own (slower) methods are kept.

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
        RemoteAction._action_call_format = _action_call_format
        logger.info("%s (Rasa %s).", INSTALLED_LOG, rasa_version)
    return True
