"""mypy checks gdtui across its modules: a wrong call from one module to another is reported.

A config under which mypy resolves none of gdtui's own imports (each taken as Any) passes
anything, and a clean run then says nothing. So mypy runs, with the repository's own config, on a
copy of the source: clean as it is, and with wrong calls planted, reported at exactly their lines.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("engine/gdtui", "tui/gdtui")
ERROR = re.compile(r"^(?P<path>[^:\n]+\.py):(?P<line>\d+): error: (?P<message>.*)$", re.MULTILINE)

# Lines appended to a copy of the source; those marked True must each be reported as an error.
PLANTED = {
    "engine/gdtui/engine/run/playback.py": [
        ("from gdtui.engine.training.ladder import next_on_ladder", False),
        ('next_on_ladder("fast", 1)', True),  # a str for a float, in the engine
    ],
    "tui/gdtui/charts/loss.py": [
        ("from gdtui.engine.theory.linear import stable_lr", False),
        ("stable_lr(0.5)", True),  # a float for a Dataset, from the TUI into the engine
        ("import gdtui.engine.no_such_module", True),  # a missing module of gdtui's is an error, not Any
    ],
}


class Run(NamedTuple):
    code: int  # mypy's exit status
    errors: set[tuple[str, int]]  # (file, line) of each error
    output: str


def _mypy(tree: Path, cache: Path) -> Run:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), *CHECKED],
        cwd=tree, capture_output=True, text=True, timeout=900,
    )
    errors = {(m["path"].replace("\\", "/"), int(m["line"])) for m in ERROR.finditer(result.stdout)}
    return Run(result.returncode, errors, result.stdout + result.stderr)


def _plant(tree: Path) -> set[tuple[str, int]]:
    """Append PLANTED to the copy; the (file, line) of each line that must be reported."""
    wanted = set()
    for name, lines in PLANTED.items():
        path = tree / name
        source = path.read_text()
        if not source.endswith("\n"):
            source += "\n"
        first = source.count("\n") + 1
        path.write_text(source + "".join(line + "\n" for line, _ in lines))
        wanted |= {(name, first + k) for k, (_, reported) in enumerate(lines) if reported}
    return wanted


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Run, set[tuple[str, int]]]:
    """mypy on a copy of engine/, tui/ and pyproject.toml as they are, then with PLANTED in it;
    and the lines it must report then."""
    tree = tmp_path_factory.mktemp("tree")
    for folder in ("engine", "tui"):
        shutil.copytree(ROOT / folder, tree / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    cache = tmp_path_factory.mktemp("mypy_cache")  # shared: the planted run rechecks only what changed
    clean = _mypy(tree, cache)
    wanted = _plant(tree)
    return clean, _mypy(tree, cache), wanted


def test_the_source_type_checks_clean(runs: tuple[Run, Run, set[tuple[str, int]]]) -> None:
    clean, _, _ = runs
    assert (clean.code, clean.errors) == (0, set()), clean.output


def test_a_wrong_call_across_modules_is_reported_at_its_line(runs: tuple[Run, Run, set[tuple[str, int]]]) -> None:
    _, planted, wanted = runs
    assert not wanted - planted.errors, f"not reported: {sorted(wanted - planted.errors)}\n{planted.output}"
    assert not planted.errors - wanted, f"reported off the planted lines: {sorted(planted.errors - wanted)}\n{planted.output}"
    assert planted.code == 1, planted.output
