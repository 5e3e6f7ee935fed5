"""The Redis lock store hands out each ticket once, whoever asks at once.

Two lock stores (as two Rasa servers have) on a real Redis, many threads
asking for tickets for the same conversation at the same moment.
"""

from __future__ import annotations

import threading
import time

import pytest

from bot.server.lock_store import RedisUrlLockStore
from tests.support.services import ServiceMissing, running_redis

THREADS = 8
TICKETS_PER_THREAD = 25
# The ticket below lives 0.2 s; it must be gone well within this.
EXPIRY_DEADLINE_SECONDS = 2


@pytest.fixture
def stores(tmp_path, monkeypatch):
    try:
        with running_redis(tmp_path) as redis_url:
            monkeypatch.setenv("REDIS_URL", redis_url)
            yield [RedisUrlLockStore(), RedisUrlLockStore()]
    except ServiceMissing as missing:
        pytest.fail(f"{missing} (`make test-scale` installs it)")


def test_tickets_issued_at_once_are_all_different(stores):
    tickets: list[int] = []
    start = threading.Barrier(THREADS)

    def take_tickets(store: RedisUrlLockStore) -> None:
        start.wait()
        for _ in range(TICKETS_PER_THREAD):
            tickets.append(store.issue_ticket("same-conversation", 60))

    threads = [
        threading.Thread(target=take_tickets, args=(stores[n % 2],))
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tickets) == list(range(THREADS * TICKETS_PER_THREAD))


async def test_a_lock_is_served_in_ticket_order_and_removed_when_done(stores):
    first, second = stores
    ticket_a = first.issue_ticket("conversation", 60)
    ticket_b = second.issue_ticket("conversation", 60)
    assert first.get_lock("conversation").is_locked(ticket_b)
    assert not first.get_lock("conversation").is_locked(ticket_a)

    # Releasing the first ticket keeps the lock for the one still waiting.
    first.cleanup("conversation", ticket_a)
    lock = second.get_lock("conversation")
    assert lock is not None and not lock.is_locked(ticket_b)

    second.cleanup("conversation", ticket_b)
    assert first.get_lock("conversation") is None


def test_expired_tickets_are_dropped(stores):
    # A server that died holding a ticket does not block the conversation.
    store = stores[0]
    expiring = store.issue_ticket("conversation", 0.2)
    waiting = store.issue_ticket("conversation", 60)
    assert store.get_lock("conversation").now_serving == expiring
    # Poll until the 0.2 s ticket has expired and been dropped.
    deadline = time.monotonic() + EXPIRY_DEADLINE_SECONDS
    while True:
        store.update_lock("conversation")
        if store.get_lock("conversation").now_serving == waiting:
            break
        assert time.monotonic() < deadline, "the expired ticket was never dropped"
        time.sleep(0.02)
