"""`gdtui --serve`: the same app in web browsers through textual-serve, each tab its own run."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence

SERVER_OPTIONS = ("--host", "--port")  # options of the server, not of each tab's gdtui
# The installed gdtui, whatever folder the server was started in: -P keeps the working directory
# off the module path (Python 3.11 and later), so a folder there cannot shadow the package.
PYTHON = (sys.executable, "-P") if sys.version_info >= (3, 11) else (sys.executable,)


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


def serve(args: argparse.Namespace, argv: Sequence[str]) -> int:
    from textual_serve.server import Server

    print(f"gdtui: serving on http://{args.host}:{args.port} (ctrl+c stops)", file=sys.stderr)
    Server(tab_command(argv), host=args.host, port=args.port, title="gdtui").serve()
    return 0
