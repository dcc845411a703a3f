"""A CSV file's bytes as UTF-8 with `\\n` line ends, read safely: or one line saying why not.

Safely means: nothing but a regular file is opened for reading (a FIFO with no writer would
block for ever, /dev/zero never ends), nothing over MAX_BYTES is read, and a first line too long
to be a table's is refused after reading MAX_LINE bytes, not the whole file.
"""

from __future__ import annotations

import codecs
import os
import stat

MAX_BYTES = 1 << 30  # 1 GiB: ten million rows of x, y are about 400 MB
MAX_LINE = 1 << 20  # no table of columns has a first line a megabyte long

BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Tried in this order when the file is not UTF-8: Windows' Western code page, then Latin-1
# (which decodes any byte, so it always answers).
FALLBACKS = ("cp1252", "latin-1")


def read_utf8(path: str | os.PathLike, fail, encoding: str | None = None) -> tuple[bytes, str | None]:
    """The file as UTF-8 bytes with `\\n` line ends, and a note when it was not UTF-8."""
    raw = _read_bytes(path, fail)
    for bom, name in BOMS:
        if raw.startswith(bom) and encoding is None:
            raw, encoding = raw[len(bom) :], name
            break
    if encoding is None:
        # A NUL byte never appears in a text CSV but is common in binary files.
        if b"\0" in raw:
            raise fail("not a text CSV file (binary content)")
        note = None
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as error:
            text, name = _fallback(raw)
            line = raw.count(b"\n", 0, error.start) + 1
            note = f"not UTF-8 (line {line}): read as {name}; --encoding to choose another"
            raw = text.encode("utf-8")
    else:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise fail(f"not {encoding} text at byte {error.start} ({raw[error.start:error.start + 4]!r})") from None
        if "\0" in text:
            raise fail(f"not a text CSV file (binary content when read as {encoding})")
        note = None if encoding in ("utf-8", "utf-8-sig") else f"read as {encoding}"
        raw = text.removeprefix("\ufeff").encode("utf-8")
    # Windows ends lines with \r\n and old Mac spreadsheets with \r alone: make them all \n.
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return raw, note


def _fallback(raw: bytes) -> tuple[str, str]:
    for name in FALLBACKS:
        try:
            return raw.decode(name), name
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any byte")


def _read_bytes(path: str | os.PathLike, fail) -> bytes:
    """The file's bytes, or a DataError saying why there are none."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise fail("no such file") from None
    except IsADirectoryError:
        raise fail("is a directory") from None
    except PermissionError:
        raise fail("permission denied") from None
    except OSError as e:
        raise fail(f"cannot read ({e.strerror or e})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise fail("is a directory" if stat.S_ISDIR(info.st_mode) else f"not a regular file ({_kind(info.st_mode)})")
    with os.fdopen(fd, "rb") as file:
        size = info.st_size
        if size > MAX_BYTES:
            raise fail(f"{size / 2**30:.1f} GiB is more than gdtui reads ({MAX_BYTES >> 30} GiB); use part of the rows")
        try:
            head = file.read(MAX_LINE + 1)
            start = len(head) - len(head.lstrip())  # leading blank lines
            if len(head) > MAX_LINE and b"\n" not in head[start:] and b"\r" not in head[start:]:
                line = head.count(b"\n", 0, start) + 1
                raise fail(f"line {line} is over {MAX_LINE >> 20} MiB long: not a table of columns")
            return head + file.read(MAX_BYTES - len(head) + 1)
        except OSError as e:
            raise fail(f"cannot read ({e.strerror or e})") from None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"
