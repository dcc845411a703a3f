"""The settings a run reads at every step, and the facts about them that every layer shares.

Torch-free, so the command line and the app's first frame can name them without loading PyTorch.
"""

from __future__ import annotations

from dataclasses import dataclass

OPTIMIZERS = ("gd", "momentum", "adam")
MOMENTUM = 0.9  # heavy-ball β of the momentum rule (torch.optim.SGD's `momentum`)
OPTIMIZER_LABELS = {
    "gd": "plain gradient descent (w -= lr·∇w)",
    "momentum": f"momentum {MOMENTUM} (torch.optim.SGD)",
    "adam": "adam (torch.optim.Adam)",
}
BATCH_SIZES = (1, 8, 32, 128)  # what the app cycles through after "all points"




def is_full_batch(batch_size: int, points: int) -> bool:
    """Whether a step sees every point: batch size 0 (all), or at least as many as there are."""
    return not 0 < batch_size < points


@dataclass
class Hyper:
    """Settings the generator reads at every step, so a change applies to the next pull."""

    lr: float = 0.01
    optimizer: str = "gd"  # one of OPTIMIZERS
    batch_size: int = 0  # points per step; 0 (or n or more) is the full batch
