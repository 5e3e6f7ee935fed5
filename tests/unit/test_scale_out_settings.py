"""Settings and files for running several Rasa servers (docs/scale-out.md)."""

from __future__ import annotations

import shlex

import pytest
import yaml

from bot.ops.endpoints import BASE_ENDPOINTS_FILE, effective_endpoints
from bot.ops.launcher import rasa_command, supervisor_config
from bot.server.lock_store import redis_arguments
from bot.settings import SettingsError, load_settings


def test_without_redis_the_endpoints_are_the_projects_own():
    base = BASE_ENDPOINTS_FILE.read_text(encoding="utf-8")
    assert effective_endpoints(base, load_settings({})) == base
    assert "lock_store" not in yaml.safe_load(base)


def test_redis_url_adds_the_lock_store_without_writing_the_url():
    base = BASE_ENDPOINTS_FILE.read_text(encoding="utf-8")
    settings = load_settings({"REDIS_URL": "redis://:s3cret@cache.internal:6380/2"})
    text = effective_endpoints(base, settings)
    parsed = yaml.safe_load(text)
    assert parsed["lock_store"] == {"type": "bot.server.lock_store.RedisUrlLockStore"}
    assert parsed["tracker_store"] == yaml.safe_load(base)["tracker_store"]
    assert "s3cret" not in text and "cache.internal" not in text


def test_redis_url_parts_become_lock_store_arguments():
    assert redis_arguments("rediss://bot:p%40ss@cache.internal:6380/2") == {
        "host": "cache.internal",
        "port": 6380,
        "db": 2,
        "username": "bot",
        "password": "p@ss",
        "use_ssl": True,
    }
    assert redis_arguments("redis://127.0.0.1")["port"] == 6379
    assert redis_arguments("redis://127.0.0.1")["db"] == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REDIS_URL", "http://cache:6379"),
        ("REDIS_URL", "cache:6379"),
        ("ACTION_SERVER_URL", "ftp://actions/webhook"),
        ("ACTION_SERVER_URL", "http:/actions"),
    ],
)
def test_unusable_urls_are_refused_without_echoing_them(name, value):
    with pytest.raises(SettingsError, match=name) as refused:
        load_settings({name: value})
    assert value not in str(refused.value)


def test_action_server_url_points_rasa_at_a_load_balancer():
    default = load_settings({"ACTION_PORT": "6000"})
    assert default.action_endpoint_url == "http://127.0.0.1:6000/webhook"
    balanced = load_settings({"ACTION_SERVER_URL": "http://10.0.0.5:8000/webhook"})
    assert balanced.action_endpoint_url == "http://10.0.0.5:8000/webhook"


def test_rasa_is_started_with_the_run_folders_files(tmp_path):
    settings = load_settings(
        {
            "RUN_DIR": str(tmp_path),
            "CORS_ORIGINS": "https://a.example,https://b.example",
        }
    )
    command = rasa_command(settings)
    assert command[command.index("--endpoints") + 1] == str(tmp_path / "endpoints.yml")
    assert command[command.index("--credentials") + 1] == str(
        tmp_path / "credentials.yml"
    )
    assert command[-2:] == ["https://a.example", "https://b.example"]
    # Supervisor gets the same command, quoted as a shell would split it.
    program = supervisor_config(settings).split("[program:rasa]")[1]
    line = program.split("command=")[1].splitlines()[0]
    assert shlex.split(line) == command
