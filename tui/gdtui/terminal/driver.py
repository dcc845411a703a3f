"""The terminal driver Textual would pick, sending only the cells that changed (see screen_copy),
reading keys on past bytes that are not UTF-8, and handing what it sends to the app's recorder."""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from functools import cache
from threading import current_thread

from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.geometry import Size
from textual.message import Message

from gdtui.terminal.recording import Recorder
from gdtui.terminal.screen_copy import ScreenCopy


class LenientLinuxDriver(LinuxDriver):
    """Textual's terminal driver, with input bytes that are not UTF-8 dropped, and the events of
    one read handed to the app at once."""

    _read: list[Message] | None = None  # the input thread's events from the read in hand

    def send_message(self, message: Message) -> None:
        """Textual hands each event to the app's loop on its own, with a Future, a lock and a
        condition made for each: in a storm of typed keys that cost more than the key. Events of
        the input thread's read in hand go over together, in order."""
        if self._read is not None and current_thread() is self._key_thread:
            self._read.append(message)
        else:
            super().send_message(message)

    def _post(self, messages: list[Message]) -> None:  # on the app's loop
        for message in messages:
            self._app.post_message(message)

    def run_input_thread(self) -> None:
        """Textual's loop, but for its decoder: a strict one raised on bytes that are not UTF-8
        (line noise, a Latin-1 terminal, a mangled status answer), which ended this thread and
        with it every key after."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")(errors="ignore").decode

        def process(ready: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            self._read = []
            try:
                read(ready, final)
            finally:
                messages, self._read = self._read, None
                if messages:
                    self._loop.call_soon_threadsafe(self._post, messages)

        def read(ready: list[tuple[selectors.SelectorKey, int]], final: bool) -> None:
            for last, (_key, mask) in loop_last(ready):
                if mask & selectors.EVENT_READ:
                    text = decode(os.read(self.fileno, 1024 * 4), final=final and last)
                    if not text:  # stdin piped, or nothing but bytes dropped
                        break
                    for event in parser.feed(text):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process(selector.select(0.1))
            selector.unregister(self.fileno)
            process(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass


@cache
def sparing(base: type[Driver]) -> type[Driver]:
    """`base` (the Linux, Windows or web driver) with every write checked against a ScreenCopy."""
    if base is LinuxDriver:
        base = LenientLinuxDriver

    class GdtuiDriver(base):  # type: ignore[valid-type, misc]  # a base chosen at run time; mypy takes static ones only
        copy: ScreenCopy | None = None
        size: Size | None = None

        def write(self, data: str) -> None:
            if self.copy is None:
                self.copy = ScreenCopy()
            recorder: Recorder | None = getattr(self._app, "recorder", None)  # an app that can record has one
            if self._app.size != self.size:  # a resized terminal may have moved or cleared cells
                self.size = self._app.size
                self.copy.forget()
                if recorder is not None:
                    recorder.resized(self.size)
            if recorder is not None and recorder.fresh:  # a recording begun on a running screen: its first frame goes out whole
                recorder.fresh = False
                self.copy.forget()
            sent = self.copy.rewrite(data)
            super().write(sent)
            if recorder is not None:
                recorder.sent(sent)  # byte for byte what the terminal was sent

    GdtuiDriver.__name__ = GdtuiDriver.__qualname__ = f"Gdtui{base.__name__}"
    return GdtuiDriver
