"""Charts of the report as inline SVG (matplotlib, no pyplot, no web requests).

Each function returns the markup of one `<svg>` element, or None when there
is nothing to draw.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.ops.report_data import Day, FeedbackCount

# Glyphs are drawn as paths, so charts look the same without matplotlib's
# fonts; ids are stable between runs.
matplotlib.rcParams["svg.fonttype"] = "path"
matplotlib.rcParams["svg.hashsalt"] = "report"
matplotlib.rcParams["font.size"] = 10

BLUE = "#2a6f97"
GREEN = "#4c9a2a"
ORANGE = "#e07a1f"
RED = "#b23a48"
GREY = "#9aa5b1"


def activity_chart(days: Sequence[Day]) -> str | None:
    """Messages (bars) and conversations (line) per day."""
    if not days:
        return None
    figure = Figure(figsize=(9, 3.2))
    axes = figure.subplots()
    labels = [day.day.isoformat() for day in days]
    axes.bar(labels, [day.messages for day in days], color=BLUE, label="Messages")
    axes.plot(
        labels,
        [day.conversations for day in days],
        color=ORANGE,
        marker="o",
        label="Conversations",
    )
    axes.set_ylabel("Per day (UTC)")
    axes.legend(loc="upper left", frameon=False)
    _tidy(axes, counts="y")
    if len(labels) > 10:
        axes.tick_params(axis="x", labelrotation=45)
        for label in axes.get_xticklabels():
            label.set_horizontalalignment("right")
    return _svg(figure)


def topics_chart(answers: Mapping[str, int], titles: Mapping[str, str]) -> str | None:
    """Vetted answers sent per topic, most asked first."""
    if not answers:
        return None
    ranked = sorted(answers.items(), key=lambda item: (item[1], item[0]))
    figure = Figure(figsize=(9, 0.6 + 0.32 * len(ranked)))
    axes = figure.subplots()
    axes.barh(
        [titles.get(topic, topic) for topic, _ in ranked],
        [count for _, count in ranked],
        color=BLUE,
    )
    axes.set_xlabel("Answers sent")
    _tidy(axes)
    return _svg(figure)


def outcomes_chart(messages: int, fallbacks: int, out_of_scope: int) -> str | None:
    """Messages the bot handled, could not place (fallback), or declined."""
    if not messages:
        return None
    handled = messages - fallbacks - out_of_scope
    figure = Figure(figsize=(9, 1.5))
    axes = figure.subplots()
    left = 0
    for value, label, colour in (
        (handled, "Answered or handled", GREEN),
        (fallbacks, "Fallback (unclear)", ORANGE),
        (out_of_scope, "Out of scope", GREY),
    ):
        axes.barh([""], [value], left=left, color=colour, label=f"{label}: {value}")
        left += value
    axes.set_xlabel("Messages")
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    _tidy(axes)
    return _svg(figure)


def feedback_chart(
    feedback: Sequence[FeedbackCount], titles: Mapping[str, str]
) -> str | None:
    """Helpful and not helpful verdicts per answer version."""
    if not feedback:
        return None
    labels = [f"{titles.get(f.topic, f.topic)} (v{f.version})" for f in feedback]
    figure = Figure(figsize=(9, 0.8 + 0.32 * len(feedback)))
    axes = figure.subplots()
    helpful = [f.helpful for f in feedback]
    axes.barh(labels, helpful, color=GREEN, label="Helpful")
    axes.barh(
        labels,
        [f.not_helpful for f in feedback],
        left=helpful,
        color=RED,
        label="Not helpful",
    )
    axes.invert_yaxis()
    axes.set_xlabel("Verdicts")
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    _tidy(axes)
    return _svg(figure)


def _tidy(axes, counts: str = "x") -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    # Counts are whole numbers.
    axis = axes.xaxis if counts == "x" else axes.yaxis
    axis.set_major_locator(MaxNLocator(integer=True))


def _svg(figure: Figure) -> str:
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    markup = buffer.getvalue()
    # Drop the XML prolog and doctype: the SVG goes inside an HTML page.
    return markup[markup.index("<svg") :]
