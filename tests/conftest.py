"""Shared helpers: run Python, or the real `gdtui` command, as a separate process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Every gdtui the tests start (python -m gdtui, the gdtui command, pty runs) is this checkout's,
# whichever checkout the environment installed: its source roots come first on the path.
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT / "engine"), str(ROOT / "tui"), *filter(None, [os.environ.get("PYTHONPATH")])])


def _run_python(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python ARGS` from the repository root, with stdout and stderr captured (pipes, not a tty)."""
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def _run_gdtui(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`gdtui ARGS`, as `python -m gdtui ARGS`."""
    return _run_python("-m", "gdtui", *args, timeout=timeout)


@pytest.fixture
def run_python():
    return _run_python


@pytest.fixture
def run_gdtui():
    return _run_gdtui
