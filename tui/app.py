"""The gdtui app: the engine's snapshots, live, with keys to steer them."""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import signal
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Footer, Static

from gdtui.cli import load_data, run_config
from gdtui.fit_chart import FitChart
from gdtui.gradient_screen import GradientScreen
from gdtui.help_screen import HelpScreen
from gdtui.landscape_chart import LandscapeChart
from gdtui.ladder import next_on_ladder
from gdtui.loss_chart import LossChart
from gdtui.lr_screen import LrScreen
from gdtui.readouts import Readouts

if TYPE_CHECKING:  # the engine loads torch: the app imports it only once the screen is up
    from gdtui.engine.session import Session

TRAIN_HZ = 50  # training clock: how often steps are pulled
DRAW_HZ = 10  # drawing clock: how often the screen shows the latest snapshot
TICK_BUDGET = 0.003  # seconds of training per tick, so keys and drawing still get their turn
MAX_LADDER_SPEED = 5000  # one notch faster than this is `max`
MIN_SPEED = 0.1  # steps per second: one every ten seconds is as slow as [ goes
SHUTDOWN_GRACE = 0.5  # seconds a signalled app may take to exit before it is cut short
MIN_SIZE = (60, 16)  # below this the charts cannot show axes and a curve: say so instead
BATCH_SIZES = (1, 8, 32, 128)  # what m cycles through after "all points"


