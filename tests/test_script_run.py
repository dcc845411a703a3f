"""`gdtui run SCRIPT`: a real script in a real pseudo-terminal, held, stepped and given an lr by
key, checked from what the script itself prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pty_app import ROOT, PtyApp

SCRIPTS = ROOT / "tests" / "scripts"
EXAMPLES = ROOT / "tests" / "data" / "pytorch_examples"


def printed(log: Path, prefix: str = "step ") -> list[str]:
    """The script's own lines that start with `prefix`, as its log holds them now."""
    try:
        text = log.read_text()
    except FileNotFoundError:
        return []
    return [line for line in text.splitlines() if line.startswith(prefix)]


def eventually(check: Callable[[], bool], timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def on_screen(app: PtyApp, text: str, timeout: float = 30) -> bool:
    return app.wait_until(lambda rows: any(text in row for row in rows), timeout)


def end_scripts(folder: Path) -> None:
    """Kill what a test left running in `folder` (a script is in a session of its own, and a
    script whose app went away runs on)."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{pid}/cwd") == str(folder):
                os.kill(int(pid), 9)
        except OSError:
            pass


def watch(tmp_path: Path, *args: str, size: tuple[int, int] = (80, 24)) -> tuple[PtyApp, Path]:
    log = tmp_path / "script.log"
    return PtyApp("run", "--output", str(log), *args, size=size, cwd=tmp_path), log


def test_pause_holds_n_lets_exactly_one_step_through_and_a_typed_lr_applies_from_the_next(tmp_path: Path) -> None:
    app, log = watch(tmp_path, "--paused", str(SCRIPTS / "sgd_steps.py"), "100000", "--sleep", "0.002")
    try:
        assert on_screen(app, "held before step 1"), app.screen()
        time.sleep(2)
        assert printed(log) == [], "no step may pass while paused"
        app.send("n")
        assert eventually(lambda: len(printed(log)) == 1)
        time.sleep(1.5)
        assert printed(log) == ["step 1 lr 0.1 loss 4.802461"], "n lets exactly one step through"
        app.send("l")
        assert on_screen(app, "Learning rate")
        app.send("\x7f" * 20 + "0.05\r")  # backspaces, then the new lr
        assert on_screen(app, "→ 0.05 from the next step")
        time.sleep(0.5)
        assert len(printed(log)) == 1, "a new lr lets no step through by itself"
        app.send("n")
        assert eventually(lambda: len(printed(log)) == 2)
        assert printed(log)[1].startswith("step 2 lr 0.05 "), "the optimizer steps with the new lr at the next step"
        app.send(" ")  # run
        assert eventually(lambda: len(printed(log)) > 50)
        app.send(" ")  # and pause again
        assert on_screen(app, "held before step")
        held = len(printed(log))
        time.sleep(2)
        assert len(printed(log)) == held, "a pause holds the script"
        step = int(re.search(r"held before step ([\d,]+)", "\n".join(app.screen())).group(1).replace(",", ""))  # type: ignore[union-attr]
        assert step == held + 1, "the screen says which step the script waits before"
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_pause_on_nan_holds_the_script_before_the_update_a_non_finite_loss_would_make(tmp_path: Path) -> None:
    app, log = watch(tmp_path, "--pause-on-nan", str(SCRIPTS / "sgd_steps.py"), "1000", "--nan-at", "40", "--sleep", "0.005")
    try:
        assert on_screen(app, "non-finite loss at step 40 (held before its update"), app.screen()
        time.sleep(1)
        steps = printed(log)
        assert len(steps) == 39 and steps[-1].startswith("step 39 "), "held before step 40's update"
        assert on_screen(app, "PAUSED")
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_a_non_finite_loss_is_marked_with_its_step_without_pausing(run_python) -> None:
    done = run_python("-m", "gdtui", "run", str(SCRIPTS / "sgd_steps.py"), "60", "--nan-at", "25")
    assert done.returncode == 0
    assert "gdtui: non-finite loss at step 25" in done.stdout
    assert done.stdout.rstrip().endswith("exited with status 0 after 60 steps"), "the last report, read before the end is said"


def test_g_picks_one_param_group_whose_lr_the_keys_change(tmp_path: Path) -> None:
    app, log = watch(tmp_path, "--paused", str(SCRIPTS / "sgd_steps.py"), "100", "--groups")
    try:
        assert on_screen(app, "lr 0.1/0.01") and on_screen(app, "+/-/l change every group")
        app.send("GG")  # every group -> group 0 -> group 1
        assert on_screen(app, "+/-/l change group 1")
        app.send("+n")
        assert eventually(lambda: len(printed(log)) == 1)
        assert printed(log)[0].startswith("step 1 lr 0.1/0.02 "), "only group 1 moved, one notch up the ladder"
        app.send("G+n")  # every group again: each takes the notch above the first group's lr
        assert eventually(lambda: len(printed(log)) == 2)
        assert printed(log)[1].startswith("step 2 lr 0.2/0.2 ")
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_q_then_s_stops_the_script_as_ctrl_c_would_and_returns_its_status(tmp_path: Path) -> None:
    app, log = watch(tmp_path, str(SCRIPTS / "sgd_steps.py"), "100000", "--sleep", "0.005")
    try:
        assert eventually(lambda: len(printed(log)) > 5)
        app.send("q")
        assert on_screen(app, "s  stop it")
        app.send("s")
        assert app.wait_exit(20) == 130
        assert printed(log, "interrupted") == ["interrupted"], "the script saw a KeyboardInterrupt"
        assert "KeyboardInterrupt" in app.text() and "exited with status 130" in app.text()
        assert "\x1b[?1049l" in app.text(), "the terminal's own screen is back"
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_q_then_d_detaches_and_the_script_runs_on_to_its_end(tmp_path: Path) -> None:
    app, log = watch(tmp_path, "--paused", str(SCRIPTS / "sgd_steps.py"), "300", "--sleep", "0.01")
    try:
        assert on_screen(app, "held before step 1")
        app.send("q")
        assert on_screen(app, "d  detach")
        app.send("d")
        assert app.wait_exit(20) == 0
        said = re.search(r"detached: sgd_steps.py runs on as pid (\d+)", app.text())
        assert said, app.text()[-500:]
        assert eventually(lambda: printed(log, "done") == ["done"], 60), "detached, the paused script runs on to its end"
        assert len(printed(log)) == 300
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_a_crash_in_the_script_restores_the_terminal_shows_its_traceback_and_returns_its_status(tmp_path: Path) -> None:
    app, log = watch(tmp_path, str(SCRIPTS / "sgd_steps.py"), "1000", "--crash-at", "30")
    try:
        assert on_screen(app, "failed (exit status 1)"), app.screen()
        app.send("q")
        assert app.wait_exit(20) == 1
        after = app.text().rpartition("\x1b[?1049l")[2]  # what the terminal shows once the app has gone
        assert "Traceback (most recent call last):" in after
        assert "RuntimeError: crashed on purpose at step 30" in after
        assert "gdtui/engine" not in after, "the traceback is the script's, without gdtui's own frames"
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_without_a_terminal_it_prints_plain_progress_lines_and_the_scripts_status(run_python) -> None:
    done = run_python("-m", "gdtui", "run", str(SCRIPTS / "sgd_steps.py"), "40", "--crash-at", "35")
    assert done.returncode == 1
    assert "\x1b" not in done.stdout, "no escape sequences on a pipe"
    assert done.stdout.splitlines()[0] == "step 1 lr 0.1 loss 4.802461", "the script's own output comes through"
    assert re.search(r"^gdtui: step 34 +loss [\d.e-]+ +lr 0.1", done.stdout, re.M), done.stdout
    assert done.stdout.rstrip().endswith("gdtui: sgd_steps.py exited with status 1 after 34 steps")
    assert "RuntimeError: crashed on purpose at step 35" in done.stderr


def test_a_loop_with_no_optimizer_is_held_at_backward_and_its_gradients_scaled_by_the_lr_keys(tmp_path: Path, run_python) -> None:
    plain = run_python(str(SCRIPTS / "sgd_steps.py"), "3", "--manual")
    reference = plain.stdout.splitlines()
    app, log = watch(tmp_path, "--paused", str(SCRIPTS / "sgd_steps.py"), "3", "--manual")
    try:
        assert on_screen(app, "held before step 1")
        assert on_screen(app, "lr: the script's own")
        app.send("n")
        assert eventually(lambda: len(printed(log)) == 1)
        time.sleep(1)
        assert printed(log) == reference[:1], "held at backward(): one step, as the script alone takes it"
        app.send("+")
        assert on_screen(app, "→ 2 from the next step")
        app.send("n")
        assert eventually(lambda: len(printed(log)) == 2)
        step, grad, moved = (float(v) for v in re.findall(r"[-\d.]+", printed(log)[1]))
        _, grad0, moved0 = (float(v) for v in re.findall(r"[-\d.]+", reference[1]))
        assert grad == pytest.approx(2 * grad0, rel=1e-4) and moved == pytest.approx(2 * moved0, rel=1e-4), "lr ×2 from this step"
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_an_optimizer_with_a_closure_counts_one_step_per_step_call_and_takes_the_new_lr(tmp_path: Path) -> None:
    app, log = watch(tmp_path, "--paused", str(SCRIPTS / "lbfgs_steps.py"), "3")
    try:
        assert on_screen(app, "held before step 1")
        assert on_screen(app, "LBFGS")
        app.send("l")
        assert on_screen(app, "Learning rate")
        app.send("\x7f" * 20 + "0.5\r")
        app.send("n")
        assert eventually(lambda: printed(log, "step") == ["step 1 done"])
        closures = printed(log, "closure")
        assert len(closures) > 1 and set(closures) == {"closure lr 0.5"}, closures
        assert on_screen(app, "held before step 2"), "the closure's calls were one step"
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_under_torchrun_a_pause_holds_every_rank_at_one_step_and_an_lr_reaches_them_all(tmp_path: Path) -> None:
    for name in ("multigpu_torchrun.py", "datautils.py"):
        (tmp_path / name).write_text((EXAMPLES / "ddp-tutorial-series" / name).read_text())
    log = tmp_path / "run.log"
    rank1 = tmp_path / "run.log.rank1"
    app = PtyApp(
        "--nproc-per-node", "2", "-m", "gdtui", "run", "--paused", "--output", str(log), "multigpu_torchrun.py", "50", "100",
        program=(sys.executable, "-m", "torch.distributed.run"), cwd=tmp_path,
    )

    def rank1_step() -> int:
        lines = printed(rank1, "gdtui: step")
        return int(lines[-1].split()[2]) if lines else 0

    try:
        assert on_screen(app, "2 ranks", 60) and on_screen(app, "held before step 1"), app.screen()
        time.sleep(2)
        assert rank1_step() == 0, "rank 1 waits while rank 0 is held"
        app.send("l")
        assert on_screen(app, "Learning rate")
        app.send("\x7f" * 20 + "0.02\r")
        app.send("n")
        assert on_screen(app, "held before step 2")
        assert eventually(lambda: rank1_step() == 1, 10), "one step on rank 1 too"
        assert " lr 0.02 " in printed(rank1, "gdtui: step")[-1], "rank 1 stepped with rank 0's new lr"
        app.send(" ")
        time.sleep(1)
        app.send(" ")
        assert on_screen(app, "held before step")
        time.sleep(0.5)
        held = int(re.search(r"held before step ([\d,]+)", "\n".join(app.screen())).group(1).replace(",", ""))  # type: ignore[union-attr]
        assert eventually(lambda: rank1_step() == held - 1, 10), (held, rank1_step())
        time.sleep(2.5)
        assert rank1_step() == held - 1, "both ranks held at the same step"
        app.send("q")
        assert on_screen(app, "s  stop it")
        app.send("s")
        assert app.wait_exit(60) is not None
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_pytorchs_own_regression_example_with_no_optimizer_is_held_stepped_and_scaled(tmp_path: Path) -> None:
    app, log = watch(tmp_path, "--paused", str(EXAMPLES / "regression" / "main.py"))
    try:
        assert on_screen(app, "held before step 1")
        time.sleep(2)
        assert on_screen(app, "step       0", 0.1), "held at its first backward()"
        app.send("nn")
        assert on_screen(app, "held before step 3")
        app.send("+")
        assert on_screen(app, "→ 2 from the next step")
        app.send("n")
        assert on_screen(app, "gradients ×2 at backward()")
        app.send(" ")
        assert on_screen(app, "finished (exit status 0)", 60)
        app.send("q")
        assert app.wait_exit(20) == 0
        assert printed(log, "Loss: ") and printed(log, "==> Learned function")
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_an_mlp_with_adam_and_a_schedule_takes_the_typed_lr_and_the_schedule_goes_on_from_it(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    saved = tmp_path / "state.pt"
    app, log = watch(tmp_path, "--paused", str(ROOT / "examples" / "digits_mlp.py"), "--epochs", "11", "--save", str(saved))
    try:
        assert on_screen(app, "held before step 1", 60) and on_screen(app, "Adam")
        app.send("l")
        assert on_screen(app, "Learning rate")
        app.send("\x7f" * 20 + "0.01\r")
        app.send(" ")
        assert on_screen(app, "finished (exit status 0)", 120), app.screen()
        assert on_screen(app, "epoch 11") and on_screen(app, "val_loss"), "epochs and logged values on screen"
        epochs = printed(log, "epoch")
        assert " lr 1.00e-02 " in epochs[0] and " lr 5.00e-03 " in epochs[-1], "Adam took 0.01, and StepLR halved it at epoch 10"
        app.send("q")
        assert app.wait_exit(20) == 0
    finally:
        app.kill()
    import torch

    state = torch.load(saved)
    assert state["optimizer"]["param_groups"][0]["lr"] == pytest.approx(0.005)


def test_pytorchs_own_lbfgs_example_counts_one_step_per_step_call(tmp_path: Path, run_python) -> None:
    pytest.importorskip("matplotlib")
    folder = EXAMPLES / "time_sequence_prediction"
    for name in ("train.py", "generate_sine_wave.py"):
        (tmp_path / name).write_text((folder / name).read_text())
    subprocess.run([sys.executable, "generate_sine_wave.py"], cwd=tmp_path, check=True)
    log = tmp_path / "script.log"
    app = PtyApp(
        "run", "--paused", "--output", str(log), "train.py", "--steps", "2", cwd=tmp_path,
        env={"TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD": "1"},  # its numpy data file predates torch.load's weights-only default
    )
    try:
        assert on_screen(app, "held before step 1", 60)
        assert on_screen(app, "LBFGS")
        time.sleep(2)
        assert printed(log, "STEP:") == ["STEP:  0"] and printed(log, "loss:") == [], "held inside step(), before its closure"
        app.send("l")
        assert on_screen(app, "Learning rate")
        app.send("\x7f" * 20 + "0.5\r")
        app.send("n")
        assert on_screen(app, "held before step 2", 180), app.screen()
        assert len(printed(log, "loss:")) > 1, "the closure ran several times in one step"
        assert printed(log, "STEP:") == ["STEP:  0", "STEP:  1"]
        assert on_screen(app, "lr 0.5"), "the optimizer stepped with the new lr"
        app.send("q")
        assert on_screen(app, "s  stop it")
        app.send("s")
        assert app.wait_exit(30) == 130
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_bad_input_gets_one_line_and_status_2_and_the_script_never_starts(run_python, tmp_path: Path) -> None:
    missing = run_python("-m", "gdtui", "run", "no_such_train.py")
    assert missing.returncode == 2
    assert missing.stderr == "gdtui run: error: no_such_train.py: no such file (see gdtui run --help)\n"
    marker = tmp_path / "ran"
    script = tmp_path / "touch.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n")
    paused = run_python("-m", "gdtui", "run", "--paused", str(script))  # stdout is a pipe: no app to run on from a pause
    assert paused.returncode == 2 and paused.stderr.count("\n") == 1 and "--paused needs the app on a terminal" in paused.stderr
    unwritable = run_python("-m", "gdtui", "run", "--output", str(tmp_path / "missing" / "out.log"), str(script))
    assert unwritable.returncode == 2 and "--output" in unwritable.stderr and "No such file or directory" in unwritable.stderr
    speed = run_python("-m", "gdtui", "run", "--speed", "fast", str(script))
    assert speed.returncode == 2 and "--speed" in speed.stderr and "Traceback" not in speed.stderr
    assert not marker.exists(), "refused before the script started"


def test_help_explains_the_keys_the_api_and_torchrun(run_python) -> None:
    shown = run_python("-m", "gdtui", "run", "--help")
    assert shown.returncode == 0
    wanted = ("space holds the script", "torchrun --nproc-per-node 2 --no-python gdtui run", "from gdtui.watch import watch", "exit status")
    for said in wanted:
        assert said in shown.stdout
    assert "gdtui run train.py" in run_python("-m", "gdtui", "--help").stdout


def test_a_dropped_connection_ends_gdtui_and_the_held_script_runs_on_to_its_end(tmp_path: Path) -> None:
    app, log = watch(tmp_path, "--paused", str(SCRIPTS / "sgd_steps.py"), "200", "--sleep", "0.005")
    try:
        assert on_screen(app, "held before step 1")
        app.hang_up()  # what a dropped SSH connection does to the terminal
        assert app.wait_exit(10) == 129
        assert eventually(lambda: printed(log, "done") == ["done"], 60), "the script ran on, unwatched, to its end"
        assert len(printed(log)) == 200
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_record_makes_a_cast_of_the_watched_script_that_asciinema_plays_to_the_screen_shown(tmp_path: Path) -> None:
    pytest.importorskip("asciinema")
    from casts import markers, played
    from test_recording import settled

    cast = tmp_path / "run.cast"
    app, log = watch(tmp_path, "--record", str(cast), "--paused", str(SCRIPTS / "sgd_steps.py"), "1000")
    try:
        assert on_screen(app, "held before step 1") and on_screen(app, "● REC")
        app.send("nnn")
        assert on_screen(app, "held before step 4")
        shown = settled(app)
        app.send("R")  # stop recording here
        assert on_screen(app, "recorded to")
        app.send("q")
        assert on_screen(app, "s  stop it")
        app.send("s")
        assert app.wait_exit(20) == 130
    finally:
        app.kill()
        end_scripts(tmp_path)
    assert markers(cast) == ["n", "n", "n", "R"], "each key, named"
    assert played(cast) == shown


def test_a_scripts_control_sequences_stay_in_the_output_pane(tmp_path: Path) -> None:
    app, log = watch(tmp_path, str(SCRIPTS / "quirks.py"), "escapes")
    try:
        assert eventually(lambda: len(printed(log, "\x1b[2J")) > 20)
        app.send("v")
        assert on_screen(app, "HIJACKED step")
        rows = app.screen()
        assert rows[0].startswith(" RUNNING"), "the readouts are where they were"
        assert "HIJACKED" not in rows[2], "the script's cursor moves were not obeyed"
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_a_new_optimizer_per_fold_is_watched_in_turn(run_python) -> None:
    done = run_python("-m", "gdtui", "run", str(SCRIPTS / "quirks.py"), "folds")
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("exited with status 0 after 60 steps"), done.stdout


def test_workers_forked_while_the_script_is_held_do_not_wait_for_the_app(tmp_path: Path) -> None:
    app, log = watch(tmp_path, "--paused", str(SCRIPTS / "quirks.py"), "hogwild")
    try:
        assert on_screen(app, "held before step 1")
        app.send(" ")
        assert on_screen(app, "finished (exit status 0)", 60), app.screen()
        assert printed(log, "workers done") == ["workers done, exit codes [0, 0]"]
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_the_loss_of_a_loop_with_amp_loss_scaling_is_shown_unscaled(run_python) -> None:
    done = run_python("-m", "gdtui", "run", str(SCRIPTS / "quirks.py"), "amp")
    assert done.returncode == 0, done.stderr
    printed_loss = float(done.stdout.split("step 30 loss ")[1].split()[0])
    shown = float(re.search(r"gdtui: step 30 +loss ([\d.e+-]+)", done.stdout).group(1))  # type: ignore[union-attr]
    assert shown == pytest.approx(printed_loss, rel=1e-4), "not the loss times 65536"


def test_a_loop_reading_run_lr_takes_the_lr_the_keys_set(tmp_path: Path) -> None:
    app, log = watch(tmp_path, "--paused", str(SCRIPTS / "quirks.py"), "run_lr")
    try:
        assert on_screen(app, "held before step 1") and on_screen(app, "lr 0.01 (run.lr")
        app.send("n")
        assert eventually(lambda: printed(log) == ["step 1 lr 0.01"])
        app.send("+n")
        assert eventually(lambda: len(printed(log)) == 2)
        assert printed(log)[1] == "step 2 lr 0.02", "one notch up from the script's own 0.01"
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_an_lr_changed_at_every_step_marks_the_chart_a_dozen_times_at_most(tmp_path: Path) -> None:
    app, log = watch(tmp_path, str(SCRIPTS / "quirks.py"), "schedule")
    try:
        assert on_screen(app, "finished (exit status 0)", 60)
        chart = "\n".join(app.screen()[5:22])
        labels = re.findall(r"lr \d", chart)
        assert 1 <= len(labels) <= 12, chart
    finally:
        app.kill()
        end_scripts(tmp_path)


def test_pause_on_nan_holds_when_parameters_overflow_too(tmp_path: Path) -> None:
    app, log = watch(tmp_path, "--pause-on-nan", str(SCRIPTS / "sgd_steps.py"), "1000", "--lr", "40", "--sleep", "0.002")
    try:
        assert on_screen(app, "(held before its update"), app.screen()
        held = int(re.search(r"non-finite (?:loss|gradient) at step ([\d,]+)", "\n".join(app.screen())).group(1).replace(",", ""))  # type: ignore[union-attr]
        time.sleep(1)
        assert len(printed(log)) == held - 1, "held before the update of the step named"
    finally:
        app.kill()
        end_scripts(tmp_path)
