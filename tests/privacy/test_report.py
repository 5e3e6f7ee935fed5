"""The content team's report: figures, page and command, on both databases."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from bot.ops import cli
from bot.ops.report_data import collect
from bot.ops.report_html import render
from tests.privacy.conversations import (
    DAY,
    Turn,
    add_feedback,
    make_store,
    save_conversation,
    session,
)

PTSD = Turn("can mdma help ptsd", "faq_ptsd", "action_answer_faq", "ptsd")
SAFETY = Turn("is it safe", "faq_safety", "action_answer_faq", "safety")
FOLLOW_UP = Turn("and after that?", "follow_up_next", "action_answer_follow_up", "ptsd")
WEATHER = Turn("What's the weather in Boston?", "out_of_scope", "action_explain_scope")
WEATHER_AGAIN = Turn(
    "what's the weather in boston", "out_of_scope", "action_explain_scope"
)
UNCLEAR = Turn("<script>alert(1)</script> huh", "nlu_fallback", "action_clarify_topic")
CRISIS = Turn("i want to end it", "crisis", "utter_crisis_help")
# Noon UTC on a fixed day, not the clock: the seeded turns span a few
# minutes, and the figures per day must not depend on when the test runs
# (near midnight they used to fall on two days).
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc).timestamp()


async def _seed(store, now: float) -> None:
    yesterday = now - DAY
    await save_conversation(store, "a", session(yesterday, [PTSD, FOLLOW_UP, WEATHER]))
    await save_conversation(store, "b", session(yesterday, [SAFETY, UNCLEAR]))
    # Sender "a" comes back today: a new session, whose start carries the
    # last topic over (a slot event that is no new answer).
    carried = session(now, [WEATHER_AGAIN, CRISIS])
    carried.insert(2, carried[0].__class__("action_listen", timestamp=now + 0.15))
    from rasa.shared.core.events import SlotSet

    carried.insert(2, SlotSet("last_topic", "ptsd", timestamp=now + 0.12))
    store_a = await store.retrieve("a")
    for event in carried:
        store_a.update(event)
    await store.save(store_a)
    add_feedback(
        store.engine,
        [
            ("a", "ptsd", 2, True, now),
            ("b", "ptsd", 2, False, now),
            ("b", "safety", 1, True, now),
        ],
    )


async def test_report_figures(database_url, monkeypatch):
    store = make_store(database_url, monkeypatch)
    now = NOW
    await _seed(store, now)

    data = collect(store.engine)

    today = datetime.fromtimestamp(now, tz=timezone.utc).date()
    assert [(d.day, d.conversations, d.messages) for d in data.days][-1] == (
        today,
        1,
        2,
    )
    assert sum(d.messages for d in data.days) == 7
    assert (data.conversations, data.messages) == (2, 7)
    assert (data.fallbacks, data.out_of_scope) == (1, 2)
    assert abs(data.out_of_scope_rate - 2 / 7) < 1e-9
    assert dict(data.answers_per_topic) == {"ptsd": 2, "safety": 1}
    assert dict(data.safety_routes) == {"Crisis lines": 1}
    assert {(f.topic, f.version, f.helpful, f.not_helpful) for f in data.feedback} == {
        ("ptsd", 2, 1, 1),
        ("safety", 1, 1, 0),
    }
    top = data.unanswered[0]
    assert (top.text, top.count, top.intent) == (
        "what's the weather in [LOCATION]",
        2,
        "out_of_scope",
    )


async def test_report_page_is_self_contained_and_escaped(database_url, monkeypatch):
    store = make_store(database_url, monkeypatch)
    await _seed(store, NOW)

    page = render(collect(store.engine))

    assert page.count("<svg") == 4
    assert "<script" not in page and "&lt;script&gt;" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page
    for heading in (
        "Conversations and messages per day",
        "Answers per topic",
        "Fallback and out-of-scope rate",
        "Crisis and safety routes",
        "Feedback per answer and version",
        "Most frequent unanswered questions",
    ):
        assert heading in page
    assert "i want to end it" not in page  # crisis routes are counts only


def test_report_of_an_empty_database(tmp_path):
    from bot.db.engine import create_db_engine

    data = collect(create_db_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}"))
    page = render(data)
    assert data.messages == 0 and data.feedback is None
    assert "No data yet." in page and "No feedback table" in page


async def test_report_command_writes_the_page_and_a_summary(
    database_url, monkeypatch, capsys, tmp_path
):
    store = make_store(database_url, monkeypatch)
    await _seed(store, NOW)
    out = tmp_path / "report" / "report.html"

    assert cli.main(["report", "--out", str(out)]) == 0

    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    printed = capsys.readouterr().out
    assert f"Report written to {out}" in printed
    assert "Conversations: 2, messages: 7, vetted answers sent: 3." in printed
    assert "Fallback: 14.3%, out of scope: 28.6%." in printed
    assert "weather" not in printed  # counts only, no message text