class GdtuiApp(App[int]):
    """Trains on its own clock, draws on another, and answers keys in between."""

    CSS_PATH = "app.tcss"
    TITLE = "gdtui"
    ENABLE_COMMAND_PALETTE = False

    LR = Binding.Group("lr", compact=True)
    SPEED = Binding.Group("speed", compact=True)
    PAUSE = "Pause or resume (after DONE, go on past the target)"
    BINDINGS = [
        Binding("space", "pause", "Pause", key_display="space", tooltip=PAUSE),
        Binding("space", "resume", "Resume", key_display="space", tooltip=PAUSE),
        Binding("n,right", "step(1)", "Step", tooltip="Exactly one update (pauses first)"),
        Binding("b,left", "rewind", "Back", tooltip="Exactly one update back, state and all (pauses first)"),
        Binding("N", "step(50)", "+50", show=False, tooltip="50 updates, the seed's log interval (pauses first)"),
        Binding("plus,equals_sign", "lr(1)", "lr up", key_display="+", group=LR, tooltip="lr one notch up the 1-2-5 ladder"),
        Binding("minus", "lr(-1)", "lr down", key_display="-", group=LR, tooltip="lr one notch down the 1-2-5 ladder"),
        Binding("l", "type_lr", "Type lr", tooltip="Type an exact lr (Enter applies, Esc cancels)"),
        Binding("r", "reset", "Reset", tooltip="Step 0 and the initial w, b again (same data, settings kept)"),
        Binding("left_square_bracket", "speed(-1)", "Slower", key_display="[", group=SPEED, tooltip="Fewer steps per second"),
        Binding("right_square_bracket", "speed(1)", "Faster", key_display="]", group=SPEED, tooltip="More steps per second, up to max"),
        Binding("c", "gradient_check", "Check ∇", show=False, tooltip="Gradient check: autograd next to the central difference"),
        Binding("v", "toggle_landscape", "Landscape", show=False, tooltip="Fit chart ⇄ loss landscape over (w, b) with the path"),
        Binding("asterisk", "toggle_optimum", "w*", key_display="*", show=False, tooltip="Show or hide the least-squares line on the fit chart"),
        Binding("g", "toggle_scale", "Log/lin", show=False, tooltip="Loss chart: log or linear scale"),
        Binding("o", "next_optimizer", "Optimizer", show=False, tooltip="Next optimizer: gd → momentum → adam (applies next step)"),
        Binding("m", "next_batch", "Batch", show=False, tooltip="Next batch: all points → 1 → 8 → 32 → 128 (mini-batch SGD)"),
        Binding("e", "export", "Export", show=False, tooltip="Save the steps so far (the last 10,000 at most) to a file"),
        Binding("s", "screenshot", "SVG", show=False, tooltip="Save an SVG screenshot of the screen"),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="This help: every key"),
        Binding("q", "quit", "Quit", tooltip="Quit, leaving the terminal as it was"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, tooltip="Quit, as q does"),
    ]

    running: reactive[bool] = reactive(False)

    def __init__(
        self,
        load: Callable[[], Session],
        *,
        speed: float,
        paused: bool,
        target: int,
        lr: float,
        background: bool = True,
        export_path: str | None = None,
    ) -> None:
        super().__init__()
        self.target, self.first_lr = target, lr  # shown while the engine loads
        self.load = load
        self.export_path = export_path  # where e saves; a new timestamped file when None
        self.background = background  # load in a thread, so the first frame does not wait
        self.session: Session | None = None
        self.speed = speed
        self.paused_at_start = paused
        self.finished = False  # paused by reaching the target, shown as DONE
        self._owed = 0.0  # fraction of a step the training clock still owes
        self._clock = time.perf_counter()
        self._rate = (self._clock, 0, 0.0)  # for the measured steps/s

    def compose(self) -> ComposeResult:
        yield Readouts(id="readouts")
        yield Horizontal(id="charts")
        yield Footer(compact=True)
        yield Static(id="too-small")

    def on_resize(self, event: events.Resize) -> None:
        width, height = event.size
        too_small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        self.set_class(too_small, "-too-small")  # on the app: whichever screen is on top
        if too_small:
            self.query_one("#too-small", Static).update(
                f"terminal too small (need {MIN_SIZE[0]}×{MIN_SIZE[1]}, have {width}×{height}); q quits"
            )

    def on_mount(self) -> None:
        self.query_one(Readouts).show_loading(target=self.target, lr=self.first_lr, speed=self.speed)
        loop = asyncio.get_running_loop()
        # A dropped SSH connection sends SIGHUP, which Textual leaves to us: exit cleanly.
        for sig in (signal.SIGHUP, signal.SIGTERM):
            loop.add_signal_handler(sig, partial(self._end_on_signal, 128 + sig))
        if self.background:
            self.run_worker(self._load_in_thread, thread=True, exit_on_error=True)
        else:
            self._start(self.load())

    def _end_on_signal(self, code: int) -> None:
        self.exit(return_code=code)
        # Textual's orderly shutdown takes a fraction of a second on an idle machine; on a
        # loaded one, or with the terminal gone, make sure the process is over in time anyway.
        watchdog = threading.Timer(SHUTDOWN_GRACE, os._exit, (code,))
        watchdog.daemon = True
        watchdog.start()

    def _load_in_thread(self) -> None:
        session = self.load()
        self.call_from_thread(self._start, session)
        from gdtui.engine.optimizers import preload

        preload()  # here, not in the key press (o, or b after it) that first needs torch.optim

    def _start(self, session: Session) -> None:
        self.session = session
        self.query_one("#charts").mount(
            LossChart(session, id="loss-chart"),
            FitChart(session.trainer.data, session.optimum, id="fit-chart"),
            LandscapeChart(session, id="landscape-chart"),
        )
        self.running = not self.paused_at_start
        # On the screen, so the clocks stop with the widgets they draw on when the app closes.
        main_screen = self.screen_stack[0]  # not a help screen opened while loading
        main_screen.run_worker(self._train_loop(), name="training clock")
        main_screen.set_interval(1 / DRAW_HZ, self.show)
        self.show()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.session is None:  # still loading: only help and quit make sense
            return action in ("help", "quit")
        if action == "pause":
            return self.running
        if action == "resume":
            return not self.running
        return True

    # The training clock.

    def watch_running(self, running: bool) -> None:
        # The footer (Pause ⇄ Resume) rebuilds its keys: a frame later, so the state word
        # the user is waiting for is painted first.
        self.call_after_refresh(self.refresh_bindings)
        self._owed = 0.0
        self._clock = time.perf_counter()
        if running:
            self.finished = False

    async def _train_loop(self) -> None:
        """The training clock: TRAIN_HZ ticks a second, or, at max speed, one slice of training
        after another with a turn for keys and drawing in between."""
        while True:
            self._train_tick()
            flat_out = self.running and math.isinf(self.speed)
            await asyncio.sleep(0 if flat_out else 1 / TRAIN_HZ)

    def _train_tick(self) -> None:
        if not self.running:
            return
        now = time.perf_counter()
        if math.isinf(self.speed):
            due = math.inf
        else:
            self._owed += self.speed * (now - self._clock)
            due = int(self._owed)
            self._owed -= due
        self._clock = now
        left = self.session.steps_to_target()
        if left is not None:
            due = min(due, left)
        deadline = now + TICK_BUDGET
        # One step at a time, so the budget holds even when a step over millions of points
        # takes longer than the whole budget.
        while due > 0 and time.perf_counter() < deadline:
            self.session.advance(1)
            due -= 1
            if self.session.latest.diverged:
                break
        if self.session.latest.diverged:
            self.running = False
            self.show()
        elif left is not None and self.session.done:
            self.running = False
            self.finished = True
            self.show()

    # What the screen shows.

    @property
    def state(self) -> str:
        if self.session.latest.diverged:
            return "DIVERGED"
        if self.running:
            return "RUNNING"
        return "DONE" if self.finished else "PAUSED"

    def _hint(self) -> str:
        lr, bound = self.session.lr, self.session.stable_lr
        if self.session.latest.diverged:
            stable = f" (stable below {bound:.3g})" if bound else ""
            return f"Diverged at lr {self.session.diverged_lr:g}{stable}. Lower lr (- or l), then space or r."
        if bound and lr >= bound:
            return f"lr {lr:g} ≥ stable bound {bound:.3g} for {self.session.hyper.optimizer}: this run will diverge."
        if self.state == "DONE":
            return f"Reached {self.session.target} steps: space goes on, r starts over."
        return ""

    def _measured_rate(self) -> float:
        then, step, rate = self._rate
        now, current = time.perf_counter(), self.session.latest.step
        if now - then >= 0.5:
            rate = max(current - step, 0) / (now - then)
            self._rate = (now, current, rate)
        return rate

    def show(self) -> None:
        """Readouts and charts as of the latest snapshot (charts rebuild only if they changed)."""
        self.show_readouts()
        snap = self.session.latest
        self.query_one(LossChart).redraw()
        if self.query_one("#charts").has_class("-landscape"):
            self.query_one(LandscapeChart).redraw()
        else:
            self.query_one(FitChart).show(snap.w, snap.b)

    def show_readouts(self) -> None:
        """Just the numbers: cheap, for keys that must answer at once whatever the charts cost."""
        self.query_one(Readouts).show(
            self.session, state=self.state, speed=self.speed, measured=self._measured_rate(), hint=self._hint()
        )

    # Keys.

    def action_pause(self) -> None:
        self.running = False
        self.show_readouts()

    def action_resume(self) -> None:
        self.running = True
        self.show_readouts()

    def action_step(self, count: int) -> None:
        self.running = False
        self.finished = False
        self.session.advance(count)
        self.show()

    def action_lr(self, direction: int) -> None:
        self.session.lr = next_on_ladder(self.session.lr, direction)
        self.show()

    def action_type_lr(self) -> None:
        def apply(lr: float | None) -> None:
            if lr is not None:
                self.session.lr = lr
                self.show()

        self.push_screen(LrScreen(self.session.lr), apply)

    def action_reset(self) -> None:
        self.session.reset()
        self.finished = False
        self.show()

    def action_speed(self, direction: int) -> None:
        if direction > 0:
            faster = next_on_ladder(self.speed, 1)
            self.speed = math.inf if faster > MAX_LADDER_SPEED else faster
        elif math.isinf(self.speed):
            self.speed = MAX_LADDER_SPEED
        else:
            self.speed = max(MIN_SPEED, next_on_ladder(self.speed, -1))
        self.show()

    def action_rewind(self) -> None:
        self.running = False
        self.finished = False
        self.session.rewind()
        self.show()

    def action_gradient_check(self) -> None:
        from gdtui.engine.analysis import gradient_check

        self.running = False  # the check is of this step: training on under it would stale it
        self.show_readouts()
        snap = self.session.latest
        self.push_screen(GradientScreen(gradient_check(self.session.trainer.data, snap.w, snap.b)))

    def action_toggle_landscape(self) -> None:
        self.query_one("#charts").toggle_class("-landscape")
        self.show()

    def action_toggle_optimum(self) -> None:
        chart = self.query_one(FitChart)
        chart.show_optimum = not chart.show_optimum
        self.show()

    def action_next_optimizer(self) -> None:
        name = self.session.next_optimizer()
        self.notify(f"optimizer: {name}, from the next step", timeout=3)
        self.show()

    def action_next_batch(self) -> None:
        points = len(self.session.trainer.data)
        sizes = [0] + [size for size in BATCH_SIZES if size < points]
        hyper = self.session.hyper
        larger = [size for size in sizes if size > hyper.batch_size]
        hyper.batch_size = larger[0] if larger else 0
        self.show()

    def action_export(self) -> None:
        from gdtui.engine.export import TrajectoryWriter

        path = self.export_path or time.strftime("gdtui-%Y%m%d-%H%M%S.csv")
        rows = [snap for snap in (*self.session.past, self.session.latest) if snap.step > 0]
        try:
            with TrajectoryWriter(path) as writer:
                count = writer.write_all(rows)
        except OSError as error:
            self.notify(f"could not save {path}: {error.strerror}", severity="error")
            return
        span = f"steps {rows[0].step}-{rows[-1].step}" if rows else "no steps yet"
        self.notify(f"saved {count:,} rows ({span}) to {os.path.abspath(path)}", timeout=6)

    def action_screenshot(self) -> None:
        try:
            path = self.save_screenshot()
        except OSError as error:
            self.notify(f"could not save the screenshot: {error.strerror}", severity="error")
            return
        self.notify(f"screenshot saved to {os.path.abspath(path)}", timeout=6)

    def action_toggle_scale(self) -> None:
        chart = self.query_one(LossChart)
        chart.log_scale = not chart.log_scale
        self.show()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


def make_app(args: argparse.Namespace, *, background: bool = False) -> GdtuiApp:
    """The app for these options; `background` loads the engine after the first frame.

    A --data file is read first, so that a bad one ends gdtui before the screen changes.
    """
    data = load_data(args)

    def load() -> Session:
        from gdtui.engine.session import Session
        from gdtui.engine.setup import build

        return Session(build(run_config(args), data), target=args.steps)

    return GdtuiApp(
        load,
        speed=args.speed,
        paused=args.paused,
        target=args.steps,
        lr=args.lr,
        background=background,
        export_path=args.export,
    )


def run_app(args: argparse.Namespace) -> int:
    app = make_app(args, background=True)
    app.run(mouse=False)
    return app.return_code or 0
