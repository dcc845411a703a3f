"""One decision for every rank of a distributed run: rank 0's (the one the app steers).

Each rank calls `agree` at the same point of every step; rank 0's values reach the others through
torch.distributed itself, on a gloo group of its own with a long timeout, so a pause on rank 0
holds every rank at the same step (they wait in the broadcast) and an lr change applies on all
of them at once: the replicas never train apart.
"""

from __future__ import annotations

from datetime import timedelta

import torch
import torch.distributed as dist

PAUSE_LIMIT = timedelta(days=30)  # how long a pause may hold the other ranks before gloo gives up


AVAILABLE = dist.is_available()


def distributed() -> bool:
    """Whether this process is one rank of several (asked at every step: the script may start
    its process group at any point)."""
    return AVAILABLE and dist.is_initialized() and dist.get_world_size() > 1


class Ranks:
    def __init__(self) -> None:
        self.group: object | None = None

    @property
    def leader(self) -> bool:
        return dist.get_rank() == 0

    def agree(self, values: list[float]) -> list[float]:
        """Rank 0's `values`, on every rank (all must pass lists of one length)."""
        if self.group is None:  # made by every rank at its first step: new_group is collective
            self.group = dist.new_group(backend="gloo", timeout=PAUSE_LIMIT)
        shared = torch.tensor(values, dtype=torch.float64)
        dist.broadcast(shared, src=0, group=self.group)  # type: ignore[arg-type]
        return shared.tolist()
