"""The cached validator for action server replies behaves like Rasa's own.

It replaces a private Rasa method, so it is installed only on the Rasa
version it was tested on.
"""

from __future__ import annotations

import logging

import pytest
import rasa.version
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import EndpointConfig

from bot.server import rasa_speedups
from tests.training_data import ROOT


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


def test_it_is_installed_on_the_tested_rasa_version(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    original = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)
    with caplog.at_level(logging.INFO, logger="bot.server.rasa_speedups"):
        assert rasa_speedups.install(rasa_speedups.TESTED_RASA_VERSION) is True
    assert RemoteAction._validate_action_result is not original
    assert rasa_speedups.INSTALLED_LOG in caplog.text


@pytest.mark.parametrize("version", ["3.6.20", "3.6.22", "3.7.0", "4.0.0"])
def test_any_other_rasa_version_keeps_rasas_own_method_and_warns(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, version: str
) -> None:
    original = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)
    with caplog.at_level(logging.INFO, logger="bot.server.rasa_speedups"):
        assert rasa_speedups.install(version) is False
    assert RemoteAction._validate_action_result is original
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "NOT installed" in warning.getMessage()
    assert version in warning.getMessage()
    assert rasa_speedups.TESTED_RASA_VERSION in warning.getMessage()
    assert rasa_speedups.INSTALLED_LOG not in caplog.text


def test_the_tested_version_is_the_pinned_and_installed_rasa() -> None:
    # Bumping the pin without re-reading the patched method fails here.
    pins = (ROOT / "requirements" / "app.txt").read_text(encoding="utf-8")
    assert f"rasa=={rasa_speedups.TESTED_RASA_VERSION}" in pins.splitlines()
    assert rasa.version.__version__ == rasa_speedups.TESTED_RASA_VERSION


def test_the_first_validated_reply_is_logged_once(
    remote_action: RemoteAction,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(rasa_speedups, "_used", False)
    with caplog.at_level(logging.INFO, logger="bot.server.rasa_speedups"):
        for _ in range(3):
            remote_action._validate_action_result({"events": [], "responses": []})
    assert caplog.text.count(rasa_speedups.FIRST_USE_LOG) == 1
