"""gdtui never loses a user's file and fails on unusable paths and options with one line."""

from __future__ import annotations

import json
import math
import os
import re
import signal

import pytest
from textual.widgets._toast import Toast

from gdtui.engine.run.start import RunConfig, build
from pty_app import PtyApp
from test_app import app_for, wait_until


def one_line_error(result, code: int = 2) -> str:
    assert result.returncode == code, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("x,y\n0,0.8\n1,3.8\n0.5,2.3\n")
    return path


@pytest.mark.parametrize("how", ["same name", "symlink", "hard link"])
def test_export_onto_the_data_file_is_refused_and_the_data_kept(run_gdtui, data_file, how):
    export = {"same name": data_file, "symlink": data_file.with_name("link.csv"), "hard link": data_file.with_name("hard.csv")}[how]
    if how == "symlink":
        export.symlink_to(data_file)
    elif how == "hard link":
        os.link(data_file, export)
    before = data_file.read_text()
    result = run_gdtui("--headless", "--data", str(data_file), "--export", str(export))
    assert "is the --data file" in one_line_error(result)
    assert data_file.read_text() == before


def test_headless_export_never_replaces_a_file(run_gdtui, tmp_path):
    mine = tmp_path / "mine.csv"
    mine.write_text("mine\n")
    link = tmp_path / "link.csv"
    link.symlink_to(mine)
    for export in (mine, link):
        result = run_gdtui("--headless", "--export", str(export))
        assert one_line_error(result) == (
            f"gdtui: error: argument --export: '{export}' exists; gdtui never replaces a file: remove it or choose another name\n"
        )
        assert result.stdout == ""  # refused before training
    assert mine.read_text() == "mine\n"


async def test_quitting_saves_the_steps_to_export_and_says_where(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "run.csv").write_text("mine\n")
    app = app_for("--export", "run.csv")
    async with app.run_test() as pilot:
        await pilot.press("n", "n", "q")
    assert app.return_code == 0
    assert (tmp_path / "run.csv").read_text() == "mine\n"  # never replaced, as with e
    lines = (tmp_path / "run-1.csv").read_text().splitlines()
    assert lines[0] == "step,w,b,loss,grad_w,grad_b,lr,optimizer" and [line[:2] for line in lines[1:]] == ["1,", "2,"]
    said = f"gdtui: --export: saved 2 rows (steps 1-2) to {tmp_path / 'run-1.csv'} (run.csv exists)\n"
    assert capsys.readouterr().err == said


async def test_quitting_without_export_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    app = app_for()
    async with app.run_test() as pilot:
        await pilot.press("n", "q")
    assert list(tmp_path.iterdir()) == [] and capsys.readouterr().err == ""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_saves_the_steps_to_export_too(tmp_path, sig):
    app = PtyApp("--export", "run.jsonl", "--speed", "max", "--steps", "120", cwd=tmp_path)
    try:
        assert app.wait_for("DONE"), app.text()[-400:]
        os.kill(app.pid, sig)
        assert app.wait_exit(5) == 128 + sig
    finally:
        app.kill()
    rows = [json.loads(line) for line in (tmp_path / "run.jsonl").read_text().splitlines()]
    assert [row["step"] for row in rows] == list(range(1, 121))
    assert app.wait_for(f"gdtui: --export: saved 120 rows (steps 1-120) to {tmp_path / 'run.jsonl'}", 5), app.text()[-400:]


async def test_s_saves_the_screen_without_the_notices_over_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = app_for()
    async with app.run_test(notifications=True) as pilot:
        await pilot.press("o")  # a notice: "optimizer: momentum, from the next step"
        await wait_until(pilot, lambda: app.screen.query(Toast))
        await pilot.press("s")
        await wait_until(pilot, lambda: list(tmp_path.glob("*.svg")))
        await pilot.pause()
        shown = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert shown[0].startswith("optimizer: momentum") and shown[1].startswith("screenshot saved")  # still shown
    [svg] = tmp_path.glob("*.svg")
    text = "".join(re.findall(r">([^<]*)</text>", svg.read_text())).replace("&#160;", " ")
    assert "PAUSED" in text and "optimizer momentum" in text  # the screen, the optimizer changed
    assert "optimizer: momentum" not in text  # the notice


@pytest.mark.parametrize("name", ["full.csv", "full.jsonl"])
def test_a_full_disk_is_one_line_and_no_summary(run_gdtui, tmp_path, name):
    full = tmp_path / name
    full.symlink_to("/dev/full")
    result = run_gdtui("--headless", "--steps", "3000", "--export", str(full))
    assert "No space left on device" in one_line_error(result)
    assert "done:" not in result.stdout


def test_export_to_a_fifo_nobody_reads_fails_at_once(run_gdtui, tmp_path):
    fifo = tmp_path / "run.csv"
    os.mkfifo(fifo)
    result = run_gdtui("--headless", "--export", str(fifo), timeout=30)
    assert "no program is reading" in one_line_error(result)


@pytest.mark.parametrize(("optimizer", "lr"), [("momentum", "1e39"), ("adam", "4e37")])
def test_an_lr_beyond_float32_diverges_headless(run_gdtui, optimizer, lr):
    result = run_gdtui("--headless", "--optimizer", optimizer, "--lr", lr, "--log-every", "0")
    assert "diverged at step" in one_line_error(result, code=3)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
@pytest.mark.parametrize("lr", [4e37, 1e39, 1.7e308])
def test_torch_optim_overflow_rolls_back_and_recovers(optimizer, lr):
    trainer = build(RunConfig(optimizer=optimizer, lr=lr))
    run = trainer.run()
    snap = next(run)
    while not snap.diverged and snap.step < 5:
        snap = next(run)
    assert snap.diverged and all(map(math.isfinite, (snap.w, snap.b, snap.loss)))
    trainer.hyper.lr = 0.01
    after = next(run)
    assert after.step == snap.step + 1 and not after.diverged


def test_a_column_index_of_5000_digits_is_one_line(run_gdtui, data_file):
    result = run_gdtui("--headless", "--data", str(data_file), "--x", "1" * 5000)
    assert "--x" in one_line_error(result)


def test_a_speed_beyond_the_ladder_is_max():
    from gdtui.engine.run.session import Session

    assert Session(build(RunConfig()), speed=1.5e308).speed == float("inf")
