"""Command line of the bot: `python -m bot.ops.cli <command>`.

Commands:
    load-content  Bring the database's schema to the newest migration, check
                  the vetted answers file and load it into the database.
    new-migration Write the next migration for a change to bot/db/tables.py
                  (the argument says what it does).
    preflight     Check that the ports are free before starting.
    serve         Start the action server and the Rasa server under supervisor.
    serve-rasa    Start one Rasa server only (scale-out, docs/scale-out.md).
    serve-actions Start one action server only (scale-out).
    announce      Wait until both servers answer, then say where to talk.
    purge-old     Delete conversations older than RETENTION_DAYS (default 30).
    erase-sender  Delete everything stored for one sender id (the argument, or
                  the SENDER environment variable, never through a shell).
    report        Write the content team's HTML report and print a summary,
                  with the answers whose review is over 12 months old.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import PROJECT_ROOT, SettingsError, load_settings


def _load_content(_: argparse.Namespace) -> int:
    from bot.content import ContentError, read_content_file
    from bot.db.engine import create_db_engine, session_factory
    from bot.db.migrate import upgrade_to_head
    from bot.ops.load_content import load_answers

    settings = load_settings()
    try:
        answers = read_content_file(settings.content_file)
        engine = create_db_engine(settings.database_url)
        try:
            revision = upgrade_to_head(engine)
            with session_factory(engine)() as session:
                summary = load_answers(session, answers)
        finally:
            engine.dispose()
    except ContentError as error:
        print(
            "Vetted answers were not loaded; the stored answers are unchanged."
            f"\n{error}"
        )
        return 1
    print(f"Database schema at revision {revision}.")
    print(f"Vetted answers loaded: {summary}.")
    return 0


def _new_migration(args: argparse.Namespace) -> int:
    from bot.db.migrate import new_revision

    path = new_revision(args.message)
    print(f"New migration: {path}")
    print(
        "Read it, run tests/privacy/test_migrations.py (make test-privacy), "
        "then commit it."
    )
    return 0


def _preflight(_: argparse.Namespace) -> int:
    from bot.ops.launcher import preflight_problems

    problems = preflight_problems(load_settings())
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def _serve(_: argparse.Namespace) -> int:
    from bot.ops.launcher import serve

    return serve(load_settings())


def _serve_one(args: argparse.Namespace) -> int:
    from bot.ops.launcher import serve_one

    return serve_one(load_settings(), args.server)


def _announce(args: argparse.Namespace) -> int:
    from bot.ops.launcher import announce_when_ready

    return announce_when_ready(load_settings(), timeout_seconds=args.timeout)


def _purge_old(_: argparse.Namespace) -> int:
    from bot.db.engine import create_db_engine
    from bot.ops.retention import purge_old

    settings = load_settings()
    removed = purge_old(
        create_db_engine(settings.database_url), settings.retention_days
    )
    print(f"Older than {settings.retention_days} days: {removed}.")
    return 0


def _erase_sender(args: argparse.Namespace) -> int:
    from bot.db.engine import create_db_engine
    from bot.ops.retention import erase_sender
    from bot.server.channels.senders import is_stored_sender_id, is_valid_sender_id

    # `make erase-sender` passes the id in the environment, so no shell ever
    # reads it.
    sender_id = args.sender_id or os.environ.get("SENDER", "")
    # Ids stored before channels were prefixed have the client's format.
    if not (is_stored_sender_id(sender_id) or is_valid_sender_id(sender_id)):
        print(
            "Give the sender id as stored: the channel, a colon, and the id, "
            "such as widget:web-0123456789abcdef0123456789abcdef (letters, "
            'digits, "_", ".", ":" and "-" only).',
            file=sys.stderr,
        )
        return 2
    removed = erase_sender(create_db_engine(load_settings().database_url), sender_id)
    print(f"Sender {sender_id!r}: {removed}.")
    return 0


def _report(args: argparse.Namespace) -> int:
    from bot.content import read_content_file
    from bot.db.engine import create_db_engine
    from bot.ops.report_data import collect
    from bot.ops.report_html import render, summary_lines
    from bot.ops.review_age import review_lines

    settings = load_settings()
    today = args.today or dt.datetime.now(dt.timezone.utc).date()
    for line in review_lines(read_content_file(settings.content_file), today):
        print(line)
    data = collect(create_db_engine(settings.database_url))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(data), encoding="utf-8")
    print(f"Report written to {args.out}")
    for line in summary_lines(data):
        print(f"  {line}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command and returns its exit status."""
    parser = argparse.ArgumentParser(prog="python -m bot.ops.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("load-content").set_defaults(handler=_load_content)
    migration = commands.add_parser("new-migration")
    migration.add_argument("message", help='what it does, such as "add reviewer"')
    migration.set_defaults(handler=_new_migration)
    commands.add_parser("preflight").set_defaults(handler=_preflight)
    commands.add_parser("serve").set_defaults(handler=_serve)
    commands.add_parser("serve-rasa").set_defaults(handler=_serve_one, server="rasa")
    commands.add_parser("serve-actions").set_defaults(
        handler=_serve_one, server="actions"
    )
    announce = commands.add_parser("announce")
    announce.add_argument("--timeout", type=float, default=300.0)
    announce.set_defaults(handler=_announce)
    commands.add_parser("purge-old").set_defaults(handler=_purge_old)
    erase = commands.add_parser("erase-sender")
    erase.add_argument(
        "sender_id",
        nargs="?",
        help="the stored sender id, such as widget:web-…; SENDER when not given",
    )
    erase.set_defaults(handler=_erase_sender)
    report = commands.add_parser("report")
    report.add_argument(
        "--out", type=Path, default=PROJECT_ROOT / "results" / "report.html"
    )
    report.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=None,
        help="judge review ages as of this date (YYYY-MM-DD); default today",
    )
    report.set_defaults(handler=_report)
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except SettingsError as error:
        print(f"Setting error: {error}", file=sys.stderr)
        return 2


def protect_process() -> None:
    """Set what every process of the bot runs with, before any command.

    Everything this command and the servers it starts write (database, run
    folder, report, logs) is the owner's alone: it holds conversations. And
    no usage data goes to Rasa from any process started here, whatever the
    environment said (the servers get the same in `child_environment`).
    """
    os.umask(0o077)
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"


if __name__ == "__main__":
    protect_process()
    sys.exit(main())
