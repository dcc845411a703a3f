"""The main screen: the run's readouts and charts, its two clocks, and every key that steers it."""

from __future__ import annotations

import asyncio
import dataclasses
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from gdtui.charts.chart import Chart
from gdtui.charts.fit import FitChart
from gdtui.charts.landscape import LandscapeChart
from gdtui.charts.loss import LossChart
from gdtui.charts.sigmoid import SigmoidChart
from gdtui.charts.slice import SliceChart
from gdtui.screens.gradient_check import GradientScreen
from gdtui.screens.help import HelpScreen
from gdtui.screens.lr_dialog import LrScreen
from gdtui.screens.paced import PacedScreen
from gdtui.terminal.pacing import FramePacer
from gdtui.widgets.caption_bar import CaptionBar
from gdtui.widgets.explain_view import ExplainView
from gdtui.widgets.keys_footer import KeysFooter
from gdtui.widgets.readouts import Readouts

if TYPE_CHECKING:  # the engine loads torch: this screen is up before it has loaded
    from gdtui.engine.data.export import Recorded
    from gdtui.engine.run.protocol import Run
    from gdtui.engine.run.session import Session

TRAIN_HZ = 50  # training clock: how often steps are pulled
DRAW_HZ = 10  # drawing clock: how often the screen shows the latest frame
TICK_BUDGET = 0.003  # seconds of training per tick, so keys and drawing still get their turn
STEPS_PER_N = 50  # what N takes: the log interval of the headless run
VIEWS = ("", "-landscape", "-slice")  # what v cycles the right-hand chart through: fit, landscape, slice
EXPLAIN_WITH_CHARTS = 36  # rows from which the explain view leaves room for the charts below it

LR = Binding.Group("lr", compact=True)
SPEED = Binding.Group("speed", compact=True)
BINDINGS: list[Binding] = [
    # One binding for both, with one label: a footer whose keys change leaks memory per change.
    Binding("space", "run_pause", "Run/Pause", key_display="space", tooltip="Pause or run on (after DONE, go on past the target)"),
    Binding("n,right", "step(1)", "Step", tooltip="Exactly one update (pauses first)"),
    Binding("b,left", "rewind", "Back", tooltip="Exactly one update back, state and all (pauses first)"),
    Binding("N", f"step({STEPS_PER_N})", f"+{STEPS_PER_N}", show=False, tooltip=f"{STEPS_PER_N} updates (pauses first)"),
    Binding("plus,equals_sign", "lr(1)", "lr up", key_display="+", group=LR, tooltip="lr one notch up the 1-2-5 ladder"),
    Binding("minus", "lr(-1)", "lr down", key_display="-", group=LR, tooltip="lr one notch down the 1-2-5 ladder"),
    Binding("l", "type_lr", "Type lr", tooltip="Type an exact lr (Enter applies, Esc cancels)"),
    Binding("L", "auto_lr", "Best lr", show=False, tooltip="The best fixed lr for the data and rule (gd: 2/(λmax+λmin))"),
    Binding("z", "standardize", "Standardize", show=False, tooltip="Train on standardized x, y ⇄ on the data as is (same line)"),
    Binding("r", "reset", "Reset", tooltip="Step 0 and the initial w, b again (same data, settings kept)"),
    Binding("left_square_bracket", "speed(-1)", "Slower", key_display="[", group=SPEED, tooltip="Fewer steps per second"),
    Binding("right_square_bracket", "speed(1)", "Faster", key_display="]", group=SPEED, tooltip="More steps per second, up to max"),
    Binding("c", "gradient_check", "Check ∇", show=False, tooltip="Gradient check: autograd next to the central difference"),
    Binding(
        "x", "toggle_explain", "Explain", show=False, tooltip="Explain one step, phase by phase: n, b and N walk through it"
    ),
    Binding("v", "next_view", "View", show=False, tooltip="Next chart: fit → loss landscape → loss along w (or b) → fit"),
    Binding("a", "slice_axis", "Slice w/b", show=False, tooltip="Slice chart: the loss along w at this b, or along b at this w"),
    Binding(
        "asterisk", "toggle_optimum", "w*", key_display="*", show=False,
        tooltip="Show or hide the optimum (line or sigmoid) on the fit chart",
    ),
    Binding("g", "toggle_scale", "Log/lin", show=False, tooltip="Loss chart: log or linear scale"),
    Binding("o", "next_optimizer", "Optimizer", show=False, tooltip="Next optimizer: gd → momentum → adam (applies next step)"),
    Binding("m", "next_batch", "Batch", show=False, tooltip="Next batch: all points → 1 → 8 → 32 → 128 (mini-batch SGD)"),
    Binding("e", "export", "Export", show=False, tooltip="Save the steps so far (the last 10,000 at most) to a file"),
    Binding("s", "app.save_svg", "SVG", show=False, tooltip="Save an SVG screenshot of the screen"),
    Binding("P", "app.save_png", "PNG", show=False, tooltip="Save a PNG picture of the charts, for slides and reports"),
    Binding("R", "app.toggle_record", "Record", show=False, tooltip="Record the screen and keys to an asciicast (.cast); again: stop"),
    Binding("enter", "app.go_on", "Go on", show=False, tooltip="With --lesson: go on where the lesson waits for the presenter"),
    Binding("question_mark", "help", "Help", key_display="?", tooltip="This help: every key"),
    Binding("q", "app.quit", "Quit", tooltip="Quit, leaving the terminal as it was"),
    Binding("ctrl+c", "app.quit", "Quit", show=False, tooltip="Quit, as q does"),
]
# Every key at priority: the app runs each one's action as it reads the key, in the order keys came.
# Otherwise keys in one read (an SSH packet, a paste) wait in the screen's own queue while one that
# opens a dialog (l) or quits (q) has taken effect, and reach whatever is on top by then.
BINDINGS = [dataclasses.replace(binding, priority=True) for binding in BINDINGS]
WHILE_LOADING = ("help", "app.quit")  # the actions that make sense before the engine is up


