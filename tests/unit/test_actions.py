"""Custom actions: trackers built inline, a real in-memory database."""

from __future__ import annotations

import logging

import pytest
from rasa_sdk.events import SlotSet
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from actions.answer_faq import ActionAnswerFaq
from actions.answer_follow_up import ActionAnswerFollowUp
from actions.guide import ActionClarifyTopic, ActionExplainScope, ActionListTopics
from bot.answers.lookup import AnswerLookup
from bot.db.engine import session_factory
from bot.disclaimer import build_disclaimer
from bot.settings import DEFAULT_CONTENT_FILE
from bot.topics import RELATED_TOPICS, TOPIC_TITLES, UNLISTED_TOPICS


def _only_text(dispatcher) -> str:
    assert len(dispatcher.messages) == 1
    return dispatcher.messages[0]["text"]


@pytest.mark.parametrize("topic", list(TOPIC_TITLES))
async def test_every_topic_gets_its_answer_sources_and_disclaimer(
    topic, lookup, vetted_answers, dispatcher, make_tracker
):
    expected = next(a for a in vetted_answers if a.topic == topic)
    events = await ActionAnswerFaq(lookup).run(
        dispatcher, make_tracker(f"faq_{topic}"), {}
    )
    text = _only_text(dispatcher)
    assert text.startswith(expected.text)
    for source in expected.sources:
        assert source.title in text
    assert text.endswith(build_disclaimer())
    assert "controlled clinical setting" in text and "not medical advice" in text
    vetted = dispatcher.messages[0]["custom"]["vetted_answer"]
    assert (vetted["topic"], vetted["version"]) == (topic, expected.version)
    assert events == [SlotSet("last_topic", topic)]


async def test_answer_comes_from_the_database_not_the_file(
    loaded_engine, dispatcher, make_tracker
):
    with loaded_engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE vetted_answers SET text = 'Stored text.' WHERE topic = 'fda'"
        )
    lookup = AnswerLookup(session_factory(loaded_engine), DEFAULT_CONTENT_FILE)
    await ActionAnswerFaq(lookup).run(dispatcher, make_tracker("faq_fda"), {})
    assert _only_text(dispatcher).startswith("Stored text.")


async def test_unreadable_database_falls_back_to_content_file_and_logs(
    vetted_answers, dispatcher, make_tracker, caplog
):
    broken = create_engine(
        "sqlite:////nonexistent-folder/answers.db", future=True, poolclass=StaticPool
    )
    lookup = AnswerLookup(session_factory(broken), DEFAULT_CONTENT_FILE)
    with caplog.at_level(logging.ERROR):
        await ActionAnswerFaq(lookup).run(dispatcher, make_tracker("faq_dose"), {})
        await ActionAnswerFaq(lookup).run(dispatcher, make_tracker("faq_fda"), {})
    dose = next(a for a in vetted_answers if a.topic == "dose")
    assert dispatcher.messages[0]["text"].startswith(dose.text)
    assert all(build_disclaimer() in m["text"] for m in dispatcher.messages)
    # Logged once per outage, not once per message.
    errors = [r for r in caplog.records if "Cannot read answers" in r.getMessage()]
    assert len(errors) == 1


async def test_nothing_readable_still_replies_with_apology_and_disclaimer(
    tmp_path, dispatcher, make_tracker
):
    broken = create_engine("sqlite:////nonexistent-folder/a.db", future=True)
    lookup = AnswerLookup(session_factory(broken), tmp_path / "missing.yml")
    events = await ActionAnswerFaq(lookup).run(dispatcher, make_tracker("faq_dose"), {})
    text = _only_text(dispatcher)
    assert "Sorry" in text and "988" in text and build_disclaimer() in text
    assert "Traceback" not in text
    assert events == []


async def test_non_faq_intent_asks_to_rephrase(lookup, dispatcher, make_tracker):
    await ActionAnswerFaq(lookup).run(dispatcher, make_tracker("greet"), {})
    message = dispatcher.messages[0]
    assert "say it another way" in message["text"]
    assert message["buttons"]


@pytest.mark.parametrize(
    ("intent", "previous", "expected_topic"),
    [
        ("follow_up_how_long", "definition", "course_length"),
        ("follow_up_how_long", "session_experience", "session_length"),
        ("follow_up_how_long", "effects", "effect_duration"),
        ("follow_up_how_long", None, "course_length"),
        ("follow_up_next", "session_experience", "integration"),
        ("follow_up_next", "fda", "access"),
    ],
)
async def test_follow_up_is_answered_from_the_previous_topic(
    intent, previous, expected_topic, lookup, vetted_answers, dispatcher, make_tracker
):
    tracker = make_tracker(intent, slots={"last_topic": previous})
    events = await ActionAnswerFollowUp(lookup).run(dispatcher, tracker, {})
    expected = next(a for a in vetted_answers if a.topic == expected_topic)
    text = _only_text(dispatcher)
    assert text.startswith(expected.text)
    assert text.endswith(build_disclaimer())
    assert events == [SlotSet("last_topic", expected_topic)]


