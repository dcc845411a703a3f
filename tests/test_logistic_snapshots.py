"""The logistic model's screens at 80x24 and 120x40: paused, seeded, advanced by key presses only."""

from __future__ import annotations

import pytest

from gdtui.cli import make_app, parse_args


def app_for(*argv: str):
    return make_app(parse_args(["--paused", "--seed", "0", "--model", "logistic", *argv]))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
class TestLogisticScreen:
    def test_start(self, snap_compare, size) -> None:
        assert snap_compare(app_for(), terminal_size=size)

    def test_after_a_hundred_steps_with_the_optimum(self, snap_compare, size) -> None:
        assert snap_compare(app_for(), press=["N", "N", "asterisk"], terminal_size=size)

    def test_separable(self, snap_compare, size) -> None:
        assert snap_compare(app_for("--separable", "--lr", "5"), press=["N"] * 8, terminal_size=size)


def test_cross_entropy_landscape(snap_compare) -> None:
    assert snap_compare(app_for(), press=["N", "N", "N", "v"], terminal_size=(80, 24))


def test_separable_landscape(snap_compare) -> None:
    assert snap_compare(app_for("--separable", "--lr", "5"), press=["N"] * 8 + ["v"], terminal_size=(80, 24))


def test_gradient_check(snap_compare) -> None:
    # At step 0: w and b are exactly as drawn, so every printed digit is the same on any CPU.
    assert snap_compare(app_for(), press=["c"], terminal_size=(80, 24))
