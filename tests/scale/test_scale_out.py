"""Two Rasa servers share conversations (PostgreSQL tracker store, Redis locks).

One conversation's messages go alternately to both servers, directly and
through nginx, and at the same moment to both: it must stay coherent, with
follow-ups understood, every message stored once, and no reply lost or sent
twice.
"""

from __future__ import annotations

import subprocess
import threading
from urllib.parse import urlsplit

import pytest

from tests.scale.cluster import Cluster, running_cluster
from tests.support.events import stored_events
from tests.support.postgres import PostgresMissing
from tests.support.replies import vetted_topics
from tests.support.services import ServiceMissing


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    try:
        with running_cluster(tmp_path_factory.mktemp("cluster")) as started:
            yield started
    except (PostgresMissing, ServiceMissing) as missing:
        pytest.fail(f"{missing} (`make test-scale` installs it)")


def _stored(cluster: Cluster, sender: str) -> list[tuple[str, dict]]:
    return stored_events(cluster.database_url, sender)


def _assert_one_answer_each(replies: list[dict], topic: str) -> None:
    assert vetted_topics(replies) == [topic]
    texts = [r["text"] for r in replies if r.get("text")]
    assert len(texts) == len(set(texts)), texts


def _texts(replies: list[dict]) -> list[str]:
    return [reply["text"] for reply in replies if reply.get("text")]


def _assert_stored_once_in_order(
    cluster: Cluster, sender: str, said: list[str], texts_received: list[str]
) -> None:
    events = _stored(cluster, sender)
    assert [data["text"] for kind, data in events if kind == "user"] == said
    # Every reply sent is stored once (the REST channel sends each stored
    # reply whole: answer, sources and disclaimer in one message).
    stored_texts = [
        data["text"].strip()
        for kind, data in events
        if kind == "bot" and data.get("text")
    ]
    assert sorted(stored_texts) == sorted(text.strip() for text in texts_received)
    # Turns never interleave: after each message the bot finished (listened)
    # before the next message was taken.
    kinds = [
        kind if kind in ("user", "bot") else data.get("name", kind)
        for kind, data in events
    ]
    user_positions = [i for i, kind in enumerate(kinds) if kind == "user"]
    for start, end in zip(
        user_positions, user_positions[1:] + [len(kinds)], strict=True
    ):
        assert kinds[end - 1] == "action_listen", kinds[start:end]
        assert "bot" in kinds[start:end], kinds[start:end]


CONVERSATION = [
    ("what happens during a dosing session?", "session_experience"),
    ("how long does it take?", "session_length"),
    ("and after that?", "session_experience"),
    ("is mdma therapy safe?", "safety"),
    ("how long does it take?", "course_length"),
]


def test_alternating_servers_keeps_the_conversation(cluster):
    sender = "scale-alternating"
    received: list[str] = []
    for number, (message, topic) in enumerate(CONVERSATION):
        # Even messages to the first server, odd ones to the second: each
        # follow-up is understood by a server that did not give the answer
        # it follows.
        replies, _ = cluster.post(cluster.rasa_urls[number % 2], sender, message)
        _assert_one_answer_each(replies, topic)
        received += _texts(replies)
    said = [message for message, _ in CONVERSATION]
    _assert_stored_once_in_order(cluster, sender, said, received)


def test_the_load_balancer_uses_both_servers_for_one_conversation(cluster):
    sender = "scale-balanced"
    upstreams: set[str] = set()
    received: list[str] = []
    for message, topic in CONVERSATION:
        replies, headers = cluster.post(cluster.balancer_url, sender, message)
        _assert_one_answer_each(replies, topic)
        upstreams.add(headers["X-Upstream"])
        received += _texts(replies)
    assert upstreams == {urlsplit(url).netloc for url in cluster.rasa_urls}
    said = [message for message, _ in CONVERSATION]
    _assert_stored_once_in_order(cluster, sender, said, received)


def _ask_together(cluster: Cluster, sender: str, messages: list[str]) -> dict:
    """Sends one message to each Rasa server at the same moment."""
    results: dict[str, list[dict]] = {}
    start = threading.Barrier(len(messages))

    def ask(url: str, message: str) -> None:
        start.wait()
        results[message] = cluster.post(url, sender, message)[0]

    threads = [
        threading.Thread(target=ask, args=(url, message))
        for url, message in zip(cluster.rasa_urls, messages, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_messages_arriving_together_at_both_servers_are_taken_in_turn(cluster):
    questions = {"is it legal?": "fda", "what are the side effects?": "side_effects"}
    for attempt in range(3):
        sender = f"scale-together-{attempt}"
        results = _ask_together(cluster, sender, list(questions))
        for message, topic in questions.items():
            _assert_one_answer_each(results[message], topic)
        stored_order = [
            data["text"] for kind, data in _stored(cluster, sender) if kind == "user"
        ]
        assert sorted(stored_order) == sorted(questions)
        received = [text for replies in results.values() for text in _texts(replies)]
        _assert_stored_once_in_order(cluster, sender, stored_order, received)


def test_the_servers_take_their_locks_in_redis(cluster):
    port = urlsplit(cluster.redis_url).port
    stats = subprocess.run(
        ["redis-cli", "-p", str(port), "info", "commandstats"],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    ).stdout
    calls = {
        line.split(":")[0].removeprefix("cmdstat_"): int(
            line.split("calls=")[1].split(",")[0]
        )
        for line in stats.splitlines()
        if line.startswith("cmdstat_")
    }
    assert calls.get("set", 0) > 0 and calls.get("get", 0) > 0, calls
    assert "ERROR" not in cluster.log_text()
