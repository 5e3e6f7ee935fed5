"""Locust visitors for `make bench`: realistic conversations over REST.

Each simulated visitor is one person on the clinic's site: a greeting now and
then, three to six questions drawn from the held-out NLU test set, a
follow-up ("how long does it take?") after some answers, and a few seconds of
reading time between messages.
"""

from __future__ import annotations

import os
import random
import uuid
from pathlib import Path

import yaml
from locust import HttpUser, between, task

ROOT = Path(__file__).resolve().parent.parent
FOLLOW_UPS = ["how long does it take?", "and after that?", "what about depression?"]


def _questions() -> list[str]:
    questions = []
    for path in sorted((ROOT / "tests" / "nlu").glob("faq_*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            questions += [
                line.strip()[2:]
                for line in block["examples"].splitlines()
                if line.strip().startswith("- ")
            ]
    return questions


QUESTIONS = _questions()


class Visitor(HttpUser):
    """One person asking a few questions, reading each answer."""

    wait_time = between(
        float(os.environ.get("BENCH_THINK_MIN", "2")),
        float(os.environ.get("BENCH_THINK_MAX", "5")),
    )

    def on_start(self) -> None:
        """Starts a new conversation with its own sender id."""
        self.sender = f"bench-{uuid.uuid4().hex[:12]}"
        self.remaining = random.randint(3, 6)
        if random.random() < 0.3:
            self._say("hi")

    def _say(self, message: str) -> None:
        with self.client.post(
            "/webhooks/rest/webhook",
            json={"sender": self.sender, "message": message},
            name="/webhooks/rest/webhook",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif not response.json():
                response.failure("empty reply")

    @task
    def ask(self) -> None:
        """Asks one question, sometimes followed by a follow-up."""
        if self.remaining <= 0:
            self.on_start()
        self._say(random.choice(QUESTIONS))
        self.remaining -= 1
        if random.random() < 0.25:
            self._say(random.choice(FOLLOW_UPS))
