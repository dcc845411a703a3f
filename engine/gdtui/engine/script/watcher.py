"""The watch inside a script's process: PyTorch's own hooks see each step, hold it when asked.

A step is one `step()` of the script's optimizer (global optimizer step hooks; LBFGS's closure
calls inside it are that one step), or, in a loop with no optimizer at all (the update written
by hand, `w -= lr * w.grad`), one `backward()`. The loss of a step is the scalar that `backward()`
was called on: the last before `step()`, or, for an optimizer that calls a closure, the first
inside it (the loss where the step started), unscaled where an AMP GradScaler scaled it.
Everything measured goes out on the Wire from a thread of its own, a few times a second; the
script's thread only appends to a queue. Detached, the hooks keep only what the script must
still get (the lr factor of a loop with no optimizer, the ranks' agreement) and record nothing.
"""

from __future__ import annotations

import math
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any

import torch
from torch.optim.optimizer import Optimizer, register_optimizer_step_post_hook, register_optimizer_step_pre_hook
from torch.utils.data.dataloader import _BaseDataLoaderIter

from gdtui.engine.script.gate import Gate
from gdtui.engine.script.layers import Layers, nonfinite_gradient
from gdtui.engine.script.ranks import Ranks, distributed
from gdtui.engine.script.wire import Message, Wire

SEND_EVERY = 0.05  # seconds between messages to the app
SAMPLE_EVERY = 0.25  # seconds between measurements of the layers (they copy every parameter)


