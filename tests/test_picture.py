"""P and --png: the charts on screen as a PNG, drawn again from their own series with matplotlib."""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path

import pytest

from gdtui.charts.picture import CHART_SIZE, DPI
from gdtui.cli import make_app, parse_args

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's header chunk (IHDR, first after the signature)."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def notices_after(argv: list[str], keys: list[str]) -> list[str]:
    app = make_app(parse_args(argv))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main.started.wait()
        await pilot.press(*keys)
        await pilot.pause()
        return [str(notice.message) for notice in app._notifications]


@pytest.mark.parametrize(
    "argv, keys, charts",
    [
        (["--paused"], ["N", "N"], 2),  # loss, and the fitted line over the data
        (["--paused", "--compare", "gd,momentum,adam"], ["N", "v"], 2),  # a race over the shaded landscape
        (["--paused", "--model", "logistic"], ["N"], 2),  # the sigmoid and its decision boundary
    ],
)
async def test_p_saves_the_charts_on_screen_as_a_png(tmp_path: Path, argv: list[str], keys: list[str], charts: int) -> None:
    picture = tmp_path / "charts.png"
    said = await notices_after([*argv, "--png", str(picture)], [*keys, "P"])
    assert f"picture saved to {picture}" in said
    assert png_size(picture) == (round(CHART_SIZE[0] * charts * DPI), round(CHART_SIZE[1] * DPI))


async def test_a_taken_name_is_numbered_as_e_does(tmp_path: Path) -> None:
    taken = tmp_path / "charts.png"
    taken.write_bytes(b"mine")
    said = await notices_after(["--paused", "--png", str(taken)], ["P"])
    assert f"picture saved to {tmp_path / 'charts-1.png'} ({taken} exists)" in said
    assert taken.read_bytes() == b"mine"


async def test_without_matplotlib_p_says_how_to_get_it(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)  # as if it were not installed
    said = await notices_after(["--paused"], ["P"])
    assert "no picture saved: a PNG needs matplotlib: pip install 'gdtui[png]' (or matplotlib)" in said
    assert not list(tmp_path.iterdir())


def test_without_matplotlib_png_is_one_line_and_exit_2(monkeypatch, capsys) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *rest: None)
    with pytest.raises(SystemExit) as exited:
        parse_args(["--png", "charts.png"])
    assert exited.value.code == 2
    [said] = capsys.readouterr().err.splitlines()
    assert "--png: needs matplotlib: pip install 'gdtui[png]'" in said


async def test_quitting_saves_the_picture_at_png_and_says_so_after_the_screen(capsys, tmp_path: Path) -> None:
    picture = tmp_path / "end.png"
    app = make_app(parse_args(["--paused", "--png", str(picture)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.main.started.wait()
        await pilot.press("N", "q")
    assert capsys.readouterr().err.splitlines() == [f"gdtui: --png: picture saved to {picture}"]
    assert png_size(picture)[0] > 0
