"""A user's script watched from the app: what its process reports, gathered into Frames, and
what the keys ask of it, sent back. Torch-free: the app needs no PyTorch of its own for this."""

from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass
from enum import Enum

from gdtui.engine.run.history import History, HistoryView
from gdtui.engine.run.playback import speed_notch
from gdtui.engine.script.launch import Launched, exit_status, interrupt
from gdtui.engine.script.wire import Message
from gdtui.engine.training.ladder import next_on_ladder

SCHEDULE_MARKS = 12  # a scheduler's lr changes marked at most (one a step would paint the chart over)
SMOOTHING = 0.95  # the smoothed loss: an exponential average over about 20 steps, debiased
RATE_WINDOW = 2.0  # seconds over which steps per second are counted
STEP_TIMES = 50  # recent steps whose time is averaged for "ms per step"


class State(str, Enum):
    STARTING = "STARTING"  # the script's process has not reported yet (Python and torch loading)
    RUNNING = "RUNNING"
    PAUSING = "PAUSING"  # paused, the script not yet at its next step
    PAUSED = "PAUSED"  # the script waits before its next step
    ENDED = "ENDED"  # the script exited by itself (see `status`)
    STOPPING = "STOPPING"  # interrupted, not yet exited
    DETACHED = "DETACHED"


class Trace(History):
    """One value per step, in bounded memory: a History whose w and b are not used."""

    def put(self, step: int, value: float) -> None:
        self.add(step, value, 0.0, 0.0)


@dataclass(frozen=True)
class Layer:
    name: str
    size: int
    norm: float
    grad_norm: float
    ratio: float  # ‖update‖ / ‖parameters‖ at the step measured
    nonfinite: int


@dataclass(frozen=True)
class ScriptFrame:
    """What the screen of a watched script shows at one moment."""

    script: str
    pid: int
    state: State
    step: int
    epoch: int | None
    rate: float  # steps per second lately
    step_seconds: float | None  # the script's own time per step lately (not counting pauses)
    loss: float | None  # of the last step
    smoothed: float | None
    history: HistoryView  # the loss of each step
    smoothed_history: HistoryView
    logged: dict[str, HistoryView]  # each scalar the script logged, over steps
    latest: dict[str, float]  # and its last value
    lrs: tuple[float, ...]  # per param group (a loop with no optimizer: its factor or run.lr)
    asked: tuple[int | None, float] | None  # (group, lr) sent, from the next step
    kind: str  # "optimizer", "run.lr" (a loop with no optimizer that reads run.lr) or "backward"
    optimizer: str | None
    group: int | None  # the param group +, - and l change (None: every group)
    marks: tuple[tuple[int, str], ...]  # (step, lr change)
    layers: tuple[Layer, ...]
    layers_step: int
    nonfinite: tuple[int, str] | None  # the first step whose loss or gradient was not finite, and which
    speed: float
    status: int | None  # the script's exit status once it has ended
    world: int  # ranks (torchrun); 1 alone


