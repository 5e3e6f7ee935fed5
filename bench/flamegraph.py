"""A flame graph (SVG) from collapsed stacks, as py-spy's raw format writes them.

py-spy writes one format per recording; the bench records the raw collapsed
stacks (to count categories) and draws the SVG from them here, so both come
from the same samples. Each box is a function; its width is its share of the
samples, callers below callees; hovering over a box shows its full name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

WIDTH = 1200.0
ROW = 16.0
# Boxes narrower than this are left out: they could not be seen anyway.
MIN_WIDTH = 0.3
# Width of one character of the 11-pixel monospace font.
CHAR_PX = 7.0


@dataclass
class _Node:
    count: int = 0
    children: dict[str, _Node] = field(default_factory=dict)


def read_collapsed(path: Path) -> list[tuple[list[str], int]]:
    """The stacks of a collapsed-stacks file: (frames root first, samples)."""
    stacks = []
    for line in path.read_text(encoding="utf-8").splitlines():
        frames, _, count = line.rpartition(" ")
        if frames and count.isdigit():
            stacks.append((frames.split(";"), int(count)))
    return stacks


def _tree(stacks: list[tuple[list[str], int]]) -> _Node:
    root = _Node()
    for frames, count in stacks:
        root.count += count
        node = root
        for frame in frames:
            node = node.children.setdefault(frame, _Node())
            node.count += count
    return root


def _depth(node: _Node) -> int:
    return 1 + max((_depth(child) for child in node.children.values()), default=0)


def _colour(name: str) -> str:
    digest = hashlib.md5(name.encode(), usedforsecurity=False).digest()
    return f"rgb({205 + digest[0] % 50},{80 + digest[1] % 130},{digest[2] % 55})"


def _boxes(
    node: _Node, name: str, x: float, level: int, scale: float, out: list
) -> None:
    width = node.count * scale
    if width < MIN_WIDTH:
        return
    out.append((name, x, level, width, node.count))
    child_x = x
    for child_name, child in sorted(node.children.items()):
        _boxes(child, child_name, child_x, level + 1, scale, out)
        child_x += child.count * scale


def _label(name: str, width: float) -> str:
    fits = int(width / CHAR_PX)
    if len(name) <= fits:
        return name
    return name[: fits - 2] + ".." if fits > 3 else ""


def _svg_box(name: str, x: float, y: float, width: float, share: str) -> str:
    label = _label(name, width)
    text = f'<text x="{x + 2:.1f}" y="{y + 11:.1f}">{escape(label)}</text>'
    return (
        f"<g><title>{escape(name)} ({share})</title>"
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{ROW - 1}" '
        f'fill="{_colour(name)}"/>{text if label else ""}</g>'
    )


def write_svg(stacks: list[tuple[list[str], int]], path: Path, title: str) -> None:
    """Draws the flame graph of `stacks` into `path`."""
    root = _tree(stacks)
    if root.count == 0:
        path.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>\n")
        return
    boxes: list = []
    _boxes(root, "all", 0.0, 0, WIDTH / root.count, boxes)
    height = (_depth(root) + 2) * ROW
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0f}" '
        f'height="{height:.0f}" font-family="monospace" font-size="11">',
        f'<text x="4" y="12" font-size="13">{escape(title)}</text>',
    ]
    for name, x, level, width, count in boxes:
        y = height - (level + 1) * ROW
        share = f"{count} samples, {100 * count / root.count:.1f}%"
        parts.append(_svg_box(name, x, y, width, share))
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
