"""The cached validator for action server replies behaves like Rasa's own."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import EndpointConfig

from bot import rasa_speedups


@pytest.fixture
def remote_action(monkeypatch: pytest.MonkeyPatch) -> RemoteAction:
    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    rasa_speedups.install()
    return RemoteAction("action_answer_faq", EndpointConfig("http://127.0.0.1:1"))


def test_a_valid_reply_passes(remote_action: RemoteAction) -> None:
    reply = {
        "events": [{"event": "slot", "name": "topic", "value": "cost"}],
        "responses": [{"text": "An answer."}],
    }
    assert remote_action._validate_action_result(reply) is True


@pytest.mark.parametrize(
    "reply",
    [
        {"events": "not a list", "responses": []},
        {"events": [{"event": "no_such_event"}], "responses": []},
        {"events": [], "responses": ["not an object"]},
    ],
)
def test_an_invalid_reply_is_rejected_with_rasas_message(
    remote_action: RemoteAction, reply: dict
) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server"):
        remote_action._validate_action_result(reply)


def test_the_schema_is_checked_once(
    remote_action: RemoteAction, monkeypatch: pytest.MonkeyPatch
) -> None:
    rasa_speedups.action_response_validator.cache_clear()
    checks = []
    validator_class = type(rasa_speedups.action_response_validator())
    monkeypatch.setattr(
        validator_class, "check_schema", classmethod(lambda cls, s: checks.append(s))
    )
    rasa_speedups.action_response_validator.cache_clear()
    for _ in range(5):
        remote_action._validate_action_result({"events": [], "responses": []})
    assert len(checks) == 1
