"""`gdtui --serve`: the textual-serve page, its websocket with a live gdtui behind it, the page in a
real browser (where Chromium and node are installed), tab_command."""

from __future__ import annotations

import asyncio
import base64
import importlib
import json
import os
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
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
BROWSER_DIR = ROOT / ".browser-check"  # npm's playwright-core for the browser test (git-ignored)
NPM_TIMEOUT = 300.0  # seconds for npm to install playwright-core, the first time


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
        self._log = open(log_path, "wb")  # noqa: SIM115 (open while the server runs; closed in stop())
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
            except (urllib.error.URLError, ConnectionError, TimeoutError):
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
    async with aiohttp.ClientSession() as session, session.ws_connect(f"{ws_url}?width={width}&height={height}") as ws:
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
    found = re.search(r'data-session-websocket-url="([^"]+)"', page)
    assert found, page
    ws_url = found.group(1)
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


def test_a_served_page_runs_a_fit_of_several_inputs(served):
    """The options of several inputs reach each tab's gdtui: its first screen is the coefficient table."""
    stackloss = os.path.join(os.path.dirname(importlib.import_module("statsmodels.datasets.stackloss").__file__ or ""), "stackloss.csv")
    server = served("--paused", "--data", stackloss, "--x", "AIRFLOW,WATERTEMP,ACIDCONC", "--y", "STACKLOSS")
    found = re.search(r'data-session-websocket-url="([^"]+)"', server.wait_until_up())
    assert found
    try:
        text = asyncio.run(_live_screen(found.group(1), 80, 24))
    except BaseException:
        print(server.log())
        raise
    assert "least sq." in text and all(name in text for name in ("intercept", "AIRFLOW", "WATERTEMP", "ACIDCONC")), text
    assert server.terminate() == 0, server.log()


def _filled(text: str) -> bool:
    """The charts' bottom edges just above the footer, and the footer listing the keys."""
    lines = text.splitlines() or [""]
    above, footer = "".join(lines[-4:-1]), lines[-1]
    return _paused_at_step_zero(text) and "└" in above and "Run/Pause" in footer and "Quit" in footer


def test_a_served_page_is_filled_by_the_charts_and_lists_the_keys_before_any_click(served):
    # The page's size as a 1200x800 browser window gives it; the page sends focus only on a click.
    server = served("--paused")
    page = server.wait_until_up()
    found = re.search(r'data-session-websocket-url="([^"]+)"', page)
    assert found, page
    ws_url = found.group(1)
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


def _chromium() -> str | None:
    return os.environ.get("GDTUI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _playwright_modules() -> Path:
    """A node_modules holding playwright-core, installed with npm on first use; skips without one."""
    modules = BROWSER_DIR / "node_modules"
    if (modules / "playwright-core").is_dir():
        return modules
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("no npm to install playwright-core with")
    BROWSER_DIR.mkdir(exist_ok=True)
    command = [npm, "install", "--prefix", str(BROWSER_DIR), "--no-audit", "--no-fund", "--fetch-retries=1", "playwright-core"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=NPM_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.skip(f"npm did not install playwright-core in {NPM_TIMEOUT:.0f} s")
    if done.returncode != 0:
        pytest.skip(f"npm could not install playwright-core: {(done.stderr.strip() or 'no message').splitlines()[0]}")
    return modules


class BrowserPage:
    """A served page in headless Chromium at 1200x800, driven by tests/served_page.js; it never
    clicks or types unless asked. `text` is the screen made of the bytes the page received."""

    def __init__(self, url: str, chromium: str, modules: Path, profile: Path) -> None:
        self.proc = subprocess.Popen(
            ["node", str(ROOT / "tests" / "served_page.js"), url, chromium, str(profile)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "NODE_PATH": str(modules)},
        )
        self.messages: queue.Queue[dict] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.output = bytearray()
        self.size: tuple[int, int] | None = None
        self.text = ""

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.messages.put(json.loads(line))
        self.messages.put({"error": f"the browser driver exited with {self.proc.wait()}"})

    def _next(self, deadline: float) -> dict | None:
        """The next answer to a command, taking in sizes and output on the way; None at the deadline."""
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                return None
            if "error" in message:
                pytest.fail(f"browser: {message['error']}")
            elif "sent" in message:
                if (size := re.fullmatch(r'\["resize",\{"width":(\d+),"height":(\d+)\}\]', message["sent"])):
                    self.size = int(size[1]), int(size[2])
            elif "bytes" in message:
                self.output += base64.b64decode(message["bytes"])
                if self.size:
                    self.text = _screen_text(bytes(self.output), *self.size)
            else:
                return message
        return None

    def watch(self, ready, timeout: float) -> bool:
        """Take in what the page receives until `ready(self.text)` holds (True) or time is up (False)."""
        deadline = time.monotonic() + timeout
        while not ready(self.text):
            if self._next(min(deadline, time.monotonic() + 0.2)) is None and time.monotonic() >= deadline:
                return False
        return True

    def ask(self, command: str) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        answer = self._next(time.monotonic() + APP_TIMEOUT)
        assert answer is not None, f"the browser did not answer {command!r}"
        return answer

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.ask("close")
            except (AssertionError, BrokenPipeError, pytest.fail.Exception):
                pass
            try:
                self.proc.wait(timeout=EXIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.mark.skipif(not (_chromium() and shutil.which("node")), reason="needs Chromium and node")
def test_in_a_real_browser_the_page_is_filled_and_lists_the_keys_and_one_click_gives_it_the_keys(
    served, tmp_path
):
    modules = _playwright_modules()
    server = served("--paused")
    server.wait_until_up()
    chromium = _chromium()
    assert chromium is not None  # the skipif above
    page = BrowserPage(server.url, chromium, modules, tmp_path / "profile")
    try:
        page.watch(_filled, APP_TIMEOUT)  # no click, no key: the page as it opens
        measured = page.ask("measure")["measure"]
        page.ask(f"screenshot {tmp_path / 'page.png'}")
        lines = page.text.splitlines() or [""]
        rows, screen, viewport = measured["rows"], measured["screen"], measured["viewport"]
        text_rows = 1 + max((y for y, line in enumerate(lines[:-1]) if line.strip()), default=-1)
        painted = measured["painted"]
        pixel_rows = None if painted is None else 1 + max((y for y, p in enumerate(painted[:-1]) if p), default=-1)
        assert page.size is not None  # the page has sent its size: it shows a screen
        print(
            f"\npage {viewport['width']}x{viewport['height']} px: terminal {page.size[0]}x{rows} cells, "
            f"{screen['height']:.0f} px high; rows above the footer in use: {text_rows} of {rows - 1} "
            f"(drawn: {pixel_rows}); footer: {lines[-1].strip() or '(empty)'}; "
            f"screenshot {tmp_path / 'page.png'}"
        )
        assert screen["height"] >= 0.95 * viewport["height"], measured
        assert _filled(page.text), page.text
        assert pixel_rows is None or pixel_rows >= rows - 3, (painted, page.text)

        # As the README says: keys reach the app once the page has been clicked, not before.
        page.ask("press n")
        assert not page.watch(lambda text: re.search(r"step\s+1 /", text), 1.5), page.text
        page.ask("click")
        page.ask("press n")
        assert page.watch(lambda text: re.search(r"PAUSED\s+step\s+1 /", text), APP_TIMEOUT), page.text
    finally:
        page.close()
