"""Where this bot's Rasa server spends its CPU under load: a py-spy profile.

py-spy (requirements/bench.txt) attaches to the running `rasa run` process
and samples its Python stacks 100 times a second while 20 clients send
messages without waiting. It counts on-CPU samples only (py-spy's default,
without --idle): a thread waiting for the network, the database or a lock
adds nothing. The raw collapsed stacks and a flame graph drawn from them
are saved under results/bench/.

Each sample goes to the first of these categories its stack matches (so the
shares add up to 100%):

1. tracker save: Rasa's `save_tracker`, or a tracker store's `save`;
   "redaction" is the part of it in bot/server/privacy's redaction;
2. tracker load: fetching the tracker (`get_tracker`, a store's `retrieve`),
   which replays its events, and starting a session;
3. policy prediction: the policy graph (`_predict_next_with_tracker`,
   rasa/core/policies);
4. NLU pipeline: parsing the message (`parse_message`, rasa/nlu,
   bot/server/nlu);
5. HTTP, event loop and the rest: everything else (Sanic, channels, running
   actions, the action server's HTTP calls, logging).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.flamegraph import read_collapsed, write_svg
from bench.processes import BenchError

PY_SPY = Path(sys.executable).parent / "py-spy"
SAMPLES_PER_SECOND = 100

_PROCESSOR = r"rasa/core/processor\.py"
_STORES = r"(rasa/core/tracker_store|bot/server/tracker_store|bot/server/outage)\.py"
CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "tracker save",
        re.compile(
            rf"^save_tracker \(.*{_PROCESSOR}"
            rf"|^save \(.*({_STORES}|bot/server/privacy/tracker\.py)",
            re.M,
        ),
    ),
    (
        "tracker load",
        re.compile(
            r"^(get_tracker|fetch_tracker_and_update_session"
            rf"|fetch_tracker_with_initial_session) \(.*{_PROCESSOR}"
            rf"|^(retrieve|_retrieve|retrieve_full_tracker|get_or_create_tracker"
            rf"|_read) \(.*{_STORES}",
            re.M,
        ),
    ),
    (
        "policy prediction",
        re.compile(
            rf"^_predict_next_with_tracker \(.*{_PROCESSOR}|\(.*rasa/core/policies/",
            re.M,
        ),
    ),
    (
        "NLU pipeline",
        re.compile(
            rf"^(parse_message|_parse_message_with_graph) \(.*{_PROCESSOR}"
            r"|\(.*(rasa/nlu|bot/server/nlu)/",
            re.M,
        ),
    ),
)
REST = "HTTP, event loop and the rest"
REDACTION = re.compile(r"^(stored_form|\w*redact\w*) \(.*bot/server/privacy/", re.M)


@contextmanager
def py_spy_recording(pid: int, seconds: int, collapsed: Path, log: Path) -> Iterator:
    """Records the stacks of process `pid` for `seconds` into `collapsed`.

    Args:
        pid: The process to profile (the `rasa run` process).
        seconds: How long to sample; the load must last at least as long.
        collapsed: Where the raw collapsed stacks go.
        log: Where py-spy's own output goes.

    Yields:
        Nothing; run the load inside the `with` block.

    Raises:
        BenchError: py-spy could not attach or wrote no stacks.

    """
    collapsed.unlink(missing_ok=True)
    with open(log, "wb") as out:
        spy = subprocess.Popen(
            [
                str(PY_SPY),
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(seconds),
                "--rate",
                str(SAMPLES_PER_SECOND),
                "--format",
                "raw",
                # One box per function, not per line, in the flame graph.
                "--function",
                "--output",
                str(collapsed),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield
    finally:
        try:
            spy.wait(timeout=seconds + 60)
        except subprocess.TimeoutExpired:
            spy.kill()
            spy.wait(timeout=30)
    if spy.returncode != 0 or not collapsed.is_file():
        raise BenchError(f"py-spy failed (exit {spy.returncode}); see {log}")


def categorize(stacks: list[tuple[list[str], int]]) -> dict:
    """Shares of the samples by category (see the module docstring).

    Returns:
        Samples in all, and per category its samples and percentage share,
        with the redaction's part of the tracker save.

    """
    counts = {name: 0 for name, _ in CATEGORIES} | {REST: 0}
    redaction = 0
    total = 0
    for frames, count in stacks:
        stack = "\n".join(frames)
        total += count
        name = next((n for n, pattern in CATEGORIES if pattern.search(stack)), REST)
        counts[name] += count
        if name == "tracker save" and REDACTION.search(stack):
            redaction += count

    def share(samples: int) -> float:
        return round(100 * samples / total, 1) if total else 0.0

    return {
        "samples": total,
        "categories": {
            name: {"samples": samples, "percent": share(samples)}
            for name, samples in counts.items()
        },
        "redaction_within_tracker_save": {
            "samples": redaction,
            "percent": share(redaction),
        },
    }


def summarize(collapsed: Path, svg: Path, seconds: int) -> dict:
    """Categorizes the recorded stacks and draws their flame graph.

    Args:
        collapsed: The raw collapsed stacks py-spy wrote.
        svg: Where the flame graph goes.
        seconds: How long py-spy sampled.

    Returns:
        The categories (see `categorize`), the sampling rate and duration,
        and where the files are.

    """
    stacks = read_collapsed(collapsed)
    write_svg(
        stacks,
        svg,
        f"Rasa server of this bot, 20 clients without waiting, {seconds} s, "
        "on-CPU samples",
    )
    return {
        "seconds": seconds,
        "samples_per_second": SAMPLES_PER_SECOND,
        "on_cpu_only": True,
        **categorize(stacks),
        "collapsed_stacks": str(collapsed),
        "flamegraph_svg": str(svg),
    }
