"""`make bench`: load-tests the real bot on loopback and prints the figures.

Starts the bot as `make run` does (action server and Rasa server under
supervisor, its own SQLite database), then runs Locust headless:

* the main run: 50 visitors for two minutes at people's pace;
* single-user latency: 1 visitor asking again soon after each answer;
* growth: 1, 10, 50 and 100 visitors at people's pace;
* stress: 50 visitors who ask every 2-5 seconds, to find the saturation point.

People's pace: an answer is 72-109 words plus the 24-word disclaimer, about
30 seconds of reading at an adult's 238 words a minute, and the next
question takes 10 seconds or more to type. Visitors here wait 10-30 seconds
(they skim) before every message, follow-ups included. Visitors arrive over
20 seconds; the figures count from when all of them are there.

Prints messages per second, p50/p95/p99 latency, errors and the peak memory
of each process, and writes everything to results/bench.json.

Run with the bench environment's Python (see Makefile):
    .venv-bench/bin/python bench/run_bench.py --bot-python .venv/bin/python
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results"

# The tests' port helper (standard library only): ports held until the end.
sys.path.insert(0, str(ROOT))
from tests.support.ports import held_port  # noqa: E402


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class PeakMemory:
    """Samples the resident memory of each supervised process once a second."""

    def __init__(self, supervisord_pid: int) -> None:
        self._root = psutil.Process(supervisord_pid)
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _name(self, process: psutil.Process) -> str:
        command = " ".join(process.cmdline())
        if "bot.answers.action_server" in command:
            return "action server"
        if "rasa run" in command:
            return "rasa server"
        if "bot.ops.widget.server" in command:
            return "widget server"
        if "supervisord" in command:
            return "supervisord"
        return process.name()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                for process in [self._root, *self._root.children(recursive=True)]:
                    name = self._name(process)
                    rss = process.memory_info().rss
                    self.peaks[name] = max(self.peaks.get(name, 0), rss)
            except psutil.Error:
                pass
            self._stop.wait(1)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


# Seconds over which the visitors of a run arrive (not measured).
RAMP_SECONDS = 20
# Seconds a visitor waits before each message (see the module docstring).
PEOPLES_PACE = (10.0, 30.0)
SINGLE_USER_PACE = (0.5, 1.0)
STRESS_PACE = (2.0, 5.0)


def warm_up(host: str) -> None:
    """A few messages first: the first ones compile TensorFlow's functions."""
    for number, message in enumerate(["hi", "what is mdma therapy?", "is it legal?"]):
        request = urllib.request.Request(
            host + "/webhooks/rest/webhook",
            data=json.dumps(
                {"sender": f"warm-up-{number}", "message": message}
            ).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()


def run_locust(
    host: str,
    users: int,
    seconds: int,
    out: Path,
    pace: tuple[float, float],
    label: str,
) -> dict:
    """Runs Locust headless; returns the aggregated figures."""
    prefix = out / f"{label}_users_{users}"
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            # Visitors arrive over RAMP_SECONDS, not all in the same second,
            # and the figures count from when all of them are there.
            "--spawn-rate",
            str(max(1.0, users / RAMP_SECONDS)),
            "--reset-stats",
            "--run-time",
            f"{seconds + RAMP_SECONDS}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
        ],
        check=False,
        cwd=ROOT,
        env={
            **os.environ,
            "BENCH_THINK_MIN": str(pace[0]),
            "BENCH_THINK_MAX": str(pace[1]),
        },
    )
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.is_file():
        raise RuntimeError(f"Locust failed (exit {finished.returncode}); see above.")
    with open(stats_file, encoding="utf-8") as stats:
        row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    return {
        "visitors": users,
        "think_seconds": list(pace),
        "seconds": seconds,
        "messages": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "messages_per_second": round(float(row["Requests/s"]), 2),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
    }


