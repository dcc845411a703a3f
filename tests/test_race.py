"""A race: each run exactly as it would be alone, in lockstep, and a diverged run left behind."""

from __future__ import annotations

import pytest

from gdtui.engine.config import RunConfig
from gdtui.engine.formats import fixed
from gdtui.engine.run.frame import Phase
from gdtui.engine.run.race import start_race
from gdtui.engine.run.race_specs import parse_compare
from gdtui.engine.run.start import start_session
from gdtui.engine.training.trainer import Snapshot

BASE = RunConfig(n=200, seed=3, noise=0.1)


def race_of(text: str, base: RunConfig = BASE):
    return start_race([spec.config(base) for spec in parse_compare(text)])


def trajectory(session, steps: int) -> list:
    return [session.step(1) for _ in range(steps)]


@pytest.mark.parametrize("spec", ["gd:0.1,momentum:0.05,adam:0.1", "gd:0.3:b8,adam:0.05:b32,momentum"])
def test_each_run_in_a_race_is_the_same_run_alone(spec) -> None:
    race = race_of(spec)
    steps = 120
    raced: list[list[Snapshot]] = [[] for _ in race.sessions]
    for _ in range(steps):
        race.step(1)
        for path, session in zip(raced, race.sessions):
            path.append(session.latest)
    for config, path in zip((s.config(BASE) for s in parse_compare(spec)), raced):
        assert trajectory(start_session(config), steps) == path  # every float of every step


@pytest.mark.parametrize("spec", ["gd,momentum,adam", "adam,momentum,gd"])
def test_standardized_runs_in_a_race_are_the_same_runs_alone(spec) -> None:
    base = RunConfig(n=200, seed=3, noise=0.1, true_w=2822.0, true_b=57000.0, standardize=True, lr=None)
    race = race_of(spec, base)
    race.step(200)
    for config, session in zip((s.config(base) for s in parse_compare(spec)), race.sessions):
        assert start_session(config).step(200) == session.latest  # every float, whatever its place in the race


def test_a_run_on_a_large_intercept_reaches_the_optimum_in_float32() -> None:
    base = RunConfig(n=200, seed=3, noise=0.1, true_w=2822.0, true_b=57000.0, standardize=True, lr=None)
    race = race_of("gd,momentum", base)
    race.step(300)
    assert race.reached[0] is not None and race.reached[1] is not None  # b to 0.1%, not to 0.001 absolute


def test_the_runs_share_one_dataset_and_one_start() -> None:
    race = race_of("gd,momentum,adam")
    data = race.sessions[0].trainer.data
    assert all(s.trainer.data is data for s in race.sessions)  # no copies
    assert len({(s.latest.w, s.latest.b) for s in race.sessions}) == 1


def test_a_diverged_run_stops_while_the_others_go_on() -> None:
    race = race_of("gd:0.1,gd:0.9,adam:0.1", RunConfig())
    race.step(800)
    assert race.step_count == 800
    assert race.diverged_at == [None, 169, None]
    assert [s.latest.step for s in race.sessions][::2] == [800, 800]
    assert race.sessions[1].latest.step < 169
    assert race.phase is Phase.PAUSED
    assert race.reached[0] is not None and race.reached[2] is not None


def test_stepping_back_over_a_divergence_brings_the_run_back_exactly() -> None:
    race = race_of("gd:0.1,gd:0.9", RunConfig())
    race.step(169)
    assert race.diverged_at == [None, 169]
    assert race.rewind()
    assert race.diverged_at == [None, None]
    assert [s.latest.step for s in race.sessions] == [168, 168]
    alone = start_session(RunConfig(lr=0.9))
    alone.step(168)
    assert race.sessions[1].latest == alone.latest


def test_every_run_diverged_is_a_diverged_race() -> None:
    race = race_of("gd:0.9,momentum:1.9", RunConfig())
    race.step(1000)
    assert race.phase is Phase.DIVERGED
    assert race.step_count < 1000


def test_reset_starts_every_run_over_and_rewind_forgets_what_came_after() -> None:
    race = race_of("gd:0.5,momentum:0.05", RunConfig())
    race.step(400)
    reached = race.reached[0]
    assert reached is not None
    for _ in range(400 - reached + 1):
        race.rewind()
    assert race.reached[0] is None and race.step_count == reached - 1
    race.reset()
    assert race.step_count == 0 and all(s.latest.step == 0 for s in race.sessions)


def test_settings_go_to_the_selected_run_only() -> None:
    race = race_of("gd,gd")
    race.select_next()
    race.lr_notch(1)
    race.next_optimizer()
    assert [(s.hyper.optimizer, s.lr) for s in race.sessions] == [("gd", 0.01), ("momentum", 0.02)]


@pytest.mark.parametrize(
    ("text", "named"),
    [("gd,adm", "'adm'"), ("gd:gd,adam", "two optimizers"), ("gd", "1 run"), ("gd,adam,gd,adam,gd", "5 runs"),
     ("gd:0,adam", "'0'"), ("gd::0.1,adam", "empty part")],
)
def test_a_bad_spec_is_named(text, named) -> None:
    with pytest.raises(ValueError, match=named):
        parse_compare(text)


def test_headless_table_with_one_run_diverging(run_gdtui) -> None:
    result = run_gdtui("--headless", "--compare", "gd:0.1,gd:0.9,momentum:0.05", "--steps", "800", "--log-every", "0")
    assert result.returncode == 0  # the race went on: only a race where every run diverged fails
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["run", "w", "b", "loss", "w,", "b", "each", "within", "0.0001", "of", "w*,", "b*", "(relative)"]
    assert lines[1].startswith("1 gd 0.1 ") and lines[1].endswith("step 698")
    assert lines[2].startswith("2 gd 0.9 ") and lines[2].endswith("diverged at step 169")
    assert lines[3].startswith("3 momentum 0.05 ") and lines[3].endswith("step 168")
    session = start_session(RunConfig(lr=0.1))
    alone = session.step(800)
    assert lines[1].split()[3:6] == [fixed(alone.w).strip(), fixed(alone.b).strip(), f"{session.current().loss:.4e}"]
    assert lines[4].startswith("done: 800 steps; least squares w*=3, b*=0.8")
    assert "2 gd 0.9 diverged at step 169; the others go on" in result.stderr


def test_headless_race_of_runs_that_never_get_there(run_gdtui) -> None:
    result = run_gdtui("--headless", "--compare", "gd:0.001,adam:0.001", "--steps", "20", "--log-every", "0")
    assert [line.rsplit("  ", 1)[-1] for line in result.stdout.splitlines()[1:3]] == ["not reached"] * 2


def test_headless_race_where_every_run_diverges_exits_3(run_gdtui) -> None:
    result = run_gdtui("--headless", "--compare", "gd:0.9,gd:2", "--log-every", "0")
    assert result.returncode == 3
    assert "diverged at step" in result.stdout.splitlines()[2]


@pytest.mark.parametrize("spec", ["gd,adm", "gd", "gd:0.1:0.2,adam"])
def test_a_bad_compare_exits_2_naming_it(run_gdtui, spec) -> None:
    result = run_gdtui("--compare", spec, "--headless")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--compare" in result.stderr and "Traceback" not in result.stderr
