"""Rasa's Redis lock store, configured from `REDIS_URL`.

Several Rasa servers behind a load balancer share conversations through the
tracker database; the lock store makes sure two servers never handle the
same conversation's messages at once (Rasa's own scale-out design). The one
setting `REDIS_URL` (password included, if any) replaces host, port, db and
password values in `endpoints.yml`, so no secret is written to a file.

Rasa 3.6's `RedisLockStore` changes a lock by reading it, changing it and
writing it back in three steps. Two servers that receive the same
conversation's messages at the same moment can both read "no lock", both take
ticket 0 and both go ahead; the scale-out test saw one of the two messages
lost that way. Here every change of a lock is one Redis transaction (WATCH,
then MULTI/EXEC, retried when another server changed the lock meanwhile).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

from bot.settings import SettingsError, load_settings

# Keys start with this, so the bot can share a Redis with other programs.
KEY_PREFIX = "mdmafaq"


def redis_arguments(redis_url: str) -> dict[str, Any]:
    """`RedisLockStore` arguments from a `redis://` or `rediss://` URL.

    Args:
        redis_url: Such as `redis://:password@host:6379/1`.

    Returns:
        host, port, db, username, password and use_ssl.

    """
    parts = urlsplit(redis_url)
    database = parts.path.strip("/") or "0"
    if not database.isdigit():
        raise SettingsError("REDIS_URL must end with a database number, as /1.")
    return {
        "host": parts.hostname,
        "port": parts.port or 6379,
        "db": int(database),
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "use_ssl": parts.scheme == "rediss",
    }


class RedisUrlLockStore(RedisLockStore):
    """Redis lock store whose server is `REDIS_URL`."""

    def __init__(self, endpoint_config: Any = None) -> None:
        """Connects to the configured Redis (Rasa passes its endpoint config).

        Raises:
            SettingsError: `REDIS_URL` is not set.

        """
        redis_url = load_settings().redis_url
        if redis_url is None:
            raise SettingsError("The Redis lock store needs REDIS_URL.")
        super().__init__(key_prefix=KEY_PREFIX, **redis_arguments(redis_url))

    def _change(
        self,
        conversation_id: str,
        change: Callable[[TicketLock | None], tuple[TicketLock | None, Any]],
    ) -> Any:
        """Changes a conversation's lock atomically.

        Args:
            conversation_id: Whose lock.
            change: Gets the stored lock (None if there is none) and returns
                the lock to store (None deletes it) and a result.

        Returns:
            The result of `change`.

        """
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> Any:
            stored = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(stored)) if stored else None
            new_lock, result = change(lock)
            pipe.multi()
            if new_lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, new_lock.dumps())
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    def issue_ticket(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME
    ) -> int:
        """Issues the next ticket for the conversation, creating its lock if needed."""

        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            # As Rasa's own lock store reports it.
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        """Removes expired tickets from the conversation's lock."""

        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Removes a served ticket from the conversation's lock."""

        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Removes a served ticket; deletes the lock if no one else waits.

        One transaction, so a ticket issued meanwhile by another server is
        never deleted with the lock.
        """

        def release(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, release)
