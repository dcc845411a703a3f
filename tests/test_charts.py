"""What the charts draw: the start of a long run, readable marks for every setting change, and
only the visible part of a line whatever its values (a diverged run's 1e30 included)."""

from __future__ import annotations

import dataclasses
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gdtui.charts.chart import Chart, clip_polyline
from gdtui.charts.fit import FitChart
from gdtui.charts.loss import LossChart, label_start, mark_column, mark_labels
from gdtui.charts.race import RaceLossChart
from gdtui.cli import make_app, parse_args
from gdtui.widgets.rows import cells

BRAILLE = re.compile("[\u2801-\u28ff]")


def app_for(*argv: str):
    return make_app(parse_args(["--paused", *argv]))


def canvas(chart) -> tuple[str, list[str]]:
    """The chart's top border and the rows inside its axes, top first, as plain text."""
    lines = chart.plain.splitlines()
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    left, right = lines[top].index("┌") + 1, lines[top].index("┐")
    return lines[top][left:right], [line[left:right] for line in lines[top + 1 : bottom]]


def colours(chart, char: str) -> set[int | None]:
    """The colours `char` is drawn in inside the chart's axes, as terminal colour numbers (3 is
    yellow; None, the text's own)."""
    lines = chart.plain.splitlines()
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    left, right = lines[top].index("┌") + 1, lines[top].index("┐")
    return {
        style.color.number if style and style.color else None
        for text, styles in map(cells, chart.rows[top + 1 : bottom])
        for c, style in zip(text[left:right], styles[left:right])
        if c == char
    }


def only_visible_lines(monkeypatch, app) -> None:
    """Fail at once, not after minutes, where any chart hands plotext a line running off it."""
    for chart in app.main.query(Chart):
        plot = chart.plt.plot

        def checked(xs, ys, chart=chart, plot=plot, **style) -> None:
            _, (low, high) = chart.box or ((0, 0), (-math.inf, math.inf))
            assert all(low <= y <= high for y in ys), f"plotext given y from {min(ys):.3g} to {max(ys):.3g}"
            plot(xs, ys, **style)

        monkeypatch.setattr(chart.plt, "plot", checked)


# The start of a long run.


async def test_a_long_run_still_shows_its_first_steps_fall() -> None:
    # Standardized with the best lr, the loss falls to the floor in one step.
    app = app_for("--standardize", "--lr", "auto")
    async with app.run_test(size=(80, 24)):
        app.session.advance(3000)
        app.main.draw()
        assert app.session.history.stride > 1  # the history has been thinned
        _, rows = canvas(app.main.query_one(LossChart))
        assert all(BRAILLE.match(row[0]) for row in rows)  # at step 0, from the top row to the floor


# Marks of setting changes.

CLOSE_CHANGES = ("N", "plus", "n", "minus", "n", "plus", "n", "L", "n", "z")  # five changes in five steps


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_close_changes_keep_every_line_and_only_whole_labels_apart(size) -> None:
    app = app_for("--lr", "0.02")
    async with app.run_test(size=size) as pilot:
        await pilot.press(*CLOSE_CHANGES)
        app.main.draw()
        marks = app.session.marks
        assert [label for _, label in marks] == ["lr 0.05", "lr 0.02", "lr 0.05", "lr 0.751856", "standardized"]
        chart = app.main.query_one(LossChart)
        border, rows = canvas(chart)
        lines = {mark_column(step, chart.plan[0], len(border)) for step, _ in marks}
        assert {i for i, char in enumerate(border) if char == "┬"} == lines  # a line for every change
        top = rows[0]
        found = sorted({m.span() for _, label in marks for m in re.finditer(re.escape(label), top)})
        assert "standardized" in top  # the newest change is labelled
        assert all(end < start for (_, end), (start, _) in zip(found, found[1:]))  # a blank between two
        assert all(any(start <= line < end for line in lines) for start, end in found)  # each over a line
        rest = "".join(" " if any(a <= i < b for a, b in found) else c for i, c in enumerate(top))
        assert not re.sub(f"[ │{BRAILLE.pattern[1:-1]}]", "", rest)  # nothing cut, nothing overwritten
        assert colours(chart, "z") == colours(chart, "│") == {3}  # labels and lines in yellow


