"""Turns run one at a time in order of arrival, and none waits long for another."""

from __future__ import annotations

import asyncio

import pytest

from bot.server.channels.turn_gate import TurnGate


async def _turn(gate: TurnGate, name: str, log: list[str], steps: int = 3) -> None:
    async with gate.turn():
        for step in range(steps):
            log.append(f"{name}{step}")
            # An action call: the event loop is free to run other tasks.
            await asyncio.sleep(0.001)


async def test_a_turn_is_not_interleaved_with_turns_that_arrive_during_it():
    gate = TurnGate(max_wait=5)
    log: list[str] = []
    await asyncio.gather(
        _turn(gate, "a", log), _turn(gate, "b", log), _turn(gate, "c", log)
    )
    assert log == ["a0", "a1", "a2", "b0", "b1", "b2", "c0", "c1", "c2"]


async def test_without_the_gate_the_same_turns_interleave():
    # The behaviour the gate prevents, shown with a gate that never waits:
    # b runs while a is inside its turn. a waits for b by an event, not by
    # a sleep, so that a slow machine cannot reorder them (with 1 ms sleeps
    # this failed under load).
    gate = TurnGate(max_wait=0)
    log: list[str] = []
    b_ran = asyncio.Event()

    async def a() -> None:
        async with gate.turn():
            log.append("a0")
            await asyncio.wait_for(b_ran.wait(), timeout=5)
            log.append("a1")

    async def b() -> None:
        async with gate.turn():
            log.append("b0")
            b_ran.set()

    await asyncio.gather(a(), b())
    assert log == ["a0", "b0", "a1"]


async def test_a_stuck_turn_holds_others_up_for_max_wait_only():
    # Bounds wide apart (0.5 s), so that a loaded machine cannot blur them.
    gate = TurnGate(max_wait=0.5)
    stuck_started = asyncio.Event()
    release = asyncio.Event()

    async def stuck() -> None:
        async with gate.turn():
            stuck_started.set()
            await release.wait()

    stuck_task = asyncio.create_task(stuck())
    await stuck_started.wait()
    loop = asyncio.get_running_loop()
    started = loop.time()
    log: list[str] = []
    await _turn(gate, "b", log, steps=1)
    waited = loop.time() - started
    assert log == ["b0"]
    assert 0.45 <= waited < 5
    release.set()
    await stuck_task
    # The gate is open again: the next turn does not wait.
    started = loop.time()
    await _turn(gate, "c", log, steps=1)
    assert loop.time() - started < 0.4


async def test_a_turn_that_fails_passes_the_gate_on():
    gate = TurnGate(max_wait=5)
    log: list[str] = []

    async def failing() -> None:
        async with gate.turn():
            await asyncio.sleep(0.001)
            raise RuntimeError("action failed")

    results = await asyncio.gather(
        failing(), _turn(gate, "b", log), return_exceptions=True
    )
    assert isinstance(results[0], RuntimeError)
    assert log == ["b0", "b1", "b2"]
    assert gate.waiting == 0


async def test_a_waiting_turn_that_is_cancelled_leaves_the_gate_working():
    gate = TurnGate(max_wait=5)
    log: list[str] = []
    first = asyncio.create_task(_turn(gate, "a", log))
    await asyncio.sleep(0)
    cancelled = asyncio.create_task(_turn(gate, "x", log))
    third = asyncio.create_task(_turn(gate, "c", log))
    await asyncio.sleep(0)
    assert gate.waiting == 2
    cancelled.cancel()
    await asyncio.gather(first, third)
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert log == ["a0", "a1", "a2", "c0", "c1", "c2"]
    assert gate.waiting == 0


async def test_a_turn_cancelled_as_it_is_handed_the_gate_passes_it_on():
    gate = TurnGate(max_wait=5)
    log: list[str] = []
    holder = gate.turn()
    await holder.__aenter__()
    handed = asyncio.create_task(_turn(gate, "x", log))
    after = asyncio.create_task(_turn(gate, "c", log))
    await asyncio.sleep(0)
    assert gate.waiting == 2
    # The holder leaves, handing the gate to "x", and "x" is cancelled
    # before it runs again.
    await holder.__aexit__(None, None, None)
    handed.cancel()
    await after
    assert log == ["c0", "c1", "c2"]
    with pytest.raises(asyncio.CancelledError):
        await handed
    # Nobody holds the gate now: the next turn goes straight in.
    loop = asyncio.get_running_loop()
    started = loop.time()
    await _turn(gate, "d", log, steps=1)
    assert loop.time() - started < 1
    assert gate.waiting == 0
