"""The path from the session to the terminal: what is drawn, when it is rebuilt, and what is sent."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from gdtui.charts.chart import Chart
from gdtui.charts.fit import FitChart
from gdtui.charts.loss import LossChart, mark_labels
from gdtui.cli import make_app, parse_args
from gdtui.engine.run.frame import Phase
from gdtui.screens.main import DRAW_HZ
from gdtui.widgets.readouts import Readouts
from gdtui.widgets.rows import cells, changed_span

BRAILLE = re.compile("[\u2801-\u28ff]")
STYLES = [None, Style(color="red"), Style(color="cyan", bold=True), Style(dim=True)]


@st.composite
def rows(draw, width: int) -> Strip:
    """A row of `width` one-cell characters in runs of a few styles, as the charts make them."""
    text = draw(st.text(alphabet=" ab⠁⠃⡇┤", min_size=width, max_size=width))
    cuts = sorted(draw(st.sets(st.integers(1, max(width - 1, 1)), max_size=4)))
    bounds = [0, *[c for c in cuts if c < width], width]
    return Strip(
        [Segment(text[a:b], draw(st.sampled_from(STYLES))) for a, b in zip(bounds, bounds[1:]) if b > a]
    )


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 40).flatmap(lambda width: st.tuples(rows(width), rows(width))))
def test_refreshing_only_the_changed_span_turns_the_old_row_into_the_new(pair) -> None:
    old, new = pair
    span = changed_span(old, new)
    if span is None:
        assert cells(old) == cells(new)
        return
    start, end = span
    (old_text, old_styles), (new_text, new_styles) = cells(old), cells(new)
    patched_text = old_text[:start] + new_text[start:end] + old_text[end:]
    patched_styles = old_styles[:start] + new_styles[start:end] + old_styles[end:]
    assert (patched_text, patched_styles) == (new_text, new_styles)


def app_for(*argv: str):
    return make_app(parse_args(["--paused", *argv]))


async def test_a_paused_app_does_not_rebuild_its_charts() -> None:
    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("N")
        await pilot.pause(0.2)
        charts = list(app.main.query(Chart))
        before = [chart.builds for chart in charts]
        await pilot.pause(5 / DRAW_HZ)  # five draw ticks
        app.main.draw()
        assert [chart.builds for chart in charts] == before
        await pilot.press("n")
        assert app.main.query_one(LossChart).builds > before[0]  # and a step does rebuild


async def test_the_loss_curve_is_drawn_falling_from_top_left() -> None:
    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("N", "N", "N", "N")
        lines = app.main.query_one(LossChart).plain.splitlines()
        dots = [(row, col) for row, line in enumerate(lines) for col, char in enumerate(line) if BRAILLE.match(char)]
        assert len(dots) > 20  # a curve, not a stray mark
        first, last = min(dots, key=lambda d: d[1]), max(dots, key=lambda d: d[1])
        assert first[0] < last[0] - 5  # the loss falls: the curve starts high and ends low


async def test_a_step_sends_the_readouts_digits_not_whole_rows(monkeypatch) -> None:
    app = app_for()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("N")
        readouts = app.main.query_one(Readouts)
        refreshed = []
        monkeypatch.setattr(readouts, "refresh", lambda *regions, **_: refreshed.extend(regions))
        await pilot.press("n")
        assert refreshed, "nothing was sent"
        sent = sum(region.area for region in refreshed)
        assert sent < 0.5 * readouts.size.area
        assert all(region.height == 1 and region.width < readouts.size.width for region in refreshed)


@pytest.mark.parametrize("race", [(), ("--compare", "gd,momentum,adam")], ids=["one run", "a race"])
async def test_running_on_a_made_up_clock_trains_at_the_set_speed_and_shows_it(race) -> None:
    app = app_for("--steps", "0", "--speed", "20", *race)
    now = [1000.0]
    async with app.run_test(size=(100, 30)) as pilot:
        app.main.clock = lambda: now[0]
        await pilot.press("space")
        await pilot.pause(0.1)  # a tick starts the clock at 1000 s
        for k in range(1, 17):  # two made-up seconds, in steps of 1/8 s (exact in binary)
            now[0] += 0.125
            for _ in range(200):  # the real time a busy machine may need to catch up
                if app.session.steps_taken >= int(20 * 0.125 * k):
                    break
                await pilot.pause(0.02)
        await pilot.pause(0.1)
        app.main.draw()
        assert app.session.phase is Phase.RUNNING
        assert app.session.steps_taken == 40  # 20 steps/s for two seconds, neither more nor less
        header = app.main.query_one(Readouts).plain.splitlines()[0]
        assert "RUNNING" in header
        # Measured over about half a second, 20 steps/s ± one 1/8 s increment (up to 3 steps) that a
        # loaded machine pulls on either side of the window: 14 to 26.
        assert 14 <= float(header.split("≈")[1].split()[0]) <= 26


async def test_a_fit_that_moves_less_than_a_dot_is_not_redrawn() -> None:
    app = app_for("--lr", "1e-6")  # each step moves the line by far less than a braille dot
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        fit = app.main.query_one(FitChart)
        before = fit.builds
        await pilot.press("n", "n", "n")
        assert fit.builds == before


def test_close_lr_changes_keep_their_lines_and_only_labels_that_fit() -> None:
    marks = ((100, "lr 0.02"), (110, "lr 0.05"), (120, "lr 0.1"), (900, "lr 0.2"))
    labels = mark_labels(marks, (0, 1000), width=80)
    assert [step for step, _ in labels] == [100, 110, 120, 900]  # every change keeps its line
    assert labels[-1][1] == "lr 0.2" and labels[-2][1] == "lr 0.1"
    assert sum(1 for _, label in labels if label) == 2  # the close ones would run into each other
