"""The one place where the bot's configuration is read.

Every setting comes from the environment (see `.env.example`), with a default
that works on a fresh clone. `Settings` is a pydantic model whose field
aliases are the environment variables' names; its validators say what each
may hold. Nothing is read at import time: call `load_settings()` where a
setting is needed, so tests can change the environment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Extra, Field, ValidationError, root_validator, validator
from pydantic.fields import ModelField

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / ".data"
DEFAULT_CONTENT_FILE = Path(__file__).resolve().parent / "content" / "answers.yml"

_HOST = re.compile(r"^(?:[A-Za-z0-9.-]{1,253}|[0-9A-Fa-f:]{2,45})$")
# Schemes each URL setting accepts.
_URL_SCHEMES = {
    "redis_url": ("redis", "rediss"),
    "action_server_url": ("http", "https"),
    "public_url": ("http", "https"),
}


class SettingsError(ValueError):
    """A setting in the environment has a value the bot cannot use."""


def default_database_url() -> str:
    """SQLite file inside the project, so `make run` needs no database server."""
    return f"sqlite:///{DEFAULT_DATA_DIR / 'bot.sqlite3'}"


class Settings(BaseModel):
    """Runtime settings of the bot, its servers and its channels.

    Each field is read from the environment variable its alias names. A
    variable that is unset, empty or only spaces takes the default.
    """

    # Before cors_origins, whose default is made from it.
    widget_port: int = Field(8080, alias="WIDGET_PORT")
    database_url: str = Field(
        default_factory=default_database_url, alias="DATABASE_URL"
    )
    content_file: Path = Field(DEFAULT_CONTENT_FILE, alias="CONTENT_FILE")
    rasa_port: int = Field(5005, alias="RASA_PORT")
    action_port: int = Field(5055, alias="ACTION_PORT")
    # Comma-separated; the demo page's own addresses when not set.
    cors_origins: tuple[str, ...] = Field((), alias="CORS_ORIGINS")
    model_path: Path = Field(PROJECT_ROOT / "models" / "bot.tar.gz", alias="RASA_MODEL")
    run_dir: Path = Field(PROJECT_ROOT / ".run", alias="RUN_DIR")
    max_message_chars: int = Field(2000, alias="MAX_MESSAGE_CHARS")
    log_level: str = Field("INFO", alias="LOG_LEVEL")
    slack_token: str | None = Field(None, alias="SLACK_TOKEN")
    slack_signing_secret: str | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_channel: str | None = Field(None, alias="SLACK_CHANNEL")
    slack_api_url: str | None = Field(None, alias="SLACK_API_URL")
    # Days conversations are kept before `python -m bot.ops.cli purge-old` deletes them.
    retention_days: int = Field(30, alias="RETENTION_DAYS")
    # Scale-out (docs/scale-out.md): the Redis that Rasa servers share for
    # conversation locks, and the action servers' address (a load balancer).
    redis_url: str | None = Field(None, alias="REDIS_URL")
    action_server_url: str | None = Field(None, alias="ACTION_SERVER_URL")
    # The interface every server listens on: loopback unless a deployment
    # puts a TLS reverse proxy on another machine in front (docs/scale-out.md).
    bind_host: str = Field("127.0.0.1", alias="BIND_HOST")
    # Shared secret the Rasa servers send to the action servers; `serve`
    # makes one per start when it is unset (bot/answers/action_server.py).
    action_server_token: str | None = Field(None, alias="ACTION_SERVER_TOKEN")
    # The Rasa server's address as browsers reach it (the demo page's widget
    # and its Content-Security-Policy); never taken from a request.
    public_url: str | None = Field(None, alias="PUBLIC_URL")
    # The bare REST channel (/webhooks/rest/); production can turn it off and
    # keep only the widget and Slack.
    rest_channel_enabled: bool = Field(True, alias="REST_CHANNEL")
    # Feedback posts accepted per sender and per client address each minute.
    feedback_per_sender_per_minute: int = Field(
        10, alias="FEEDBACK_PER_SENDER_PER_MINUTE"
    )
    feedback_per_address_per_minute: int = Field(
        60, alias="FEEDBACK_PER_ADDRESS_PER_MINUTE"
    )
    # Set by `make run` (seconds since the epoch when it began), so the
    # "ready" line can say how long set-up took from a fresh clone.
    run_started_at: float | None = Field(None, alias="RUN_STARTED_AT")

    class Config:
        """Immutable; other environment variables are ignored."""

        frozen = True
        extra = Extra.ignore

    @root_validator(pre=True)
    def _drop_unset(cls, environ: dict[str, Any]) -> dict[str, Any]:
        # Only this model's variables, stripped; empty ones take the default.
        names = {field.alias for field in cls.__fields__.values()}
        return {
            name: value.strip() if isinstance(value, str) else value
            for name, value in environ.items()
            if name in names and not (isinstance(value, str) and not value.strip())
        }

    @validator("widget_port", "rasa_port", "action_port", pre=True)
    def _port(cls, raw: Any, field: ModelField) -> int:
        try:
            port = int(raw)
        except ValueError:
            raise ValueError(
                f"{field.alias} must be a port number, not {raw!r}."
            ) from None
        if not 0 < port < 65536:
            raise ValueError(f"{field.alias} must be between 1 and 65535, not {port}.")
        return port

    @validator(
        "max_message_chars",
        "retention_days",
        "feedback_per_sender_per_minute",
        "feedback_per_address_per_minute",
        pre=True,
    )
    def _positive(cls, raw: Any, field: ModelField) -> int:
        if not str(raw).isdigit() or int(raw) < 1:
            raise ValueError(
                f"{field.alias} must be a whole number above 0, not {raw!r}."
            )
        return int(raw)

    @validator("cors_origins", pre=True, always=True)
    def _origins(cls, raw: Any, values: dict[str, Any]) -> tuple[str, ...]:
        if raw:
            return tuple(origin.strip() for origin in raw.split(",") if origin.strip())
        port = values.get("widget_port", 8080)
        return (f"http://localhost:{port}", f"http://127.0.0.1:{port}")

    @validator("log_level")
    def _upper(cls, level: str) -> str:
        return level.upper()

    @validator(*_URL_SCHEMES)
    def _url(cls, value: str | None, field: ModelField) -> str | None:
        if value is None:
            return None
        schemes = _URL_SCHEMES[field.name]
        parsed = urlsplit(value)
        if parsed.scheme not in schemes or not parsed.hostname:
            expected = " or ".join(f"{scheme}://" for scheme in schemes)
            # The value may hold a password: name the setting, never echo it.
            raise ValueError(f"{field.alias} must be a URL starting with {expected}.")
        return value

    @validator("bind_host")
    def _host(cls, value: str, field: ModelField) -> str:
        if not _HOST.match(value):
            raise ValueError(f"{field.alias} must be a host name or an IP address.")
        return value

    @validator("action_server_token")
    def _token(cls, value: str | None, field: ModelField) -> str | None:
        if value is not None and (len(value) < 16 or not value.isprintable()):
            # Never echo a secret, even a bad one.
            raise ValueError(f"{field.alias} must be at least 16 printable characters.")
        return value

    @validator("rest_channel_enabled", pre=True)
    def _switch(cls, raw: Any, field: ModelField) -> bool:
        word = str(raw).lower()
        if word in ("1", "true", "yes", "on"):
            return True
        if word in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{field.alias} must be on or off, not {word!r}.")

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


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Reads the settings from the environment.

    Args:
        environ: The environment to read; `os.environ` when not given.

    Returns:
        The settings, with defaults filled in.

    Raises:
        SettingsError: A value is present but unusable (say, a port that is
            not a number); the message names every such setting.

    """
    env = os.environ if environ is None else environ
    try:
        return Settings.parse_obj(dict(env))
    except ValidationError as error:
        # The validators' own sentences, which never echo a secret or a URL.
        raise SettingsError(" ".join(e["msg"] for e in error.errors())) from None
