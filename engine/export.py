"""A run's trajectory as a file: CSV or JSON Lines, chosen by the file's extension."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from gdtui.engine.train import Snapshot

COLUMNS = ("step", "w", "b", "loss", "grad_w", "grad_b", "lr", "optimizer")
FORMATS = {".csv": "csv", ".jsonl": "jsonl"}


def export_format(path: str | os.PathLike) -> str:
    """'csv' or 'jsonl' for this file name; ValueError for any other extension."""
    extension = os.path.splitext(os.fsdecode(path))[1].lower()
    if extension not in FORMATS:
        raise ValueError(f"{os.fsdecode(path)!r} must end in .csv or .jsonl")
    return FORMATS[extension]


class TrajectoryWriter:
    """Writes one row per snapshot; opens the file at once, so a bad path fails before training."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.format = export_format(path)
        self.file: IO[str] = open(path, "w", newline="", encoding="utf-8")
        if self.format == "csv":
            self._csv = csv.writer(self.file)
            self._csv.writerow(COLUMNS)

    def write(self, snap: Snapshot) -> None:
        row = (snap.step, snap.w, snap.b, snap.loss, snap.grad_w, snap.grad_b, snap.lr, snap.optimizer)
        if self.format == "csv":
            self._csv.writerow(row)
        else:
            self.file.write(json.dumps(dict(zip(COLUMNS, row))) + "\n")

    def write_all(self, snaps: Iterable[Snapshot]) -> int:
        count = 0
        for count, snap in enumerate(snaps, 1):
            self.write(snap)
        return count

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> TrajectoryWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def save_trajectory(path: str | os.PathLike, snaps: Iterable[Snapshot]) -> int:
    """Write `snaps` to `path` in the format its extension names; how many rows were written."""
    with TrajectoryWriter(path) as writer:
        return writer.write_all(snaps)
