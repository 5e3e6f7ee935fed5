"""Where the CLINC150 out-of-scope data set lives, and which of it is small talk.

Used to build the out-of-scope training data and to measure how well the bot
declines off-topic questions. The data set sits in the workspace's shared
folder beside the repository (`../shared/data/clinc150`), or where
`CLINC150_FILE` points.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot.settings import PROJECT_ROOT

# CLINC150 intents the bot handles itself (greetings, yes/no, "are you a
# bot?") rather than declining: left out of training and measurement.
SMALL_TALK_INTENTS = frozenset(
    {
        "greeting",
        "goodbye",
        "thank_you",
        "are_you_a_bot",
        "what_can_i_ask_you",
        "yes",
        "no",
        "maybe",
        "repeat",
        "cancel",
    }
)


def clinc150_file() -> Path:
    """Path of `clinc150_train_val.json`."""
    override = os.environ.get("CLINC150_FILE")
    if override:
        return Path(override)
    return (
        PROJECT_ROOT.parent / "shared" / "data" / "clinc150" / "clinc150_train_val.json"
    )
