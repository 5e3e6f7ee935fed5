"""What the Rasa server sends the action server with each action call."""

from __future__ import annotations

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from tests.training_data import ROOT


def test_action_calls_leave_out_the_domain(monkeypatch):
    # No action reads the domain; serialising it (every response) into each
    # call cost both servers time on every message.
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:1/webhook")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "t" * 32)
    endpoint = read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")
    domain = Domain.load(str(ROOT / "domain.yml"))
    tracker = DialogueStateTracker("visitor", domain.slots)

    for name in domain.user_actions:
        call = RemoteAction(name, endpoint)._action_call_format(tracker, domain)
        assert "domain" not in call, name
        assert call["tracker"]["sender_id"] == "visitor"
