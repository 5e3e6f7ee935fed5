"""The speed-ups behave like Rasa's own methods.

The cached validator for action server replies, and the action call that
carries only the last user turns' events. They replace private Rasa methods,
so they are installed only on the Rasa version they were tested on.
"""

from __future__ import annotations

import logging

import pytest
import rasa.version
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import EndpointConfig
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server import rasa_speedups
from tests.training_data import ROOT

ORIGINAL_CALL_FORMAT = RemoteAction._action_call_format


def _keep_rasas_methods(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever install() replaces is put back after the test."""
    for name in ("_validate_action_result", "_action_call_format"):
        monkeypatch.setattr(RemoteAction, name, getattr(RemoteAction, name))


@pytest.fixture
def remote_action(monkeypatch: pytest.MonkeyPatch) -> RemoteAction:
    _keep_rasas_methods(monkeypatch)
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
    _keep_rasas_methods(monkeypatch)
    with caplog.at_level(logging.INFO, logger="bot.server.rasa_speedups"):
        assert rasa_speedups.install(rasa_speedups.TESTED_RASA_VERSION) is True
    assert RemoteAction._validate_action_result is not original
    assert rasa_speedups.INSTALLED_LOG in caplog.text


@pytest.mark.parametrize("version", ["3.6.20", "3.6.22", "3.7.0", "4.0.0"])
def test_any_other_rasa_version_keeps_rasas_own_method_and_warns(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, version: str
) -> None:
    original = RemoteAction._validate_action_result
    _keep_rasas_methods(monkeypatch)
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


def _conversation(turns: int) -> DialogueStateTracker:
    """A tracker of `turns` user questions, each answered, with a slot set."""
    events = [ActionExecuted("action_session_start"), SessionStarted()]
    for turn in range(turns):
        events += [
            ActionExecuted("action_listen"),
            UserUttered(f"question {turn}", {"name": "faq_dose", "confidence": 1.0}),
            ActionExecuted("action_answer_faq"),
            BotUttered(f"answer {turn}"),
            SlotSet("last_topic", f"topic {turn}"),
        ]
    events.append(ActionExecuted("action_listen"))
    return DialogueStateTracker.from_events("someone", events)


def test_an_action_call_carries_the_last_two_user_turns(
    remote_action: RemoteAction,
) -> None:
    tracker = _conversation(50)
    call = remote_action._action_call_format(tracker, Domain.empty())
    texts = [e.get("text") for e in call["tracker"]["events"] if e["event"] == "user"]
    assert texts == ["question 48", "question 49"]
    assert call["tracker"]["events"][0]["event"] == "user"
    # Everything else is what Rasa itself sends.
    rasas = ORIGINAL_CALL_FORMAT(remote_action, tracker, Domain.empty())
    rasas["tracker"].pop("events")
    call["tracker"].pop("events")
    assert call == rasas
    assert call["tracker"]["slots"]["last_topic"] == "topic 49"
    assert call["tracker"]["latest_message"]["text"] == "question 49"


def test_a_short_conversation_is_sent_whole(remote_action: RemoteAction) -> None:
    tracker = _conversation(1)
    call = remote_action._action_call_format(tracker, Domain.empty())
    rasas = ORIGINAL_CALL_FORMAT(remote_action, tracker, Domain.empty())
    assert call["tracker"]["events"] == rasas["tracker"]["events"]
