"""The figures of the content team's report, read from the bot's database.

Everything comes from tables the bot already writes: Rasa's `events`
(messages, intents, actions, the `last_topic` slot), `unanswered_questions`
and, when it exists, `answer_feedback`. Days are UTC days. Only counts and
redacted unanswered questions leave the database.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Connection, Engine

from bot.db.tables import events as EVENTS
from bot.db.tables import feedback as FEEDBACK
from bot.db.tables import unanswered_questions as QUESTIONS
from bot.topics import FALLBACK_INTENT, OUT_OF_SCOPE_INTENT

# Actions whose next `last_topic` slot event means a vetted answer was sent.
ANSWER_ACTIONS = frozenset({"action_answer_faq", "action_answer_follow_up"})
TOPIC_SLOT = "last_topic"
# Safety replies (domain.yml), counted when the bot sent them.
SAFETY_ROUTES = {
    "utter_crisis_help": "Crisis lines",
    "utter_crisis_reminder": "Crisis lines again",
    "utter_emergency_help": "Medical emergency",
    "utter_decline_self_dosing": "Declined: taking MDMA outside a clinic",
    "utter_decline_sourcing": "Declined: getting MDMA",
    "utter_decline_medical_advice": "Declined: personal medical advice",
}
TOP_UNANSWERED = 15


@dataclass(frozen=True)
class Day:
    """Activity on one UTC day."""

    day: date
    conversations: int
    messages: int


@dataclass(frozen=True)
class FeedbackCount:
    """Verdicts on one version of one answer."""

    topic: str
    version: int
    helpful: int
    not_helpful: int


@dataclass(frozen=True)
class UnansweredCount:
    """A question the bot could not answer, and how often it was asked."""

    text: str
    count: int
    intent: str
    last_asked: datetime


@dataclass
class ReportData:
    """Everything the report shows."""

    generated_at: datetime
    days: list[Day] = field(default_factory=list)
    conversations: int = 0
    messages: int = 0
    fallbacks: int = 0
    out_of_scope: int = 0
    answers_per_topic: Counter = field(default_factory=Counter)
    safety_routes: Counter = field(default_factory=Counter)
    feedback: list[FeedbackCount] | None = None
    unanswered: list[UnansweredCount] = field(default_factory=list)

    @property
    def fallback_rate(self) -> float:
        """Share of messages that ended in fallback."""
        return self.fallbacks / self.messages if self.messages else 0.0

    @property
    def out_of_scope_rate(self) -> float:
        """Share of messages that were out of scope."""
        return self.out_of_scope / self.messages if self.messages else 0.0


def collect(engine: Engine, now: datetime | None = None) -> ReportData:
    """Read the report's figures from the database.

    Args:
        engine: The bot's database.
        now: The time the report is made; the clock when not given.

    Returns:
        The figures; empty where a table does not exist yet.

    """
    data = ReportData(generated_at=now or datetime.now(timezone.utc))
    tables = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        if EVENTS.name in tables:
            _messages(connection, data)
            _answers(connection, data)
            _safety_routes(connection, data)
        if QUESTIONS.name in tables:
            data.unanswered = _unanswered(connection)
        if FEEDBACK.name in tables:
            data.feedback = _feedback(connection)
    return data


def _messages(connection: Connection, data: ReportData) -> None:
    rows = connection.execute(
        select(EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.intent_name).where(
            EVENTS.c.type_name == "user"
        )
    )
    senders_per_day: dict[date, set[str]] = defaultdict(set)
    messages_per_day: Counter = Counter()
    senders = set()
    for sender_id, timestamp, intent in rows:
        day = datetime.fromtimestamp(timestamp or 0, tz=timezone.utc).date()
        senders_per_day[day].add(sender_id)
        messages_per_day[day] += 1
        senders.add(sender_id)
        data.messages += 1
        data.fallbacks += intent == FALLBACK_INTENT
        data.out_of_scope += intent == OUT_OF_SCOPE_INTENT
    data.conversations = len(senders)
    if messages_per_day:
        # Every day from the first to the last, quiet days included.
        first, last = min(messages_per_day), max(messages_per_day)
        data.days = [
            Day(day, len(senders_per_day[day]), messages_per_day[day])
            for day in (
                first + timedelta(days=n) for n in range((last - first).days + 1)
            )
        ]


def _answers(connection: Connection, data: ReportData) -> None:
    rows = connection.execute(
        select(
            EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.action_name, EVENTS.c.data
        )
        .where(EVENTS.c.type_name.in_(("action", "slot")))
        .order_by(EVENTS.c.sender_id, EVENTS.c.id)
    )
    last_action: dict[str, str | None] = {}
    for sender_id, type_name, name, raw in rows:
        if type_name == "action":
            last_action[sender_id] = name
        elif name == TOPIC_SLOT and last_action.get(sender_id) in ANSWER_ACTIONS:
            topic = json.loads(raw).get("value")
            if topic:
                data.answers_per_topic[topic] += 1


def _safety_routes(connection: Connection, data: ReportData) -> None:
    rows = connection.execute(
        select(EVENTS.c.action_name, func.count())
        .where(
            EVENTS.c.type_name == "action",
            EVENTS.c.action_name.in_(tuple(SAFETY_ROUTES)),
        )
        .group_by(EVENTS.c.action_name)
    )
    for name, count in rows:
        data.safety_routes[SAFETY_ROUTES[name]] += count


def _feedback(connection: Connection) -> list[FeedbackCount]:
    rows = connection.execute(
        select(FEEDBACK.c.topic, FEEDBACK.c.version, FEEDBACK.c.helpful, func.count())
        .group_by(FEEDBACK.c.topic, FEEDBACK.c.version, FEEDBACK.c.helpful)
        .order_by(FEEDBACK.c.topic, FEEDBACK.c.version)
    )
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for topic, version, helpful, count in rows:
        counts[(topic, version)][0 if helpful else 1] += count
    return [
        FeedbackCount(topic, version, helpful, not_helpful)
        for (topic, version), (helpful, not_helpful) in counts.items()
    ]


def _unanswered(connection: Connection) -> list[UnansweredCount]:
    rows = connection.execute(
        select(QUESTIONS.c.text, QUESTIONS.c.intent, QUESTIONS.c.asked_at)
    )
    groups: dict[str, list[tuple[str, str, datetime]]] = defaultdict(list)
    for text, intent, asked_at in rows:
        groups[_normalise(text)].append((text, intent, _utc(asked_at)))
    ranked = sorted(
        groups.values(),
        key=lambda asks: (-len(asks), -max(a[2] for a in asks).timestamp()),
    )
    return [
        UnansweredCount(
            text=_usual_form(asks),
            count=len(asks),
            intent=Counter(a[1] for a in asks).most_common(1)[0][0],
            last_asked=max(a[2] for a in asks),
        )
        for asks in ranked[:TOP_UNANSWERED]
    ]


def _usual_form(asks: list[tuple[str, str, datetime]]) -> str:
    """The form typed most often; of equally frequent ones, the latest."""
    forms = Counter(text for text, _, _ in asks)
    latest = {text: max(a[2] for a in asks if a[0] == text) for text in forms}
    return max(forms, key=lambda text: (forms[text], latest[text]))


def _normalise(text: str) -> str:
    """The same question typed differently: case, spaces, end punctuation."""
    return re.sub(r"\s+", " ", text.lower()).strip(" ?!.")


def _utc(moment: datetime) -> datetime:
    # SQLite returns naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
