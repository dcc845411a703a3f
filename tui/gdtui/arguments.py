"""argparse as gdtui's commands use it: errors on one line, and types from parsing's parsers."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, NoReturn


class ArgumentParser(argparse.ArgumentParser):
    """argparse with errors on one line, and no usage block in front of them."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def checked(parse: Callable[[str], Any], **limits: float) -> Callable[[str], Any]:
    """An argparse `type` that reports the parser's own message."""

    def check(text: str) -> Any:
        try:
            return parse(text, **limits)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    check.__name__ = parse.__name__
    return check
