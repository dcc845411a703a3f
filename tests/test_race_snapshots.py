"""Race screen snapshots: three runs at 80x24 and 120x40, and without colour (NO_COLOR)."""

from __future__ import annotations

import pytest

from gdtui.cli import make_app, parse_args


def race_app(*argv: str):
    return make_app(parse_args(["--paused", "--seed", "0", "--compare", "gd,momentum,adam", *argv]))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_three_runs(snap_compare, size) -> None:
    assert snap_compare(race_app(), press=["N", "N", "tab"], terminal_size=size)


def test_three_runs_without_colour(snap_compare, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(race_app(), press=["N", "N", "tab"], terminal_size=(80, 24))


def test_paths_over_the_landscape(snap_compare) -> None:
    assert snap_compare(race_app(), press=["N", "N", "N", "v"], terminal_size=(80, 24))


def test_four_runs_one_diverged(snap_compare) -> None:
    app = make_app(parse_args(["--paused", "--compare", "gd:0.1,gd:0.9,momentum:0.05,adam:0.1"]))
    assert snap_compare(app, press=["N"] * 4, terminal_size=(80, 24))
