"""The report as one self-contained HTML page, and its short text summary.

The page has no scripts and loads nothing from the web: styles are inline
and charts are inline SVG. Every value from the database is escaped, since
unanswered questions are text people typed.
"""

from __future__ import annotations

from html import escape

from bot.privacy import report_charts
from bot.privacy.report_data import ReportData
from bot.topics import TOPIC_TITLES

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 0 auto; max-width: 960px; padding: 24px; color: #1f2933; }
h1 { margin-bottom: 0; } h2 { margin-top: 32px; border-bottom: 1px solid #d9e2ec; }
.note { color: #52606d; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 16px; }
.card { border: 1px solid #d9e2ec; border-radius: 8px; padding: 12px 16px;
        min-width: 140px; }
.card b { display: block; font-size: 1.6em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e4e7eb; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
svg { max-width: 100%; height: auto; }
"""


def render(data: ReportData) -> str:
    """The whole report page.

    Args:
        data: The figures from `bot.privacy.report_data.collect`.

    Returns:
        HTML text.

    """
    sections = [
        _summary(data),
        _section(
            "Conversations and messages per day",
            report_charts.activity_chart(data.days),
        ),
        _section(
            "Answers per topic",
            report_charts.topics_chart(data.answers_per_topic, TOPIC_TITLES),
        ),
        _section(
            "Fallback and out-of-scope rate",
            report_charts.outcomes_chart(
                data.messages, data.fallbacks, data.out_of_scope
            ),
            f"<p>Fallback: {_percent(data.fallback_rate)} of messages "
            f"({data.fallbacks}). Out of scope: {_percent(data.out_of_scope_rate)} "
            f"({data.out_of_scope}).</p>",
        ),
        _safety(data),
        _feedback(data),
        _unanswered(data),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Conversation report</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>Conversation report</h1>"
        '<p class="note">Made '
        f"{escape(data.generated_at.strftime('%Y-%m-%d %H:%M UTC'))}"
        " from the stored conversations. Messages are stored with names, contact"
        " details and places replaced by placeholders; crisis routes are shown as"
        " counts only.</p>" + "".join(sections) + "</body></html>\n"
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


def _summary(data: ReportData) -> str:
    cards = [
        ("Conversations", str(data.conversations)),
        ("Messages", str(data.messages)),
        ("Vetted answers sent", str(sum(data.answers_per_topic.values()))),
        ("Fallback rate", _percent(data.fallback_rate)),
        ("Out-of-scope rate", _percent(data.out_of_scope_rate)),
        ("Crisis and safety replies", str(sum(data.safety_routes.values()))),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card">{escape(label)}<b>{escape(value)}</b></div>'
            for label, value in cards
        )
        + "</div>"
    )


def _section(title: str, chart: str | None, extra: str = "") -> str:
    body = chart if chart else '<p class="note">No data yet.</p>'
    return f"<h2>{escape(title)}</h2>{body}{extra}"


def _safety(data: ReportData) -> str:
    if not data.safety_routes:
        return _section("Crisis and safety routes", None)
    rows = "".join(
        f'<tr><td>{escape(name)}</td><td class="n">{count}</td></tr>'
        for name, count in data.safety_routes.most_common()
    )
    return (
        '<h2>Crisis and safety routes</h2><p class="note">How often each safety'
        " reply was sent (counts only).</p><table><tr><th>Route</th>"
        f'<th class="n">Times</th></tr>{rows}</table>'
    )


def _feedback(data: ReportData) -> str:
    title = "Feedback per answer and version"
    if data.feedback is None:
        return (
            f'<h2>{title}</h2><p class="note">No feedback table in this database.</p>'
        )
    chart = report_charts.feedback_chart(data.feedback, TOPIC_TITLES)
    if not chart:
        return _section(title, None)
    rows = "".join(
        f"<tr><td>{escape(TOPIC_TITLES.get(f.topic, f.topic))}</td>"
        f'<td class="n">{f.version}</td><td class="n">{f.helpful}</td>'
        f'<td class="n">{f.not_helpful}</td></tr>'
        for f in data.feedback
    )
    return (
        f'<h2>{title}</h2>{chart}<table><tr><th>Answer</th><th class="n">Version'
        '</th><th class="n">Helpful</th><th class="n">Not helpful</th></tr>'
        f"{rows}</table>"
    )


def _unanswered(data: ReportData) -> str:
    title = "Most frequent unanswered questions"
    if not data.unanswered:
        return _section(title, None)
    kinds = {"nlu_fallback": "unclear", "out_of_scope": "out of scope"}
    rows = "".join(
        f"<tr><td>{escape(q.text)}</td><td>{escape(kinds.get(q.intent, q.intent))}"
        f'</td><td class="n">{q.count}</td>'
        f"<td>{escape(q.last_asked.strftime('%Y-%m-%d'))}</td></tr>"
        for q in data.unanswered
    )
    return (
        f'<h2>{title}</h2><p class="note">Redacted as stored. Same question typed'
        " differently (case, spaces, final punctuation) counts once.</p>"
        '<table><tr><th>Question</th><th>Kind</th><th class="n">Times</th>'
        f"<th>Last asked</th></tr>{rows}</table>"
    )


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"
