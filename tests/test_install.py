"""gdtui as a user installs it: a wheel into a fresh environment adds one package, `gdtui`, and
runs from any folder, even one holding folders named like its parts."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_wheel_installs_one_top_level_package_that_runs_from_any_folder(tmp_path: Path) -> None:
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist", ROOT)
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("gdtui-*.whl")

    venv.create(tmp_path / "env", with_pip=True)
    python = tmp_path / "env" / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip())
    before = {p.name for p in site.iterdir()}
    installed = run(python, "-m", "pip", "install", "--no-deps", "--no-index", wheel)
    assert installed.returncode == 0, installed.stderr
    added = {p.name for p in site.iterdir()} - before
    assert {name for name in added if not name.endswith((".dist-info", ".pth"))} == {"gdtui"}

    # A project folder of the user's with its own `engine` and `tui` packages (and a broken one).
    folder = tmp_path / "project"
    for name in ("engine", "tui"):
        (folder / name).mkdir(parents=True)
        (folder / name / "__init__.py").write_text("raise SystemExit('the wrong package')\n")
    commands: list[list[str | Path]] = [[tmp_path / "env" / "bin" / "gdtui", "--help"], [python, "-m", "gdtui", "--version"]]
    for command in commands:
        result = run(*command, cwd=folder)
        assert result.returncode == 0, result.stderr
    assert "gdtui" in result.stdout
