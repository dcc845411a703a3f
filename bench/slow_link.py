"""How long space takes to show PAUSED through a real SSH session over a slow link.

    python bench/slow_link.py [--size 100x30] [--runs 3] [--wait 8] [--links all] [--compare GDTUI] [--options="..."]

A private sshd listens on a loopback port (its own config, host and user keys generated into a
temporary folder, run as the current user); a real `ssh -tt` client runs in a pseudo-terminal
(bench/terminal.py) whose pyte screen answers status reports as a real terminal does. Between
them a TCP proxy plays the link: client -> server bytes are delayed by half the round trip;
server -> client bytes are read no faster than the link's rate lets them out (so the backlog
stays in the TCP buffers behind it, as behind a real bottleneck) and are delayed as well.

Through it runs `gdtui --steps 0` (this checkout's gdtui, clean environment, TERM only), waits
`--wait` s while it trains, presses space and times PAUSED on the client's screen; `--runs`
times per link, a fresh session each time. Also: screen updates per second reaching the client
while it runs (changes of the step counter) and the bytes reaching it. Baseline: the same path
with no rate limit and a 100 ms round trip; with `--compare`, another build (an older gdtui's
venv) on each link right after this one; `--options` are gdtui's own for every session (a file of
several inputs, say; or `run /abs/train.py ARGS`, a script watched). Targets (median space -> PAUSED): 256 kbit/s 200 ms
<= 0.6 s, 64 kbit/s 300 ms <= 1.0 s, 32 kbit/s 300 ms <= 1.5 s; no limit no worse than before.
"""

from __future__ import annotations

import getpass
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections import deque
from pathlib import Path

