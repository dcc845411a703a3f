"""`gdtui --serve`: the same app in web browsers through textual-serve, each tab its own run."""

from __future__ import annotations

import argparse
import shlex
import socket
import sys
from collections.abc import Sequence

SERVER_OPTIONS = ("--host", "--port")  # options of the server, not of each tab's gdtui
# The installed gdtui, whatever folder the server was started in: -P keeps the working directory
# off the module path (Python 3.11 and later), so a folder there cannot shadow the package.
PYTHON = (sys.executable, "-P") if sys.version_info >= (3, 11) else (sys.executable,)
EXIT_CANNOT_LISTEN = 2  # as for any other option that cannot be used


def tab_command(argv: Sequence[str]) -> str:
    """The command each browser tab runs: this gdtui with the same options, minus the server's."""
    forwarded: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--serve" or arg.startswith(tuple(f"{o}=" for o in SERVER_OPTIONS)):
            continue
        elif arg in SERVER_OPTIONS:
            skip = True
        else:
            forwarded.append(arg)
    return shlex.join([*PYTHON, "-m", "gdtui", *forwarded])


def check_address(host: str, port: int) -> None:
    """Bind every address `host` stands for, as the server will; OSError (a bad host, a port in
    use or not allowed) if one cannot be bound."""
    for family, kind, proto, _, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE):
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server sets it
            sock.bind(address)


def serve(args: argparse.Namespace, argv: Sequence[str]) -> int:
    from textual_serve.server import Server

    try:
        check_address(args.host, args.port)  # first, so a failure is one line, not "serving on"
        print(f"gdtui: serving on http://{args.host}:{args.port} (ctrl+c stops)", file=sys.stderr)
        Server(tab_command(argv), host=args.host, port=args.port, title="gdtui").serve()
    except OSError as error:  # gaierror for a bad host included
        why = error.strerror or str(error)
        print(f"gdtui: error: --serve cannot listen on {args.host}:{args.port}: {why}", file=sys.stderr)
        return EXIT_CANNOT_LISTEN
    return 0
