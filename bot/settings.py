"""The one place where the bot's configuration is read.

Every setting comes from the environment (see `.env.example`), with a default
that works on a fresh clone. Nothing is read at import time: call
`load_settings()` where a setting is needed, so tests can change the
environment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / ".data"
DEFAULT_CONTENT_FILE = Path(__file__).resolve().parent / "content" / "answers.yml"


class SettingsError(ValueError):
    """A setting in the environment has a value the bot cannot use."""


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the bot, its servers and its channels."""

    database_url: str
    content_file: Path
    rasa_port: int
    action_port: int
    widget_port: int
    cors_origins: tuple[str, ...]
    model_path: Path
    run_dir: Path
    max_message_chars: int
    log_level: str
    slack_token: str | None
    slack_signing_secret: str | None
    slack_channel: str | None
    slack_api_url: str | None
    # Days conversations are kept before `python -m bot.cli purge-old` deletes them.
    retention_days: int = 30
    # Scale-out (docs/scale-out.md): the Redis that Rasa servers share for
    # conversation locks, and the action servers' address (a load balancer).
    redis_url: str | None = None
    action_server_url: str | None = None
    # The interface every server listens on: loopback unless a deployment
    # puts a TLS reverse proxy on another machine in front (docs/scale-out.md).
    bind_host: str = "127.0.0.1"
    # Shared secret the Rasa servers send to the action servers; `serve`
    # makes one per start when it is unset (bot/action_server.py).
    action_server_token: str | None = None
    # The Rasa server's address as browsers reach it (the demo page's widget
    # and its Content-Security-Policy); never taken from a request.
    public_url: str | None = None
    # The bare REST channel (/webhooks/rest/); production can turn it off and
    # keep only the widget and Slack.
    rest_channel_enabled: bool = True
    # Feedback posts accepted per sender and per client address each minute.
    feedback_per_sender_per_minute: int = 10
    feedback_per_address_per_minute: int = 60

    @property
    def action_endpoint_url(self) -> str:
        """URL at which the Rasa server calls the action server."""
        return self.action_server_url or f"http://127.0.0.1:{self.action_port}/webhook"

    @property
    def rasa_public_url(self) -> str:
        """The Rasa server's address for browsers (PUBLIC_URL or localhost)."""
        return (self.public_url or f"http://localhost:{self.rasa_port}").rstrip("/")

    @property
    def slack_enabled(self) -> bool:
        """Whether both Slack secrets are set, so the Slack channel can start."""
        return bool(self.slack_token and self.slack_signing_secret)


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip() or str(default)
    try:
        port = int(raw)
    except ValueError as error:
        raise SettingsError(f"{name} must be a port number, not {raw!r}.") from error
    if not 0 < port < 65536:
        raise SettingsError(f"{name} must be between 1 and 65535, not {port}.")
    return port


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip() or str(default)
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{name} must be a whole number above 0, not {raw!r}.")
    return int(raw)


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _url(env: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    value = _optional(env, name)
    if value is None:
        return None
    parsed = urlsplit(value)
    if parsed.scheme not in schemes or not parsed.hostname:
        expected = " or ".join(f"{scheme}://" for scheme in schemes)
        # The value may hold a password: name the setting, never echo it.
        raise SettingsError(f"{name} must be a URL starting with {expected}.")
    return value


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be on or off, not {raw!r}.")


_HOST = re.compile(r"^(?:[A-Za-z0-9.-]{1,253}|[0-9A-Fa-f:]{2,45})$")


def _host(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, "").strip() or default
    if not _HOST.match(value):
        raise SettingsError(f"{name} must be a host name or an IP address.")
    return value


def _token(env: Mapping[str, str], name: str) -> str | None:
    value = _optional(env, name)
    if value is not None and (len(value) < 16 or not value.isprintable()):
        # Never echo a secret, even a bad one.
        raise SettingsError(f"{name} must be at least 16 printable characters.")
    return value


def default_database_url() -> str:
    """SQLite file inside the project, so `make run` needs no database server."""
    return f"sqlite:///{DEFAULT_DATA_DIR / 'bot.sqlite3'}"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Reads the settings from the environment.

    Args:
        environ: The environment to read; `os.environ` when not given.

    Returns:
        The settings, with defaults filled in.

    Raises:
        SettingsError: A value is present but unusable (say, a port that is
            not a number).

    """
    env = os.environ if environ is None else environ
    widget_port = _port(env, "WIDGET_PORT", 8080)
    origins = env.get("CORS_ORIGINS", "").strip()
    cors_origins = (
        tuple(origin.strip() for origin in origins.split(",") if origin.strip())
        if origins
        else (f"http://localhost:{widget_port}", f"http://127.0.0.1:{widget_port}")
    )
    return Settings(
        database_url=_optional(env, "DATABASE_URL") or default_database_url(),
        content_file=Path(_optional(env, "CONTENT_FILE") or DEFAULT_CONTENT_FILE),
        rasa_port=_port(env, "RASA_PORT", 5005),
        action_port=_port(env, "ACTION_PORT", 5055),
        widget_port=widget_port,
        cors_origins=cors_origins,
        model_path=Path(
            _optional(env, "RASA_MODEL") or PROJECT_ROOT / "models" / "bot.tar.gz"
        ),
        run_dir=Path(_optional(env, "RUN_DIR") or PROJECT_ROOT / ".run"),
        max_message_chars=_positive(env, "MAX_MESSAGE_CHARS", 2000),
        log_level=(_optional(env, "LOG_LEVEL") or "INFO").upper(),
        slack_token=_optional(env, "SLACK_TOKEN"),
        slack_signing_secret=_optional(env, "SLACK_SIGNING_SECRET"),
        slack_channel=_optional(env, "SLACK_CHANNEL"),
        slack_api_url=_optional(env, "SLACK_API_URL"),
        retention_days=_positive(env, "RETENTION_DAYS", 30),
        redis_url=_url(env, "REDIS_URL", ("redis", "rediss")),
        action_server_url=_url(env, "ACTION_SERVER_URL", ("http", "https")),
        bind_host=_host(env, "BIND_HOST", "127.0.0.1"),
        action_server_token=_token(env, "ACTION_SERVER_TOKEN"),
        public_url=_url(env, "PUBLIC_URL", ("http", "https")),
        rest_channel_enabled=_switch(env, "REST_CHANNEL", True),
        feedback_per_sender_per_minute=_positive(
            env, "FEEDBACK_PER_SENDER_PER_MINUTE", 10
        ),
        feedback_per_address_per_minute=_positive(
            env, "FEEDBACK_PER_ADDRESS_PER_MINUTE", 60
        ),
    )