from terminal import ROOT, Terminal, bench_parser, median

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
# (name, bits per second or None for no limit, round trip in seconds, target in seconds or None)
LINKS = [
    ("no limit, 100 ms", None, 0.100, None),
    ("256 kbit/s, 200 ms", 256_000, 0.200, 0.6),
    ("64 kbit/s, 300 ms", 64_000, 0.300, 1.0),
    ("32 kbit/s, 300 ms", 32_000, 0.300, 1.5),
]
CHUNK = 256  # bytes let through the bottleneck at a time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sshd:
    """A private sshd on a loopback port that lets in one generated key, for this user only."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.key = folder / "user_key"
        for key in (folder / "host_key", self.key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        (folder / "authorized_keys").write_text((folder / "user_key.pub").read_text())
        config = folder / "sshd_config"
        config.write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {folder / 'host_key'}\n"
            f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPidFile {folder / 'sshd.pid'}\n"
            "UsePAM no\nStrictModes no\nPasswordAuthentication no\nPermitRootLogin prohibit-password\n"
            "PrintMotd no\nPrintLastLog no\nAcceptEnv TERM\n"
        )
        if os.geteuid() == 0:
            os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege separation folder
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    end = time.perf_counter() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.perf_counter() > end:
                raise
            time.sleep(0.05)


class Link:
    """A TCP proxy: client <-> server, `delay` s each way, server -> client at `rate` bits/s."""

    def __init__(self, target: int, rate: float | None, rtt: float) -> None:
        self.target, self.rate, self.delay = target, rate, rtt / 2
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._pipe(client, server, None)
            self._pipe(server, client, self.rate)

    def _pipe(self, source: socket.socket, sink: socket.socket, rate: float | None) -> None:
        """Two threads: one reads (at most `rate` bits/s), one writes each chunk `delay` s later."""
        line: deque[tuple[float, bytes]] = deque()
        ready = threading.Condition()

        def read() -> None:
            free = time.perf_counter()  # when the bottleneck is next free
            while True:
                try:
                    data = source.recv(CHUNK if rate else 1 << 16)
                except OSError:
                    data = b""
                if rate:
                    free = max(free, time.perf_counter()) + len(data) * 8 / rate
                    time.sleep(max(0.0, free - time.perf_counter()))
                with ready:
                    line.append((time.perf_counter() + self.delay, data))
                    ready.notify()
                if not data:
                    return

        def write() -> None:
            while True:
                with ready:
                    while not line:
                        ready.wait()
                    due, data = line.popleft()
                time.sleep(max(0.0, due - time.perf_counter()))
                try:
                    if not data:
                        sink.shutdown(socket.SHUT_WR)
                        return
                    sink.sendall(data)
                except OSError:
                    return

        threading.Thread(target=read, daemon=True).start()
        threading.Thread(target=write, daemon=True).start()

    def close(self) -> None:
        self.listener.close()


def client(sshd: Sshd, link: Link, size: tuple[int, int], gdtui: Path, options: list[str]) -> Terminal:
    endless = [] if options[:1] == ["run"] else ["--steps", "0"]  # `gdtui run SCRIPT ...`: the script's own length
    remote = (
        f"cd {shlex.quote(str(gdtui.parent))} && exec env -i HOME={shlex.quote(str(Path.home()))} PATH=/usr/bin:/bin "
        f"TERM=xterm-256color LANG=C.UTF-8 {shlex.quote(str(gdtui))} {shlex.join([*options, *endless])}"
    )
    argv = [
        "ssh", "-tt", "-F", "/dev/null", "-p", str(link.port), "-i", str(sshd.key),
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
        "-o", "IdentitiesOnly=yes", "-o", "Compression=no", f"{getpass.getuser()}@127.0.0.1", remote,
    ]
    return Terminal(argv, size).start()


def one_press(
    sshd: Sshd, link: Link, size: tuple[int, int], wait: float, gdtui: Path, options: list[str]
) -> tuple[float, float, float]:
    """(seconds from space to PAUSED, screen updates/s while running, bytes/s while running)."""
    term = client(sshd, link, size, gdtui, options)
    try:
        term.wait_for(lambda: term.state_word() == "RUNNING" and term.step() is not None, timeout=120)
        term.pump(2.0)
        changes, last = 0, term.step()

        def sample(_: float) -> None:
            nonlocal changes, last
            if (step := term.step()) is not None and step != last:
                changes, last = changes + 1, step

        start, counted = term.bytes_read, max(wait - 2.0, 1.0)
        term.pump(counted, sample)
        rate, updates = (term.bytes_read - start) / counted, changes / counted
        sent = term.send(b" ")
        seen = term.wait_for(lambda: term.state_word() == "PAUSED", timeout=180, poll=0.01)
        return seen - sent, updates, rate
    finally:
        term.send(b"q")
        term.stop(timeout=3)


def report(name: str, build: str, found: list[tuple[float, float, float]], target: float | None) -> None:
    times = [t for t, _, _ in found]
    fps = median([u for _, u, _ in found])
    sent = median([r for _, _, r in found]) / 1024
    verdict = "" if target is None else f"  target <= {target:g} s: {'met' if median(times) <= target else 'MISSED'}"
    print(
        f"{name:<20} {build:<8} space -> PAUSED median {median(times):6.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in times)})  {fps:4.1f} updates/s  {sent:5.1f} KiB/s{verdict}",
        flush=True,
    )


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--runs", type=int, default=3, help="presses per link, each in a fresh session (default: 3)")
    parser.add_argument("--wait", type=float, default=8.0, help="seconds it trains before space (default: 8)")
    parser.add_argument("--links", default="all", help="comma-separated link numbers 0-3 from the table (default: all)")
    parser.add_argument(
        "--gdtui", type=Path, default=ROOT / ".venv" / "bin" / "gdtui",
        help="the gdtui to run (default: this checkout's .venv)",
    )
    parser.add_argument(
        "--compare", type=Path, metavar="GDTUI",
        help="another build's gdtui, measured on each link right after this one (e.g. an older build)",
    )
    parser.add_argument("--options", default="", help="gdtui's options for every session, as one string after = (default: none)")
    args = parser.parse_args()
    options = shlex.split(args.options)
    chosen = LINKS if args.links == "all" else [LINKS[int(i)] for i in args.links.split(",")]
    print(f"terminal {args.size[0]}x{args.size[1]}, gdtui --steps 0 over ssh -tt, space after {args.wait:g} s")
    builds = [("this", args.gdtui)] + ([("compare", args.compare)] if args.compare else [])
    with tempfile.TemporaryDirectory(prefix="gdtui-ssh-") as folder:
        sshd = Sshd(Path(folder))
        try:
            for name, rate, rtt, target in chosen:
                link = Link(sshd.port, rate, rtt)
                for build, gdtui in builds:
                    found = [one_press(sshd, link, args.size, args.wait, gdtui, options) for _ in range(args.runs)]
                    report(name, build, found, target)
                link.close()
        finally:
            sshd.stop()


if __name__ == "__main__":
    main()
