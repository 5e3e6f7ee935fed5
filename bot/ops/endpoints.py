"""The endpoints file the Rasa server is started with.

It is `endpoints.yml` (action server and tracker store, both from the
environment), plus the Redis lock store when `REDIS_URL` is set, which lets
several Rasa servers share conversations. The file holds class names and
`${VAR}` references only; no address with a password is written.
"""

from __future__ import annotations

from pathlib import Path

from bot.ops.run_files import with_section, write_run_file
from bot.settings import PROJECT_ROOT, Settings

BASE_ENDPOINTS_FILE = PROJECT_ROOT / "endpoints.yml"
EFFECTIVE_ENDPOINTS_NAME = "endpoints.yml"
LOCK_STORE_SECTION = """
# Added by the launcher because REDIS_URL is set (docs/scale-out.md).
lock_store:
  type: bot.server.lock_store.RedisUrlLockStore
"""


def effective_endpoints(base: str, settings: Settings) -> str:
    """Returns endpoints.yml plus the lock store the settings ask for.

    Args:
        base: The text of the project's endpoints.yml.
        settings: The bot's settings.

    Returns:
        The text of the endpoints file to pass to `rasa run`.

    """
    return with_section(base, LOCK_STORE_SECTION if settings.redis_url else "")


def write_effective_endpoints(settings: Settings) -> Path:
    """Writes the effective endpoints file into the run folder; returns its path."""
    base = BASE_ENDPOINTS_FILE.read_text(encoding="utf-8")
    text = effective_endpoints(base, settings)
    return write_run_file(settings, EFFECTIVE_ENDPOINTS_NAME, text)
