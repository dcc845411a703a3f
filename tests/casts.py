"""gdtui's recordings as asciinema reads and plays them (its 2.x package, from the registry), and
as a terminal emulator (pyte) shows them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyte
from asciinema import asciicast


def read(path: Path) -> tuple[dict, list[list]]:
    """The header and the events, by asciinema's own parser (what `asciinema play` reads)."""
    with asciicast.open_from_url(str(path)) as cast:
        return cast.v2_header, list(cast.events())


def output(path: Path) -> bytes:
    """Everything the recording says was sent to the terminal, in order."""
    return "".join(data for _, code, data in read(path)[1] if code == "o").encode()


def played(path: Path) -> list[str]:
    """The last screen of `asciinema play` (at full speed, raw) on a terminal the size the
    recording ends at: gdtui redraws the whole screen after a resize."""
    header, events = read(path)
    sizes = [data for _, code, data in events if code == "r"]
    columns, rows = (int(n) for n in sizes[-1].split("x")) if sizes else (header["width"], header["height"])
    player = [sys.executable, "-m", "asciinema", "play", "--speed", "1000", "--idle-time-limit", "0.001", "--out-fmt", "raw"]
    raw = subprocess.run([*player, str(path)], stdin=subprocess.DEVNULL, capture_output=True, check=True, timeout=120).stdout
    screen = pyte.Screen(columns, rows)
    pyte.ByteStream(screen).feed(raw)
    return list(screen.display)


def frames(path: Path) -> Iterator[list[str]]:
    """The screen after each output event, resizes applied as they come."""
    header, events = read(path)
    screen = pyte.Screen(header["width"], header["height"])
    stream = pyte.Stream(screen)
    for _, code, data in events:
        if code == "r":
            columns, rows = (int(n) for n in data.split("x"))
            screen.resize(rows, columns)
        elif code == "o":
            stream.feed(data)
            yield list(screen.display)


def markers(path: Path) -> list[str]:
    """The keys pressed, in order."""
    return [data for _, code, data in read(path)[1] if code == "m"]