async def test_unclear_follow_up_offers_topics(lookup, dispatcher, make_tracker):
    tracker = make_tracker("follow_up_next", slots={"last_topic": None})
    assert await ActionAnswerFollowUp(lookup).run(dispatcher, tracker, {}) == []
    assert dispatcher.messages[0]["buttons"]


async def test_clarify_offers_the_three_likeliest_topics(dispatcher, make_tracker):
    tracker = make_tracker(
        "nlu_fallback",
        ranking=[
            ("nlu_fallback", 0.55),
            ("faq_session_length", 0.3),
            ("greet", 0.2),
            ("faq_course_length", 0.28),
            ("faq_onset", 0.1),
            ("faq_dose", 0.05),
        ],
    )
    await ActionClarifyTopic().run(dispatcher, tracker, {})
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == [
        "/faq_session_length",
        "/faq_course_length",
        "/faq_onset",
    ]
    assert [b["title"] for b in buttons][0] == TOPIC_TITLES["session_length"]


async def test_clarify_answers_a_follow_up_that_the_previous_answer_settles(
    lookup, dispatcher, make_tracker
):
    ranking = [
        ("nlu_fallback", 0.4),
        ("faq_onset", 0.32),
        ("follow_up_how_long", 0.31),
        ("faq_course_length", 0.18),
    ]
    tracker = make_tracker(
        "nlu_fallback", slots={"last_topic": "definition"}, ranking=ranking
    )
    events = await ActionClarifyTopic(lookup).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["custom"]["vetted_answer"]["topic"] == "course_length"
    assert events == [SlotSet("last_topic", "course_length")]


async def test_clarify_without_a_previous_answer_still_asks(
    lookup, dispatcher, make_tracker
):
    ranking = [("nlu_fallback", 0.4), ("follow_up_how_long", 0.32), ("faq_onset", 0.31)]
    tracker = make_tracker("nlu_fallback", ranking=ranking)
    assert await ActionClarifyTopic(lookup).run(dispatcher, tracker, {}) == []
    assert not dispatcher.messages[0]["custom"] and dispatcher.messages[0]["buttons"]


async def test_clarify_without_faq_candidates_offers_starter_topics(
    dispatcher, make_tracker
):
    tracker = make_tracker("nlu_fallback", ranking=[("nlu_fallback", 0.6)])
    await ActionClarifyTopic().run(dispatcher, tracker, {})
    assert len(dispatcher.messages[0]["buttons"]) == 3


async def test_capabilities_lists_every_topic(dispatcher, make_tracker):
    await ActionListTopics().run(dispatcher, make_tracker("ask_capabilities"), {})
    text = _only_text(dispatcher)
    assert "automated assistant" in text
    for topic, title in TOPIC_TITLES.items():
        assert (title in text) == (topic not in UNLISTED_TOPICS), topic


async def test_not_covered_says_so_offers_nearest_topics_and_who_can_answer(
    lookup, dispatcher, make_tracker
):
    events = await ActionAnswerFaq(lookup).run(
        dispatcher, make_tracker("faq_not_covered"), {}
    )
    message = dispatcher.messages[0]
    assert message["text"].startswith("I don't have a vetted answer to that yet.")
    assert "clinician" in message["text"] and "trial's team" in message["text"]
    assert build_disclaimer() in message["text"]
    payloads = [button["payload"] for button in message["buttons"]]
    assert payloads == [f"/faq_{t}" for t in RELATED_TOPICS["not_covered"]]
    assert events == [SlotSet("last_topic", "not_covered")]


async def test_an_answer_to_a_question_gets_no_topic_buttons(
    lookup, dispatcher, make_tracker
):
    await ActionAnswerFaq(lookup).run(dispatcher, make_tracker("faq_dose"), {})
    assert not dispatcher.messages[0].get("buttons")


async def test_out_of_scope_says_what_the_bot_covers(dispatcher, make_tracker):
    await ActionExplainScope().run(dispatcher, make_tracker("out_of_scope"), {})
    message = dispatcher.messages[0]
    assert "only answer questions about MDMA-assisted therapy" in message["text"]
    assert message["buttons"]
    assert build_disclaimer() not in message["text"]
