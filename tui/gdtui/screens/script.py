"""The screen of a watched script: its numbers, its loss, its layers or its output, and the keys
that pause it, step it and change its lr. It polls the script's reports on one clock and draws
on the paced one, as the built-in runs' screen does."""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from gdtui.charts.script_loss import ScriptLossChart
from gdtui.engine.formats import speed_text
from gdtui.engine.run.script import State
from gdtui.screens.help import HelpScreen
from gdtui.screens.lr_dialog import LrScreen
from gdtui.screens.paced import PacedScreen
from gdtui.screens.quit_script import QuitScriptScreen
from gdtui.widgets.keys_footer import KeysFooter
from gdtui.widgets.layer_table import LayerTable
from gdtui.widgets.script_output import ScriptOutput
from gdtui.widgets.script_readouts import ScriptReadouts

if TYPE_CHECKING:
    from gdtui.engine.run.script import ScriptRun
    from gdtui.terminal.pacing import FramePacer

POLL_HZ = 20  # how often the script's reports are taken in (it sends them 20 times a second)
DRAW_HZ = 10
STEPS_PER_N = 50
BOTH_FROM = 36  # rows from which the layer table and the output both show, one above the other

LR = Binding.Group("lr", compact=True)
SPEED = Binding.Group("speed", compact=True)
SCRIPT_BINDINGS = [
    Binding("space", "run_pause", "Run/Pause", key_display="space", tooltip="Hold the script before its next step, or let it run on"),
    Binding("n,right", "step(1)", "Step", tooltip="Let exactly one step through (pauses first)"),
    Binding("N", f"step({STEPS_PER_N})", f"+{STEPS_PER_N}", show=False, tooltip=f"Let {STEPS_PER_N} steps through (pauses first)"),
    Binding("plus,equals_sign", "lr(1)", "lr up", key_display="+", group=LR, tooltip="lr one notch up the 1-2-5 ladder (next step)"),
    Binding("minus", "lr(-1)", "lr down", key_display="-", group=LR, tooltip="lr one notch down the 1-2-5 ladder (next step)"),
    Binding("l", "type_lr", "Type lr", tooltip="Type an exact lr (Enter applies from the next step, Esc cancels)"),
    Binding("G", "next_group", "Group", show=False, tooltip="Which param group +, - and l change: every group, then each in turn"),
    Binding("left_square_bracket", "speed(-1)", "Slower", key_display="[", group=SPEED, tooltip="Fewer steps per second at most"),
    Binding("right_square_bracket", "speed(1)", "Faster", key_display="]", group=SPEED, tooltip="More steps per second, up to no cap"),
    Binding("v", "next_view", "Layers/output", tooltip="Right-hand pane: the layer table or the script's output (both from 36 rows)"),
    Binding("pageup", "scroll_output(-1)", "Scroll up", show=False, tooltip="Output pane: a page back"),
    Binding("pagedown", "scroll_output(1)", "Scroll down", show=False, tooltip="Output pane: a page on"),
    Binding("g", "toggle_scale", "Log/lin", show=False, tooltip="Loss chart: log or linear scale"),
    Binding("s", "app.save_svg", "SVG", show=False, tooltip="Save an SVG screenshot of the screen"),
    Binding("R", "app.toggle_record", "Record", show=False, tooltip="Record the screen and keys to an asciicast (.cast); again: stop"),
    Binding("question_mark", "help", "Help", key_display="?", tooltip="This help: every key"),
    Binding("q", "quit", "Quit", tooltip="Quit: stop the script, or detach and let it run on"),
    Binding("ctrl+c", "quit", "Quit", show=False, tooltip="Quit, as q does"),
]
# At priority, in the order keys came, as on the built-in runs' screen (see screens.main).
SCRIPT_BINDINGS = [dataclasses.replace(binding, priority=True) for binding in SCRIPT_BINDINGS]
STEERING = ("run_pause", "step", "lr", "type_lr", "next_group", "speed")  # keys that need a script still watched


