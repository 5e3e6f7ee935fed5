"""`make bench`: this bot against a bare `rasa init` bot, under the same load.

One run measures both bots on this machine:

1. the safety router's own cost per message (bench/safety_cost.py), alone;
2. the bare bot (bench/bare_bot.py): Rasa's starter project built once with
   the project's `.venv` under results/bare-rasa/, served with `rasa run`;
3. this bot, started as `make run` starts it (action server and Rasa server
   under supervisor, a SQLite database of its own; bench/bots.py).

Both bots get the same phases, with the same Locust visitors and the same
messages (held-out FAQ phrasings; bench/locustfile.py), phase by phase, the
bare bot first, then this bot, so that a change in the load of this shared
machine falls on both alike (the bot not under load idles meanwhile):

* one user asking again 0.5-1 s after each answer (60 s);
* 50 visitors, 3-7 s between messages, about one every 5 s (120 s measured
  after a 20 s arrival);
* saturation: 20 clients asking again as soon as they have an answer (60 s);
* conversation length: 5 conversations of 50 messages, one client, no wait,
  the time of turn 1, turns 2-4, 9-11 and 49-50 (bench/load.py);
* the peak resident memory of each Rasa server over these phases.

Then, for this bot only, with the bare bot stopped:

* a py-spy profile of its Rasa server under the saturation load (30 s;
  bench/cpu_profile.py): where the CPU goes, and a flame graph;
* the people's-pace run: 50 visitors who read each answer, 10-30 s between
  messages (120 s), the load the clinic expects. An answer is 72-109 words
  plus the 24-word disclaimer, about 30 seconds of reading at 238 words a
  minute; visitors here skim.

The growth series of earlier versions (1, 10, 50 and 100 visitors at
people's pace, 5 minutes) is gone, to keep the whole run near 20 minutes
with the comparison.

Prints the ratios this bot / bare bot against issue 15's targets
(bench/report.py) and writes every figure to results/bench.json; logs,
Locust's CSV files and the profile are in results/bench/. Absolute times
drift on a shared machine; the ratios from one run are what to compare.

Run with the bench environment's Python (see Makefile):
    .venv-bench/bin/python bench/run_bench.py --bot-python .venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results"
OUT = RESULTS / "bench"

# The project's modules (bench.*, and the tests' port helper).
sys.path.insert(0, str(ROOT))
from bench import report  # noqa: E402
from bench.bare_bot import bare_bot, build_bare_bot  # noqa: E402
from bench.bots import RunningBot, this_bot  # noqa: E402
from bench.cpu_profile import py_spy_recording, summarize  # noqa: E402
from bench.load import Phase, conversation_length, run_locust, warm_up  # noqa: E402
from bench.processes import BenchError, PeakMemory, wait_idle  # noqa: E402

PHASE_LABELS = {
    "single_user": "one user, 0.5-1 s",
    "visitors_50": "50 visitors, 3-7 s",
    "saturation": "saturation, 20 clients, no wait",
    "profile_saturation": "saturation under py-spy",
    "main_run_peoples_pace": "50 visitors, 10-30 s",
}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bot-python", required=True)
    parser.add_argument("--single-seconds", type=int, default=60)
    parser.add_argument("--visitors-seconds", type=int, default=120)
    parser.add_argument("--saturation-seconds", type=int, default=60)
    parser.add_argument("--conversations", type=int, default=5)
    parser.add_argument("--turns", type=int, default=50)
    parser.add_argument("--profile-seconds", type=int, default=30)
    parser.add_argument(
        "--main-seconds", type=int, default=120, help="0 leaves the run out"
    )
    return parser.parse_args()


def _say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def safety_cost(bot_python: str) -> dict:
    """The safety router's cost per message, measured alone before any load."""
    _say("safety router's own cost (bench/safety_cost.py)...")
    try:
        finished = subprocess.run(
            [bot_python, str(ROOT / "bench" / "safety_cost.py")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError("bench/safety_cost.py took over 900 s") from error
    if finished.returncode != 0:
        raise BenchError(f"bench/safety_cost.py failed:\n{finished.stderr[-2000:]}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def comparison_phases(args: argparse.Namespace) -> list[Phase]:
    """The Locust phases both bots get."""
    return [
        Phase("single_user", 1, args.single_seconds, (0.5, 1.0), 1),
        Phase("visitors_50", 50, args.visitors_seconds, (3.0, 7.0), 20),
        Phase("saturation", 20, args.saturation_seconds, (0.0, 0.0), 2),
    ]


def _prefix(bot: RunningBot, label: str) -> Path:
    return OUT / f"{'this' if bot.name == 'this bot' else 'bare'}_{label}"


def measure_phases(bots: list[tuple[RunningBot, bool]], args) -> dict[str, dict]:
    """Runs each phase against each bot in turn; returns the figures by bot.

    Phase by phase, one bot after the other, so that a change in the
    machine's load (it is shared) falls on both bots alike.

    Args:
        bots: The running bots, each with whether an empty reply counts as
            an answer (the bare bot only; see bench/locustfile.py).
        args: The command line (phase lengths).

    Returns:
        For each bot's name, the figures of each phase by label.

    """
    figures: dict[str, dict] = {bot.name: {} for bot, _ in bots}
    for phase in comparison_phases(args):
        for bot, empty_ok in bots:
            _say(f"{bot.name}: {PHASE_LABELS[phase.label]} ({phase.seconds} s)...")
            figures[bot.name][phase.label] = run_locust(
                bot.host, phase, _prefix(bot, phase.label), empty_ok
            )
            wait_idle(bot.rasa_pid)
    for bot, empty_ok in bots:
        _say(
            f"{bot.name}: conversation length ({args.conversations} x "
            f"{args.turns} messages)..."
        )
        figures[bot.name]["conversation_length"] = conversation_length(
            bot.host, args.conversations, args.turns, empty_ok
        )
    return figures


def profile(bot: RunningBot, seconds: int) -> tuple[dict, dict | None]:
    """A py-spy profile of the bot's Rasa server under the saturation load.

    A failure is reported in the figures, not raised: the profile explains
    the figures, it is not one of them.

    Returns:
        The profile's figures (or its error), and the load phase's figures.

    """
    _say(f"{bot.name}: py-spy profile at saturation ({seconds} s)...")
    collapsed = OUT / "profile.collapsed"
    # The load outlasts the sampling: Locust takes a few seconds to start.
    phase = Phase("profile_saturation", 20, seconds + 5, (0.0, 0.0), 2)
    try:
        with py_spy_recording(bot.rasa_pid, seconds, collapsed, OUT / "py-spy.log"):
            load = run_locust(bot.host, phase, _prefix(bot, phase.label))
        return summarize(collapsed, OUT / "profile.svg", seconds), load
    except BenchError as error:
        print(f"The profile failed: {error}", file=sys.stderr)
        return {"error": str(error)}, None


def peoples_pace(bot: RunningBot, seconds: int) -> dict:
    """50 visitors at people's pace (10-30 s between messages)."""
    phase = Phase("main_run_peoples_pace", 50, seconds, (10.0, 30.0), 20)
    _say(f"{bot.name}: {PHASE_LABELS[phase.label]} ({seconds} s)...")
    return run_locust(bot.host, phase, _prefix(bot, phase.label))


def _rasa_server_mb(memory: PeakMemory, name: str) -> int:
    peaks = memory.peaks_mb()
    if "rasa server" not in peaks:
        raise BenchError(f"{name}: no `rasa run` process was seen for its memory")
    return peaks["rasa server"]


def measure_both(args: argparse.Namespace) -> tuple[dict, dict]:
    """Measures this bot and the bare bot (built once); returns their figures.

    Both bots run during the comparison phases (the one not under load is
    idle); the bare bot is stopped before this bot's profile and
    people's-pace run. The Rasa servers' peak memory is over the comparison
    phases, for both alike.
    """
    model = build_bare_bot(args.bot_python, OUT / "bare-rasa-init.log")
    _say("this bot: starting it under supervisor...")
    with (
        this_bot(args.bot_python, OUT / "this-bot.log") as this,
        PeakMemory(this.process.pid) as this_all_phases,
    ):
        warm_up(this.host)
        _say("bare Rasa: starting `rasa run`...")
        with bare_bot(args.bot_python, model, OUT / "bare-rasa.log") as bare:
            warm_up(bare.host)
            wait_idle(this.rasa_pid)
            wait_idle(bare.rasa_pid)
            with (
                PeakMemory(bare.process.pid) as bare_memory,
                PeakMemory(this.process.pid) as this_memory,
            ):
                figures = measure_phases([(bare, True), (this, False)], args)
        mine, theirs = figures[this.name], figures[bare.name]
        mine["cpu_profile"], load = profile(this, args.profile_seconds)
        if load:
            mine["profile_saturation"] = load
        wait_idle(this.rasa_pid)
        if args.main_seconds:
            mine["main_run_peoples_pace"] = peoples_pace(this, args.main_seconds)
    mine["rasa_server_peak_memory_mb"] = _rasa_server_mb(this_memory, this.name)
    mine["peak_memory_mb_all_phases"] = this_all_phases.peaks_mb()
    theirs["rasa_server_peak_memory_mb"] = _rasa_server_mb(bare_memory, bare.name)
    theirs["model"] = str(model.relative_to(ROOT))
    return mine, theirs


def run(args: argparse.Namespace) -> dict:
    """Measures both bots; returns every figure for bench.json."""
    OUT.mkdir(parents=True, exist_ok=True)
    cost = safety_cost(args.bot_python)
    this, bare = measure_both(args)
    table = report.compare(this, bare)
    main_run = this.get("main_run_peoples_pace")
    return {
        "comparison": table,
        "targets_met": all(row["met"] for row in table if row["target"]),
        "this_bot": this,
        "bare_rasa": bare,
        "safety_router_per_message": cost,
        "peoples_pace_target": {
            "errors": 0,
            "p95_ms_below": 300,
            "met": bool(main_run)
            and main_run["errors"] == 0
            and main_run["p95_ms"] < 300,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30),
        },
    }


def print_figures(figures: dict) -> None:
    """Prints the figures of both bots, the profile and the comparison."""
    this, bare = figures["this_bot"], figures["bare_rasa"]
    report.print_phases("this bot", this, PHASE_LABELS)
    report.print_phases("bare Rasa", bare, PHASE_LABELS)
    print(
        f"\nRasa server peak memory over the comparison phases: this bot "
        f"{this['rasa_server_peak_memory_mb']} MB, bare Rasa "
        f"{bare['rasa_server_peak_memory_mb']} MB; this bot's processes over "
        "all its phases (MB): "
        + ", ".join(f"{k} {v}" for k, v in this["peak_memory_mb_all_phases"].items())
    )
    report.print_profile(this["cpu_profile"])
    report.print_safety_cost(figures["safety_router_per_message"])
    report.print_comparison(figures["comparison"])
    verdict = "met" if figures["targets_met"] else "NOT met"
    print(f"\nissue 15's targets: {verdict}")
    if "main_run_peoples_pace" in this:
        people = "met" if figures["peoples_pace_target"]["met"] else "NOT met"
        print(f"people's pace (no errors, p95 < 300 ms): {people}")


def main() -> int:
    """Runs the bench, prints and saves the figures."""
    args = _arguments()
    started = time.monotonic()
    try:
        figures = run(args)
    except BenchError as error:
        print(f"\nmake bench failed: {error}", file=sys.stderr)
        return 1
    figures["run_seconds"] = round(time.monotonic() - started)
    (RESULTS / "bench.json").write_text(
        json.dumps(figures, indent=2) + "\n", encoding="utf-8"
    )
    print_figures(figures)
    print(
        f"\nfigures written to {RESULTS / 'bench.json'}; the run took "
        f"{figures['run_seconds'] / 60:.1f} minutes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
