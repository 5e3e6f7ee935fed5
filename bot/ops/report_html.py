"""The report as one self-contained HTML page, and its short text summary.

The page is the Jinja2 template `templates/report.html`, rendered with
autoescape on: every value from the database is escaped, since unanswered
questions are text people typed. It has no scripts and loads nothing from
the web: styles are inline and charts are inline SVG.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from bot.ops import report_charts
from bot.ops.report_data import ReportData
from bot.topics import FALLBACK_INTENT, OUT_OF_SCOPE_INTENT, TOPIC_TITLES

TEMPLATES = Path(__file__).resolve().parent / "templates"
QUESTION_KINDS = {FALLBACK_INTENT: "unclear", OUT_OF_SCOPE_INTENT: "out of scope"}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["percent"] = _percent
    return environment


def _trusted_svg(svg: str | None) -> Markup | None:
    # matplotlib writes the SVG from counts and topic titles, escaping its
    # text itself; it is inserted as markup, everything else is escaped.
    return Markup(svg) if svg else None


def render(data: ReportData) -> str:
    """The whole report page.

    Args:
        data: The figures from `bot.ops.report_data.collect`.

    Returns:
        HTML text.

    """
    charts = {
        "activity": report_charts.activity_chart(data.days),
        "topics": report_charts.topics_chart(data.answers_per_topic, TOPIC_TITLES),
        "outcomes": report_charts.outcomes_chart(
            data.messages, data.fallbacks, data.out_of_scope
        ),
        "feedback": (
            report_charts.feedback_chart(data.feedback, TOPIC_TITLES)
            if data.feedback is not None
            else None
        ),
    }
    cards = [
        ("Conversations", data.conversations),
        ("Messages", data.messages),
        ("Vetted answers sent", sum(data.answers_per_topic.values())),
        ("Fallback rate", _percent(data.fallback_rate)),
        ("Out-of-scope rate", _percent(data.out_of_scope_rate)),
        ("Crisis and safety replies", sum(data.safety_routes.values())),
    ]
    return (
        _environment()
        .get_template("report.html")
        .render(
            data=data,
            cards=cards,
            charts={name: _trusted_svg(svg) for name, svg in charts.items()},
            topic_titles=TOPIC_TITLES,
            question_kinds=QUESTION_KINDS,
        )
    )


def summary_lines(data: ReportData) -> list[str]:
    """A few lines for the terminal: counts and rates, no message text."""
    lines = [
        f"Conversations: {data.conversations}, messages: {data.messages}, "
        f"vetted answers sent: {sum(data.answers_per_topic.values())}.",
        f"Fallback: {_percent(data.fallback_rate)}, out of scope: "
        f"{_percent(data.out_of_scope_rate)}.",
        "Safety routes: "
        + (
            ", ".join(f"{name} {count}" for name, count in data.safety_routes.items())
            or "none"
        )
        + ".",
        f"Unanswered questions listed: {len(data.unanswered)}.",
    ]
    if data.days:
        lines.insert(1, f"Days: {data.days[0].day} to {data.days[-1].day}.")
    return lines


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"
