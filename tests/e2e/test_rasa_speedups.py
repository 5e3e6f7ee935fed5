"""End to end: the running Rasa server has its speed-up installed, and uses it.

`bot.server.rasa_speedups` replaces a private method of Rasa's `RemoteAction` in
the Rasa server process. An import in this test process would prove
nothing; the server's own log shows that the patch was installed there (the
version guard let it through) and that Rasa called it to validate a real
action server reply. Only the Rasa server validates action replies, so the
second line cannot come from the action server sharing the log.
"""

from __future__ import annotations

import uuid

from bot.disclaimer import build_disclaimer
from bot.server.heap import FROZEN_LOG
from bot.server.rasa_speedups import FIRST_USE_LOG, INSTALLED_LOG, TESTED_RASA_VERSION


def test_the_running_server_validates_action_replies_with_the_speedup(bot):
    log = bot.wait_for_log(INSTALLED_LOG)
    assert f"(Rasa {TESTED_RASA_VERSION})" in log
    assert "Rasa speed-up NOT installed" not in log
    # A vetted answer comes from the action server, so Rasa validates it.
    replies = bot.send(
        "is mdma therapy approved by the fda yet?", sender=f"e2e-{uuid.uuid4().hex}"
    )
    assert any(build_disclaimer() in reply.get("text", "") for reply in replies)
    bot.wait_for_log(FIRST_USE_LOG)


def test_the_running_server_froze_its_start_up_objects(bot):
    # Full collections then skip the model's objects (bot/server/heap.py).
    assert " objects." in bot.wait_for_log(FROZEN_LOG)