async def test_each_run_of_a_race_is_drawn_in_its_own_colour() -> None:
    app = app_for("--compare", "gd,momentum,adam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N", "N")
        chart = app.main.query_one(RaceLossChart)
        assert [colours(chart, digit) for digit in "123"] == [{6}, {5}, {3}]  # cyan, magenta, yellow


@given(
    st.lists(st.tuples(st.integers(0, 1000), st.sampled_from(["lr 0.02", "lr 0.751856", "standardized", "raw x, y"]))),
    st.integers(1, 120),
)
def test_mark_labels_fit_whole_never_touch_and_the_newest_is_shown(marks, width) -> None:
    marks = tuple(sorted(marks, key=lambda m: m[0]))
    shown = mark_labels(marks, (0, 1000), width)
    assert [step for step, _ in shown] == [step for step, _ in marks]
    spans = sorted(
        (start, start + len(label))
        for step, label in shown
        if label
        for start in [label_start(mark_column(step, (0, 1000), width), label, width)]
    )
    assert all(start >= 0 and end <= width for start, end in spans)
    assert all(end < start for (_, end), (start, _) in zip(spans, spans[1:]))
    if marks:
        assert bool(shown[-1][1]) == (len(marks[-1][1]) <= width)


# Lines far off the chart.


def test_a_line_through_huge_values_is_cut_to_the_box() -> None:
    box = ((0.0, 1.0), (0.0, 1.0))
    assert clip_polyline([-1.0, 0.5, 2.0], [-1.0, 0.5, 2.0], box) == [([0.0, 0.5, 1.0], [0.0, 0.5, 1.0])]
    assert clip_polyline([0.25, 0.75], [-1e30, 1e30], box) == [([0.5, 0.5], [0.0, 1.0])]  # slope 4e30
    assert clip_polyline([-1e30, 1e30], [0.5, 0.5], box) == [([0.0, 1.0], [0.5, 0.5])]
    # Out of the top and back: two parts, each ending on the edge.
    parts = clip_polyline([0.0, 0.5, 1.0], [0.5, 1e30, 0.5], box)
    assert len(parts) == 2 and parts[0][1][-1] == 1.0 and parts[1][1][0] == 1.0
    assert clip_polyline([0.0, 0.5, 1.0], [0.5, math.inf, 0.5], box) == []  # nothing non-finite
    assert clip_polyline([0.0, 1.0], [2.0, 3.0], box) == []


async def test_a_fit_of_slope_1e30_is_drawn_as_the_vertical_line_it_is(monkeypatch) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)):
        only_visible_lines(monkeypatch, app)
        chart = app.main.query_one(FitChart)
        frame = app.session.frame(0.0)
        chart.show(dataclasses.replace(frame, snap=frame.snap._replace(w=1e30, b=-0.5e30)))  # y = 1e30 (x - 0.5)
        _, rows = canvas(chart)
        filled = [c for c in range(len(rows[0])) if all(BRAILLE.match(row[c]) for row in rows)]
        assert filled and all(abs(c - len(rows[0]) / 2) <= 2 for c in filled)  # through x 0.5, top to bottom


async def test_a_race_with_a_diverged_run_draws_its_loss_on_a_linear_scale(monkeypatch) -> None:
    app = app_for("--compare", "gd:0.1,gd:0.9")
    async with app.run_test(size=(80, 24)) as pilot:
        only_visible_lines(monkeypatch, app)
        await pilot.press(*"NNNN", "tab")  # the second run diverges, to a loss of ~1e35
        assert app.session.sessions[1].history.losses[-1] > 1e30
        await pilot.press("g")
        chart = app.main.query_one(RaceLossChart)
        _, rows = canvas(chart)
        assert "2" in rows[0]  # the diverged run leaves through the top
        assert "1" in rows[-1] and "1" in rows[0] + rows[1]  # the other from top to bottom
