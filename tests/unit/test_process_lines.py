"""Code of one process never imports another process's code.

`bot/server/` runs in the Rasa server, `bot/answers/` (and `actions/`) in the
action server, `bot/ops/` from the command line. Modules directly under
`bot/` and in `bot/content/` and `bot/db/` are shared. Imports inside
functions count too: they run in the same process.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = {
    "bot.server": "Rasa server",
    "bot.answers": "action server",
    "actions": "action server",
    "bot.ops": "ops",
}
# Operations code starts the servers and reads what they store, so it may
# import either; a server imports only its own code and the shared modules.
MAY_IMPORT = {
    "Rasa server": {"Rasa server"},
    "action server": {"action server"},
    "ops": {"Rasa server", "action server", "ops"},
    "shared": set(),
}


def process_of(module: str) -> str:
    for prefix, process in PROCESSES.items():
        if module == prefix or module.startswith(prefix + "."):
            return process
    return "shared"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in ("bot", "actions")}


SOURCES = sorted([*ROOT.glob("bot/**/*.py"), *ROOT.glob("actions/**/*.py")])


def test_every_process_folder_has_code():
    names = {module_name(path) for path in SOURCES}
    for prefix in ("bot.server", "bot.answers", "bot.ops"):
        assert any(name.startswith(prefix + ".") for name in names), prefix


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_stay_within_the_process(path):
    mine = process_of(module_name(path))
    crossing = sorted(
        name
        for name in imported_modules(path)
        if process_of(name) not in ({"shared", mine} | MAY_IMPORT[mine])
    )
    assert not crossing, f"{mine} code imports {crossing}"


def test_the_check_sees_a_crossing():
    assert process_of("bot.answers.lookup") not in MAY_IMPORT["Rasa server"]
    assert process_of("bot.server.channels.turns") not in MAY_IMPORT["action server"]
    assert process_of("bot.ops.cli") not in MAY_IMPORT["Rasa server"] | {"shared"}
