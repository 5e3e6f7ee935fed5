"""What the running bot's processes look like from the outside, via /proc."""

from __future__ import annotations

from pathlib import Path

# /proc/net/tcp state of a listening socket.
_LISTEN = "0A"


def process_tree(root_pid: int) -> list[int]:
    """`root_pid` and every process started under it that is still running."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def command_line(pid: int) -> str:
    """The process's command line, arguments separated by spaces."""
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def environment(pid: int) -> dict[str, str]:
    """The environment the process was started with."""
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    pairs = (item.decode("utf-8", "replace").split("=", 1) for item in raw if item)
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


def umask(pid: int) -> int:
    """The process's file-creation mask."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Umask:"):
            return int(line.split()[1], 8)
    raise LookupError(f"no Umask line for process {pid}")


def _hex_address(address: str) -> str:
    host, port = address.split(":")
    return f"{host}:{int(port, 16)}"


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as /proc shows them) listening on a TCP port."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            host, local_port = _hex_address(fields[1]).split(":")
            if fields[3] == _LISTEN and int(local_port) == port:
                found.add(host)
    return found


# 127.0.0.1 as /proc/net/tcp writes it (little-endian hex).
LOOPBACK_V4 = "0100007F"
