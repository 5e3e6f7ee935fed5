"""Locust visitors for `make bench`: realistic conversations over REST.

Each simulated visitor is one person on the clinic's site: a greeting now and
then, three to six questions drawn from the held-out NLU test set, a
follow-up ("how long does it take?") after some answers, and reading and
typing time before every message (BENCH_THINK_MIN to BENCH_THINK_MAX seconds).
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


def conversation_plan() -> list[str]:
    """One visitor's messages: maybe a greeting, 3-6 questions, some follow-ups."""
    plan = ["hi"] if random.random() < 0.3 else []
    for _ in range(random.randint(3, 6)):
        plan.append(random.choice(QUESTIONS))
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
            elif not response.json():
                response.failure("empty reply")
