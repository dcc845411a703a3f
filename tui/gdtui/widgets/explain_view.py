"""The explain view: the training loop as code, the current phase lit, and that phase's live numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from gdtui.engine.formats import fixed
from gdtui.engine.run.walk import LoopPhase
from gdtui.engine.training.hyper import MOMENTUM
from gdtui.widgets.rows import RowsWidget

if TYPE_CHECKING:
    from gdtui.engine.run.frame import Frame
    from gdtui.engine.training.explain import Explanation

# torch.optim.Adam's defaults, which the adam rule uses.
BETA1, BETA2, EPS = 0.9, 0.999, 1e-8

UPDATE_CODE = {
    "gd": ("w -= lr * w.grad", "b -= lr * b.grad"),
    "momentum": (f"buf = {MOMENTUM} * buf + w.grad", "w -= lr * buf"),
    "adam": (
        f"m = {BETA1} * m + {1 - BETA1:.1f} * w.grad",
        f"v = {BETA2} * v + {1 - BETA2:.3f} * w.grad**2",
        "w -= lr * m_hat / (sqrt(v_hat) + eps)",
    ),
}
PHASE_NOTES = {
    LoopPhase.FORWARD: "1 forward",
    LoopPhase.LOSS: "2 loss",
    LoopPhase.ZERO: "3 zero the gradients",
    LoopPhase.BACKWARD: "4 backward: ∇w, ∇b",
    LoopPhase.UPDATE: "5 update",
}
UPDATE_NOTES = {"gd": "5 update", "momentum": "5 update (b alike)", "adam": "5 update (b alike)"}
CODE_WIDTH = 42  # the code column; the phase notes follow it


def number(value: float) -> str:
    """A value in a sum, signed and in brackets when negative: 0.01 × (-0.17945)."""
    text = f"{value:.5g}"
    return f"({text})" if value < 0 else text


def signed(value: float) -> str:
    return f"{value:+.5g}"


def direction(name: str, value: float, against: str, so: str = "so") -> str:
    """The seed's sign rule in words: a negative slope makes the parameter grow."""
    if value < 0:
        return f"{against} < 0, {so} {name} grows"
    if value > 0:
        return f"{against} > 0, {so} {name} shrinks"
    return f"{against} = 0, {so} {name} stays"


LOSS_CODE = {"linear": "    loss = ((y_pred - y)**2).mean()", "logistic": "    loss = bce_with_logits(y_pred, y)"}


def code(optimizer: str, model: str = "linear") -> list[tuple[str, LoopPhase | None]]:
    """The loop as gdtui runs it, each line with the phase it belongs to."""
    lines: list[tuple[str, LoopPhase | None]] = [
        ("for step in range(steps):", None),
        ("    y_pred = x @ w + b", LoopPhase.FORWARD),
        (LOSS_CODE[model], LoopPhase.LOSS),
        ("    w.grad = b.grad = None", LoopPhase.ZERO),
        ("    loss.backward()", LoopPhase.BACKWARD),
    ]
    lines += [(f"    {line}", LoopPhase.UPDATE) for line in UPDATE_CODE[optimizer]]
    return lines


def points_used(e: Explanation) -> str:
    if e.batch is None:
        return f"all {e.points:,} points"
    return f"this step's {e.points} random point{'s' * (e.points > 1)}"


def batch_rows(e: Explanation) -> str:
    """Which rows a mini-batch drew, the first few of them."""
    assert e.batch is not None
    rows = " ".join(str(row) for row in e.batch[:4]) + (" …" if len(e.batch) > 4 else "")
    return f"row{'s' * (len(e.batch) > 1)} {rows}"


def forward(e: Explanation) -> list[str]:
    shown = len(e.samples)
    over = f"over {points_used(e)}" if e.batch is None else f"over {points_used(e)} ({batch_rows(e)})"
    at = f"w {fixed(e.w).strip()}, b {fixed(e.b).strip()}"
    if e.model == "logistic":
        head = f"1 forward: logit y_pred = x·w + b, p = σ(y_pred), at {at}"
        columns, note = ("p", "error = p - y"), "  p - y is how far off a probability is; the loss takes its log."
    else:
        head = f"1 forward: a prediction y_pred = x·w + b per point, {at}"
        columns, note = ("y_pred", "residual = y_pred - y"), "  A residual is how far off a prediction is; the loss squares them."
    lines = [
        head,
        f"  {over}{'; the first three' if shown == 3 else ''}:",
        f"  {'row':>7} {'x':>10} {'y':>10} {columns[0]:>10} {columns[1]:>23}",
    ]
    lines += [f"  {s.row:>7} {s.x:>10.5f} {s.y:>10.5f} {s.y_pred:>10.5f} {s.residual:>+12.5f}" for s in e.samples]
    lines.append(note)
    return lines


