"""Which layer may import which: the engine no terminal library, nothing the command line, and the
app's start-up no PyTorch. Read from the source (every import, lazy ones included)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINE = sorted((ROOT / "engine").rglob("*.py"))
TERMINAL = sorted((ROOT / "tui").rglob("*.py"))


def module(path: Path) -> str:
    """gdtui.charts.fit for tui/gdtui/charts/fit.py; a package's __init__ is the package."""
    parts = path.relative_to(ROOT).with_suffix("").parts[1:]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
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


@pytest.mark.parametrize("path", ENGINE, ids=module)
def test_the_engine_imports_no_terminal_library_and_nothing_of_the_app(path: Path) -> None:
    for name in imported(path):
        assert not any(under(name, library) for library in TERMINAL_LIBRARIES), name
        assert under(name, "gdtui.engine") or not under(name, "gdtui"), name


@pytest.mark.parametrize("path", [p for p in TERMINAL if p.name not in ENTRY_POINTS], ids=module)
def test_nothing_imports_the_command_line_back(path: Path) -> None:
    assert not any(under(name, "gdtui.cli") for name in imported(path))


def test_the_apps_start_up_path_imports_no_torch() -> None:
    """Everything the first frame needs, imported as the command does before the engine loads."""
    modules = ["gdtui.cli", "gdtui.app"] + [
        module(p) for p in TERMINAL if not under(module(p), "gdtui.headless") and p.stem != "__main__"
    ]
    assert loaded(modules, "torch") is False


@pytest.mark.parametrize("headless", ["gdtui.headless.single", "gdtui.headless.race", "gdtui.headless.many", "gdtui.headless.script"])
def test_headless_runs_import_no_terminal_library(headless: str) -> None:
    """Scripts and CI run these: they load what training needs and nothing of the app."""
    assert loaded([headless], "textual") is False


def loaded(modules: list[str], library: str) -> bool:
    """Whether importing `modules` (in a fresh interpreter) loads `library`."""
    code = f"import sys\nfor m in {modules!r}: __import__(m)\nprint({library!r} in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return {"True": True, "False": False}[result.stdout.strip()]


def test_no_import_circle() -> None:
    """Modules import each other one way (imports for type checking and inside functions aside)."""
    graph = {module(path): set(top_level_imports(path)) for path in ENGINE + TERMINAL}
    graph = {name: {dep for dep in deps if dep in graph and dep != name} for name, deps in graph.items()}
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, " → ".join((*trail[trail.index(name):], name))
        if name not in done:
            for dep in graph[name]:
                visit(dep, (*trail, name))
            done.add(name)

    for name in graph:
        visit(name, ())


def top_level_imports(path: Path) -> set[str]:
    """The gdtui modules `path` imports when it is imported: not under TYPE_CHECKING, not in functions."""
    names: set[str] = set()

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                walk(ast.Module(body=child.orelse, type_ignores=[]))
                continue
            if isinstance(child, ast.ImportFrom) and child.module and not child.level:
                names.update({child.module, *(f"{child.module}.{alias.name}" for alias in child.names)})
            elif isinstance(child, ast.Import):
                names.update(alias.name for alias in child.names)
            walk(child)

    walk(ast.parse(path.read_text(encoding="utf-8")))
    return {name for name in names if under(name, "gdtui")}
