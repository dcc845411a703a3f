"""Screen snapshots at 80x24 and 120x40: paused, seeded, advanced by key presses only."""

from __future__ import annotations

import pytest

from gdtui.cli import make_app, parse_args


def app_for(*argv: str):
    return make_app(parse_args(["--paused", "--seed", "0", *argv]))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
class TestMainScreen:
    def test_start(self, snap_compare, size) -> None:
        assert snap_compare(app_for(), terminal_size=size)

    def test_after_a_hundred_steps(self, snap_compare, size) -> None:
        assert snap_compare(app_for(), press=["N", "N"], terminal_size=size)

    def test_linear_scale_and_faster_lr(self, snap_compare, size) -> None:
        assert snap_compare(app_for(), press=["plus", "N", "g"], terminal_size=size)


def test_help_screen(snap_compare) -> None:
    assert snap_compare(app_for(), press=["question_mark"], terminal_size=(80, 24))


def test_diverged(snap_compare) -> None:
    assert snap_compare(app_for("--lr", "5"), press=["N", "N", "N", "N"], terminal_size=(80, 24))


def test_loss_landscape(snap_compare) -> None:
    assert snap_compare(app_for(), press=["N", "N", "N", "v"], terminal_size=(80, 24))


def test_gradient_check(snap_compare) -> None:
    # At step 0: w and b are exactly as drawn, so every printed digit is the same on any CPU.
    assert snap_compare(app_for(), press=["c"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
class TestExplain:
    def test_update_phase(self, snap_compare, size) -> None:
        assert snap_compare(app_for("--explain"), press=["N", "N", "n", "n", "n", "n"], terminal_size=size)

    def test_slice_along_w(self, snap_compare, size) -> None:
        assert snap_compare(app_for(), press=["N", "N", "v", "v"], terminal_size=size)


def test_slice_along_b_with_momentum(snap_compare) -> None:
    assert snap_compare(app_for("--optimizer", "momentum"), press=["N", "a", "a"], terminal_size=(80, 24))
