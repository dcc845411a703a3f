"""The `gdtui` command as a script or a person at a shell meets it: a real process, real output."""

from __future__ import annotations

import re

import pytest

LOG_LINE = re.compile(r"^w=-?[0-9.e+-]+,b=-?[0-9.e+-]+,loss=[0-9.e+-]+$")


def log_lines(result) -> list[str]:
    """The progress lines of a successful headless run, checked to end with one summary line."""
    assert result.returncode == 0, result.stderr
    *lines, summary = result.stdout.splitlines()
    assert summary.startswith("done:")
    assert all(LOG_LINE.match(line) for line in lines), lines
    return lines


def parse(line: str) -> dict[str, float]:
    return {key: float(value) for key, value in (part.split("=") for part in line.split(","))}


def test_headless_prints_the_seeds_log_and_a_summary(run_gdtui):
    result = run_gdtui("--headless")
    lines = log_lines(result)
    assert len(lines) == 60  # steps 1, 51, ..., 2951
    assert result.stderr == ""
    last = parse(lines[-1])
    assert last["w"] == pytest.approx(3, abs=0.1)
    assert last["b"] == pytest.approx(0.8, abs=0.1)


def test_same_seed_same_log_other_seed_differs(run_gdtui):
    def log(seed: str) -> list[str]:
        return log_lines(run_gdtui("--headless", "--seed", seed, "--steps", "200", "--log-every", "10"))

    first = log("5")
    assert len(first) == 20
    assert log("5") == first
    assert log("6") != first


def test_log_every(run_gdtui):
    assert log_lines(run_gdtui("--headless", "--log-every", "0", "--steps", "20")) == []
    every_step = log_lines(run_gdtui("--headless", "--log-every", "1", "--steps", "20"))
    assert len(every_step) == 20
    every_7th = log_lines(run_gdtui("--headless", "--log-every", "7", "--steps", "20"))
    assert every_7th == [every_step[0], every_step[7], every_step[14]]  # steps 1, 8, 15


@pytest.mark.parametrize(
    "option, value",
    [
        ("--lr", "abc"), ("--lr", "0"), ("--lr", "-1"), ("--lr", "nan"), ("--lr", "inf"),
        ("--steps", "-1"), ("--steps", "1.5"), ("--n", "1"), ("--noise", "-0.1"),
        ("--true-w", "inf"), ("--seed", "-1"), ("--speed", "0"), ("--bogus", None),
    ],
)
def test_bad_option_is_one_line_and_exit_2(run_gdtui, option, value):
    result = run_gdtui("--headless", option, *([value] if value is not None else []))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert option in result.stderr
    assert "Traceback" not in result.stderr


def test_divergence_exits_3_and_names_the_stable_bound(run_gdtui):
    result = run_gdtui("--headless", "--lr", "0.9")
    assert result.returncode == 3
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "diverged at step" in result.stderr
    assert "0.792" in result.stderr
    assert "nan" not in result.stdout.lower()
    assert "inf" not in result.stdout.lower()


def test_piped_stdout_runs_headless_with_a_note(run_gdtui):
    piped = run_gdtui("--steps", "100")
    assert len(piped.stderr.splitlines()) == 1, piped.stderr
    assert "headless" in piped.stderr
    assert log_lines(piped) == log_lines(run_gdtui("--headless", "--steps", "100"))


def test_help_names_the_options_without_importing_torch(run_gdtui, run_python):
    result = run_gdtui("--help")
    assert result.returncode == 0
    for option in ("--lr", "--steps", "--headless"):
        assert option in result.stdout

    timed = run_python("-X", "importtime", "-m", "tui.cli", "--help")
    assert timed.returncode == 0
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in timed.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "argparse" in imported  # the import log was read
    assert not [name for name in imported if name == "torch" or name.startswith("torch.")]
