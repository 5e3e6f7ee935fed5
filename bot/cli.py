"""Command line of the bot: `python -m bot.cli <command>`.

Commands:
    load-content  Check the vetted answers file and load it into the database.
    preflight     Check that the ports are free before starting.
    serve         Start the action server and the Rasa server under supervisor.
    announce      Wait until both servers answer, then say where to talk.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.settings import SettingsError, load_settings


def _load_content(_: argparse.Namespace) -> int:
    from bot.content import ContentError, read_content_file
    from bot.store.database import create_db_engine, create_schema, session_factory
    from bot.store.sync import load_answers

    settings = load_settings()
    try:
        answers = read_content_file(settings.content_file)
        engine = create_db_engine(settings.database_url)
        create_schema(engine)
        with session_factory(engine)() as session:
            summary = load_answers(session, answers)
    except ContentError as error:
        print(f"Vetted answers were not loaded; the database is unchanged.\n{error}")
        return 1
    print(f"Vetted answers loaded: {summary}.")
    return 0


def _preflight(_: argparse.Namespace) -> int:
    from bot.launcher import preflight_problems

    problems = preflight_problems(load_settings())
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def _serve(_: argparse.Namespace) -> int:
    from bot.launcher import serve

    return serve(load_settings())


def _announce(args: argparse.Namespace) -> int:
    from bot.launcher import announce_when_ready

    return announce_when_ready(load_settings(), timeout_seconds=args.timeout)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command and returns its exit status."""
    parser = argparse.ArgumentParser(prog="python -m bot.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("load-content").set_defaults(handler=_load_content)
    commands.add_parser("preflight").set_defaults(handler=_preflight)
    commands.add_parser("serve").set_defaults(handler=_serve)
    announce = commands.add_parser("announce")
    announce.add_argument("--timeout", type=float, default=300.0)
    announce.set_defaults(handler=_announce)
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except SettingsError as error:
        print(f"Setting error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