@dataclass(frozen=True)
class Loading:
    """What the first frame shows while PyTorch loads: the run's own settings."""

    target: int
    lr: float | None  # None: auto, chosen once the data is loaded
    speed: float
    model: str = "linear"


class MainScreen(PacedScreen):
    """Trains on one clock, draws on another, and answers keys in between."""

    # Binding objects only, as the help screen lists them: Textual's own type also allows tuples.
    BINDINGS = BINDINGS  # type: ignore[assignment]

    class SessionReady(Message):
        """The engine has loaded and the run is set up."""

        def __init__(self, session: Run) -> None:
            super().__init__()
            self.session = session

    def __init__(
        self, loading: Loading, export_path: str | None = None, explain: bool = False, pacer: FramePacer | None = None
    ) -> None:
        super().__init__(pacer)
        self.first = loading  # (not `loading`: every Textual widget has that, a spinner)
        self.export_path = export_path  # where e saves; a new timestamped file when None
        self.set_class(explain, "-explain")
        self._session: Run | None = None
        self.clock = time.perf_counter  # what both clocks read; tests give it a made-up time
        self.tick_budget = TICK_BUDGET
        self.started = asyncio.Event()  # set once the run has started: keys act on it from then on

    def ready(self) -> bool:
        return self._session is not None

    @property
    def session(self) -> Run:
        assert self._session is not None  # check_action lets no key through before it is set
        return self._session

    @property
    def single(self) -> Session:
        """The run, for the keys about one run's own state (a race's screen does not bind them)."""
        from gdtui.engine.run.session import Session

        assert isinstance(self._session, Session), "a key of one run's own state, with no single run"
        return self._session

    def recorded(self) -> Recorded:
        """The run e saves: this screen's single run."""
        return self.single

    def compose(self) -> ComposeResult:
        yield Readouts(id="readouts").set_class(self.first.model == "logistic", "-classifier")
        yield CaptionBar(id="caption-bar")
        yield ExplainView(id="explain")
        with Horizontal(id="charts"):
            yield LossChart(id="loss-chart")
            yield SigmoidChart(id="fit-chart") if self.first.model == "logistic" else FitChart(id="fit-chart")
            yield LandscapeChart(id="landscape-chart")
            yield SliceChart(id="slice-chart")
        yield KeysFooter(compact=True)
        yield Static(self.too_small_text, id="too-small")

    def on_mount(self) -> None:
        self.show_loading()

    def show_loading(self) -> None:
        """The first frame's readouts: the run's own settings, while PyTorch loads."""
        first = self.first
        self.query_one(Readouts).show_loading(target=first.target, lr=first.lr, speed=first.speed)

    @on(SessionReady)
    def _session_ready(self, message: SessionReady) -> None:
        self.start(message.session)

    def start(self, session: Run) -> None:
        """Show and drive `session` from now on."""
        self._session = session
        self.start_pacing()
        self.run_worker(self._train_loop(), name="training clock")
        self.set_interval(1 / DRAW_HZ, self.tick)
        self.draw()
        self.refresh_bindings()
        self.started.set()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._session is None:
            return action in WHILE_LOADING
        return True

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < EXPLAIN_WITH_CHARTS, "-short")

    @property
    def explaining(self) -> bool:
        return self.has_class("-explain")

    # The clocks.

    async def _train_loop(self) -> None:
        """TRAIN_HZ ticks a second, or, at max speed, one slice of training after another with a
        turn for keys and drawing in between."""
        session = self.session
        while True:
            was = session.phase
            session.tick(self.clock(), self.tick_budget)
            if session.phase is not was:  # DONE or DIVERGED: show it now, not at the next frame
                self.answer()
            flat_out = session.running and math.isinf(session.speed)
            await asyncio.sleep(0 if flat_out else 1 / TRAIN_HZ)

    def show_frame(self, charts: bool) -> None:
        """The session's frame, taken now, to the readouts and (if `charts`) every chart."""
        explain = self.explaining or self.query_one("#charts").has_class("-slice")
        frame = self.session.frame(self.clock(), explain=explain)
        # A paused run has nothing to hold back: no word about the link then.
        link_fps = self.pacer.slow_fps() if self.session.running else None
        self.query_one(Readouts).show(frame, link_fps=link_fps, recording=self.recording)
        if charts:
            self.query_one(ExplainView).show(frame)
            for chart in self.query(Chart):
                chart.show(frame)

    # Keys.

    def action_run_pause(self) -> None:
        self.session.toggle()
        self.answer(charts=False)

    def action_step(self, count: int) -> None:
        if not self.explaining:
            self.session.step(count)
        elif count == 1:
            self.single.walk_on()
        else:
            self.session.step(1)  # N while explaining: one whole step, to the same phase of the next
        self.answer()

    def action_rewind(self) -> None:
        if self.explaining:
            self.single.walk_back()
        else:
            self.session.rewind()
        self.answer()

    def action_toggle_explain(self) -> None:
        self.toggle_class("-explain")
        if self.explaining:
            self.session.pause()  # the walk is through one step: training on under it would stale it
        self.call_after_refresh(self.answer)  # once the view shown has its size

    def action_lr(self, direction: int) -> None:
        if not self.session.lr_notch(direction):
            self.notify(f"lr {self.session.lr:g} is as {'high' if direction > 0 else 'low'} as a float goes", markup=False)
        self.answer()

    async def action_type_lr(self) -> None:
        def apply(lr: float | None) -> None:
            if lr is not None:
                self.session.change(lr=lr)
                self.answer()

        # Awaited, so keys typed right after `l` find the dialog and its field ready.
        await self.app.push_screen(LrScreen(self.session.lr), apply)

    def action_auto_lr(self) -> None:
        lr = self.session.auto_lr()
        label, optimizer = self.session.best_lr_label, self.session.hyper.optimizer
        self.notify(f"lr {lr:.3g}: the {label} for {optimizer} on this data", timeout=3, markup=False)
        self.draw()

    def action_standardize(self) -> None:
        on = not self.session.standardized
        self.session.standardize(on)
        conditioning = self.session.conditioning  # the line's: the classifier's labels stay 0 and 1
        state = ("standardized x, y" if conditioning else "standardized x") if on else "the data as it is"
        kappa = f" (κ {conditioning.kappa:.3g})" if conditioning else ""
        self.notify(f"training on {state} from the next step{kappa}", timeout=3, markup=False)
        self.draw()

    def action_reset(self) -> None:
        self.session.reset()
        self.answer()

    def action_speed(self, direction: int) -> None:
        self.session.speed_notch(direction)
        self.answer(charts=False)

    def action_next_optimizer(self) -> None:
        name = self.session.next_optimizer()
        self.notify(f"optimizer: {name}, from the next step", timeout=3, markup=False)
        self.answer()

    def action_next_batch(self) -> None:
        self.session.next_batch_size()
        self.answer()

    def action_gradient_check(self) -> None:
        from gdtui.engine.theory.linear import gradient_check

        self.session.pause()  # the check is of this step: training on under it would stale it
        self.answer(charts=False)
        data, snap, model = self.single.trainer.data, self.single.latest, self.single.model
        if self.single.trainer.linear:
            check = gradient_check(data, snap.w, snap.b)
        else:
            check = gradient_check(data, snap.w, snap.b, loss_of=model.loss, loss_name=model.loss_name)
        self.app.push_screen(GradientScreen(check))

    def action_next_view(self) -> None:
        charts = self.query_one("#charts")
        now = next((view for view in VIEWS[1:] if charts.has_class(view)), "")
        self._show_view(VIEWS[(VIEWS.index(now) + 1) % len(VIEWS)])

    def action_slice_axis(self) -> None:
        chart = self.query_one(SliceChart)
        if self.query_one("#charts").has_class("-slice"):
            chart.along = "b" if chart.along == "w" else "w"
        self._show_view("-slice")

    def _show_view(self, view: str) -> None:
        charts = self.query_one("#charts")
        charts.remove_class(*VIEWS[1:])
        if view:
            charts.add_class(view)
        self.call_after_refresh(self.answer)  # once the chart shown has its size

    def action_toggle_optimum(self) -> None:
        chart = self.query_one(FitChart)
        chart.show_optimum = not chart.show_optimum
        self.answer()

    def action_toggle_scale(self) -> None:
        chart = self.query_one(LossChart)
        chart.log_scale = not chart.log_scale
        self.answer()

    def action_export(self) -> None:
        from gdtui.engine.data.export import ExportError, save_run

        try:
            said = save_run(self.export_path or time.strftime("gdtui-%Y%m%d-%H%M%S.csv"), self.recorded())
        except ExportError as error:
            self.notify(f"could not save: {error}", severity="error", markup=False)
            return
        self.notify(said, timeout=6, markup=False)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.BINDINGS))
