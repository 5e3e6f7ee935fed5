"""The widget's demo page: one widget tag, every value escaped."""

from __future__ import annotations

import html
import re

from bot.ops.widget.server import DEMO_TITLE, demo_page


def test_demo_page_embeds_the_widget_once_pointed_at_the_server():
    page = demo_page("http://localhost:5005")
    [tag] = re.findall(r"<script[^>]*>", page)
    assert 'src="/widget.js"' in tag
    assert 'data-server-url="http://localhost:5005"' in tag
    assert f'data-title="{DEMO_TITLE}"' in tag
    # The example for clinics is shown as text, not run.
    [code] = re.findall(r"<code>(.*?)</code>", page)
    assert html.unescape(code).startswith(
        '<script src="https://bot.example.org/widget.js" '
        'data-server-url="https://bot.example.org"'
    )


def test_demo_page_escapes_the_address_and_the_title():
    hostile = 'https://x.org/"><script>alert(1)</script>'
    page = demo_page(hostile, "Q & <b>A</b>")
    assert len(re.findall(r"<script", page)) == 1
    assert "alert(1)</script>" not in page
    [tag] = re.findall(r"<script[^>]*>", page)
    [server_url] = re.findall(r'data-server-url="([^"]*)"', tag)
    [title] = re.findall(r'data-title="([^"]*)"', tag)
    assert html.unescape(server_url) == hostile
    assert html.unescape(title) == "Q & <b>A</b>"
