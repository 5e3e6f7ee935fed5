"""Times each part of `make test` and prints the table at the end.

    python scripts/test_times.py run PART -- COMMAND...   run, record its time
    python scripts/test_times.py table                    print the table

`run` records PART's wall-clock time in results/test-times.tsv (or
$TEST_TIMES_FILE) and exits with the command's status. It passes PART on in
TEST_PART: a pytest run of several test folders in one process (sharing one
model or one bot) then adds a row per folder under it (tests/conftest.py),
the time spent in that folder's tests, set-up and tear-down included. The
time shared start-ups take is counted in the folder whose test needed them
first.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

TIMES_FILE = Path(
    os.environ.get(
        "TEST_TIMES_FILE",
        Path(__file__).resolve().parent.parent / "results" / "test-times.tsv",
    )
)


def record(part: str, seconds: float, parent: str = "") -> None:
    """Adds one row (part, seconds, the part it belongs to) to the times file."""
    TIMES_FILE.parent.mkdir(parents=True, exist_ok=True)
    with open(TIMES_FILE, "a", encoding="utf-8") as rows:
        rows.write(f"{part}\t{seconds:.1f}\t{parent}\n")


def run(part: str, command: list[str]) -> int:
    """Runs the command, records its time under `part`, returns its status."""
    start = time.monotonic()
    status = subprocess.call(command, env={**os.environ, "TEST_PART": part})
    record(part, time.monotonic() - start)
    return status


def table() -> str:
    """The recorded parts in the order they ran, each folder under its part."""
    if not TIMES_FILE.exists():
        return ""
    rows = [
        line.split("\t")
        for line in TIMES_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    lines = [f"{'part':<28}{'seconds':>9}"]
    total = 0.0
    for part, seconds, parent in rows:
        if parent:
            continue
        total += float(seconds)
        lines.append(f"{part:<28}{float(seconds):>9.1f}")
        lines += [
            f"  {sub:<26}{float(sub_seconds):>9.1f}"
            for sub, sub_seconds, sub_parent in rows
            if sub_parent == part
        ]
    lines.append(f"{'total':<28}{total:>9.1f}  ({total / 60:.1f} min)")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Runs `run` or `table` (see the module's docstring)."""
    if argv[:1] == ["table"]:
        print(table())
        return 0
    if len(argv) >= 4 and argv[0] == "run" and argv[2] == "--":
        return run(argv[1], argv[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