def loss(e: Explanation) -> list[str]:
    more = " + …" if e.points > len(e.samples) else ""
    if e.model == "logistic":  # -log p for a point of class 1, -log(1 - p) for one of class 0
        terms = " + ".join(f"-log({s.y_pred if s.y else 1 - s.y_pred:.4f})" for s in e.samples)
        title = f"2 loss: mean -log(p of the right class), over {points_used(e)}"
    else:
        terms = " + ".join(f"({s.residual:+.4f})²" for s in e.samples)
        title = f"2 loss: the mean of the squared residuals, over {points_used(e)}"
    return [
        title,
        f"  loss = ({terms}{more}) / {e.points:,}",
        f"       = {e.loss:.4e}",
        "  Smaller is better: the rest of the step moves w and b to make it smaller.",
    ]


def zero(e: Explanation) -> list[str]:
    lines = ["3 zero the gradients: backward() adds to w.grad and b.grad, so clear them first"]
    if e.stale_grad is None:
        return [*lines, "  Nothing is in them before the first backward(): this one finds them empty."]
    old_w, old_b = e.stale_grad
    return [
        *lines,
        f"  w.grad still holds {old_w:+.4e} and b.grad {old_b:+.4e} from step {e.step - 1}.",
        "  Without this line, this step's w.grad would be the sum of both:",
        f"  {old_w:+.4e} + ({e.grad[0]:+.4e}) = {old_w + e.grad[0]:+.4e}, the wrong slope.",
    ]


FORMULAS = {
    "linear": ("∇w = ∂loss/∂w = (2/n) Σ (y_pred - y)·x", "∇b = ∂loss/∂b = (2/n) Σ (y_pred - y)"),
    "logistic": ("∇w = ∂loss/∂w = (1/n) Σ (p - y)·x", "∇b = ∂loss/∂b = (1/n) Σ (p - y)"),
}


def backward(e: Explanation) -> list[str]:
    (gw, gb), (fw, fb) = e.grad, e.formula
    for_w, for_b = FORMULAS[e.model]
    return [
        "4 backward: autograd puts the slope of the loss into w.grad and b.grad",
        f"  {'':40}{'autograd':>14}{'formula':>14}",
        f"  {for_w:<40}{gw:>+14.5e}{fw:>+14.5e}",
        f"  {for_b:<40}{gb:>+14.5e}{fb:>+14.5e}",
        f"  n = {e.points:,}: the formula, worked out here directly, gives what autograd found.",
        f"  {direction('w', gw, '∇w', 'the loss falls as')}; {direction('b', gb, '∇b', 'as')}.",
    ]