class Watcher:
    """Installs the hooks, keeps what they see, and answers the app through the gate."""

    def __init__(self, gate: Gate, *, pause_on_nan: bool = False, clock: Callable[[], float] = time.perf_counter) -> None:
        self.gate = gate
        self.pause_on_nan = pause_on_nan
        self.clock = clock
        self.steps = 0
        self._watched: weakref.ref[Optimizer] | None = None  # the optimizer steered (see _adopt)
        self._other: weakref.ref[Optimizer] | None = None  # another that stepped last, not the watched one
        self.made_optimizer = False  # the script has an optimizer: steps are its step() calls
        self.in_step = False
        self.loss: torch.Tensor | None = None  # the last scalar backward() was called on outside step()
        self.loss_inside: torch.Tensor | None = None  # the first inside step() (a closure's)
        self.scale = 1.0  # a loop with no optimizer: gradients scaled at backward(), the lr's factor
        self.manual_lr: float | None = None  # a loop with no optimizer that reads `run.lr`
        self._mark: float | None = None  # when the last step ended (None: before the first began)
        self._held = 0.0  # seconds held at the gate since then: not the script's own time
        self.lrs: list[float] = []  # the watched optimizer's, per param group, at the last step
        self.names: dict[int, str] = {}  # id(parameter) -> its name in the model
        self.outermost: list[torch.nn.Module] = []  # modules called at the top during the first step
        self._depth = 0
        self.layers: Layers | None = None
        self._before: list[torch.Tensor] | None = None
        self._next_sample = 0.0
        self.ranks = Ranks()
        self.passes: dict[int, tuple[int, int]] = {}  # id(dataset) -> (passes finished, batches taken since)
        self._scaled: tuple[torch.Tensor, torch.Tensor] | None = None  # (loss × AMP's scale, the loss)
        # What the sender thread takes:
        self.rows: deque[tuple[int, torch.Tensor | float | None, float]] = deque()  # (step, loss, seconds)
        self.changes: deque[tuple[int, list[float], str]] = deque()  # (step, lrs, who changed them)
        self.logged: deque[tuple[int, dict[str, float]]] = deque()
        self.layer_rows: deque[tuple[int, list[Any]]] = deque(maxlen=1)  # the latest measurement only
        self.nonfinite: tuple[int, str] | None = None  # the first step whose loss, gradient or parameters were not finite
        self._nan_held = False  # --pause-on-nan has held the script once
        self.wire: Wire | None = None
        self._said: tuple[object, ...] = ()  # what the last message said besides its news
        self._undo: list[Callable[[], None]] = []
        self._sender: threading.Thread | None = None
        self.detached = False
        self.finished = False  # the script has ended

    # Hooks in and out.

    def install(self) -> None:
        pre, post = register_optimizer_step_pre_hook(self._before_step), register_optimizer_step_post_hook(self._after_step)
        self._undo += [pre.remove, post.remove]
        self._patch(torch.autograd, "backward", self._backward)  # Tensor.backward() calls it too
        self._patch(Optimizer, "__init__", self._made)
        self._patch(_BaseDataLoaderIter, "__next__", self._next_batch)
        if hasattr(torch.amp, "GradScaler"):  # torch 2.3 on; torch.cuda.amp's is a subclass
            self._patch(torch.amp.GradScaler, "scale", self._scale)
        os.register_at_fork(after_in_child=self._forked)
        forward_pre = torch.nn.modules.module.register_module_forward_pre_hook(self._entering)
        forward = torch.nn.modules.module.register_module_forward_hook(self._leaving)
        self._forward_hooks = [forward_pre, forward]

    def _patch(self, owner: object, name: str, wrapper: Callable[..., Any]) -> None:
        original = owner.__dict__[name]

        def patched(this: Any, *args: Any, **kwargs: Any) -> Any:
            return wrapper(original, this, *args, **kwargs)

        setattr(owner, name, patched)
        self._undo.append(lambda: setattr(owner, name, original))

    def uninstall(self) -> None:
        self._stop_naming()
        while self._undo:
            self._undo.pop()()

    def _forked(self) -> None:
        """A process the script forks (a Hogwild worker, a data loader's) has no app: it must never
        wait at the gate, nor keep what nobody will send."""
        self.wire, self._sender = None, None
        self.detach()

    @property
    def optimizer(self) -> Optimizer | None:
        return self._watched() if self._watched is not None else None

    @optimizer.setter
    def optimizer(self, optimizer: Optimizer) -> None:
        self._watched, self._other, self.layers, self.lrs = weakref.ref(optimizer), None, None, []

    def connect(self, wire: Wire) -> None:
        """Report to the app over `wire` and take its commands, each on a thread of its own."""
        self.wire = wire
        self._sender = threading.Thread(target=self._send_loop, name="gdtui sender", daemon=True)
        self._sender.start()
        threading.Thread(target=self._command_loop, name="gdtui commands", daemon=True).start()

    # Naming parameters: the modules called from the top during the first step hold them.

    def _entering(self, module: torch.nn.Module, args: Any) -> None:
        if self._depth == 0 and not any(module is m for m in self.outermost):
            self.outermost.append(module)
        self._depth += 1

    def _leaving(self, module: torch.nn.Module, args: Any, output: Any) -> None:
        self._depth = max(0, self._depth - 1)

    def _stop_naming(self) -> None:
        for hook in getattr(self, "_forward_hooks", []):
            hook.remove()
        self._forward_hooks = []

    def name_from(self, model: torch.nn.Module) -> None:
        """Name parameters by their path in `model` and their module's kind (`fc1.weight` of a
        Linear: `fc1 Linear.weight`); DistributedDataParallel's `module.` is left off."""
        inner = getattr(model, "module", model) if type(model).__name__ == "DistributedDataParallel" else model
        for path, module in inner.named_modules():
            layer = f"{path} {type(module).__name__}".strip()
            for name, param in module.named_parameters(recurse=False):
                self.names.setdefault(id(param), f"{layer}.{name}")

    def _watch_layers(self, params: list[torch.Tensor]) -> None:
        self._stop_naming()
        if not self.names:
            for module in self.outermost:
                self.name_from(module)
        self.layers = Layers(params, self.names)

    # The hooks.

    def _made(self, init: Callable[..., None], optimizer: Optimizer, *args: Any, **kwargs: Any) -> None:
        init(optimizer, *args, **kwargs)
        self.made_optimizer = True

    def _next_batch(self, next_batch: Callable[[Any], Any], iterator: Any) -> Any:
        # An epoch is a pass over a dataset that was taken to its end; the one under way counts
        # once a batch of it is taken (a peek at one batch, `next(iter(loader))`, is no pass).
        key = id(iterator._dataset)
        finished, taken = self.passes.get(key, (0, 0))
        try:
            batch = next_batch(iterator)
        except StopIteration:
            self.passes[key] = (finished + 1, 0)
            raise
        self.passes[key] = (finished, taken + 1)
        return batch

    @property
    def epoch(self) -> int | None:
        counts = [finished + (taken > 0) for finished, taken in list(self.passes.values()) if finished]
        return max(counts, default=None)

    def _scale(self, scale: Callable[..., Any], scaler: Any, outputs: Any) -> Any:
        scaled = scale(scaler, outputs)
        if isinstance(outputs, torch.Tensor):
            self._scaled = (scaled, outputs)
        return scaled

    def _backward(self, backward: Callable[..., Any], tensors: Any, grad_tensors: Any = None, *args: Any, **kwargs: Any) -> Any:
        manual = not self.made_optimizer  # a loop with no optimizer: backward() is the step
        if isinstance(tensors, torch.Tensor) and tensors.numel() == 1 and not self.detached:
            # kept as it is (a detached copy costs a step more): read once sent
            loss = self._scaled[1] if self._scaled is not None and self._scaled[0] is tensors else tensors
            if not self.in_step:
                self.loss = loss
            elif self.loss_inside is None:
                self.loss_inside = loss
            if manual:
                self._measure()  # the update after the last backward() is done by now
                self._check_before(None)
                self._pass()
                if self.layers is None and self.outermost:
                    self._watch_layers([p for m in self.outermost for p in m.parameters() if p.requires_grad])
                self._stepped(self.loss)
                self._sample_before()
        elif manual and self.detached and distributed():
            self._agree()
        if manual and self.scale != 1 and grad_tensors is None and isinstance(tensors, torch.Tensor):
            grad_tensors = torch.full_like(tensors, self.scale)
        return backward(tensors, grad_tensors, *args, **kwargs)

    def _adopt(self, optimizer: Optimizer) -> bool:
        """Whether `optimizer` is the one steered: the first to step, until it is gone, or until
        another steps twice with no step of it between (a new one per fold, say; a GAN's two
        optimizers take turns, and the first stays)."""
        watched = self.optimizer
        if watched is None or (optimizer is not watched and self._other is not None and self._other() is optimizer):
            self.optimizer, self.made_optimizer = optimizer, True
            return True
        if optimizer is watched:
            self._other = None
            return True
        self._other = weakref.ref(optimizer)
        return False

    def _before_step(self, optimizer: Optimizer, args: Any, kwargs: Any) -> None:
        if self.detached:
            if distributed() and optimizer is self.optimizer:
                self._agree()
            return
        if not self._adopt(optimizer):
            return
        if self.layers is None:
            self._watch_layers([p for group in optimizer.param_groups for p in group["params"]])
        lrs = [float(group["lr"]) for group in optimizer.param_groups]
        if lrs != self.lrs:
            self.changes.append((self.steps + 1, lrs, "script" if self.lrs else "start"))
            self.lrs = lrs
        self._check_before(optimizer)
        self._pass()
        self._sample_before()
        self.in_step, self.loss_inside = True, None

    def _after_step(self, optimizer: Optimizer, args: Any, kwargs: Any) -> None:
        if self.detached or optimizer is not self.optimizer:
            return
        self.in_step = False
        self._stepped(self.loss_inside if self.loss_inside is not None else self.loss)
        self._measure()
        self.loss = None

    def _check_before(self, optimizer: Optimizer | None) -> None:
        """With pause_on_nan: hold, once, before an update whose loss or gradient is not finite
        (an optimizer that computes both inside step(), LBFGS's closure, is held after it)."""
        if not self.pause_on_nan or self._nan_held:
            return
        loss = self.loss if self.loss is not None else (self.loss_inside if self.steps else None)
        what = ""
        if loss is not None and not math.isfinite(loss.detach().item()):
            what = "loss"
        elif optimizer is not None and nonfinite_gradient([p for g in optimizer.param_groups for p in g["params"]]):
            what = "gradient"
        if what:
            self._nan_held = True
            if self.nonfinite is None:
                self.nonfinite = (self.steps + 1, what)
            self.gate.pause()

    def _pass(self) -> None:
        """Wait for the gate, then apply what the app (and, distributed, rank 0) asked for."""
        arrived = self.clock()
        self.gate.passage()
        asked = self.gate.lrs()
        if asked:
            self._apply(asked)
        if distributed():
            self._agree()
        self._held += self.clock() - arrived
        if self._mark is None:  # the first step's time starts here, not with the script's imports
            self._mark, self._held = self.clock(), 0.0

    def _sample_before(self) -> None:
        """A copy of the parameters before this step, when the layers are due to be measured."""
        # Each step let through by hand is measured: the table is of the step just taken.
        if self.layers is not None and (not self.gate.running or self.clock() >= self._next_sample):
            self._before = self.layers.before()

    def _measure(self) -> None:
        """The layers after the step the copy was taken before."""
        if self.layers is not None and self._before is not None:
            self.layer_rows.append((self.steps, self.layers.rows(self._before)))
            self._before, self._next_sample = None, self.clock() + SAMPLE_EVERY

    def _apply(self, asked: dict[int | None, float]) -> None:
        if self.optimizer is None:  # no optimizer: the factor on the gradient, or `run.lr`
            factor = next(iter(asked.values()))  # one number: there are no groups
            if self.manual_lr is not None:
                self.manual_lr = factor
            else:
                self.scale = factor
            self.changes.append((self.steps + 1, [factor], "app"))
            return
        for i, group in enumerate(self.optimizer.param_groups):
            lr = asked.get(i, asked.get(None))
            if lr is not None:
                set_lr(group, lr)
        self.lrs = [float(group["lr"]) for group in self.optimizer.param_groups]
        self.changes.append((self.steps + 1, self.lrs, "app"))

    def _agree(self) -> None:
        """Every rank takes rank 0's lrs (and factor, and run.lr) for this step; the broadcast
        holds them while rank 0 is held."""
        groups = self.optimizer.param_groups if self.optimizer is not None else []
        manual = math.nan if self.manual_lr is None else self.manual_lr
        mine = [self.scale, manual, *(float(group["lr"]) for group in groups)]
        agreed = self.ranks.agree(mine)
        if agreed[0] != mine[0] or agreed[2:] != mine[2:] or (self.manual_lr is not None and agreed[1] != manual):
            self.scale = agreed[0]
            if self.manual_lr is not None:
                self.manual_lr = agreed[1]
            for group, lr in zip(groups, agreed[2:]):
                set_lr(group, lr)
            self.lrs = agreed[2:]
            if not self.detached:
                self.changes.append((self.steps + 1, self.lrs or [self.manual_lr or self.scale], "rank 0"))

    def _stepped(self, loss: torch.Tensor | None) -> None:
        self.steps += 1
        now = self.clock()
        self.rows.append((self.steps, loss, now - (self._mark or now) - self._held))
        self._mark, self._held = now, 0.0

    # The app's side of the wire.

    def log(self, values: dict[str, float]) -> None:
        self.logged.append((self.steps, {name: float(value) for name, value in values.items()}))

    def message(self) -> Message | None:
        """What happened since the last message; None if nothing has."""
        taken = [self.rows.popleft() for _ in range(len(self.rows))]
        steps, losses, seconds = (list(column) for column in zip(*taken)) if taken else ([], [], [])
        values = loss_values(losses)
        if self.nonfinite is None:
            bad = (step for step, value in zip(steps, values) if value is not None and not math.isfinite(value))
            self.nonfinite = next(((step, "loss") for step in bad), None)
        rows = {"steps": steps, "losses": values, "seconds": seconds}
        changes = [self.changes.popleft() for _ in range(len(self.changes))]
        logged = [self.logged.popleft() for _ in range(len(self.logged))]
        message: Message = {"rows": rows, "changes": changes, "logged": logged, "held": self.gate.waiting, "epoch": self.epoch}
        if self.layer_rows:
            step, layer_rows = self.layer_rows.popleft()
            message["layers"] = [step, [list(row) for row in layer_rows]]
            if any(row.nonfinite for row in layer_rows) and self.nonfinite is None:
                self.nonfinite = (step, "parameters or gradient")
        message["nonfinite"] = self.nonfinite
        message["kind"] = "optimizer" if self.made_optimizer else ("run.lr" if self.manual_lr is not None else "backward")
        message["optimizer"] = type(self.optimizer).__name__ if self.optimizer is not None else None
        said = (message["held"], message["epoch"], message["nonfinite"], message["kind"], message["optimizer"])
        if not (steps or changes or logged or "layers" in message) and said == self._said:
            return None
        self._said = said
        return message

    def _send_loop(self) -> None:
        assert self.wire is not None
        while not self.detached and not self.finished:
            try:
                message = self.message()
            except Exception:  # noqa: BLE001  # a loss that cannot be read (a failed CUDA context): the app goes without
                message = None
            if message is not None and not self.wire.send(message):
                self.detach()  # the app has gone: run on unwatched
                return
            time.sleep(SEND_EVERY)

    def _command_loop(self) -> None:
        assert self.wire is not None
        while not self.wire.closed:
            for command in self.wire.receive(block=True):
                self.obey(command)
        self.detach()

    def obey(self, command: Message) -> None:
        do = command.get("do")
        if do == "run":
            self.gate.run()
        elif do == "pause":
            self.gate.pause()
        elif do == "step":
            self.gate.step(int(command.get("count", 1)))
        elif do == "lr":
            self.gate.set_lr(float(command["lr"]), command.get("group"))
        elif do == "speed":
            speed = command.get("speed")
            self.gate.set_speed(math.inf if speed is None else float(speed))
        elif do == "detach":
            self.detach()

    def detach(self) -> None:
        """Nobody watches any more: every step goes through, and nothing more is kept for the app."""
        self.detached = True
        self.gate.release()
        self.rows.clear()
        self.changes.clear()
        self.logged.clear()
        self.layer_rows.clear()
        self._before = self.loss = self.loss_inside = self._scaled = None
        self._stop_naming()

    def finish(self) -> None:
        """The script has ended: send what is left, from this thread, once the sender has stopped
        (a thread still reading tensors while the interpreter shuts down can abort it)."""
        self.finished = True
        if self._sender is not None:
            self._sender.join(timeout=1)
        try:
            message = self.message()
        except Exception:  # noqa: BLE001  # the script's own error is what must show, not this
            return
        if self.wire is not None and not self.detached and message is not None:
            self.wire.send(message)


def loss_values(losses: list[torch.Tensor | float | None]) -> list[float | None]:
    """The losses as numbers: scalar tensors read in one go where they can be stacked."""
    tensors = [loss for loss in losses if isinstance(loss, torch.Tensor)]
    try:
        with torch.no_grad():
            read = iter(torch.stack(tensors).double().reshape(-1).tolist() if tensors else [])
    except RuntimeError:  # shapes, devices or dtypes that do not stack
        read = iter([t.detach().item() for t in tensors])
    return [next(read) if isinstance(loss, torch.Tensor) else loss for loss in losses]


def set_lr(group: dict[str, Any], lr: float) -> None:
    """An lr into a param group as the optimizer keeps it (a tensor lr in place, for capturable ones)."""
    if isinstance(group["lr"], torch.Tensor):
        group["lr"].fill_(lr)
    else:
        group["lr"] = lr