class ScriptScreen(PacedScreen):
    BINDINGS = SCRIPT_BINDINGS  # type: ignore[assignment]

    def __init__(self, run: ScriptRun, log: str, log_start: int = 0, pacer: FramePacer | None = None) -> None:
        super().__init__(pacer)
        self.watched, self.log_path, self.log_start = run, log, log_start
        self.clock = time.monotonic
        self.quitting = False  # stop chosen: quit once the script has ended
        self._state: State | None = None

    def ready(self) -> bool:
        return True

    def compose(self) -> ComposeResult:
        yield ScriptReadouts(id="readouts")
        with Horizontal(id="charts"):
            yield ScriptLossChart(id="loss-chart")
            with Vertical(id="side"):
                yield LayerTable(id="layers")
                yield ScriptOutput(self.log_path, self.log_start, id="output")
        yield KeysFooter(compact=True)
        yield Static(self.too_small_text, id="too-small")

    def on_mount(self) -> None:
        self.start_pacing()
        self.set_interval(1 / POLL_HZ, self.poll)
        self.set_interval(1 / DRAW_HZ, self.tick)
        self.call_after_refresh(self.draw)  # STARTING, at once: the script's Python and PyTorch take a second or two

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height >= BOTH_FROM, "-tall")

    def poll(self) -> None:
        """Take in the script's reports and output; a change of state is shown at once."""
        self.watched.tick(self.clock())
        self.query_one(ScriptOutput).follow()
        state = self.watched.state
        if state is not self._state:
            self._state = state
            self.answer()
        if self.quitting and state is State.ENDED:
            self.app.exit(self.watched.status)

    def show_frame(self, charts: bool) -> None:
        frame = self.watched.frame(self.clock())
        link_fps = self.pacer.slow_fps() if frame.state is State.RUNNING else None
        self.query_one(ScriptReadouts).show(frame, link_fps=link_fps, recording=self.recording)
        if charts:
            self.query_one(ScriptLossChart).show_script(frame)
            self.query_one(LayerTable).show(frame)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.watched.alive or action not in STEERING

    # Keys.

    def action_run_pause(self) -> None:
        self.watched.toggle()
        self.answer(charts=False)

    def action_step(self, count: int) -> None:
        self.watched.step_once(count)
        self.answer(charts=False)

    def action_lr(self, direction: int) -> None:
        if not self.watched.lr_notch(direction):
            self.notify(f"lr {self.watched.lr:g} is as {'high' if direction > 0 else 'low'} as a float goes", markup=False)
        self.answer(charts=False)

    async def action_type_lr(self) -> None:
        def apply(lr: float | None) -> None:
            if lr is not None:
                self.watched.change_lr(lr)
                self.answer(charts=False)

        await self.app.push_screen(LrScreen(self.watched.lr), apply)

    def action_next_group(self) -> None:
        if len(self.watched.lrs) < 2:
            self.notify("one param group: +, - and l change it", timeout=3, markup=False)
            return
        group = self.watched.next_group()
        self.notify(f"+, - and l change {'every group' if group is None else f'group {group}'}", timeout=3, markup=False)
        self.answer(charts=False)

    def action_speed(self, direction: int) -> None:
        self.watched.speed_notch(direction)
        self.notify(f"speed {speed_text(self.watched.speed)}", timeout=2, markup=False)
        self.answer(charts=False)

    def action_next_view(self) -> None:
        self.query_one("#side").toggle_class("-output")

    def action_scroll_output(self, direction: int) -> None:
        output = self.query_one(ScriptOutput)
        if direction < 0:
            output.scroll_page_up(animate=False)
        else:
            output.scroll_page_down(animate=False)

    def action_toggle_scale(self) -> None:
        chart = self.query_one(ScriptLossChart)
        chart.log_scale = not chart.log_scale
        self.answer()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.BINDINGS))

    def action_quit(self) -> None:
        if self.watched.stopping and self.watched.status is None:  # q again while it stops: kill it
            self.watched.stop()
            self.notify(f"{self.watched.script} killed", timeout=3, markup=False)
            return
        if not self.watched.alive:
            self.app.exit(self.watched.status if self.watched.status is not None else 0)
            return

        def chosen(choice: str | None) -> None:
            if choice == "stop":
                self.quitting = True
                self.watched.stop()
                self.answer(charts=False)
            elif choice == "detach" and self.watched.status is not None:  # it ended while the dialog was up
                self.app.exit(self.watched.status)
            elif choice == "detach":
                self.watched.detach()
                self.app.exit(0)

        self.app.push_screen(QuitScriptScreen(self.watched.script, self.watched.launched.process.pid, self.log_path), chosen)
