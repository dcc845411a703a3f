"""Every pair of features either works exactly as each does alone, or is refused with one line
that says why. README.md's "Features together" table lists the refusals; this file holds it to them.

Each feature is the options that turn it on and a check of what it promises; a pair is both
features' options at once, and both checks on what that builds.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
import torch.nn.functional as F

from gdtui.cli import load_data, many_inputs, parse_args, race_configs, run_config
from gdtui.engine.run.fit import FitRun, start_fit
from gdtui.engine.run.frame import Phase
from gdtui.engine.run.race import Race, start_race
from gdtui.engine.run.session import Session
from gdtui.engine.run.start import start_session

ROOT = Path(__file__).resolve().parents[1]
PENGUINS = ROOT / "tests" / "data" / "penguins-full.csv"  # palmerpenguins 0.1.6's data/penguins.csv, as shipped

Driver = Session | Race | FitRun
Run = Session | FitRun
MANY = ["flipper_length_mm", "bill_length_mm"]  # several inputs: two of the penguins' columns


def runs(driver: Driver) -> tuple[Run, ...]:
    return driver.sessions if isinstance(driver, Race) else (driver,)


def line(run: Run) -> tuple[float, ...]:
    """The coefficients shown, in the data's units: (w, b), or several inputs' (b, w1, w2)."""
    return run.latest.coefficients if isinstance(run, FitRun) else (run.latest.w, run.latest.b)


def best_lr(run: Run) -> float:
    return run.descent.auto_lr() if isinstance(run, FitRun) else run.trainer.auto_lr()


def loss_now(run: Run) -> float:
    return run.loss_at(run.latest.coefficients).loss if isinstance(run, FitRun) else run.current().loss


def path(driver: Driver, steps: int) -> list:
    """The latest snapshot of every run after each of `steps` updates."""
    out = []
    for _ in range(steps):
        driver.step(1)
        out.append(tuple(run.latest for run in runs(driver)))
    return out


# The checks: what each feature promises, whatever else is on.


def check_logistic(driver: Driver, argv: list[str]) -> None:
    """The loss shown is binary cross entropy at the w, b shown."""
    driver.step(20)
    for run in runs(driver):
        assert isinstance(run, Session), "the classifier is of one input"
        data, snap = run.trainer.data, run.latest
        bce = F.binary_cross_entropy_with_logits(data.x.double() * snap.w + snap.b, data.y.double()).item()
        assert run.current().loss == pytest.approx(bce, rel=1e-4)


def check_standardize(driver: Driver, argv: list[str]) -> None:
    """Standardized training shows the same line in the data's units, and z keeps it."""
    driver.step(20)
    for run in runs(driver):
        assert run.standardized
        before = line(run)
        run.standardize(False)
        assert line(run) == pytest.approx(before, rel=1e-5, abs=1e-5)
        run.standardize(True)


def check_best_lr(driver: Driver, argv: list[str]) -> None:
    """The lr is the one L picks, and below the bound where there is one."""
    for run in runs(driver):
        assert run.lr == best_lr(run) > 0
        bound = run.frame(0.0).stable_lr
        assert bound is None or run.lr < bound


def check_race(driver: Driver, argv: list[str]) -> None:
    """Each run equals the same run started alone from the same options, bit for bit."""
    assert isinstance(driver, Race)
    raced = path(driver, 60)
    args = parse_args(argv)
    for i, config in enumerate(race_configs(args)):
        alone = start_session(config, load_data(args))
        assert [alone.step(1) for _ in range(60)] == [step[i] for step in raced]


def check_explain(driver: Driver, argv: list[str]) -> None:
    """The update the explain view takes apart is bit for bit the one the next step makes."""
    assert isinstance(driver, Session)
    driver.step(3)
    explained = driver.explained()
    after = driver.step(1)
    if after.diverged:  # the update shown overflows, as the step did
        assert not math.isfinite(explained.new_w + explained.new_b + explained.loss)
    else:
        assert (explained.new_w, explained.new_b) == (after.trained or (after.w, after.b))


def check_slice(driver: Driver, argv: list[str]) -> None:
    """The slice's curve passes through the step's own loss, at the w, b shown."""
    assert isinstance(driver, Session)
    driver.step(3)
    explained = driver.explained()
    assert explained.loss_at(explained.w, explained.b) == pytest.approx(explained.loss, rel=1e-4, abs=1e-6)


