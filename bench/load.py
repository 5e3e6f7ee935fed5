"""The load of `make bench`: Locust phases and the conversation-length phase.

A Locust phase runs bench/locustfile.py headless in its own process for a
fixed time and returns the aggregated figures of its measured part (Locust
resets its statistics once every client has arrived). Its output goes to a
log under results/bench/, shown only when it fails.
"""

from __future__ import annotations

import csv
import json
import os
import random
import statistics
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from bench.processes import BenchError, run_logged
from bench.questions import faq_questions

ROOT = Path(__file__).resolve().parent.parent
# Locust needs a few seconds to start and to stop beyond its run time.
LOCUST_GRACE_SECONDS = 120


@dataclass(frozen=True)
class Phase:
    """One Locust phase.

    Attributes:
        label: Its name in file names and bench.json.
        users: Clients talking at the same time.
        seconds: Seconds measured, once every client has arrived.
        pace: Seconds a client waits before each message (min, max).
        ramp_seconds: Seconds over which the clients arrive (not measured).

    """

    label: str
    users: int
    seconds: int
    pace: tuple[float, float]
    ramp_seconds: int


def _post(host: str, sender: str, message: str, timeout: float = 60) -> list:
    request = urllib.request.Request(
        host + "/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def warm_up(host: str) -> None:
    """A few messages first: the first ones trace TensorFlow's functions."""
    for number, message in enumerate(["hi", "what is mdma therapy?", "is it legal?"]):
        try:
            _post(host, f"warm-up-{number}", message)
        except (OSError, ValueError) as error:
            raise BenchError(f"Warm-up message to {host} failed: {error}") from error


def _figures(prefix: Path, phase: Phase) -> dict:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    kinds: dict[str, int] = {}
    failures = Path(f"{prefix}_failures.csv")
    if failures.is_file():
        with open(failures, encoding="utf-8") as rows:
            for failure in csv.DictReader(rows):
                kinds[failure["Error"]] = int(failure["Occurrences"])
    return {
        "clients": phase.users,
        "think_seconds": list(phase.pace),
        "seconds": phase.seconds,
        "messages": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "error_kinds": kinds,
        "messages_per_second": round(float(row["Requests/s"]), 2),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
    }


def locust_command(host: str, phase: Phase, prefix: Path) -> list[str]:
    """The command line of one headless Locust run."""
    return [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(phase.users),
        "--spawn-rate",
        str(phase.users / phase.ramp_seconds),
        # The figures count from when every client is there.
        "--reset-stats",
        "--run-time",
        f"{phase.seconds + phase.ramp_seconds}s",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "ERROR",
    ]


def run_locust(
    host: str, phase: Phase, prefix: Path, empty_reply_ok: bool = False
) -> dict:
    """Runs one Locust phase against `host`.

    Args:
        host: The Rasa server ("http://127.0.0.1:<port>").
        phase: What to run.
        prefix: Where Locust's CSV files and log go (a path without suffix).
        empty_reply_ok: Count an empty list as an answer (the bare bot only;
            see bench/locustfile.py).

    Returns:
        The figures of the measured part of the phase.

    Raises:
        BenchError: Locust did not finish in time or wrote no figures.

    """
    log = Path(f"{prefix}.log")
    for old in prefix.parent.glob(prefix.name + "_*.csv"):
        old.unlink()
    env = {
        **os.environ,
        "BENCH_THINK_MIN": str(phase.pace[0]),
        "BENCH_THINK_MAX": str(phase.pace[1]),
        "BENCH_EMPTY_REPLY_OK": "1" if empty_reply_ok else "0",
    }
    deadline = phase.seconds + phase.ramp_seconds + LOCUST_GRACE_SECONDS
    run_logged(
        locust_command(host, phase, prefix),
        log,
        deadline,
        f"Locust phase {phase.label}",
        env=env,
    )
    if not Path(f"{prefix}_stats.csv").is_file():
        raise BenchError(f"Locust phase {phase.label} wrote no figures; see {log}")
    return _figures(prefix, phase)


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def _one_message_ms(host: str, sender: str, message: str, empty_ok: bool) -> float:
    start = time.perf_counter()
    reply = _post(host, sender, message)
    elapsed = (time.perf_counter() - start) * 1000
    if not isinstance(reply, list) or not (reply or empty_ok):
        raise ValueError("empty reply")
    return elapsed


def conversation_length(
    host: str,
    conversations: int,
    turns: int,
    empty_reply_ok: bool = False,
    seconds: float = 900,
) -> dict:
    """Per-message time by turn: `conversations` conversations of `turns` messages.

    One client, no think time, one conversation after the other, each with
    its own sender. The messages are drawn from the held-out FAQ questions
    with a fixed seed per conversation, so both bots get the same sequences.
    Conversations run one after the other, not interleaved, so that turn 1
    and turn 50 are measured at times spread over the whole phase, and a
    change of the machine's load affects both alike.

    Statistic: the median, across conversations, of the time of turn 1, of
    turns 2-4, of turns 9-11 and of the last two turns (49-50 with the
    defaults; medians of 5, 15, 15 and 10 times), robust to one slow
    message; and the ratios of the last two turns to turn 1 (issue 15's
    measure) and to turns 2-4. Turn 1 also starts the conversation's
    session (`action_session_start`); turns 2-4 are a second baseline, of
    15 messages instead of 5.

    Args:
        host: The Rasa server.
        conversations: How many conversations.
        turns: Messages per conversation.
        empty_reply_ok: Count an empty list as an answer (the bare bot only).
        seconds: Deadline for the whole phase.

    Returns:
        The figures, with the median time of every turn.

    Raises:
        BenchError: More than one message in ten failed, or the deadline passed.

    """
    if turns < 11:
        raise BenchError("The conversation-length phase needs 11 turns or more")
    questions = faq_questions()
    times: list[list[float]] = [[] for _ in range(turns)]
    errors = 0
    deadline = time.monotonic() + seconds
    for number in range(conversations):
        chooser = random.Random(1000 + number)
        sender = f"bench-length-{number}-{uuid.uuid4().hex[:8]}"
        for turn in range(turns):
            if time.monotonic() > deadline:
                raise BenchError(f"Conversation-length phase ran past {seconds:.0f} s")
            message = chooser.choice(questions)
            try:
                times[turn].append(
                    _one_message_ms(host, sender, message, empty_reply_ok)
                )
            except (OSError, ValueError):
                errors += 1
    if errors > conversations * turns / 10:
        raise BenchError(f"Conversation-length phase: {errors} messages failed")
    return _length_figures(times, conversations, errors)


def _length_figures(times: list[list[float]], conversations: int, errors: int) -> dict:
    def window(first: int, last: int) -> list[float]:
        return [t for turn in range(first - 1, last) for t in times[turn]]

    last = len(times)
    turn_1 = _median(window(1, 1))
    early = _median(window(2, 4))
    turn_last = _median(window(last - 1, last))
    return {
        "conversations": conversations,
        "turns": last,
        "errors": errors,
        "turn_1_ms": turn_1,
        "turns_2_to_4_ms": early,
        "turns_9_to_11_ms": _median(window(9, 11)),
        "last_two_turns_ms": turn_last,
        "last_over_first": round(turn_last / turn_1, 2),
        "last_over_turns_2_to_4": round(turn_last / early, 2),
        "median_ms_by_turn": [_median(t) if t else None for t in times],
    }
