"""gdtui never loses a user's file and fails on unusable paths and options with one line."""

from __future__ import annotations

import math
import os

import pytest

from gdtui.engine.setup import RunConfig, build


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
    from gdtui.engine.session import Session

    assert Session(build(RunConfig()), speed=1.5e308).speed == float("inf")
