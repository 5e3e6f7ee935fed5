"""Starts the bot's processes under supervisor and checks they came up.

Supervisor (a well-kept process manager) runs the action server and the Rasa
server in the foreground, restarts one that dies, and stops all of them on
Ctrl-C. Its configuration is written from the settings at each start, so the
settings stay the one place for ports and addresses.
"""

from __future__ import annotations

import os
import secrets
import shlex
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot.ops.credentials import (
    EFFECTIVE_CREDENTIALS_NAME,
    slack_status_line,
    write_effective_credentials,
)
from bot.ops.endpoints import EFFECTIVE_ENDPOINTS_NAME, write_effective_endpoints
from bot.ops.run_files import make_run_dir
from bot.settings import PROJECT_ROOT, Settings

# Files the bot writes (database, logs, run folder) are readable by their
# owner only: they hold conversations.
OWNER_ONLY_UMASK = 0o077


def _port_in_use(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def preflight_problems(settings: Settings) -> list[str]:
    """One sentence per problem that would stop the bot from starting."""
    problems = []
    for name, port, setting in (
        ("the Rasa server", settings.rasa_port, "RASA_PORT"),
        ("the action server", settings.action_port, "ACTION_PORT"),
        ("the chat widget's demo page", settings.widget_port, "WIDGET_PORT"),
    ):
        if _port_in_use(settings.bind_host, port):
            problems.append(
                f"Port {port} is already in use, and {name} needs it: stop "
                f"what is using it, or set {setting} to a free port."
            )
    if not settings.model_path.is_file():
        problems.append(
            f"No trained model at {settings.model_path}: run `make run`, which "
            "trains one."
        )
    return problems


def child_environment(settings: Settings, token: str | None = None) -> dict[str, str]:
    """Environment for the servers: the settings they read from files.

    Args:
        settings: The bot's settings.
        token: The action server token, when the settings have none.

    Returns:
        The environment, with Rasa's telemetry off whatever it said before.

    """
    env = dict(os.environ)
    env["ACTION_ENDPOINT_URL"] = settings.action_endpoint_url
    env["DATABASE_URL"] = settings.database_url
    # A patient-facing service sends Rasa no usage data, however it is started.
    env["RASA_TELEMETRY_ENABLED"] = "false"
    token = settings.action_server_token or token
    if token:
        env["ACTION_SERVER_TOKEN"] = token
    # Rasa and TensorFlow are chatty on start-up; keep the log readable.
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # One TensorFlow thread per server (Rasa's own settings): the encoder's
    # small matrices gain nothing from a second thread, and under load the
    # threads only compete with the other messages for the same cores (36
    # against 41 messages a second on 2 cores, with the same single-user
    # latency). Set them in the environment to choose otherwise.
    env.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "1")
    env.setdefault("TF_INTER_OP_PARALLELISM_THREADS", "1")
    return env


def _program(name: str, command: str, autorestart: bool = True) -> str:
    return "\n".join(
        [
            f"[program:{name}]",
            f"command={command}",
            f"directory={PROJECT_ROOT}",
            f"autorestart={'true' if autorestart else 'false'}",
            f"startsecs={1 if autorestart else 0}",
            "startretries=5",
            # Owner-only files, whatever supervisord's default (022).
            "umask=077",
            "stopasgroup=true",
            "killasgroup=true",
            "stopwaitsecs=10",
            "redirect_stderr=true",
            "stdout_logfile=/dev/stdout",
            "stdout_logfile_maxbytes=0",
            "",
        ]
    )


def actions_command(settings: Settings) -> list[str]:
    """The command line of one action server."""
    command = [
        sys.executable,
        "-m",
        "bot.answers.action_server",
        "--actions",
        "actions",
        "--host",
        settings.bind_host,
        "--port",
        str(settings.action_port),
    ]
    return command + (["--debug"] if settings.log_level == "DEBUG" else [])


def rasa_command(settings: Settings) -> list[str]:
    """The command line of one Rasa server (its files are in the run folder)."""
    command = [
        str(Path(sys.executable).parent / "rasa"),
        "run",
        "--model",
        str(settings.model_path),
        "--interface",
        settings.bind_host,
        "--port",
        str(settings.rasa_port),
        "--credentials",
        str(settings.run_dir / EFFECTIVE_CREDENTIALS_NAME),
        "--endpoints",
        str(settings.run_dir / EFFECTIVE_ENDPOINTS_NAME),
        "--cors",
        *settings.cors_origins,
    ]
    return command + (["--debug"] if settings.log_level == "DEBUG" else [])