def main() -> int:
    """Starts the bot, runs the load tests, prints and saves the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--bot-python", required=True)
    parser.add_argument("--main-seconds", type=int, default=120)
    parser.add_argument("--step-seconds", type=int, default=60)
    args = parser.parse_args()

    # The safety router's own cost, measured alone before any load.
    cost = subprocess.run(
        [args.bot_python, str(ROOT / "bench" / "safety_cost.py")],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    safety_cost = json.loads(cost.stdout.strip().splitlines()[-1])

    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    rasa_port, action_port = held_port(), held_port()
    env = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "WIDGET_PORT": str(held_port()),
        "DATABASE_URL": f"sqlite:///{workdir / 'bot.sqlite3'}",
        "RUN_DIR": str(workdir / "run"),
        "RASA_TELEMETRY_ENABLED": "false",
    }
    subprocess.run(
        [args.bot_python, "-m", "bot.ops.cli", "load-content"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    log = open(workdir / "bot.log", "wb")
    bot = subprocess.Popen(
        [args.bot_python, "-m", "bot.ops.cli", "serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    host = f"http://127.0.0.1:{rasa_port}"
    try:
        deadline = time.monotonic() + 300
        while not (_up(host + "/") and _up(f"http://127.0.0.1:{action_port}/health")):
            if time.monotonic() > deadline or bot.poll() is not None:
                print(
                    f"The bot did not start; see {workdir / 'bot.log'}", file=sys.stderr
                )
                return 1
            time.sleep(1)
        out = RESULTS / "bench"
        out.mkdir(parents=True, exist_ok=True)
        warm_up(host)
        with PeakMemory(bot.pid) as memory:
            main_run = run_locust(
                host, 50, args.main_seconds, out, PEOPLES_PACE, "main"
            )
            single = run_locust(
                host, 1, args.step_seconds, out, SINGLE_USER_PACE, "single"
            )
            growth = [
                run_locust(host, users, args.step_seconds, out, PEOPLES_PACE, "growth")
                for users in (1, 10, 50, 100)
            ]
            stress = run_locust(host, 50, args.step_seconds, out, STRESS_PACE, "stress")
        figures = {
            "main_run_50_visitors": main_run,
            "single_user": single,
            "growth": growth,
            "stress_50_visitors_every_2_to_5_s": stress,
            "peak_memory_mb": {
                k: round(v / 2**20) for k, v in sorted(memory.peaks.items())
            },
            "safety_router_per_message": safety_cost,
            "targets": {"errors": 0, "p95_ms_below": 300},
            "targets_met": main_run["errors"] == 0 and main_run["p95_ms"] < 300,
            "machine": {
                "cpus": os.cpu_count(),
                "memory_gb": round(psutil.virtual_memory().total / 2**30),
            },
        }
    finally:
        os.killpg(bot.pid, signal.SIGINT)
        bot.wait(timeout=60)
        log.close()
    (RESULTS / "bench.json").write_text(
        json.dumps(figures, indent=2) + "\n", encoding="utf-8"
    )
    m = figures["main_run_50_visitors"]
    print(
        f"\n50 visitors at people's pace, {m['seconds']} s: "
        f"{m['messages_per_second']} messages/s, "
        f"p50 {m['p50_ms']:.0f} ms, p95 {m['p95_ms']:.0f} ms, "
        f"p99 {m['p99_ms']:.0f} ms, "
        f"{m['errors']} errors of {m['messages']}"
    )
    s = figures["single_user"]
    print(
        f"single user: p50 {s['p50_ms']:.0f} ms, p95 {s['p95_ms']:.0f} ms "
        f"({s['messages']} messages)"
    )
    print("growth at people's pace (10-30 s between questions):")
    print("visitors  msg/s   p50    p95    p99  errors")
    rows = [(f"{g['visitors']:>8}", g) for g in growth]
    rows.append(("50, 2-5 s", stress))
    for name, g in rows:
        print(
            f"{name} {g['messages_per_second']:>6} {g['p50_ms']:>5.0f} "
            f"{g['p95_ms']:>6.0f} {g['p99_ms']:>6.0f} {g['errors']:>6}"
        )
    print(
        "peak memory (MB): "
        + ", ".join(f"{k} {v}" for k, v in figures["peak_memory_mb"].items())
    )
    c = figures["safety_router_per_message"]
    print(
        f"safety router per message: encoder p50 {c['encoder_ms_p50']} ms "
        f"(p95 {c['encoder_ms_p95']}), encoder + risk model p50 "
        f"{c['risk_score_ms_p50']} ms (p95 {c['risk_score_ms_p95']}); "
        f"encoder memory {c['encoder_memory_mb']} MB"
    )
    verdict = "met" if figures["targets_met"] else "NOT met"
    print(f"targets (no errors, p95 < 300 ms): {verdict}")
    print(f"figures written to {RESULTS / 'bench.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
