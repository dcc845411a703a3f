"""`gdtui --serve`: the textual-serve page, its websocket with a live gdtui behind it, tab_command."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gdtui.serve import PYTHON, tab_command

ROOT = Path(__file__).resolve().parents[1]

START_TIMEOUT = 30.0  # seconds for the server to answer; generous for a loaded 2-core machine
APP_TIMEOUT = 45.0  # seconds for a tab's gdtui to import torch and draw its first frame
EXIT_TIMEOUT = 15.0  # seconds for the server (or a tab's gdtui) to exit when asked


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    """The live child processes of pid (Linux /proc), or [] when that cannot be read."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


class Served:
    """`gdtui --serve --port PORT ARGS` from the repository root, in a process group of its own."""

    def __init__(self, log_path: Path, *args: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gdtui", "--serve", "--port", str(self.port), *args],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its tabs' gdtui processes join its group: one killpg ends all
        )

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_until_up(self) -> str:
        """The page at / once the server answers; fails with the server's log if it never does."""
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                pytest.fail(f"server exited with {self.proc.returncode} before answering:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    assert response.status == 200
                    return response.read().decode("utf-8")
            except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
                if time.monotonic() > deadline:
                    pytest.fail(f"server did not answer on {self.url} in {START_TIMEOUT:.0f} s:\n{self.log()}")
                time.sleep(0.2)

    def terminate(self) -> int | None:
        """SIGTERM, as `kill` or a service manager stops it; its exit status, None if it hung."""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            return self.proc.wait(timeout=EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        """Leave nothing behind: the server and every tab process in its group."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=EXIT_TIMEOUT)
        finally:
            self._log.close()


@pytest.fixture
def served(tmp_path):
    servers: list[Served] = []

    def start(*args: str) -> Served:
        server = Served(tmp_path / f"serve-{len(servers)}.log", *args)
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.terminate()
            server.kill()


def test_serve_answers_with_the_textual_serve_page_and_stops_on_sigterm(served):
    server = served("--paused")
    page = server.wait_until_up()
    assert "textual.js" in page
    assert f'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws"' in page
    assert "<div>gdtui</div>" in page  # the title given to textual-serve, not the raw command
    assert server.terminate() == 0, f"server did not exit cleanly on SIGTERM:\n{server.log()}"


def _screen_text(output: bytes, width: int, height: int) -> str:
    """What a terminal of this size shows after output."""
    import pyte

    screen = pyte.Screen(width, height)
    pyte.ByteStream(screen).feed(output)
    return "\n".join(screen.display)


def _paused_at_step_zero(text: str) -> bool:
    return bool(re.search(r"PAUSED\s+step\s+0\b", text)) and "loss" in text


async def _live_screen(ws_url: str, width: int, height: int, ready=_paused_at_step_zero) -> str:
    """Open the page's websocket as its JavaScript does; the screen once `ready(screen)` holds."""
    import aiohttp

    output = bytearray()
    text = ""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"{ws_url}?width={width}&height={height}") as ws:
            await ws.send_json(["resize", {"width": width, "height": height}])
            deadline = time.monotonic() + APP_TIMEOUT
            while time.monotonic() < deadline:
                try:
                    message = await ws.receive(timeout=1)
                except asyncio.TimeoutError:
                    continue
                if message.type == aiohttp.WSMsgType.BINARY:
                    output += message.data
                    text = _screen_text(bytes(output), width, height)
                    if ready(text):
                        return text
                elif message.type == aiohttp.WSMsgType.TEXT:
                    continue  # meta messages (open_url, downloads): none expected here
                else:
                    break  # closed: the tab's gdtui exited
    pytest.fail(f"no live gdtui behind the page, or not as expected, in {APP_TIMEOUT:.0f} s; screen:\n{text}")


def test_the_pages_websocket_runs_a_live_gdtui_and_closing_it_ends_that_run(served):
    server = served("--paused")
    page = server.wait_until_up()
    ws_url = re.search(r'data-session-websocket-url="([^"]+)"', page).group(1)
    try:
        text = asyncio.run(_live_screen(ws_url, 80, 24))
    except BaseException:
        print(server.log())
        raise
    lines = text.splitlines()
    assert lines[0].lstrip().startswith("PAUSED"), text
    for readout in ("w ", "b ", "loss", "lr 0.01"):
        assert readout in text, text
    # The tab is closed: its gdtui must go, not linger under the server.
    deadline = time.monotonic() + EXIT_TIMEOUT
    while _children(server.proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _children(server.proc.pid), f"a tab's gdtui outlived its websocket:\n{server.log()}"
    assert server.terminate() == 0, server.log()


def _filled(text: str) -> bool:
    """The charts' bottom edges just above the footer, and the footer listing the keys."""
    *_, above, footer = text.splitlines()[-4:]
    return _paused_at_step_zero(text) and "└" in "".join(above) and "Run/Pause" in footer and "Quit" in footer


def test_a_served_page_is_filled_by_the_charts_and_lists_the_keys_before_any_click(served):
    # The page's size as a 1200x800 browser window gives it; the page sends focus only on a click.
    server = served("--paused")
    ws_url = re.search(r'data-session-websocket-url="([^"]+)"', server.wait_until_up()).group(1)
    text = asyncio.run(_live_screen(ws_url, 133, 44, ready=_filled))
    assert _filled(text), text


@pytest.mark.parametrize(
    ("argv", "forwarded"),
    [
        (["--serve"], []),
        (["--lr", "0.5", "--paused"], ["--lr", "0.5", "--paused"]),
        (["--serve", "--lr", "0.5", "--paused"], ["--lr", "0.5", "--paused"]),
        (["--lr", "0.5", "--serve", "--host", "0.0.0.0", "--port", "9000", "--paused"], ["--lr", "0.5", "--paused"]),
        (["--host=::", "--steps", "10", "--port=8080", "--serve", "--seed", "3"], ["--steps", "10", "--seed", "3"]),
        (["--port", "8001", "--data", "my file.csv", "--x", "a", "--serve"], ["--data", "my file.csv", "--x", "a"]),
    ],
)
def test_tab_command_drops_the_servers_options_and_keeps_the_rest_in_order(argv, forwarded):
    assert shlex.split(tab_command(argv)) == [*PYTHON, "-m", "gdtui", *forwarded]


@pytest.mark.parametrize("problem", ["port in use", "bad host", "address not here"])
def test_a_server_that_cannot_listen_says_why_in_one_line(run_gdtui, problem):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        options = {
            "port in use": ["--port", str(taken.getsockname()[1])],
            "bad host": ["--host", "no-such-host.invalid"],
            "address not here": ["--host", "192.0.2.1"],  # TEST-NET-1: never this machine's
        }[problem]
        result = run_gdtui("--serve", *options, timeout=30)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("gdtui: error: --serve cannot listen on")
    assert len(result.stderr.splitlines()) == 1, result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root may bind any port")
def test_a_privileged_port_is_one_line(run_gdtui):
    result = run_gdtui("--serve", "--port", "80", timeout=30)
    assert result.returncode == 2 and "Permission denied" in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
