"""Serves the chat widget's files and a demo page: `python -m bot.widget.server`.

`make run` starts it under supervisor next to the Rasa server. The demo page
stands in for a clinic's website: it embeds the widget with the one
`<script>` tag a clinic would use, pointed at the Rasa server of the current
settings. Only a fixed list of files is served, so no other file on the
machine can be reached through it.
"""

from __future__ import annotations

import html
import re
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from bot.settings import Settings, SettingsError, load_settings

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_FILES = {
    "/widget.js": ("widget.js", "text/javascript; charset=utf-8"),
    "/widget.css": ("widget.css", "text/css; charset=utf-8"),
    "/demo.css": ("demo.css", "text/css; charset=utf-8"),
}
DEMO_TITLE = "Questions about MDMA-assisted therapy"
# A host name or an IP address, as the browser sent it in the Host header.
_HOSTNAME = re.compile(r"^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])$")

_DEMO_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Example clinic: MDMA-assisted therapy information</title>
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<main>
<h1>Example clinic</h1>
<p class="demo-note">This is a demo page standing in for a clinic's website.
The chat button in the corner is the bot's web widget.</p>
<h2>MDMA-assisted therapy</h2>
<p>Our team answers questions about MDMA-assisted therapy. For quick,
general information, open the chat in the corner of this page. The chat
gives education, not medical advice. If you are in crisis, call or text 988
(in the US) at any time.</p>
<h2>Put the widget on your own site</h2>
<p>Add this one tag to your page:</p>
<p><code>{snippet}</code></p>
</main>
{script_tag}
</body>
</html>
"""


def _script_tag(server_url: str, title: str, script_src: str) -> str:
    return (
        f'<script src="{html.escape(script_src)}" '
        f'data-server-url="{html.escape(server_url)}" '
        f'data-title="{html.escape(title)}" '
        'data-accent-color="#1f4e79" data-accent-text-color="#ffffff" defer>'
        "</script>"
    )


def demo_page(server_url: str, title: str = DEMO_TITLE) -> str:
    """Return the demo page, its widget pointed at a Rasa server.

    Args:
        server_url: Address of the Rasa server, such as http://localhost:5005.
        title: The widget's title.

    Returns:
        The HTML of the page.

    """
    tag = _script_tag(server_url, title, "/widget.js")
    example = _script_tag(
        "https://bot.example.org", title, "https://bot.example.org/widget.js"
    )
    return _DEMO_PAGE.format(snippet=html.escape(example), script_tag=tag)


def rasa_server_url(host_header: str | None, rasa_port: int) -> str:
    """Return the Rasa server address as seen from the browser.

    The demo page is opened as http://localhost:8080 or http://127.0.0.1:8080;
    the Rasa server is on the same host name, on its own port.

    Args:
        host_header: The request's Host header.
        rasa_port: The Rasa server's port.

    Returns:
        For example http://localhost:5005.

    """
    hostname = "localhost"
    if host_header:
        candidate = host_header.strip()
        if candidate.startswith("["):
            candidate = candidate.split("]", 1)[0] + "]"
        else:
            candidate = candidate.rsplit(":", 1)[0] if ":" in candidate else candidate
        if _HOSTNAME.match(candidate):
            hostname = candidate
    return f"http://{hostname}:{rasa_port}"


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
                server_url = rasa_server_url(
                    self.headers.get("Host"), settings.rasa_port
                )
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


def make_server(settings: Settings, host: str = "0.0.0.0") -> ThreadingHTTPServer:
    """Create (bind, not start) the widget server on `settings.widget_port`.

    Args:
        settings: The bot's settings (widget and Rasa ports).
        host: The interface to listen on; all of them by default, as Rasa does.

    Returns:
        The server; call `serve_forever()` on it.

    """
    return ThreadingHTTPServer((host, settings.widget_port), _handler(settings))


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
