"""Plays a lesson on the live app: captions on the caption bar, and keys pressed through the app's
own key path, as the terminal's keys reach it, so a lesson does exactly what a person would."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import events

from gdtui.lesson.script import Caption, Lesson, Pause, Press, Wait

if TYPE_CHECKING:
    from textual.app import App

    from gdtui.widgets.caption_bar import CaptionBar

KEY_GAP = 0.3  # seconds between the keys of a line: each one's effect is seen before the next


class LessonPlayer:
    """Plays `lesson` once on `app`. With a presenter, a wait lasts until go_on() (the presenter's
    Enter); without one (headless), it lasts its seconds, and the app quits when the lesson ends."""

    def __init__(self, app: App, lesson: Lesson, bar: CaptionBar, *, presenter: bool) -> None:
        self.app, self.lesson, self.bar, self.presenter = app, lesson, bar, presenter
        self._going_on: asyncio.Event | None = None  # set while waiting for the presenter

    async def play(self) -> None:
        """Every step in turn, on a run that is up."""
        for step in self.lesson.steps:
            if isinstance(step, Caption):
                self.bar.say(step.text)
            elif isinstance(step, Press):
                for key in step.keys:
                    self.app.post_message(events.Key(key.name, key.character))
                    await asyncio.sleep(KEY_GAP)
            elif isinstance(step, Pause):
                await asyncio.sleep(step.seconds)
            elif isinstance(step, Wait):
                await self._wait(step.seconds)
        if not self.presenter:
            self.app.exit()

    async def _wait(self, seconds: float) -> None:
        if not self.presenter:
            await asyncio.sleep(seconds)
            return
        self._going_on = asyncio.Event()
        self.bar.wait(True)
        try:
            await self._going_on.wait()
        finally:
            self._going_on = None
            self.bar.wait(False)

    def go_on(self) -> bool:
        """The presenter's Enter: on from a wait; False if the lesson is not waiting."""
        if self._going_on is None:
            return False
        self._going_on.set()
        return True
