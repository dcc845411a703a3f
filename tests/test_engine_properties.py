"""Over many settings, the engine converges or says it diverged: never silent NaNs.

Which of the two is decided by the stable bound 2/λmax: below it (with margin) the loss falls,
above it the run is reported as diverged.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from gdtui.engine.run.start import RunConfig, build
from gdtui.engine.theory.linear import stable_lr


@settings(max_examples=60, deadline=None)
@given(
    lr=st.floats(1e-3, 50.0),
    n=st.integers(2, 300),
    noise=st.floats(0.0, 5.0),
    seed=st.integers(0, 2**31),
)
def test_engine_converges_or_reports_divergence(lr: float, n: int, noise: float, seed: int) -> None:
    trainer = build(RunConfig(n=n, noise=noise, seed=seed, lr=lr))
    bound = stable_lr(trainer.data)
    steps = trainer.run()
    for _ in range(3000):
        snap = next(steps)
        values = (snap.w, snap.b, snap.loss, snap.grad_w, snap.grad_b, snap.lr)
        assert all(math.isfinite(v) for v in values), snap  # flagged or not, never NaN or inf
        if snap.diverged:
            assert lr > 0.9 * bound, f"diverged at lr {lr} though the bound is {bound}"
            return
    assert lr < 1.1 * bound, f"lr {lr} is above the bound {bound} and yet did not diverge"
    if lr < 0.9 * bound:  # near the bound the loss may still be growing slowly after 3000 steps
        assert snap.loss <= trainer.initial.loss * (1 + 1e-6)
