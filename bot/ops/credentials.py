"""The credentials file the Rasa server starts with: which channels are on.

This module is imported by the launcher before Rasa starts, so it must stay
light: it imports nothing from Rasa. The channels themselves run in the Rasa
server (`bot.server.channels`), which imports them by class path.
"""

from __future__ import annotations

from pathlib import Path

from bot.ops.run_files import with_section, write_run_file
from bot.settings import PROJECT_ROOT, Settings

SLACK_INPUT_CLASS = "bot.server.channels.slack.SlackInput"
REST_SECTION = """
# Added by `python -m bot.ops.cli serve` unless REST_CHANNEL=off. Rasa's REST
# channel with input checks and a reply to every message.
bot.server.channels.rest.CheckedRestInput:
"""
BASE_CREDENTIALS_FILE = PROJECT_ROOT / "credentials.yml"
EFFECTIVE_CREDENTIALS_NAME = "credentials.yml"


def slack_credentials_section(settings: Settings) -> str:
    """Return the credentials.yml section of the Slack channel ("" when off).

    The values are references to environment variables, which Rasa fills in
    when it reads the file, so no secret is ever written to disk. The
    references must stay unquoted: Rasa 3.6 only substitutes plain scalars.

    Args:
        settings: The bot's settings; the section is empty unless
            `settings.slack_enabled`.

    Returns:
        YAML text to append to credentials.yml.

    """
    if not settings.slack_enabled:
        return ""
    lines = [
        "",
        "# Added by `python -m bot.ops.cli serve` because SLACK_TOKEN and",
        "# SLACK_SIGNING_SECRET are set. Rasa reads the values from the",
        "# environment; they are never written here.",
        f"{SLACK_INPUT_CLASS}:",
        "  slack_token: ${SLACK_TOKEN}",
        "  slack_signing_secret: ${SLACK_SIGNING_SECRET}",
    ]
    if settings.slack_channel:
        lines.append("  slack_channel: ${SLACK_CHANNEL}")
    return "\n".join(lines) + "\n"


def effective_credentials(base: str, settings: Settings) -> str:
    """Return credentials.yml plus the channels the settings turn on.

    The web widget's channel is always on (credentials.yml); the bare REST
    channel unless `REST_CHANNEL=off`, Slack when its secrets are set.

    Args:
        base: The text of the project's credentials.yml.
        settings: The bot's settings.

    Returns:
        The text of the credentials file to pass to `rasa run`.

    """
    rest = REST_SECTION if settings.rest_channel_enabled else ""
    return with_section(with_section(base, rest), slack_credentials_section(settings))


def write_effective_credentials(settings: Settings) -> Path:
    """Write the credentials file for `rasa run` into `settings.run_dir`.

    Args:
        settings: The bot's settings.

    Returns:
        The path of the written file.

    """
    base = BASE_CREDENTIALS_FILE.read_text(encoding="utf-8")
    text = effective_credentials(base, settings)
    return write_run_file(settings, EFFECTIVE_CREDENTIALS_NAME, text)


def slack_status_line(settings: Settings) -> str:
    """Return the one line `make run` prints about the Slack channel."""
    if settings.slack_enabled:
        return "Slack channel: on"
    missing = [
        name
        for name, value in (
            ("SLACK_TOKEN", settings.slack_token),
            ("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
        )
        if not value
    ]
    if len(missing) == 1:
        return f"Slack channel: off ({missing[0]} is not set)"
    return "Slack channel: off (SLACK_TOKEN and SLACK_SIGNING_SECRET are not set)"
