"""Security on the real servers, one test per finding of issue 13.

Each test probes the running bot as an attacker on the same machine or
network would: the Rasa server, the action server, the widget server, the
database and the logs they write.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import zlib
from pathlib import Path

import pytest

from bot.ops.launcher import url_answers
from tests.e2e.conftest import ACTION_SERVER_TOKEN
from tests.e2e.servers import ROOT, RunningBot, stopped_at_the_end
from tests.support.events import stored_events
from tests.support.ports import held_port
from tests.support.processes import (
    LOOPBACK_V4,
    command_line,
    environment,
    listening_addresses,
    process_tree,
    umask,
)
from tests.support.replies import vetted_topic

# Personal details a person might type; none may reach a log.
NAME, PHONE, MEDICINE = "Jane Roe", "415-555-0199", "sertraline"
SLASH_MESSAGES = [
    f"/help I am {NAME}, call {PHONE}, I take {MEDICINE}",
    f'/greet{{"name": "{NAME}", "phone": "{PHONE}"}}',
    f'/faq_access{{"name": "{NAME}"}} {MEDICINE}',
    f"/faq_access@0.4 {NAME} {PHONE}",
    f"/not_an_intent {NAME} {PHONE} {MEDICINE}",
]


def _http(
    url: str,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    if method:
        request.method = method
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def _sender() -> str:
    return f"sec-{uuid.uuid4().hex[:12]}"


def _database(bot: RunningBot) -> Path:
    return Path(bot.env["DATABASE_URL"].removeprefix("sqlite:///"))


def _widget_say(bot: RunningBot, sender: str, message: str) -> list[dict]:
    status, body = bot.post(
        "/webhooks/widget/webhook", {"sender": sender, "message": message}
    )
    assert status == 200, (status, body)
    return json.loads(body)


def _feedback(
    bot: RunningBot, payload: object, content_type: str = "application/json"
) -> tuple[int, str]:
    return bot.post(
        "/webhooks/widget/feedback",
        payload,
        raw=json.dumps(payload).encode(),
        headers={"Content-Type": content_type},
    )


# --- "/" messages: no message text in any log (medium) ------------------------


@pytest.mark.own_bot(ACTION_SERVER_TOKEN=ACTION_SERVER_TOKEN)
def test_slash_messages_with_personal_details_never_reach_a_log(own_bot):
    with stopped_at_the_end(own_bot) as bot:
        for number, message in enumerate(SLASH_MESSAGES):
            for path in ("/webhooks/rest/webhook", "/webhooks/widget/webhook"):
                status, body = bot.post(
                    path, {"sender": f"slash-{number}", "message": message}
                )
                assert status == 200, (status, body)
                assert any(reply.get("text") for reply in json.loads(body))
        # A broken call to the action server, as a forged one would be.
        status, _, _ = _http(
            bot.action_url + "/webhook",
            json.dumps(
                {"next_action": "action_answer_faq", "tracker": f"{NAME} {PHONE}"}
            ).encode(),
            {"Content-Type": "application/json", "X-Action-Token": ACTION_SERVER_TOKEN},
        )
        assert status == 500
        # The bot's own button payloads are still taken as intents.
        assert vetted_topic(bot.send("/faq_access", sender="slash-button")) == "access"
    # Stopped: every process has flushed and closed what it writes.
    database = _database(bot)
    written = [
        path
        for path in bot.folder.rglob("*")
        if path.is_file() and not path.name.startswith(database.name)
    ]
    assert any(path.name == "bot.log" for path in written)
    for path in written:
        text = path.read_text(encoding="utf-8", errors="replace")
        for detail in (NAME, PHONE, MEDICINE):
            assert detail not in text, (path.name, detail)


# --- the action server: token, no echo, bounded bodies (medium) ---------------


def test_action_server_answers_only_with_the_token(bot):
    forged = {
        "next_action": "action_answer_faq",
        "sender_id": "forged",
        "tracker": {
            "sender_id": "forged",
            "slots": {},
            "latest_message": {
                "text": "is it legal?",
                "intent": {"name": "faq_fda", "confidence": 1.0},
                "entities": [],
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
        "domain": {},
        "version": "3.6.21",
    }
    body = json.dumps(forged).encode()
    for headers in (
        {"Content-Type": "application/json"},
        {
            "Content-Type": "application/json",
            "X-Action-Token": "wrong-token-0123456789",
        },
        {"Content-Type": "application/json", "X-Action-Token": ""},
    ):
        status, _, answer = _http(bot.action_url + "/webhook", body, headers)
        assert status == 401, (status, answer)
        assert json.loads(answer) == {"error": "Missing or wrong action token."}
        assert "Sources" not in answer
    status, _, _ = _http(bot.action_url + "/actions")
    assert status == 401
    # The Rasa server has the token: answers still come.
    assert vetted_topic(bot.send("is mdma therapy fda approved?", sender=_sender()))


def test_action_server_errors_echo_nothing_and_bodies_are_bounded(bot):
    headers = {
        "Content-Type": "application/json",
        "X-Action-Token": ACTION_SERVER_TOKEN,
    }
    broken = {"next_action": "action_answer_faq", "tracker": f"{NAME} {PHONE}"}
    status, _, answer = _http(
        bot.action_url + "/webhook", json.dumps(broken).encode(), headers
    )
    assert status == 500
    assert NAME not in answer and PHONE not in answer
    assert set(json.loads(answer)) == {"error"}
    # 64 MB of zeros in 64 KB: refused without unpacking it all.
    bomb = zlib.compress(b"\0" * (64 * 1024 * 1024), 9)
    assert len(bomb) < 100_000
    status, _, answer = _http(
        bot.action_url + "/webhook", bomb, {**headers, "Content-Encoding": "deflate"}
    )
    assert status == 413, (status, answer)
    assert "error" in json.loads(answer)
    try:
        status, _, _ = _http(
            bot.action_url + "/webhook", b" " * (9 * 1024 * 1024), headers
        )
    except (urllib.error.URLError, ConnectionError):
        status = 413  # refused before the whole body was even sent
    assert status == 413
    # Still serving.
    assert url_answers(bot.action_url + "/health")


# --- loopback by default (medium) ---------------------------------------------


def test_every_server_listens_on_loopback_only(bot):
    for name in ("RASA_PORT", "ACTION_PORT", "WIDGET_PORT"):
        port = int(bot.env[name])
        assert listening_addresses(port) == {LOOPBACK_V4}, name


# --- sender ids (low) ---------------------------------------------------------


def test_one_channel_cannot_continue_another_channels_conversation(bot):
    sender = _sender()
    first = _widget_say(bot, sender, "what is mdma assisted therapy")
    assert vetted_topic(first) == "definition"
    bot.send("how long does it take?", sender=sender)
    database = bot.env["DATABASE_URL"]
    widget_users = [
        e for e in stored_events(database, sender, "widget") if e[0] == "user"
    ]
    rest_users = [e for e in stored_events(database, sender, "rest") if e[0] == "user"]
    assert len(widget_users) == 1 and len(rest_users) == 1
    assert widget_users[0][1]["input_channel"] == "widget"
    assert rest_users[0][1]["input_channel"] == "rest"
    # The REST client's conversation knows nothing of the widget's: the
    # follow-up is not read as "how long does the therapy take".
    with sqlite3.connect(_database(bot)) as db:
        unprefixed = db.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", (sender,)
        ).fetchone()[0]
    assert unprefixed == 0


def test_sender_ids_of_another_format_get_a_json_400(bot):
    for sender in (
        "jane.roe@example.org",
        "+1 415 555 0199",
        "x'; echo INJECTED; echo '",
        "a" * 129,
        "",
    ):
        for path in ("/webhooks/rest/webhook", "/webhooks/widget/webhook"):
            status, body = bot.post(path, {"sender": sender, "message": "hello"})
            assert status == 400, (path, sender, status)
            assert '"sender" must be 1 to 128 characters' in json.loads(body)["error"]
        status, body = _feedback(
            bot, {"sender": sender, "topic": "fda", "version": 1, "helpful": True}
        )
        assert status == 400, (sender, status)
    with sqlite3.connect(_database(bot)) as db:
        ids = [row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")]
    assert ids and not [i for i in ids if "@" in i or " " in i or "'" in i]


def test_make_erase_sender_runs_no_injected_command(bot):
    env = {**bot.env, "MAKEFLAGS": ""}
    injected = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "erase-sender",
            "SENDER=x'; echo INJECTED; echo '",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = (injected.stdout + injected.stderr).splitlines()
    assert "INJECTED" not in [line.strip() for line in lines], lines
    assert injected.returncode != 0
    # A real id is erased through the same command.
    sender = _sender()
    bot.send("hello", sender=sender)
    assert stored_events(bot.env["DATABASE_URL"], sender)
    erased = subprocess.run(
        ["make", "--no-print-directory", "erase-sender", f"SENDER=rest:{sender}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert erased.returncode == 0, erased.stdout + erased.stderr
    assert not stored_events(bot.env["DATABASE_URL"], sender)


# --- telemetry (low) ----------------------------------------------------------


def test_telemetry_is_off_in_every_process_the_cli_starts(bot, tmp_path):
    assert "RASA_TELEMETRY_ENABLED" not in bot.env
    tree = process_tree(bot.process.pid)
    for pid in tree:
        setting = environment(pid).get("RASA_TELEMETRY_ENABLED")
        assert setting == "false", command_line(pid)
    commands = [command_line(pid) for pid in tree]
    assert any("rasa run" in c for c in commands), commands
    assert any("bot.answers.action_server" in c for c in commands), commands
    # One server on its own (scale-out), started without the setting.
    env = {
        key: value for key, value in bot.env.items() if key != "RASA_TELEMETRY_ENABLED"
    }
    env.update(ACTION_PORT=str(held_port()), RUN_DIR=str(tmp_path / "run"))
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.ops.cli", "serve-actions"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while "bot.answers.action_server" not in command_line(process.pid):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.1)
        assert environment(process.pid)["RASA_TELEMETRY_ENABLED"] == "false"
    finally:
        process.terminate()
        process.wait(timeout=30)


# --- owner-only files (low) ---------------------------------------------------


def test_database_data_folder_and_run_folder_are_owner_only(bot):
    database = _database(bot)
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700
    run_dir = Path(bot.env["RUN_DIR"])
    assert stat.S_IMODE(run_dir.stat().st_mode) == 0o700
    for path in run_dir.rglob("*"):
        assert not stat.S_IMODE(path.lstat().st_mode) & 0o077, path.name
    # Whatever a server writes later (logs included) is created owner-only.
    for pid in process_tree(bot.process.pid):
        assert umask(pid) == 0o077, command_line(pid)


# --- the widget page (info) ---------------------------------------------------


def test_widget_page_never_reflects_the_host_header(bot, tmp_path):
    base = f"http://127.0.0.1:{bot.env['WIDGET_PORT']}/"
    status, headers, page = _http(base, headers={"Host": "evil.example:5005"})
    assert status == 200
    expected = f"http://localhost:{bot.env['RASA_PORT']}"
    assert f'data-server-url="{expected}"' in page
    assert f"connect-src {expected};" in headers["Content-Security-Policy"]
    assert "evil.example" not in page + headers["Content-Security-Policy"]
    # PUBLIC_URL names the address browsers use (behind the TLS proxy).
    port = held_port()
    env = {**bot.env, "WIDGET_PORT": str(port), "PUBLIC_URL": "https://bot.example.org"}
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.ops.widget.server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not url_answers(f"http://127.0.0.1:{port}/health"):
            assert time.monotonic() < deadline and server.poll() is None
            time.sleep(0.1)
        status, headers, page = _http(
            f"http://127.0.0.1:{port}/", headers={"Host": "evil.example"}
        )
        assert 'data-server-url="https://bot.example.org"' in page
        assert (
            "connect-src https://bot.example.org;" in headers["Content-Security-Policy"]
        )
        assert "evil.example" not in page
    finally:
        server.terminate()
        server.wait(timeout=30)


# No ACTION_SERVER_TOKEN: `serve` makes one that only its servers know.
@pytest.mark.own_bot(REST_CHANNEL="off", ACTION_SERVER_TOKEN="")
def test_rest_channel_off_and_a_token_made_at_start(own_bot):
    bot = own_bot
    status, _ = bot.post(
        "/webhooks/rest/webhook", {"sender": "rest-off", "message": "hi"}
    )
    assert status == 404
    replies = _widget_say(bot, "rest-off", "is mdma therapy fda approved?")
    assert vetted_topic(replies) == "fda"
    status, _, _ = _http(bot.action_url + "/actions")
    assert status == 401


def test_settings_files_hold_no_token(bot):
    # The token reaches the servers through the environment only.
    for path in Path(bot.env["RUN_DIR"]).glob("*"):
        if path.is_file():
            assert ACTION_SERVER_TOKEN not in path.read_text(errors="replace")
    assert os.environ.get("ACTION_SERVER_TOKEN") != ACTION_SERVER_TOKEN


# --- feedback (low) -----------------------------------------------------------


def _last_feedback_id(bot: RunningBot) -> int:
    with sqlite3.connect(_database(bot)) as db:
        if not db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'answer_feedback'"
        ).fetchone():
            return 0
        query = "SELECT coalesce(max(id), 0) FROM answer_feedback"
        return db.execute(query).fetchone()[0]


def test_feedback_is_taken_only_on_answers_received_and_not_flooded(bot):
    # The bot is shared with the browser tests, which give feedback too:
    # what this test stored is what came after the rows already there.
    before = _last_feedback_id(bot)
    sender = _sender()
    answer = next(
        r["custom"]["vetted_answer"]
        for r in _widget_say(bot, sender, "is mdma therapy fda approved?")
        if "custom" in r
    )
    good = {
        "sender": sender,
        "topic": answer["topic"],
        "version": answer["version"],
        "helpful": True,
    }
    for forged in (
        {**good, "version": 999999},
        {**good, "topic": "dose"},
        {**good, "sender": _sender()},  # a conversation that got nothing
        # The same id on another channel is another conversation.
        {**good, "sender": "e2e-user"},
    ):
        status, body = _feedback(bot, forged)
        assert status == 403, (forged, status, body)
        assert json.loads(body)["error"]
    status, body = _feedback(bot, good, content_type="text/plain")
    assert status == 415 and json.loads(body)["error"]
    status, body = _feedback(bot, good)
    assert status == 201, body
    with sqlite3.connect(_database(bot)) as db:
        stored = db.execute(
            "SELECT sender_id, version FROM answer_feedback WHERE id > ? ORDER BY id",
            (before,),
        ).fetchall()
    assert stored == [(f"widget:{sender}", answer["version"])]

    # Per sender: 10 a minute by default (the forged tries above count).
    statuses = [_feedback(bot, good)[0] for _ in range(14)]
    assert 201 in statuses and statuses[-3:] == [429] * 3, statuses
    status, body = _feedback(bot, good)
    assert status == 429 and "wait a minute" in json.loads(body)["error"]
    with sqlite3.connect(_database(bot)) as db:
        (count,) = db.execute(
            "SELECT count(*) FROM answer_feedback WHERE id > ?", (before,)
        ).fetchone()
    assert count <= 10
    # Per address: 60 a minute by default, whoever the sender is. (Last in
    # this file: it uses up this minute's feedback from 127.0.0.1.)
    statuses = [_feedback(bot, {**good, "sender": _sender()})[0] for _ in range(70)]
    assert statuses[-1] == 429 and set(statuses) == {403, 429}, statuses
