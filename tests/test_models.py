"""The models' losses and forward pass: the seed's arithmetic, to the bit, in fewer ops."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from gdtui.engine.run.start import RunConfig, build
from gdtui.engine.training.models import mean_squared_error


@pytest.mark.parametrize("n", [1, 7, 500, 100_000])
def test_mean_squared_error_is_f_mse_loss_value_and_gradient(n: int) -> None:
    generator = torch.Generator().manual_seed(n)
    y_pred, y = torch.randn(n, 1, generator=generator), torch.randn(n, 1, generator=generator)
    ours, theirs = (y_pred.clone().requires_grad_() for _ in range(2))
    mine, reference = mean_squared_error(ours, y), F.mse_loss(theirs, y)
    mine.backward()
    reference.backward()
    assert ours.grad is not None and theirs.grad is not None
    assert torch.equal(mine, reference)
    assert torch.equal(ours.grad, theirs.grad)


def test_the_engine_takes_the_seeds_steps_exactly() -> None:
    """The seed's own loop on gdtui's data and start: every w, b and loss the same float32."""
    trainer = build(RunConfig())
    x, y = trainer.data.x, trainer.data.y
    w = torch.tensor([[trainer.initial.w]], requires_grad=True)
    b = torch.tensor(0, requires_grad=True, dtype=torch.float32)
    rate = trainer.hyper.lr
    for snap in itertools.islice(trainer.run(), 300):
        y_predict = torch.matmul(x, w) + b
        loss = (y - y_predict).pow(2).mean()
        if w.grad is not None:
            w.grad.data.zero_()
        if b.grad is not None:
            b.grad.data.zero_()
        loss.backward()
        assert w.grad is not None and b.grad is not None
        assert snap.loss == loss.item()
        w.data = w.data - rate * w.grad
        b.data = b.data - rate * b.grad
        assert (snap.w, snap.b) == (w.item(), b.item())