def batch(run: Run, step: int) -> torch.Tensor:
    """The rows a mini-batch run's update `step` learns from."""
    picks = run.descent.picks(step) if isinstance(run, FitRun) else run.trainer.picks(step)
    assert picks is not None, "a full batch"
    return picks


def check_batches(driver: Driver, argv: list[str]) -> None:
    """Each step learns from its own seeded batch: the same on a second run, another each step."""
    for run in runs(driver):
        assert run.frame(0.0).batch_size == 8
        assert not torch.equal(batch(run, 1), batch(run, 2))
        assert torch.equal(batch(run, 5), batch(run, 5))


def check_optimizer(name: str) -> Callable[[Driver, list[str]], None]:
    def check(driver: Driver, argv: list[str]) -> None:
        """The rule named is the one stepping, with its own state."""
        driver.step(5)
        for run in runs(driver):
            assert run.hyper.optimizer == name
            assert run.latest.diverged or (run.latest.optimizer == name and run.latest.state)

    return check


def check_csv(driver: Driver, argv: list[str]) -> None:
    """The points are the file's, and the optimum shown is the file's (a least-squares or a
    logistic fit with zero gradient, in float64)."""
    for run in runs(driver):
        x_names, y_name = argv[argv.index("--x") + 1].split(","), argv[argv.index("--y") + 1]
        rows = pd.read_csv(argv[argv.index("--data") + 1]).dropna(subset=[*x_names, y_name])
        if isinstance(run, FitRun):
            assert run.data.source and run.points == len(rows)
            a = np.column_stack([np.ones(len(rows)), rows[x_names].to_numpy(float)])
            expected = np.linalg.lstsq(a, rows[y_name].to_numpy(float), rcond=None)[0]
            assert run.statistics.coefficients == pytest.approx(tuple(expected), rel=1e-6)
            continue
        data, best = run.trainer.data, run.optimum
        assert data.source and len(data) == len(rows)
        x, y = (a.astype(np.float64) for a in data.numpy())
        if run.model.name == "linear":
            assert (best.w, best.b) == pytest.approx(tuple(np.polyfit(x, y, 1)), rel=1e-6)
        else:
            residual = 1 / (1 + np.exp(-(best.w * x + best.b))) - y
            assert abs(residual.mean()) < 1e-6 and abs((residual * x).mean()) < 1e-6 * max(1, abs(x).max())


def check_many(driver: Driver, argv: list[str]) -> None:
    """One coefficient per column, named from the file, and a step moves every one of them."""
    assert isinstance(driver, FitRun)
    assert driver.frame(0.0).names == ("b", *MANY)
    before = line(driver)
    driver.step(1)
    assert all(a != b for a, b in zip(line(driver), before)) or driver.latest.diverged


def check_recovery(driver: Driver, argv: list[str]) -> None:
    """An lr far past the bound diverges; the way out the screen names (L, then space; in a
    race, b back before it) trains on."""
    for _ in range(2000):
        driver.step(1)
        if driver.phase is Phase.DIVERGED:
            break
    assert driver.phase is Phase.DIVERGED
    if isinstance(driver, Race):
        for i in range(len(driver.sessions)):
            driver.selected = i
            driver.auto_lr()
        while driver.phase is Phase.DIVERGED and driver.rewind():
            pass
        driver.step(50)
        assert driver.live == list(range(len(driver.sessions)))
    else:
        stopped = driver.latest.step
        driver.auto_lr()
        driver.toggle()
        driver.tick(0.0, 10.0)
        driver.tick(0.5, 10.0)
        assert driver.phase is Phase.RUNNING and driver.latest.step > stopped
    assert all(math.isfinite(loss_now(run)) for run in runs(driver))


def check_rewind(driver: Driver, argv: list[str]) -> None:
    """Back 15 steps and forward again: the same states, bit for bit (a divergence included)."""
    ahead = path(driver, 40)[-1]
    back = sum(driver.rewind() for _ in range(15))
    if back == 0:  # diverged on the first step: there is nothing to go back to
        assert all(run.latest.step == 0 for run in runs(driver))
    else:
        assert path(driver, back)[-1] == ahead


