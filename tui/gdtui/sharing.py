"""What a run makes to be seen elsewhere: a recording of its screen, a lesson played on it, a
picture of its charts; as the command line asked for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gdtui.lesson.script import Lesson


@dataclass(frozen=True)
class Sharing:
    record: str | None = None  # --record FILE: recorded from the start, and where R records next
    png: str | None = None  # --png FILE: where P and quitting save the picture
    lesson: Lesson | None = None  # --lesson FILE, read and checked
    presenter: bool = True  # someone is at the keyboard; False (headless): waits pass, the end quits
