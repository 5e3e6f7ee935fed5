"""Files the Rasa server is started with, written into the run folder.

`credentials.yml` and `endpoints.yml` are the project's own files plus
sections that depend on the settings (the Slack channel, the Redis lock
store). The sections hold class names and `${VAR}` references only, never a
secret.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot.settings import Settings


def with_section(base: str, section: str) -> str:
    """Returns `base` with `section` appended ("" leaves it unchanged)."""
    if not section:
        return base
    if base and not base.endswith("\n"):
        base += "\n"
    return base + section


def make_run_dir(settings: Settings) -> Path:
    """Creates the run folder, the owner's alone (also one made before)."""
    settings.run_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if settings.run_dir.stat().st_uid == os.geteuid():
        settings.run_dir.chmod(0o700)
    return settings.run_dir


def write_run_file(settings: Settings, name: str, text: str) -> Path:
    """Writes a file into `settings.run_dir`; returns its path."""
    make_run_dir(settings)
    path = settings.run_dir / name
    path.write_text(text, encoding="utf-8")
    return path
