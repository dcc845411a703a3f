"""A lesson: a small text file of steps that gdtui plays on the live app (see README, "Lessons").

    # lines starting with # are comments; blank lines are skipped
    options --paused --lr 0.5      gdtui's options for the run (first, at most once)
    caption Ten steps at lr 0.5    the line shown above the charts, until the next caption
    keys n*10 v                    keys pressed one after another (KEY*N: N times)
    type 0.9                       each character pressed as a key (for the lr dialog)
    pause 2                        seconds
    wait 3                         until the presenter presses Enter (played headless: 3 s)

Keys are named as Textual names them: a character (`n`, `+`, `.`), or a name (`space`, `enter`,
`escape`, `plus`, `left`, ...). The whole file is checked before the app starts: a bad line is
one LessonError naming the file and the line.
"""

from __future__ import annotations

import os
import shlex
import unicodedata
from dataclasses import dataclass

from textual.keys import REPLACED_KEYS, Keys, _character_to_key, _get_unicode_name_from_key

from gdtui import parsing

CAPTION_WIDTH = 74  # an 80-column screen's caption line, less its margins and the mark of a wait (⏎)
WAIT_ALONE = 3.0  # seconds a wait lasts with no presenter (headless), when the lesson says none
MOST_SECONDS = 600.0  # a pause longer than this is a typo, not a lesson
MOST_REPEATS = 1000  # KEY*N: more presses than this is a typo too
NAMED_KEYS = frozenset(key.value for key in Keys)
COMMANDS = ("options", "caption", "keys", "type", "pause", "wait")


class LessonError(Exception):
    """The lesson cannot be played; the message names the file, the line and what is wrong."""


@dataclass(frozen=True)
class Key:
    """A key as the terminal would report it: its name and the character it types, if any."""

    name: str
    character: str | None


@dataclass(frozen=True)
class Caption:
    text: str


@dataclass(frozen=True)
class Press:
    keys: tuple[Key, ...]


@dataclass(frozen=True)
class Pause:
    seconds: float


@dataclass(frozen=True)
class Wait:
    seconds: float  # how long it lasts with no presenter


Step = Caption | Press | Pause | Wait


@dataclass(frozen=True)
class Lesson:
    path: str
    options: tuple[str, ...]  # gdtui's options, from the `options` line
    steps: tuple[Step, ...]
    options_line: int = 0  # where the options are, for a message about them


def key(token: str) -> Key | None:
    """The key `token` names, as Textual's own key presses make it; None if it names none."""
    name = _character_to_key(token) if len(token) == 1 and not token.isalnum() else token
    try:
        character: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(name, name)))
    except KeyError:
        character = name if len(name) == 1 else None
    if character is None and name not in NAMED_KEYS:
        return None
    return Key(name, character)


def keys(tokens: list[str]) -> tuple[Key, ...]:
    """The keys of a `keys` line; ValueError naming the first token that is no key."""
    pressed: list[Key] = []
    for token in tokens:
        name, star, count = token.rpartition("*")
        if not (star and name and count.isdigit()):
            name, count = token, "1"
        found = key(name)
        if found is None:
            raise ValueError(f"unknown key {name!r} (a character, or a name such as space, enter, escape, plus)")
        if not 1 <= int(count) <= MOST_REPEATS:
            raise ValueError(f"{token!r}: a key is pressed 1 to {MOST_REPEATS} times")
        pressed += [found] * int(count)
    return tuple(pressed)


def seconds(text: str, command: str) -> float:
    try:
        return parsing.non_negative(text, limit=MOST_SECONDS)
    except ValueError as error:
        raise ValueError(f"{command} takes seconds: {error}") from None


def step(command: str, rest: str) -> Step:
    """One line's step; ValueError saying what is wrong with it."""
    if command == "caption":
        if len(rest) > CAPTION_WIDTH:
            raise ValueError(f"a caption is at most {CAPTION_WIDTH} characters (one line at 80 columns), this one {len(rest)}")
        return Caption(rest)
    if command == "keys":
        if not rest:
            raise ValueError("keys needs at least one key")
        return Press(keys(rest.split()))
    if command == "type":
        if not rest:
            raise ValueError("type needs the text to type")
        return Press(tuple(Key(_character_to_key(c), c) for c in rest))
    if command == "pause":
        return Pause(seconds(rest, "pause"))
    return Wait(seconds(rest, "wait") if rest else WAIT_ALONE)


def read_lesson(path: str) -> Lesson:
    """The lesson in the file at `path`, checked whole. Raises LessonError."""
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
    except OSError as error:
        raise LessonError(f"cannot read {path!r}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise LessonError(f"{path}: not a text file in UTF-8") from None
    options: tuple[str, ...] = ()
    options_line = 0
    steps: list[Step] = []
    for number, line in enumerate(lines, 1):
        command, _, rest = line.strip().partition(" ")
        rest = rest.strip()
        if not command or command.startswith("#"):
            continue
        try:
            if command not in COMMANDS:
                raise ValueError(f"unknown command {command!r} (a line starts with one of: {', '.join(COMMANDS)})")
            if command == "options":
                if steps or options:
                    raise ValueError("options come first, on one line")
                options, options_line = tuple(shlex.split(rest)), number
            else:
                steps.append(step(command, rest))
        except ValueError as error:
            raise LessonError(f"{path}:{number}: {error}") from None
    if not steps:
        raise LessonError(f"{path}: no steps (caption, keys, type, pause or wait)")
    return Lesson(os.fsdecode(path), options, tuple(steps), options_line)
