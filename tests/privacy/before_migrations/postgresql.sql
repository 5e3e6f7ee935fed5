-- A PostgreSQL database as the bot made it before migrations (commit 01f9578):
-- no `alembic_version` table. The CREATE statements are the ones that code
-- sent, captured from its own paths: `bot.cli load-content` (vetted_answers,
-- answer_sources), the tracker store at start-up (Rasa's events, then
-- unanswered_questions) and the widget's first feedback (answer_feedback).
-- The rows are a small install: older versions of two answers, one
-- conversation with a question the bot could not answer, two feedback rows.
-- tests/privacy/test_migrations.py upgrades it and checks that they stay.

CREATE TABLE vetted_answers (
	id SERIAL NOT NULL,
	topic VARCHAR(64) NOT NULL,
	version INTEGER NOT NULL,
	reviewed_on DATE NOT NULL,
	text TEXT NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (topic)
);

CREATE TABLE answer_sources (
	id SERIAL NOT NULL,
	answer_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	title TEXT NOT NULL,
	url TEXT,
	PRIMARY KEY (id),
	FOREIGN KEY(answer_id) REFERENCES vetted_answers (id) ON DELETE CASCADE
);

CREATE TABLE events (
	id SERIAL NOT NULL,
	sender_id VARCHAR(255) NOT NULL,
	type_name VARCHAR(255) NOT NULL,
	timestamp FLOAT,
	intent_name VARCHAR(255),
	action_name VARCHAR(255),
	data TEXT,
	PRIMARY KEY (id)
);

CREATE INDEX ix_events_sender_id ON events (sender_id);

CREATE TABLE unanswered_questions (
	id SERIAL NOT NULL,
	sender_id VARCHAR(255) NOT NULL,
	asked_at TIMESTAMP WITH TIME ZONE NOT NULL,
	channel VARCHAR(255),
	intent VARCHAR(64) NOT NULL,
	text TEXT NOT NULL,
	PRIMARY KEY (id)
);

CREATE INDEX ix_unanswered_questions_sender_id ON unanswered_questions (sender_id);

CREATE INDEX ix_unanswered_questions_asked_at ON unanswered_questions (asked_at);

CREATE TABLE answer_feedback (
	id SERIAL NOT NULL,
	sender_id VARCHAR(255) NOT NULL,
	topic VARCHAR(64) NOT NULL,
	version INTEGER NOT NULL,
	helpful BOOLEAN NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id)
);

CREATE INDEX ix_answer_feedback_topic_version ON answer_feedback (topic, version);

INSERT INTO vetted_answers (topic, version, reviewed_on, text) VALUES
    ('fda', 1, '2025-06-01', 'An older text of the answer on FDA approval.'),
    ('dose', 1, '2025-06-01', 'An older text of the answer on doses.');

INSERT INTO answer_sources (answer_id, position, title, url) VALUES
    (1, 0, 'U.S. FDA complete response letter to Lykos Therapeutics, August 9, 2024', NULL),
    (2, 0, 'Mitchell et al., Nature Medicine 2021 (MAPP1 trial)', 'https://clinicaltrials.gov/study/NCT03537014'),
    (2, 1, 'Mitchell et al., Nature Medicine 2023 (MAPP2 trial)', 'https://clinicaltrials.gov/study/NCT04077437');

INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) VALUES
    ('rest:person-1', 'action', 1796064896.1331544, NULL, 'action_session_start', '{"event": "action", "timestamp": 1796064896.1331544, "name": "action_session_start", "policy": null, "confidence": null, "action_text": null, "hide_rule_turn": false}'),
    ('rest:person-1', 'session_started', 1796064896.2331543, NULL, NULL, '{"event": "session_started", "timestamp": 1796064896.2331543}'),
    ('rest:person-1', 'action', 1796064896.3331544, NULL, 'action_listen', '{"event": "action", "timestamp": 1796064896.3331544, "name": "action_listen", "policy": null, "confidence": null, "action_text": null, "hide_rule_turn": false}'),
    ('rest:person-1', 'user', 1796064897.1331544, 'nlu_fallback', NULL, '{"event": "user", "timestamp": 1796064897.1331544, "text": "I''m [NAME], what about ibogaine?", "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.9}, "entities": [], "text": "I''m [NAME], what about ibogaine?", "message_id": null, "metadata": {}}, "input_channel": "rest", "message_id": null, "metadata": {}}'),
    ('rest:person-1', 'action', 1796064897.2331543, NULL, 'action_clarify_topic', '{"event": "action", "timestamp": 1796064897.2331543, "name": "action_clarify_topic", "policy": null, "confidence": null, "action_text": null, "hide_rule_turn": false}'),
    ('rest:person-1', 'bot', 1796064897.3331544, NULL, NULL, '{"event": "bot", "timestamp": 1796064897.3331544, "text": "Which topic do you mean?", "data": {}, "metadata": {}}'),
    ('rest:person-1', 'action', 1796064897.5331545, NULL, 'action_listen', '{"event": "action", "timestamp": 1796064897.5331545, "name": "action_listen", "policy": null, "confidence": null, "action_text": null, "hide_rule_turn": false}');

INSERT INTO unanswered_questions (sender_id, asked_at, channel, intent, text) VALUES
    ('rest:person-1', '2026-11-30 18:54:57.133154+00', 'rest', 'nlu_fallback', 'I''m [NAME], what about ibogaine?');

INSERT INTO answer_feedback (sender_id, topic, version, helpful, created_at) VALUES
    ('widget:web-1', 'fda', 1, TRUE, '2026-11-30 18:54:56.558222+00'),
    ('widget:web-2', 'dose', 1, FALSE, '2026-11-30 19:02:11.004511+00');