def update(e: Explanation) -> list[str]:
    if e.optimizer != "gd" and not e.new_state:  # torch.optim stopped on an lr × step past float32
        return [
            f"5 update: {e.optimizer}, lr {e.lr:g}",
            "  w ← inf, b ← inf: lr times the step is past float32's largest number (about 3.4e38),",
            "  so this step diverges; a smaller lr (- or l) brings the run back.",
        ]
    if e.optimizer == "momentum":
        lines = [f"5 update: momentum {MOMENTUM} (as torch.optim.SGD), lr {e.lr:g}"]
        signs = []
        for k, (name, old, new) in enumerate((("w", e.w, e.new_w), ("b", e.b, e.new_b))):
            buf = e.new_state[k]
            if e.state:
                lines.append(f"  buf_{name} ← {MOMENTUM} × {number(e.state[k])} + {number(e.grad[k])} = {buf:.5g}")
            else:
                lines.append(f"  buf_{name} ← ∇{name} = {buf:.5g}   (the first step: no buffer yet)")
            lines.append(f"  {name}     ← {fixed(old).strip()} - {e.lr:g} × {number(buf)} = {fixed(new).strip()}")
            signs.append(direction(name, buf, f"buf_{name}"))
        return [*lines, f"  {'; '.join(signs)}.", "  The buffer, not this step's ∇ alone, sets the way."]
    if e.optimizer == "adam":
        t = int(e.new_state[0])
        lines = [f"5 update: adam, lr {e.lr:g}, t = {t}, m_hat = m/(1-{BETA1}^t), v_hat = v/(1-{BETA2}^t)"]
        signs = []
        for k, (name, old, new) in enumerate((("w", e.w, e.new_w), ("b", e.b, e.new_b))):
            m_old, v_old = (e.state[3 * k + 1], e.state[3 * k + 2]) if e.state else (0.0, 0.0)
            m, v = e.new_state[3 * k + 1], e.new_state[3 * k + 2]
            step = (m / (1 - BETA1**t)) / ((v / (1 - BETA2**t)) ** 0.5 + EPS)
            lines += [
                f"  m_{name} ← {BETA1} × {number(m_old)} + {1 - BETA1:.1f} × {number(e.grad[k])} = {m:.5g}",
                f"  v_{name} ← {BETA2} × {v_old:.5g} + {1 - BETA2:.3f} × ({e.grad[k]:.5g})² = {v:.5g}",
                f"  {name}   ← {fixed(old).strip()} - {e.lr:g} × {number(step)} = {fixed(new).strip()}"
                "   (m_hat/(sqrt(v_hat)+eps))",
            ]
            signs.append(direction(name, m, f"m_{name}"))
        return [*lines, f"  {'; '.join(signs)}."]
    return [
        f"5 update: a step against the slope, lr {e.lr:g}",
        f"  w ← w - lr × ∇w = {fixed(e.w).strip()} - {e.lr:g} × {number(e.grad[0])} = {fixed(e.new_w).strip()}",
        f"  b ← b - lr × ∇b = {fixed(e.b).strip()} - {e.lr:g} × {number(e.grad[1])} = {fixed(e.new_b).strip()}",
        f"  {direction('w', e.grad[0], '∇w')}; {direction('b', e.grad[1], '∇b')}.",
    ]


DETAILS = {
    LoopPhase.FORWARD: forward,
    LoopPhase.LOSS: loss,
    LoopPhase.ZERO: zero,
    LoopPhase.BACKWARD: backward,
    LoopPhase.UPDATE: update,
}


def explain_text(e: Explanation, phase: LoopPhase) -> Text:
    """The whole view: a title, the loop with `phase` lit, and `phase`'s numbers."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" step {e.step}, one phase at a time", "bold")
    text.append("   n next phase · b back · N whole step · x close\n", "dim")
    noted: set[LoopPhase] = set()
    for line, part in code(e.optimizer, e.model):
        lit = part is phase
        text.append(" ▶ " if lit else "   ", "bold")
        text.append(f"{line:<{CODE_WIDTH}}", "reverse bold" if lit else "")
        if part is not None and part not in noted:  # a phase's note on its first line
            noted.add(part)
            note = UPDATE_NOTES[e.optimizer] if part is LoopPhase.UPDATE else PHASE_NOTES[part]
            text.append(f"  # {note}", "bold" if lit else "dim")
        text.append("\n")
    details = DETAILS[phase](e)
    if phase is LoopPhase.UPDATE:
        details.append(f"  n makes it: the readouts move to step {e.step}. A new lr applies here first.")
    text.append("\n")
    text.append(" " + details[0] + "\n", "bold")
    text.append("\n".join(" " + line for line in details[1:]))
    return text


class ExplainView(RowsWidget):
    """Shows the frame's Explanation at its walk phase; rebuilt only when either changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.frame: Frame | None = None
        self._shown: object = None
        self.builds = 0  # texts built so far: a still frame builds none

    def show(self, frame: Frame) -> None:
        self.frame = frame
        self.redraw()

    def redraw(self) -> None:
        frame = self.frame
        if frame is None or frame.explained is None or not self.display:
            return
        key = (frame.walk, frame.explained, self.size)
        if key == self._shown:
            return
        self._shown = key
        self.builds += 1
        self.show_rows(self.text_rows(explain_text(frame.explained, frame.walk)))

    def resized(self) -> None:
        self._shown = None
        self.redraw()