@dataclass
class ScriptRun:
    """The app's side of a watched script."""

    launched: Launched
    script: str
    running: bool = True
    speed: float = math.inf
    world: int = 1
    step: int = 0
    epoch: int | None = None
    held: bool = False
    kind: str = "optimizer"
    optimizer: str | None = None
    lrs: tuple[float, ...] = ()
    group: int | None = None
    status: int | None = None
    stopping: bool = False
    detached: bool = False
    nonfinite: tuple[int, str] | None = None
    asked: tuple[int | None, float] | None = None  # (group, lr) sent that the script has not stepped with yet
    heard: bool = False  # the script has reported at least once

    def __post_init__(self) -> None:
        self.history, self.smoothed_history = Trace(), Trace()
        self.logged: dict[str, Trace] = {}
        self.latest: dict[str, float] = {}
        self.marks: list[tuple[int, str]] = []  # the app's lr changes and a first nan, each marked
        self.schedule: list[tuple[int, str]] = []  # the script's own lr changes (a scheduler's), thinned
        self.layers: tuple[Layer, ...] = ()
        self.layers_step = 0
        self.loss: float | None = None
        self.smoothed: float | None = None
        self._average = 0.0
        self._arrivals: deque[tuple[float, int]] = deque()
        self._seconds: deque[float] = deque(maxlen=STEP_TIMES)

    # What the script reports.

    def tick(self, now: float) -> None:
        """Take in everything the script has sent, and whether it has ended."""
        wire = self.launched.wire
        if not self.detached:
            while messages := wire.receive(block=False):
                for message in messages:
                    self.take(message, now)
        if self.status is None and (returncode := self.launched.process.poll()) is not None:
            if not self.detached:  # its last report may be sent but not yet read
                for message in wire.drain(timeout=1.0):
                    self.take(message, now)
            self.status = exit_status(returncode)
            self.held = False

    def take(self, message: Message, now: float) -> None:
        self.heard = True
        rows = message["rows"]
        for step, loss, seconds in zip(rows["steps"], rows["losses"], rows["seconds"]):
            self.step = step
            self._seconds.append(seconds)
            if loss is not None:
                self.loss = loss
                self.history.put(step, loss)
                if math.isfinite(loss):
                    self._average = SMOOTHING * self._average + (1 - SMOOTHING) * loss
                    self.smoothed = self._average / (1 - SMOOTHING ** min(step, 10_000))
                    self.smoothed_history.put(step, self.smoothed)
        self._arrivals.append((now, self.step))
        for step, lrs, who in message["changes"]:
            self.lrs = tuple(lrs)
            if who == "app":
                self.asked = None
            if who == "script":
                self.schedule.append((step, f"lr {lr_text(self.lrs)}"))
                if len(self.schedule) > 2 * SCHEDULE_MARKS:  # a per-step schedule: every other, for good
                    self.schedule = self.schedule[1::2]
            elif who != "start":
                self.marks.append((step, f"lr {lr_text(self.lrs)}"))
        for step, values in message["logged"]:
            for name, value in values.items():
                self.latest[name] = value
                self.logged.setdefault(name, Trace()).put(step, value)
        if "epoch" in self.latest:
            self.epoch = int(self.latest["epoch"])
        elif message["epoch"] is not None:
            self.epoch = message["epoch"]
        if "layers" in message:
            self.layers_step, rows = message["layers"]
            self.layers = tuple(Layer(*row) for row in rows)
        if message["nonfinite"] is not None and self.nonfinite is None:
            step, what = message["nonfinite"]
            self.nonfinite = (step, what)
            self.marks.append((step, f"nan {what}"))
            if self.running and message["held"]:
                self.running = False  # --pause-on-nan held it
        self.held, self.kind, self.optimizer = message["held"], message["kind"], message["optimizer"]

    # What the keys ask.

    @property
    def alive(self) -> bool:
        """Whether the script can still be steered."""
        return self.status is None and not self.detached and not self.stopping

    def send(self, **command: object) -> None:
        if self.alive:
            self.launched.wire.send(command)

    def toggle(self) -> None:
        self.running = not self.running
        self.send(do="run" if self.running else "pause")

    def pause(self) -> None:
        self.running = False
        self.send(do="pause")

    def step_once(self, count: int = 1) -> None:
        self.running = False
        self.send(do="step", count=count)

    @property
    def lr(self) -> float:
        """The lr +, - and l start from: the chosen group's (the first's for every group), or the factor."""
        if self.asked is not None and self.asked[0] == self.group:
            return self.asked[1]
        if not self.lrs:
            return 1.0
        return self.lrs[self.group or 0]

    def change_lr(self, lr: float) -> None:
        self.send(do="lr", lr=lr, group=self.group)
        self.asked = (self.group, lr)

    def lr_notch(self, direction: int) -> bool:
        """One notch up (+1) or down (-1) the 1-2-5 ladder; False at its end (the float's)."""
        now = self.lr
        lr = next_on_ladder(now, direction)
        self.change_lr(lr)
        return lr != now

    def next_group(self) -> int | None:
        """Which param group the lr keys change next: every group, then each in turn."""
        if len(self.lrs) > 1:
            self.group = 0 if self.group is None else (self.group + 1 if self.group + 1 < len(self.lrs) else None)
        return self.group

    def speed_notch(self, direction: int) -> None:
        self.speed = speed_notch(self.speed, direction)
        self.send(do="speed", speed=None if math.isinf(self.speed) else self.speed)

    def stop(self) -> None:
        """Interrupt the script, as ctrl+c would; a second stop (the script still running) kills it."""
        process = self.launched.process
        if self.stopping and process.poll() is None:
            process.kill()
        self.stopping = True
        interrupt(process)

    def detach(self) -> None:
        """Leave the script running on, unwatched and never held again."""
        self.send(do="detach")
        self.detached = True
        self.launched.wire.close()

    # What to show.

    @property
    def state(self) -> State:
        if self.detached:
            return State.DETACHED
        if self.status is not None:
            return State.ENDED
        if self.stopping:
            return State.STOPPING
        if not self.heard:
            return State.STARTING
        if self.running:
            return State.RUNNING
        return State.PAUSED if self.held else State.PAUSING

    def rate(self, now: float) -> float:
        while self._arrivals and now - self._arrivals[0][0] > RATE_WINDOW:
            self._arrivals.popleft()
        if len(self._arrivals) < 2:
            return 0.0
        (first, from_step), (_, to_step) = self._arrivals[0], self._arrivals[-1]
        return (to_step - from_step) / max(now - first, 1e-9)

    def frame(self, now: float) -> ScriptFrame:
        seconds = statistics.median(self._seconds) if self._seconds else None  # an epoch's validation is not a step's
        return ScriptFrame(
            script=self.script, pid=self.launched.process.pid, state=self.state, step=self.step, epoch=self.epoch,
            rate=self.rate(now), step_seconds=seconds, loss=self.loss, smoothed=self.smoothed,
            history=self.history.view(), smoothed_history=self.smoothed_history.view(),
            logged={name: trace.view() for name, trace in self.logged.items()}, latest=dict(self.latest),
            lrs=self.lrs, asked=self.asked, kind=self.kind, optimizer=self.optimizer, group=self.group,
            marks=tuple(sorted(self.marks + thinned(self.schedule, SCHEDULE_MARKS))),
            layers=self.layers, layers_step=self.layers_step, nonfinite=self.nonfinite, speed=self.speed,
            status=self.status, world=self.world,
        )


def thinned(marks: list[tuple[int, str]], most: int) -> list[tuple[int, str]]:
    """At most `most` of `marks`, spread evenly, the last always among them."""
    if len(marks) <= most:
        return marks
    every = len(marks) / most
    return [marks[min(len(marks) - 1, round((i + 1) * every) - 1)] for i in range(most)]


def lr_text(lrs: tuple[float, ...]) -> str:
    """lrs as short as they read: one number when every group has the same."""
    if not lrs:
        return "?"
    return f"{lrs[0]:.3g}" if len(set(lrs)) == 1 else "/".join(f"{lr:.3g}" for lr in lrs)
