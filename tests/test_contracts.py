"""Which layer may import which: the engine no terminal library, nothing the command line, and the
app's start-up no PyTorch. Read from the source (every import, lazy ones included)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINE = sorted((ROOT / "engine").glob("*.py"))
TERMINAL = sorted((ROOT / "tui").glob("*.py"))
TERMINAL_LIBRARIES = ("textual", "textual_plotext", "plotext", "rich", "textual_serve")
ENTRY_POINTS = ("cli.py", "__main__.py")  # the command line, and what runs it


def imported(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize("path", ENGINE, ids=lambda p: p.name)
def test_the_engine_imports_no_terminal_library_and_nothing_of_the_app(path: Path) -> None:
    for name in imported(path):
        assert not any(under(name, library) for library in TERMINAL_LIBRARIES), name
        assert under(name, "gdtui.engine") or not under(name, "gdtui"), name


@pytest.mark.parametrize("path", [p for p in TERMINAL if p.name not in ENTRY_POINTS], ids=lambda p: p.name)
def test_nothing_imports_the_command_line_back(path: Path) -> None:
    assert not any(under(name, "gdtui.cli") for name in imported(path))


def test_the_apps_start_up_path_imports_no_torch() -> None:
    """Everything the first frame needs, imported as the command does before the engine loads."""
    modules = ["gdtui.cli", "gdtui.app"] + [f"gdtui.{p.stem}" for p in TERMINAL if p.stem not in ("headless", "race_headless", "__main__")]
    code = f"import sys\nfor m in {modules!r}: __import__(m)\nprint('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
