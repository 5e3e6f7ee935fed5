"""Locust visitors for `make bench`: realistic conversations over REST.

Each simulated visitor is one person on the clinic's site: a greeting now and
then, three to six questions drawn from the held-out NLU test set, a
follow-up ("how long does it take?") after some answers, and reading and
typing time before every message (BENCH_THINK_MIN to BENCH_THINK_MAX seconds;
0 and 0 for clients that ask again as soon as they have an answer).

The same visitors talk to the bare `rasa init` bot, which answers with its
mood bot's replies. To some of these questions it sends nothing at all (2
of 120 in a trial, later in a conversation: its policies predict only
listening), and that is a complete answer for that bot, so
BENCH_EMPTY_REPLY_OK=1, set for the bare bot only, counts an empty list as
an answer (the HTTP status and the JSON list are still checked). For this
bot an empty reply is a failure: every message must get an answer.
"""

from __future__ import annotations

import os
import random
import sys
import uuid
from pathlib import Path

from locust import HttpUser, between, task

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.questions import faq_questions  # noqa: E402

FOLLOW_UPS = ["how long does it take?", "and after that?", "what about depression?"]
EMPTY_REPLY_OK = os.environ.get("BENCH_EMPTY_REPLY_OK") == "1"


def conversation_plan() -> list[str]:
    """One visitor's messages: maybe a greeting, 3-6 questions, some follow-ups."""
    questions = faq_questions()
    plan = ["hi"] if random.random() < 0.3 else []
    for _ in range(random.randint(3, 6)):
        plan.append(random.choice(questions))
        if random.random() < 0.25:
            plan.append(random.choice(FOLLOW_UPS))
    return plan


class Visitor(HttpUser):
    """One person asking a few questions, reading each answer before the next."""

    # Every message, follow-ups included, comes after reading and typing time.
    wait_time = between(
        float(os.environ.get("BENCH_THINK_MIN", "10")),
        float(os.environ.get("BENCH_THINK_MAX", "30")),
    )

    def on_start(self) -> None:
        """Starts the first conversation."""
        self._new_conversation()

    def _new_conversation(self) -> None:
        self.sender = f"bench-{uuid.uuid4().hex[:12]}"
        self.plan = conversation_plan()

    @task
    def say_next(self) -> None:
        """Sends the next message of the conversation; then a new visitor comes."""
        if not self.plan:
            self._new_conversation()
        message = self.plan.pop(0)
        with self.client.post(
            "/webhooks/rest/webhook",
            json={"sender": self.sender, "message": message},
            name="/webhooks/rest/webhook",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return
            try:
                reply = response.json()
            except ValueError:
                response.failure("reply is not JSON")
                return
            if not isinstance(reply, list):
                response.failure("reply is not a list")
            elif not reply and not EMPTY_REPLY_OK:
                response.failure("empty reply")
