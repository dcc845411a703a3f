"""gdtui's training engine: PyTorch and numpy only (importing it never imports textual)."""

from engine.data import Dataset, least_squares, make_line
from engine.train import Hyper, Snapshot, Trainer

__all__ = ["Dataset", "Hyper", "Snapshot", "Trainer", "least_squares", "make_line"]
