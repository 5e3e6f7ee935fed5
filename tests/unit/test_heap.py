"""The start-up objects are frozen once, and later garbage is still collected."""

from __future__ import annotations

import gc
import weakref

import pytest

from bot.server import heap


@pytest.fixture
def unfrozen(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(heap, "_frozen", False)
    yield
    gc.unfreeze()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_start_up_objects_are_frozen_once(unfrozen) -> None:
    kept = [_Cycle() for _ in range(100)]
    assert heap.freeze_start_up_objects() is True
    frozen = gc.get_freeze_count()
    assert frozen >= len(kept)
    assert heap.freeze_start_up_objects() is False
    assert gc.get_freeze_count() == frozen


def test_garbage_made_after_the_freeze_is_collected(unfrozen) -> None:
    heap.freeze_start_up_objects()
    made = [weakref.ref(_Cycle()) for _ in range(1000)]
    gc.collect()
    assert all(ref() is None for ref in made)
