"""Security pieces on their own: limits, payloads, settings, the action server."""

from __future__ import annotations

import os
import stat
import zlib
from pathlib import Path

import pytest
import yaml

from bot.answers.action_server import RequestTooLargeError, decoded_body
from bot.server.channels.rate_limit import SlidingWindowLimit
from bot.server.channels.senders import (
    button_payloads,
    is_stored_sender_id,
    is_valid_sender_id,
)
from bot.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_a_sliding_window_lets_a_key_through_again_after_a_quiet_window():
    now = [0.0]
    limit = SlidingWindowLimit(2, window_seconds=60, clock=lambda: now[0])
    assert [limit.allow("k") for _ in range(3)] == [True, True, False]
    assert limit.allow("other")
    now[0] = 61.0
    assert limit.allow("k")


def test_a_flood_of_keys_is_bounded():
    limit = SlidingWindowLimit(1, max_keys=10)
    for n in range(1000):
        limit.allow(f"k{n}")
    assert len(limit._events) == 10


def test_every_button_in_the_domain_is_a_known_payload():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    payloads = {
        button["payload"]
        for variants in domain["responses"].values()
        for variant in variants
        for button in variant.get("buttons", [])
    }
    assert payloads and payloads <= button_payloads()
    intents = set(domain["intents"])
    assert {payload[1:] for payload in button_payloads()} <= intents


def test_security_settings_have_safe_defaults_and_refuse_bad_values():
    settings = load_settings({})
    assert settings.bind_host == "127.0.0.1"
    assert settings.rest_channel_enabled is True
    assert settings.rasa_public_url == "http://localhost:5005"
    assert load_settings({"REST_CHANNEL": "off"}).rest_channel_enabled is False
    public = load_settings({"PUBLIC_URL": "https://bot.example.org/"})
    assert public.rasa_public_url == "https://bot.example.org"
    with pytest.raises(SettingsError, match="ACTION_SERVER_TOKEN") as error:
        load_settings({"ACTION_SERVER_TOKEN": "short-secret"})
    assert "short-secret" not in str(error.value)
    with pytest.raises(SettingsError, match="BIND_HOST"):
        load_settings({"BIND_HOST": "0.0.0.0; rm -rf /"})
    with pytest.raises(SettingsError, match="REST_CHANNEL"):
        load_settings({"REST_CHANNEL": "maybe"})


def test_compressed_bodies_are_decoded_up_to_the_limit_only():
    data = b'{"next_action": "x"}'
    assert decoded_body(zlib.compress(data), "deflate", 100) == data
    gzip = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
    assert decoded_body(gzip.compress(data) + gzip.flush(), "gzip", 100) == data
    bomb = zlib.compress(b"\0" * 10_000_000)
    with pytest.raises(RequestTooLargeError):
        decoded_body(bomb, "deflate", 1_000_000)
    with pytest.raises(RequestTooLargeError):
        decoded_body(b"x" * 101, "", 100)
    with pytest.raises(ValueError):
        decoded_body(b"not deflate", "deflate", 100)
    with pytest.raises(ValueError):
        decoded_body(data, "br", 100)


def test_the_bare_rest_channel_can_be_turned_off(tmp_path):
    import rasa.shared.utils.io

    from bot.ops.credentials import write_effective_credentials

    channels = {}
    for value in ("on", "off"):
        settings = load_settings(
            {"RUN_DIR": str(tmp_path / value), "REST_CHANNEL": value}
        )
        path = write_effective_credentials(settings)
        channels[value] = set(rasa.shared.utils.io.read_config_file(path))
    rest, widget = (
        "bot.server.channels.rest.CheckedRestInput",
        "bot.server.channels.widget.WidgetInput",
    )
    assert channels["on"] == {rest, widget}
    assert channels["off"] == {widget}


def test_servers_are_started_on_the_bind_host_with_the_token_in_the_environment(
    tmp_path,
):
    from bot.ops.launcher import child_environment, supervisor_config

    settings = load_settings({"RUN_DIR": str(tmp_path), "BIND_HOST": "10.0.0.5"})
    config = supervisor_config(settings)
    assert "--interface 10.0.0.5" in config and "--host 10.0.0.5" in config
    assert "umask=077" in config
    env = child_environment(settings, token="t" * 32)
    assert env["ACTION_SERVER_TOKEN"] == "t" * 32
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    endpoints = (ROOT / "endpoints.yml").read_text(encoding="utf-8")
    assert "X-Action-Token: ${ACTION_SERVER_TOKEN}" in endpoints


def test_rasas_warning_quoting_a_message_is_dropped_in_the_server():
    import warnings

    from rasa.shared.core.training_data.story_reader.yaml_story_reader import (
        YAMLStoryReader,
    )
    from rasa.shared.nlu.training_data.message import Message

    from bot.server.channels.widget import WidgetInput

    message = Message(data={"text": '/faq_access{"name": broken Jane Roe'})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        WidgetInput.from_credentials(None)
        YAMLStoryReader.unpack_regex_message(message)
    assert not [w for w in caught if "Jane Roe" in str(w.message)]


def test_erase_sender_takes_the_id_from_the_environment_and_checks_it(tmp_path):
    import subprocess
    import sys

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'db.sqlite3'}",
        "RASA_TELEMETRY_ENABLED": "true",
    }

    def erase(sender: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot.ops.cli", "erase-sender"],
            cwd=ROOT,
            env={**env, "SENDER": sender},
            capture_output=True,
            text=True,
            timeout=120,
        )

    refused = erase("x'; echo INJECTED; echo '")
    assert refused.returncode == 2 and "INJECTED" not in refused.stdout
    done = erase("widget:web-0123456789abcdef")
    assert done.returncode == 0, done.stderr
    assert "'widget:web-0123456789abcdef': 0 records" in done.stdout
    # What the command made is owner-only (umask 077 before any command).
    database = tmp_path / "data" / "db.sqlite3"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700


def test_the_cli_turns_telemetry_off_and_files_owner_only_before_any_command(
    monkeypatch,
):
    from bot.ops.cli import protect_process

    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "true")
    old_umask = os.umask(0o022)
    try:
        protect_process()
        assert os.umask(0o022) == 0o077
        assert os.environ["RASA_TELEMETRY_ENABLED"] == "false"
    finally:
        os.umask(old_umask)


@pytest.mark.parametrize("sender", ["web-1\n", "web-1\r\n", "\nweb-1", "web 1", ""])
def test_a_sender_id_with_anything_around_the_allowed_characters_is_refused(sender):
    assert not is_valid_sender_id(sender)
    assert not is_stored_sender_id(f"widget:{sender}")


def test_the_allowed_sender_id_forms_are_accepted():
    assert is_valid_sender_id("web-1a2b.c_d:e")
    assert is_stored_sender_id("widget:web-1a2b")
