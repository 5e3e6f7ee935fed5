"""The launcher turns the Slack channel on from the environment, without secrets.

Fast: these tests start no server.
"""

from __future__ import annotations

import rasa.shared.utils.io

from bot.ops.credentials import (
    BASE_CREDENTIALS_FILE,
    SLACK_INPUT_CLASS,
    effective_credentials,
    slack_status_line,
    write_effective_credentials,
)
from bot.ops.launcher import supervisor_config
from bot.settings import load_settings

TOKEN = "xoxb-1234-secret-token"
SECRET = "signing-secret-do-not-log"


def settings_for(tmp_path, **env):
    return load_settings({"RUN_DIR": str(tmp_path / "run"), **env})


def test_slack_is_off_without_both_secrets(tmp_path):
    # The bare REST channel is turned off here to compare with the file alone.
    base = BASE_CREDENTIALS_FILE.read_text()

    def settings_for(tmp_path, **env):
        return load_settings(
            {"RUN_DIR": str(tmp_path / "run"), "REST_CHANNEL": "off", **env}
        )

    off = settings_for(tmp_path)
    assert effective_credentials(base, off) == base
    assert slack_status_line(off) == (
        "Slack channel: off (SLACK_TOKEN and SLACK_SIGNING_SECRET are not set)"
    )
    half = settings_for(tmp_path, SLACK_TOKEN=TOKEN)
    assert effective_credentials(base, half) == base
    assert (
        slack_status_line(half)
        == "Slack channel: off (SLACK_SIGNING_SECRET is not set)"
    )
    blank = settings_for(tmp_path, SLACK_TOKEN=" ", SLACK_SIGNING_SECRET="")
    assert effective_credentials(base, blank) == base


def test_slack_section_holds_references_not_secrets(tmp_path):
    on = settings_for(tmp_path, SLACK_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET)
    assert slack_status_line(on) == "Slack channel: on"
    path = write_effective_credentials(on)
    assert path == tmp_path / "run" / "credentials.yml"
    text = path.read_text()
    assert text.startswith(BASE_CREDENTIALS_FILE.read_text())
    assert f"{SLACK_INPUT_CLASS}:" in text
    assert "${SLACK_TOKEN}" in text and "${SLACK_SIGNING_SECRET}" in text
    assert "SLACK_CHANNEL" not in text  # optional, and unset
    assert TOKEN not in text and SECRET not in text


def test_rasa_fills_in_the_references_from_the_environment(tmp_path, monkeypatch):
    on = settings_for(
        tmp_path,
        SLACK_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_CHANNEL="C0PEERS",
    )
    path = write_effective_credentials(on)
    monkeypatch.setenv("SLACK_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_CHANNEL", "C0PEERS")
    credentials = rasa.shared.utils.io.read_config_file(path)
    assert credentials[SLACK_INPUT_CLASS] == {
        "slack_token": TOKEN,
        "slack_signing_secret": SECRET,
        "slack_channel": "C0PEERS",
    }
    # Every channel of credentials.yml is still there.
    base = rasa.shared.utils.io.read_config_file(BASE_CREDENTIALS_FILE)
    assert set(base) <= set(credentials)


def test_rasa_server_is_started_with_the_effective_credentials(tmp_path):
    config = supervisor_config(settings_for(tmp_path))
    assert f"--credentials {tmp_path / 'run' / 'credentials.yml'}" in config