@dataclass(frozen=True)
class Feature:
    options: tuple[str, ...]
    check: Callable[[Driver, list[str]], None]


FEATURES = {
    "logistic": Feature(("--model", "logistic"), check_logistic),
    "standardize": Feature(("--standardize",), check_standardize),
    "best lr": Feature(("--lr", "auto"), check_best_lr),
    "race": Feature(("--compare", "gd,momentum,adam"), check_race),
    "explain": Feature(("--explain",), check_explain),
    "slice": Feature((), check_slice),  # a view (v, a): the app refuses its key where it is refused
    "mini-batch": Feature(("--batch-size", "8"), check_batches),
    "momentum": Feature(("--optimizer", "momentum"), check_optimizer("momentum")),
    "adam": Feature(("--optimizer", "adam"), check_optimizer("adam")),
    "csv": Feature(("--data", "CSV"), check_csv),
    "divergence": Feature(("--lr", "1e38"), check_recovery),
    "rewind": Feature((), check_rewind),
    "several inputs": Feature(("--data", "MANY"), check_many),
}
# Pairs that cannot both be on: one lr, one optimizer at a time (a race is how to compare them).
EXCLUSIVE = {("best lr", "divergence"), ("momentum", "adam")}
PAIRS = [pair for pair in itertools.combinations(FEATURES, 2) if pair not in EXCLUSIVE]


def readme_refusals() -> dict[frozenset[str], str]:
    """README's "Features together" table: | feature | feature | why, and what to do instead |."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Features together", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([a-z][a-z -]*) \| ([a-z][a-z -]*) \| (.+) \|$", section, re.MULTILINE)
    return {frozenset((a, b)): why for a, b, why in rows if a != "feature"}


@pytest.fixture(scope="module")
def logistic_csv(tmp_path_factory) -> Path:
    """The penguins' sex (0/1) from flipper length: a real classification file."""
    penguins = pd.read_csv(PENGUINS).dropna(subset=["sex", "flipper_length_mm"])
    path = tmp_path_factory.mktemp("data") / "penguins-sex.csv"
    penguins.assign(male=(penguins.sex == "male").astype(int))[["flipper_length_mm", "male"]].to_csv(path, index=False)
    return path


def options(pair: tuple[str, str], logistic_csv: Path) -> list[str]:
    argv = [option for name in pair for option in FEATURES[name].options]
    if "MANY" in argv and "CSV" in argv:  # a file either way: several of its columns
        argv[argv.index("CSV") - 1 : argv.index("CSV") + 1] = []
    if "--data" in argv:
        i = argv.index("--data")
        x = ",".join(MANY) if "several inputs" in pair else "flipper_length_mm"
        argv[i + 1 : i + 2] = (
            [str(logistic_csv), "--x", x, "--y", "male"] if "logistic" in pair
            else [str(PENGUINS), "--x", x, "--y", "body_mass_g", "--standardize"]
        )  # standardized: at the defaults the raw file diverges, and the checks are of the file itself
    return list(dict.fromkeys(argv)) if argv.count("--standardize") > 1 else argv


def build(argv: list[str]) -> Driver:
    args = parse_args(argv)
    data = load_data(args)
    if many_inputs(args):
        return start_fit(run_config(args), data, args.degree, args.holdout, args.l2)
    if args.compare:
        return start_race(race_configs(args), data)
    return start_session(run_config(args), data)


@pytest.mark.parametrize("pair", PAIRS, ids="+".join)
def test_a_pair_of_features_works_as_each_alone_or_is_refused_as_readme_says(pair, logistic_csv, capsys) -> None:
    argv = options(pair, logistic_csv)
    refused = readme_refusals().get(frozenset(pair))
    try:
        build(argv)
    except SystemExit as stop:
        error = capsys.readouterr().err
        assert stop.code == 2 and error.count("\n") == 1 and "Traceback" not in error
        assert refused is not None, f"{pair} is refused ({error.strip()}) but README's table does not say so"
        return
    assert refused is None or refused.startswith("key:"), f"{pair} works, but README says it is refused"
    if refused is None:
        for name in pair:
            FEATURES[name].check(build(argv), argv)


def test_readme_lists_only_pairs_there_are() -> None:
    assert set(readme_refusals()) <= {frozenset(pair) for pair in PAIRS}
