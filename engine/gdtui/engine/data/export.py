"""A run's trajectory as a file: CSV or JSON Lines, chosen by the file's extension."""

from __future__ import annotations

import csv
import errno
import itertools
import json
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from gdtui.engine.training.trainer import Snapshot

COLUMNS = ("step", "w", "b", "loss", "grad_w", "grad_b", "lr", "optimizer")
Row = Sequence[object]


class Recorded(Protocol):
    """A run that can say what it kept: its columns, and a row per step kept for rewinding."""

    def trajectory(self) -> tuple[tuple[str, ...], list[Row]]: ...


def snapshot_row(snap: Snapshot) -> Row:
    """One input's row, in COLUMNS' order."""
    return (snap.step, snap.w, snap.b, snap.loss, snap.grad_w, snap.grad_b, snap.lr, snap.optimizer)
FORMATS = {".csv": "csv", ".jsonl": "jsonl"}


class ExportError(Exception):
    """The trajectory file could not be opened or written; the message names the file and why."""


def export_format(path: str | os.PathLike) -> str:
    """'csv' or 'jsonl' for this file name; ValueError for any other extension."""
    extension = os.path.splitext(os.fsdecode(path))[1].lower()
    if extension not in FORMATS:
        raise ValueError(f"{os.fsdecode(path)!r} must end in .csv or .jsonl")
    return FORMATS[extension]


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether both names lead to one file (through links too); False if either does not exist."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _failure(path: str | os.PathLike, error: OSError) -> ExportError:
    # A FIFO nobody reads refuses a non-blocking open with ENXIO, "No such device or address".
    why = "no program is reading this FIFO" if error.errno == errno.ENXIO else error.strerror
    return ExportError(f"cannot write {os.fsdecode(path)!r}: {why}")


def _open(path: str | os.PathLike, flags: int) -> TextIO:
    # Non-blocking, so a FIFO with no reader fails at once instead of waiting for one for ever.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NONBLOCK | flags, 0o666)
    os.set_blocking(fd, True)
    return open(fd, "w", newline="", encoding="utf-8")


def numbered(path: str | os.PathLike) -> Iterable[str]:
    """`path`, then `stem-1.ext`, `stem-2.ext`, ...: the names a new file may take."""
    stem, extension = os.path.splitext(os.fsdecode(path))
    yield os.fsdecode(path)
    for k in itertools.count(1):
        yield f"{stem}-{k}{extension}"


def _create(path: str) -> TextIO | None:
    """`path` opened as a new file; None if the name is taken."""
    try:
        return _open(path, os.O_EXCL)
    except FileExistsError:
        return None
    except OSError as error:
        raise _failure(path, error) from None


def _stream(path: str) -> TextIO:
    """An existing `path` that loses nothing by being written to (a FIFO, a device); a file is refused."""
    if os.path.isfile(path):
        raise ExportError(f"{path!r} exists; gdtui never replaces a file: remove it or choose another name")
    try:
        return _open(path, 0)
    except OSError as error:
        raise _failure(path, error) from None


def create(path: str | os.PathLike, *, new: bool) -> tuple[TextIO, str]:
    """A file to write that replaces none of the user's, and its name: with `new=True` the first
    free name of `numbered(path)`; otherwise `path` itself, a new file, or an existing FIFO or
    device (an existing file is an ExportError). Any other failure to open is one too."""
    for name in numbered(path) if new else [os.fsdecode(path)]:
        file = _create(name)
        if file is not None:
            return file, name
    return _stream(name), name


class TrajectoryWriter:
    """Writes one row per snapshot; opens the file at once, so a bad path fails before training.

    Every failure to open, write or close the file is an ExportError naming it. An existing file
    is never replaced: with `new=True` the first free name of `numbered(path)` is taken
    (`self.path` says which); otherwise it is an ExportError, and only a FIFO or a device that
    exists is written to.
    """

    def __init__(self, path: str | os.PathLike, *, new: bool = False, columns: tuple[str, ...] = COLUMNS) -> None:
        self.format, self.columns = export_format(path), columns
        self.file, self.path = create(path, new=new)
        if self.format == "csv":
            self._csv = csv.writer(self.file)
            self._guarded(self._csv.writerow, columns)

    def _guarded(self, write, *args) -> None:
        try:
            write(*args)
        except OSError as error:  # a full disk, a FIFO whose reader went away, ...
            raise _failure(self.path, error) from None

    def write(self, row: Row) -> None:
        """One row, in the columns' order."""
        if self.format == "csv":
            self._guarded(self._csv.writerow, row)
        else:
            self._guarded(self.file.write, json.dumps(dict(zip(self.columns, row))) + "\n")

    def write_all(self, rows: Iterable[Row]) -> int:
        count = 0
        for row in rows:
            self.write(row)
            count += 1
        return count

    def close(self) -> None:
        """Flush and close; a failure here (the last buffer on a full disk) is an ExportError too."""
        if self.file.closed:
            return
        try:
            self._guarded(self.file.flush)
        finally:
            try:
                self.file.close()
            except OSError:
                pass  # the flush above already failed and said why

    def __enter__(self) -> TrajectoryWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def save_trajectory(path: str | os.PathLike, rows: Iterable[Row], columns: tuple[str, ...] = COLUMNS) -> tuple[int, str]:
    """Write `rows` to a new file named `path`, or `path` numbered if that exists (a file the
    user has is never replaced), in the format its extension names; (rows written, file name)."""
    with TrajectoryWriter(path, new=True, columns=columns) as writer:
        return writer.write_all(rows), writer.path


def save_run(path: str, run: Recorded) -> str:
    """Save the steps `run` keeps for rewinding as save_trajectory does; one line for the user
    that says how many went to which file. Raises ExportError."""
    columns, rows = run.trajectory()
    count, saved = save_trajectory(path, rows, columns)
    span = f"steps {rows[0][0]}-{rows[-1][0]}" if rows else "no steps yet"
    renamed = f" ({path} exists)" if saved != path else ""
    return f"saved {count:,} rows ({span}) to {os.path.abspath(saved)}{renamed}"
