"""The action server, callable only by the bot's Rasa servers.

`python -m bot.answers.action_server` runs rasa-sdk's action executor behind the same
three routes as `rasa run actions` (`POST /webhook`, `GET /actions`, `GET
/health`), but a request is refused unless:

* it carries the shared `ACTION_SERVER_TOKEN` in the `X-Action-Token` header
  (401 otherwise). The Rasa server sends it from its endpoints file. Only
  `GET /health` needs no token: it answers `{"status": "ok"}` and nothing
  else, so process managers and load balancers can probe it;
* its body, after `Content-Encoding: deflate` or `gzip` is undone, is at most
  `MAX_REQUEST_BYTES` (413 otherwise), decompressed a piece at a time so a
  small "zip bomb" never fills the memory.

An error never echoes the request: the body is a conversation, with the
person's unredacted words. The log names the exception's type and where it
happened, never its message, which can quote the data.
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import sys
import traceback
import zlib
from collections.abc import Sequence
from http import HTTPStatus

from rasa_sdk import utils
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.settings import SettingsError, load_settings

logger = logging.getLogger(__name__)

TOKEN_HEADER = "X-Action-Token"
# A whole conversation's tracker goes with every call; a long one is a few
# hundred kilobytes. Anything far larger is not a tracker.
MAX_REQUEST_BYTES = 8 * 1024 * 1024
# zlib's "detect a zlib or a gzip header" window size.
_ZLIB_OR_GZIP = 32 + zlib.MAX_WBITS


class RequestTooLargeError(ValueError):
    """The request body is larger than allowed once decompressed."""


def _error(status: HTTPStatus, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def decoded_body(body: bytes, encoding: str, limit: int = MAX_REQUEST_BYTES) -> bytes:
    """The request body with its content encoding undone, at most `limit` bytes.

    Args:
        body: The raw body.
        encoding: The `Content-Encoding` header ("" for none).
        limit: The most bytes the decoded body may have.

    Returns:
        The decoded body.

    Raises:
        RequestTooLargeError: The decoded body is longer than `limit`.
        ValueError: The encoding is unknown or the data is not valid.

    """
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        if len(body) > limit:
            raise RequestTooLargeError()
        return body
    if encoding not in ("deflate", "gzip", "x-gzip"):
        raise ValueError("unsupported Content-Encoding")
    inflater = zlib.decompressobj(_ZLIB_OR_GZIP)
    try:
        decoded = inflater.decompress(body, limit + 1)
    except zlib.error as error:
        raise ValueError("the compressed body is not valid") from error
    if len(decoded) > limit or inflater.unconsumed_tail:
        raise RequestTooLargeError()
    if not inflater.eof:
        raise ValueError("the compressed body is cut short")
    return decoded


def _log_failure(what: str, error: BaseException) -> None:
    # The traceback's code lines, not the exception's message: a message
    # can quote the tracker, which holds what the person wrote.
    where = "".join(traceback.format_tb(error.__traceback__))
    logger.error("%s failed (%s).\n%s", what, type(error).__name__, where)


def create_app(
    token: str, actions_package: str = "actions", max_bytes: int = MAX_REQUEST_BYTES
) -> Sanic:
    """Build the action server's Sanic app.

    Args:
        token: The shared secret every request but `/health` must carry.
        actions_package: The package the actions are loaded from.
        max_bytes: The largest request body accepted, once decompressed.

    Returns:
        The app; run it with `app.run(...)`.

    """
    app = Sanic("bot_actions", configure_logging=False)
    # Sanic refuses larger raw bodies itself (413) before reading them.
    app.config.REQUEST_MAX_SIZE = max_bytes
    app.config.FALLBACK_ERROR_FORMAT = "json"
    executor = ActionExecutor()
    executor.register_package(actions_package)
    expected = token.encode("utf-8")

    @app.middleware("request")
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.method == "GET" and request.path == "/health":
            return None
        given = (request.headers.get(TOKEN_HEADER) or "").encode("utf-8")
        if not hmac.compare_digest(given, expected):
            logger.warning("Refused an action server request without the token.")
            return _error(HTTPStatus.UNAUTHORIZED, "Missing or wrong action token.")
        return None

    @app.get("/health")
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/actions")
    async def actions(_: Request) -> HTTPResponse:
        return response.json([{"name": name} for name in executor.actions])

    @app.post("/webhook")
    async def webhook(request: Request) -> HTTPResponse:
        try:
            body = decoded_body(
                request.body or b"",
                request.headers.get("Content-Encoding") or "",
                max_bytes,
            )
        except RequestTooLargeError:
            return _error(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"The request body is larger than {max_bytes} bytes.",
            )
        except ValueError as error:
            return _error(HTTPStatus.BAD_REQUEST, f"Unreadable body: {error}.")
        try:
            action_call = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            action_call = None
        if not isinstance(action_call, dict):
            return _error(HTTPStatus.BAD_REQUEST, "The body must be a JSON object.")
        utils.check_version_compatibility(action_call.get("version"))
        try:
            result = await executor.run(action_call)
        except ActionExecutionRejection as error:
            return response.json(
                {
                    "error": "The action rejected the call.",
                    "action_name": error.action_name,
                },
                status=HTTPStatus.BAD_REQUEST,
            )
        except ActionNotFoundException as error:
            logger.error("No action named %r.", error.action_name)
            return response.json(
                {"error": "No such action.", "action_name": error.action_name},
                status=HTTPStatus.NOT_FOUND,
            )
        except Exception as error:  # noqa: BLE001 - any failure, one safe answer
            _log_failure("An action call", error)
            return _error(
                HTTPStatus.INTERNAL_SERVER_ERROR, "The action could not be run."
            )
        return response.json(result)

    @app.exception(Exception)
    async def any_error(request: Request, error: Exception) -> HTTPResponse:
        if isinstance(error, SanicException):
            status = HTTPStatus(error.status_code)
            return _error(status, status.phrase)
        _log_failure("An action server request", error)
        return _error(HTTPStatus.INTERNAL_SERVER_ERROR, "The request failed.")

    return app


def main(argv: Sequence[str] | None = None) -> int:
    """Run the action server until stopped.

    Returns:
        The exit status.

    """
    parser = argparse.ArgumentParser(prog="python -m bot.answers.action_server")
    parser.add_argument("--host", help="interface to listen on (BIND_HOST)")
    parser.add_argument("--port", type=int, help="port (ACTION_PORT)")
    parser.add_argument("--actions", default="actions", help="actions package")
    parser.add_argument("--debug", action="store_true", help="log at DEBUG level")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"Setting error: {error}", file=sys.stderr)
        return 2
    if not settings.action_server_token:
        print(
            "Setting error: ACTION_SERVER_TOKEN is not set; the action server "
            "answers only requests that carry it.",
            file=sys.stderr,
        )
        return 2
    utils.configure_colored_logging("DEBUG" if args.debug else settings.log_level)
    utils.update_sanic_log_level()
    app = create_app(settings.action_server_token, args.actions)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    host = args.host or settings.bind_host
    port = args.port or settings.action_port
    logger.info("Action server listening on http://%s:%s", host, port)
    app.run(
        host,
        port,
        workers=utils.number_of_sanic_workers(),
        access_log=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
