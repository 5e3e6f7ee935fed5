"""Serves the chat widget's files and a demo page: `python -m bot.ops.widget.server`.

`make run` starts it under supervisor next to the Rasa server. The demo page
stands in for a clinic's website: it embeds the widget with the one
`<script>` tag a clinic would use, pointed at the Rasa server of the current
settings (`PUBLIC_URL`, never the request's `Host` header). It listens on
`BIND_HOST` (loopback by default). Only a fixed list of files is served,
so no other file on the machine can be reached through it.
"""

from __future__ import annotations

import socket
import sys
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.settings import Settings, SettingsError, load_settings

STATIC_DIR = Path(__file__).resolve().parent / "static"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_FILES = {
    "/widget.js": ("widget.js", "text/javascript; charset=utf-8"),
    "/widget.css": ("widget.css", "text/css; charset=utf-8"),
    "/demo.css": ("demo.css", "text/css; charset=utf-8"),
}
DEMO_TITLE = "Questions about MDMA-assisted therapy"

EXAMPLE_SERVER_URL = "https://bot.example.org"


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
    )


def demo_page(server_url: str, title: str = DEMO_TITLE) -> str:
    """Return the demo page, its widget pointed at a Rasa server.

    The page is the Jinja2 template `templates/demo.html`, autoescaped: the
    addresses and the title are escaped wherever they appear.

    Args:
        server_url: Address of the Rasa server, such as http://localhost:5005.
        title: The widget's title.

    Returns:
        The HTML of the page.

    """
    return (
        _templates()
        .get_template("demo.html")
        .render(server_url=server_url, title=title, example_url=EXAMPLE_SERVER_URL)
    )


def _handler(settings: Settings) -> type[BaseHTTPRequestHandler]:
    class WidgetRequestHandler(BaseHTTPRequestHandler):
        server_version = "mdma-faq-widget"
        sys_version = ""

        def do_GET(self) -> None:  # the name http.server calls
            self._respond(send_body=True)

        def do_HEAD(self) -> None:
            self._respond(send_body=False)

        def _respond(self, send_body: bool) -> None:
            path = urlsplit(self.path).path
            if path in ("/", "/index.html"):
                # The configured address, never the request's Host header,
                # which anyone can set.
                server_url = settings.rasa_public_url
                body = demo_page(server_url).encode("utf-8")
                headers = {
                    "Content-Type": "text/html; charset=utf-8",
                    # Only this server's script and styles run on the page,
                    # and it talks only to the Rasa server.
                    "Content-Security-Policy": (
                        "default-src 'none'; script-src 'self'; style-src 'self'; "
                        f"connect-src {server_url}; img-src 'self'; "
                        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
                    ),
                }
            elif path in STATIC_FILES:
                name, content_type = STATIC_FILES[path]
                body = (STATIC_DIR / name).read_bytes()
                headers = {"Content-Type": content_type}
            elif path == "/health":
                body = b'{"status": "ok"}'
                headers = {"Content-Type": "application/json"}
            else:
                body = b"Not found\n"
                headers = {"Content-Type": "text/plain; charset=utf-8"}
                self.send_response(HTTPStatus.NOT_FOUND)
                self._finish(headers, body, send_body)
                return
            self.send_response(HTTPStatus.OK)
            self._finish(headers, body, send_body)

        def _finish(
            self, headers: dict[str, str], body: bytes, send_body: bool
        ) -> None:
            headers = {
                **headers,
                "Content-Length": str(len(body)),
                "Cache-Control": "no-cache",
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            }
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if send_body:
                self.wfile.write(body)

    return WidgetRequestHandler


def make_server(settings: Settings, host: str | None = None) -> ThreadingHTTPServer:
    """Create (bind, not start) the widget server on `settings.widget_port`.

    Args:
        settings: The bot's settings (widget port, public URL, BIND_HOST).
        host: The interface to listen on; BIND_HOST (loopback) when not given.

    Returns:
        The server; call `serve_forever()` on it.

    """
    server_class = ThreadingHTTPServer
    host = host or settings.bind_host
    if ":" in host:
        server_class = type("Threading6HTTPServer", (ThreadingHTTPServer,), {})
        server_class.address_family = socket.AF_INET6
    return server_class((host, settings.widget_port), _handler(settings))


def main() -> int:
    """Serve the widget and the demo page until stopped.

    Returns:
        The exit status.

    """
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"Setting error: {error}", file=sys.stderr)
        return 2
    server = make_server(settings)
    print(f"Widget demo page on http://localhost:{settings.widget_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
