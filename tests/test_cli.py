"""The `gdtui` command as a script or a person at a shell meets it: a real process, real output."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
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
        ("--lr", "abc"), ("--lr", "0"), ("--lr", "-1"), ("--lr", "nan"), ("--lr", "inf"), ("--lr", "autox"),
        ("--steps", "-1"), ("--steps", "1.5"), ("--n", "1"), ("--noise", "-0.1"),
        ("--true-w", "inf"), ("--seed", "-1"), ("--speed", "0"), ("--bogus", None),
        ("--optimizer", "sgd"), ("--batch-size", "-2"), ("--export", "out.txt"), ("--x", "a"),
        ("--data", "no-such-file.csv"), ("--port", "70000"), ("--true-w", "1e39"), ("--noise", "1e7"),
        ("--steps", "1" + "0" * 30), ("--export", "run.json"),
        ("--data", ""), ("--data", "/dev/zero"), ("--na", "x"), ("--x-date", None), ("--sep", "ab"),
        ("--encoding", "bogus"), ("--thousands", "x"), ("--decimal", ";"),
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

    timed = run_python("-X", "importtime", "-m", "gdtui", "--help")
    assert timed.returncode == 0
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in timed.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "argparse" in imported  # the import log was read
    assert not [name for name in imported if name == "torch" or name.startswith("torch.")]


def summary(result) -> dict[str, float]:
    """w, b and loss from the summary line of a successful headless run."""
    assert result.returncode == 0, result.stderr
    last = result.stdout.splitlines()[-1]
    return {k: float(v.rstrip(";,")) for k, v in re.findall(r"(w|b|loss)=([-0-9.e+]+)", last)}


@pytest.mark.parametrize("optimizer, loss", [("momentum", 1e-3), ("adam", 1e-2)])
def test_torch_optimizers_converge_on_the_default_data(run_gdtui, optimizer, loss):
    result = run_gdtui("--headless", "--log-every", "0", "--optimizer", optimizer)
    assert summary(result)["loss"] < loss


def test_mini_batches_converge(run_gdtui):
    result = run_gdtui("--headless", "--log-every", "0", "--batch-size", "16", "--lr", "0.1", "--steps", "3000")
    fit = summary(result)
    assert abs(fit["w"] - 3) < 0.05 and abs(fit["b"] - 0.8) < 0.05


def test_csv_data_fits_its_least_squares_line(run_gdtui, tmp_path):
    data = tmp_path / "points.csv"
    rows = [f"{x / 100},{-2 * x / 100 + 5 + (0.1 if x % 2 else -0.1)}" for x in range(100)]
    data.write_text("x,y\n" + "\n".join(rows) + "\n1.0,nan\n")
    result = run_gdtui("--headless", "--log-every", "0", "--data", str(data), "--lr", "0.5", "--steps", "5000")
    assert "points.csv: skipped 1 row with a missing value (1 'nan')" in result.stderr
    fit = summary(result)
    optimum = re.search(r"w\*=([-0-9.e+]+), b\*=([-0-9.e+]+)", result.stdout)
    assert optimum, result.stdout
    w_star, b_star = (float(v) for v in optimum.groups())
    assert abs(fit["w"] - w_star) < 1e-3 and abs(fit["b"] - b_star) < 1e-3


def test_a_file_with_more_than_two_columns_of_numbers_needs_x_and_y(run_gdtui, tmp_path):
    data = tmp_path / "houses.csv"
    data.write_text("area_m2,rooms,price_eur,year\n50,2,100000,1990\n80,3,210000,2004\n120,4,330000,2011\n")
    result = run_gdtui("--headless", "--data", str(data))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"gdtui: error: --data {data} has 4 columns (area_m2, rooms, price_eur, year): choose with --x and --y"
    ]
    chosen = run_gdtui("--headless", "--log-every", "0", "--steps", "1", "--data", str(data), "--x", "area_m2", "--y", "price_eur")
    assert chosen.returncode == 0 and "done: 1 steps" in chosen.stdout


@pytest.mark.parametrize("name", ["run.csv", "run.jsonl"])
def test_export_writes_one_row_per_step(run_gdtui, tmp_path, name):
    path = tmp_path / name
    result = run_gdtui("--headless", "--steps", "120", "--export", str(path), "--optimizer", "adam")
    assert result.returncode == 0, result.stderr
    lines = path.read_text().splitlines()
    columns = ["step", "w", "b", "loss", "grad_w", "grad_b", "lr", "optimizer"]
    if name.endswith(".csv"):
        assert lines[0].split(",") == columns and len(lines) == 121
        assert lines[-1].startswith("120,") and lines[-1].endswith(",adam")
    else:
        rows = [json.loads(line) for line in lines]
        assert len(rows) == 120 and list(rows[0]) == columns and rows[-1]["step"] == 120


def test_export_to_an_unwritable_place_is_one_line_and_exit_2(run_gdtui, tmp_path):
    result = run_gdtui("--headless", "--export", str(tmp_path / "missing-dir" / "run.csv"))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "--export" in result.stderr and "Traceback" not in result.stderr


def test_logistic_headless_reaches_the_numerical_optimum(run_gdtui):
    result = run_gdtui("--model", "logistic", "--headless")
    lines = log_lines(result)
    assert len(lines) == 60  # the seed's format, every 50 steps
    done = result.stdout.splitlines()[-1]
    found = dict(re.findall(r"(\w+\*?)=([-0-9.e+]+)", done))
    assert abs(float(found["loss"]) - float(found["loss*"])) < 1e-3
    assert float(found["accuracy"]) >= float(found["accuracy*"]) - 0.01
    assert parse(lines[-1])["loss"] == pytest.approx(float(found["loss*"]), abs=1e-3)


def test_logistic_separable_headless_says_no_finite_optimum(run_gdtui):
    result = run_gdtui("--model", "logistic", "--separable", "--headless", "--lr", "5")
    lines = log_lines(result)
    ws = [parse(line)["w"] for line in lines]
    assert all(a < b for a, b in zip(ws, ws[1:]))
    assert "no finite optimum" in result.stdout.splitlines()[-1]
    assert "nan" not in result.stdout and "inf" not in result.stdout


def test_logistic_reads_labelled_csv_files(run_gdtui, tmp_path):
    data = tmp_path / "exam.csv"
    passed = ["yes" if (h > 50) != (h in (40, 45, 60)) else "NO" for h in range(100)]  # overlapping
    data.write_text("hours,passed\n" + "\n".join(f"{h / 10},{p}" for h, p in enumerate(passed)))
    result = run_gdtui(
        "--model", "logistic", "--headless", "--log-every", "0", "--data", str(data), "--x", "hours", "--y", "passed",
        "--lr", "0.2", "--steps", "5000",
    )
    assert result.returncode == 0, result.stderr
    found = dict(re.findall(r"(\w+\*?)=([-0-9.e+]+)", result.stdout))
    assert float(found["accuracy"]) >= float(found["accuracy*"]) - 0.01


@pytest.mark.parametrize("label", ["2", "0.5", "maybe", "-1"])
def test_a_third_label_exits_2_naming_file_line_and_value(run_gdtui, tmp_path, label):
    data = tmp_path / "labels.csv"
    data.write_text(f"x,y\n0.1,0\n0.2,1\n0.3,{label}\n0.4,1\n")
    result = run_gdtui("--model", "logistic", "--headless", "--data", str(data))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"gdtui: error: --data {data}: line 4: a third label '{label}' (after '0' and '1'); the classifier needs exactly two"
    ]


@pytest.mark.parametrize(
    "argv, option",
    [(["--model", "logistic", "--noise", "0.1"], "--noise"), (["--separable"], "--separable"), (["--model", "tree"], "--model")],
)
def test_options_of_the_other_model_are_refused(run_gdtui, argv, option):
    result = run_gdtui("--headless", *argv)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert option in result.stderr and "Traceback" not in result.stderr


def test_default_run_prints_the_seeds_lines_bit_for_bit(run_gdtui):
    pinned = (Path(__file__).parent / "data" / "seed_headless.txt").read_text().splitlines()
    assert log_lines(run_gdtui("--headless")) == pinned


def test_default_summary_gives_conditioning_and_says_not_converged(run_gdtui):
    summary_line = run_gdtui("--headless", "--log-every", "0").stdout.splitlines()[-1]
    assert "κ 18.7, best lr 0.752" in summary_line
    # 3000 steps at lr 0.01 end short of 1e-4 (each coefficient, relative); the prediction says how far,
    # and running that far (and 5 % more: float32 rounding) converges.
    found = re.search(r"not converged: w 1\.1e-02, b 2\.3e-02 off .*~([\d,]+) more steps at lr 0.01", summary_line)
    assert found
    more = int(found[1].replace(",", ""))
    steps = str(3000 + math.ceil(1.05 * more))
    assert "converged: w and b each within 0.0001" in run_gdtui("--headless", "--log-every", "0", "--steps", steps).stdout


def houses_csv(path: Path) -> Path:
    rng = np.random.default_rng(1)
    area = rng.uniform(500, 3000, 200)
    price = 150 * area + 50_000 + rng.normal(0, 25_000, 200)
    np.savetxt(path, np.c_[area, price], delimiter=",", header="area,price", comments="", fmt="%.2f")
    return path


def test_house_prices_standardized_with_lr_auto_reach_least_squares_in_200_steps(run_gdtui, tmp_path):
    data = houses_csv(tmp_path / "houses.csv")
    export = tmp_path / "run.csv"
    result = run_gdtui(
        "--headless", "--data", str(data), "--standardize", "--lr", "auto", "--steps", "200", "--export", str(export)
    )
    assert result.stderr == ""
    assert "converged:" in result.stdout and "not converged" not in result.stdout
    area, price = np.loadtxt(data, delimiter=",", skiprows=1, unpack=True)
    w_star, b_star = np.polyfit(area, price, 1)
    found = summary(result)
    assert found["w"] == pytest.approx(w_star, rel=1e-3)  # in the data's units, mapped back
    assert found["b"] == pytest.approx(b_star, rel=1e-3)
    # Every logged line and exported row is in the data's units too.
    first = parse(log_lines(result)[0])
    assert abs(first["b"]) > 1_000
    last_row = export.read_text().splitlines()[-1].split(",")
    assert float(last_row[1]) == pytest.approx(w_star, rel=1e-3)
    assert float(last_row[2]) == pytest.approx(b_star, rel=1e-3)


def test_house_prices_raw_diverge_and_the_message_names_the_fix(run_gdtui, tmp_path):
    result = run_gdtui("--headless", "--data", str(houses_csv(tmp_path / "houses.csv")), "--raw")
    assert result.returncode == 3
    assert "no --raw (κ 2.69e+07 → 1)" in result.stderr and "--lr auto (2.76e-07)" in result.stderr


def test_a_crawl_says_not_converged_and_names_the_fix(run_gdtui, tmp_path):
    data = houses_csv(tmp_path / "houses.csv")
    result = run_gdtui("--headless", "--data", str(data), "--raw", "--lr", "2.5e-7", "--steps", "500", "--log-every", "0")
    assert result.returncode == 0
    assert "not converged" in result.stdout
    assert "κ 2.69e+07" in result.stderr and "no --raw (κ → 1) with --lr auto" in result.stderr


def test_lr_auto_is_the_best_lr_for_the_rule(run_gdtui, tmp_path):
    export = tmp_path / "auto.jsonl"
    assert run_gdtui("--headless", "--lr", "auto", "--steps", "3", "--export", str(export)).returncode == 0
    rows = [json.loads(line) for line in export.read_text().splitlines()]
    assert [row["lr"] for row in rows] == [pytest.approx(0.7518, abs=1e-4)] * 3  # 2/(λmax + λmin)
    assert "best lr 0.171" in run_gdtui("--headless", "--lr", "auto", "--optimizer", "momentum", "--log-every", "0").stdout
    assert "auto lr 0.001" in run_gdtui("--headless", "--lr", "auto", "--optimizer", "adam", "--log-every", "0").stdout