def supervisor_config(settings: Settings) -> str:
    """The supervisord configuration for the current settings."""
    return "\n".join(
        [
            "[supervisord]",
            "nodaemon=true",
            f"pidfile={settings.run_dir / 'supervisord.pid'}",
            "logfile=/dev/null",
            "logfile_maxbytes=0",
            "loglevel=warn",
            "umask=077",
            "",
            "[unix_http_server]",
            f"file={settings.run_dir / 'supervisor.sock'}",
            "",
            "[rpcinterface:supervisor]",
            "supervisor.rpcinterface_factory = "
            "supervisor.rpcinterface:make_main_rpcinterface",
            "",
            "[supervisorctl]",
            f"serverurl=unix://{settings.run_dir / 'supervisor.sock'}",
            "",
            # Supervisor splits its command lines as a shell would.
            _program("actions", shlex.join(actions_command(settings))),
            _program("rasa", shlex.join(rasa_command(settings))),
            # The chat widget's files and its demo page (bot/ops/widget).
            _program("widget", f"{sys.executable} -m bot.ops.widget.server"),
            _program(
                "announce",
                f"{sys.executable} -m bot.ops.cli announce",
                autorestart=False,
            ),
        ]
    )


def write_run_files(settings: Settings) -> None:
    """Writes the credentials and endpoints files the Rasa server reads."""
    # credentials.yml plus the Slack channel when its secrets are set, and
    # endpoints.yml plus the lock store when REDIS_URL is set (as ${VAR}
    # references or class names: no secret is written).
    write_effective_credentials(settings)
    write_effective_endpoints(settings)


def serve(settings: Settings) -> int:
    """Replaces this process with supervisord running the bot (Ctrl-C stops).

    Without ACTION_SERVER_TOKEN, a new random token is made for this start:
    only the action server and the Rasa server started here know it.
    """
    os.umask(OWNER_ONLY_UMASK)
    make_run_dir(settings)
    config = settings.run_dir / "supervisord.conf"
    config.write_text(supervisor_config(settings), encoding="utf-8")
    write_run_files(settings)
    print(slack_status_line(settings))
    supervisord = Path(sys.executable).parent / "supervisord"
    print("Starting the action server and the Rasa server (Ctrl-C stops both)...")
    sys.stdout.flush()
    os.execve(
        str(supervisord),
        [str(supervisord), "--nodaemon", "--configuration", str(config)],
        child_environment(settings, token=secrets.token_urlsafe(32)),
    )
    return 0  # not reached


def serve_one(settings: Settings, server: str) -> int:
    """Replaces this process with one server, for scale-out deployments.

    Several of these run behind a load balancer, each kept alive by the
    deployment's own process manager (docs/scale-out.md).

    Args:
        settings: The bot's settings.
        server: "rasa" or "actions".

    Returns:
        2 when ACTION_SERVER_TOKEN is not set (servers on several machines
        must share it); otherwise it does not return.

    """
    if not settings.action_server_token:
        print(
            "Setting error: set ACTION_SERVER_TOKEN (the same secret on every "
            "Rasa and action server) to start one server on its own.",
            file=sys.stderr,
        )
        return 2
    os.umask(OWNER_ONLY_UMASK)
    if server == "rasa":
        write_run_files(settings)
        command = rasa_command(settings)
    else:
        command = actions_command(settings)
    sys.stdout.flush()
    os.execve(command[0], command, child_environment(settings))
    return 0  # not reached


def url_answers(url: str) -> bool:
    """Whether a GET of `url` answers 200 within two seconds."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def probe_host(bind_host: str) -> str:
    """The address to reach a server listening on `bind_host` from here."""
    if bind_host in ("0.0.0.0", "::"):
        return "127.0.0.1" if bind_host == "0.0.0.0" else "[::1]"
    return f"[{bind_host}]" if ":" in bind_host else bind_host


def announce_when_ready(settings: Settings, timeout_seconds: float) -> int:
    """Wait for the servers and the widget, then print where to talk to the bot."""
    host = probe_host(settings.bind_host)
    rasa_url = f"http://{host}:{settings.rasa_port}/"
    actions_url = f"http://{host}:{settings.action_port}/health"
    widget_url = f"http://{host}:{settings.widget_port}/health"
    started = time.monotonic()
    deadline = started + timeout_seconds
    while time.monotonic() < deadline:
        if (
            url_answers(rasa_url)
            and url_answers(actions_url)
            and url_answers(widget_url)
        ):
            rest = (
                f"  Chat over REST: POST http://localhost:{settings.rasa_port}"
                '/webhooks/rest/webhook  {"sender": "me", "message": "what is '
                'MDMA therapy?"}\n'
                if settings.rest_channel_enabled
                else ""
            )
            print(
                f"\nThe bot is ready ({ready_timing(settings, started)}).\n"
                f"  Chat in your browser: http://localhost:{settings.widget_port}\n"
                f"{rest}"
                "  Stop: Ctrl-C\n",
                flush=True,
            )
            return 0
        time.sleep(1)
    print(
        f"The bot did not come up within {timeout_seconds:.0f} seconds: see the "
        "log above for the error.",
        flush=True,
    )
    return 1


def ready_timing(settings: Settings, servers_started: float) -> str:
    """How long the servers took to start, and `make run` in all when known.

    Args:
        settings: The bot's settings (`run_started_at` is set by `make run`).
        servers_started: `time.monotonic()` when the servers were started.

    """
    line = f"servers started in {time.monotonic() - servers_started:.0f} s"
    if settings.run_started_at is not None:
        total = max(0.0, time.time() - settings.run_started_at)
        minutes, seconds = divmod(round(total), 60)
        line += f"; {minutes} min {seconds:02d} s since `make run` began"
    return line
