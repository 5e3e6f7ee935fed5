"""The figures of `make bench`: this bot against the bare bot, and the targets.

Issue 15's targets, from one run (ratios, since absolute times drift on a
shared machine):

* 50 visitors at about 5 s between messages: p95 at most 1.2x the bare bot;
* saturation (20 clients, no wait): messages/s at least 1.0x the bare bot;
* Rasa server peak memory at most 1.2x the bare bot;
* a conversation's turn 50 costs at most 1.2x its turn 1 (this bot's own).

Turn 1 also starts the session (`action_session_start`); turns 49-50 over
turns 2-4 is shown beside it, a baseline of 15 messages instead of 5, with
no target of its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One measure of the comparison table.

    Attributes:
        label: What is measured, as printed.
        path: Where the figure is in each bot's figures (keys, in order).
        target: ("max" or "min", bound) for the ratio this bot / bare bot,
            ("own max", bound) for this bot's figure itself, or None.

    """

    label: str
    path: tuple[str, ...]
    target: tuple[str, float] | None = None


ROWS = (
    Row("one user (0.5-1 s), p50 ms", ("single_user", "p50_ms")),
    Row("one user (0.5-1 s), p95 ms", ("single_user", "p95_ms")),
    Row("one user (0.5-1 s), p99 ms", ("single_user", "p99_ms")),
    Row("50 visitors (3-7 s), p50 ms", ("visitors_50", "p50_ms")),
    Row("50 visitors (3-7 s), p95 ms", ("visitors_50", "p95_ms"), ("max", 1.2)),
    Row("50 visitors (3-7 s), p99 ms", ("visitors_50", "p99_ms")),
    Row("50 visitors (3-7 s), msg/s", ("visitors_50", "messages_per_second")),
    Row("50 visitors (3-7 s), errors", ("visitors_50", "errors")),
    Row(
        "saturation (20, no wait), msg/s",
        ("saturation", "messages_per_second"),
        ("min", 1.0),
    ),
    Row("saturation (20, no wait), p50 ms", ("saturation", "p50_ms")),
    Row("saturation (20, no wait), p95 ms", ("saturation", "p95_ms")),
    Row("saturation (20, no wait), p99 ms", ("saturation", "p99_ms")),
    Row("Rasa server peak memory, MB", ("rasa_server_peak_memory_mb",), ("max", 1.2)),
    Row("turn 1, ms (median)", ("conversation_length", "turn_1_ms")),
    Row("turns 2-4, ms (median)", ("conversation_length", "turns_2_to_4_ms")),
    Row("turns 9-11, ms (median)", ("conversation_length", "turns_9_to_11_ms")),
    Row("turns 49-50, ms (median)", ("conversation_length", "last_two_turns_ms")),
    Row(
        "turns 49-50 / turn 1",
        ("conversation_length", "last_over_first"),
        ("own max", 1.2),
    ),
    Row("turns 49-50 / turns 2-4", ("conversation_length", "last_over_turns_2_to_4")),
)


def _get(figures: dict, path: tuple[str, ...]) -> float | None:
    for key in path:
        if not isinstance(figures, dict) or key not in figures:
            return None
        figures = figures[key]
    return figures


def _verdict(row: Row, this: float, ratio: float | None) -> tuple[str, bool | None]:
    if row.target is None:
        return "", None
    kind, bound = row.target
    if kind == "own max":
        return f"own <= {bound}", this <= bound
    if ratio is None:
        return f"{'<=' if kind == 'max' else '>='} {bound}x", False
    met = ratio <= bound if kind == "max" else ratio >= bound
    return f"{'<=' if kind == 'max' else '>='} {bound}x", met


def compare(this: dict, bare: dict) -> list[dict]:
    """The comparison table: each measure for both bots, the ratio, the target."""
    table = []
    for row in ROWS:
        mine, theirs = _get(this, row.path), _get(bare, row.path)
        ratio = round(mine / theirs, 2) if mine is not None and theirs else None
        target, met = _verdict(row, mine, ratio) if mine is not None else ("", False)
        table.append(
            {
                "measure": row.label,
                "this_bot": mine,
                "bare_rasa": theirs,
                "ratio": ratio,
                "target": target or None,
                "met": met,
            }
        )
    return table


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if abs(value) < 10 and value != int(value) else f"{value:.0f}"


def print_comparison(table: list[dict]) -> None:
    """Prints the table of this bot against the bare bot, with the targets."""
    print("\nthis bot / bare `rasa init` bot (one run, same load, one after the other)")
    print(f"{'measure':<34}{'this bot':>9}{'bare':>9}{'ratio':>8}  target")
    for row in table:
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else "-"
        verdict = ""
        if row["target"]:
            verdict = f"  {row['target']:<11} {'met' if row['met'] else 'NOT met'}"
        print(
            f"{row['measure']:<34}{_number(row['this_bot']):>9}"
            f"{_number(row['bare_rasa']):>9}{ratio:>8}{verdict}"
        )
    print(
        "An 'own' target holds this bot's own figure (the ratio column compares\n"
        "it with the bare bot's); the others hold the ratio this bot / bare bot."
    )


def print_phases(name: str, figures: dict, labels: dict[str, str]) -> None:
    """Prints one bot's Locust phases: messages/s, p50/p95/p99, errors."""
    print(f"\n{name}: {'phase':<30}{'msg/s':>7}{'p50':>6}{'p95':>6}{'p99':>6}  errors")
    for key, label in labels.items():
        phase = figures.get(key)
        if not phase:
            continue
        print(
            f"{'':{len(name) + 2}}{label:<30}{phase['messages_per_second']:>7}"
            f"{phase['p50_ms']:>6.0f}{phase['p95_ms']:>6.0f}{phase['p99_ms']:>6.0f}"
            f"  {phase['errors']} of {phase['messages']}"
        )
        if phase["error_kinds"]:
            print(f"{'':{len(name) + 4}}errors: {phase['error_kinds']}")


def print_profile(profile: dict) -> None:
    """Prints where this bot's Rasa server spent its CPU under saturation."""
    if "error" in profile:
        print(f"\nprofile under saturation: FAILED: {profile['error']}")
        return
    print(
        f"\nwhere this bot's Rasa server spends its CPU at saturation (py-spy, "
        f"{profile['seconds']} s, {profile['samples']} on-CPU samples at "
        f"{profile['samples_per_second']}/s; first matching category counts):"
    )
    for name, share in profile["categories"].items():
        extra = ""
        if name == "tracker save":
            redaction = profile["redaction_within_tracker_save"]["percent"]
            extra = f"  (of which redaction {redaction}%)"
        print(f"  {name:<32}{share['percent']:>6.1f}%{extra}")
    print(f"  flame graph: {profile['flamegraph_svg']}")
    print(f"  collapsed stacks: {profile['collapsed_stacks']}")


def print_safety_cost(cost: dict) -> None:
    """Prints the safety router's own cost per message (bench/safety_cost.py)."""
    print(
        f"\nsafety router per message: encoder p50 {cost['encoder_ms_p50']} ms "
        f"(p95 {cost['encoder_ms_p95']}), encoder + risk model p50 "
        f"{cost['risk_score_ms_p50']} ms (p95 {cost['risk_score_ms_p95']}); "
        f"encoder memory {cost['encoder_memory_mb']} MB"
    )
