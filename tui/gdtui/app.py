"""The gdtui app: starts the engine after the first frame, ends cleanly on signals, holds the screens."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
import weakref
from functools import partial
from typing import TYPE_CHECKING, Generic, TypeVar

from rich.console import RenderableType
from textual import events
from textual.app import App
from textual.driver import Driver
from textual.notifications import Notify, SeverityLevel
from textual.widgets._toast import Toast, ToastHolder

from gdtui.screens.lr_dialog import LrScreen
from gdtui.screens.main import Loading, MainScreen
from gdtui.screens.paced import PacedScreen
from gdtui.sharing import Sharing
from gdtui.terminal.driver import sparing
from gdtui.terminal.pacing import ASK, FramePacer
from gdtui.terminal.recording import Recorder
from gdtui.widgets.caption_bar import CaptionBar
from gdtui.widgets.notices import Notice

if TYPE_CHECKING:  # the engine loads torch: the app imports it only once the screen is up
    from gdtui.engine.config import RunConfig
    from gdtui.engine.data.dataset import Dataset
    from gdtui.engine.run.protocol import Run
    from gdtui.engine.run.session import Session
    from gdtui.lesson.player import LessonPlayer

SHUTDOWN_GRACE = 0.5  # seconds a signalled app may take to exit before it is cut short
MIN_SIZE = (60, 16)  # below this the charts cannot show axes and a curve: say so instead
MOST_NOTICES = 3  # toasts at once: a key pressed again and again shows its latest, not a tower
NOTE_SECONDS = 12  # the file's notes and the settings chosen for it: long enough to read at start


RunT = TypeVar("RunT", bound="Run")


class PacedApp(App[int]):
    """What every gdtui app shares: keys in order, toasts, frame pacing, the too-small notice,
    signals that end it cleanly, recording (R, --record). Subclasses give the screen it opens
    on, as `main`."""

    CSS_PATH = "app.tcss"
    TITLE = "gdtui"
    ENABLE_COMMAND_PALETTE = False

    main: PacedScreen

    def __init__(self) -> None:
        super().__init__()
        self._routed_to: weakref.WeakKeyDictionary[events.Key, object] = weakref.WeakKeyDictionary()
        self.closing = False  # exit asked for: keys still to come are dropped
        self.sharing = Sharing()  # what the command line asked to record (and for a run, to play and picture)
        self.recorder = Recorder()  # what the driver sends, once started (R, or --record)
        self.recorder.failed = self._recording_failed

    def get_driver_class(self) -> type[Driver]:
        return sparing(super().get_driver_class())

    def get_default_screen(self) -> PacedScreen:
        return self.main

    async def on_event(self, event: events.Event) -> None:
        # Keys in one read (`l0.05⏎`, a paste, an SSH packet) arrive here in order. The lr dialog
        # takes its own at once (LrScreen.take_key); bound keys run at priority, as read. A key no
        # screen binds may still reach a screen just covered by a dialog (help, the gradient check)
        # and come back unhandled: route it again, to the screen now on top, instead of losing it.
        if isinstance(event, events.Key):
            if self.closing:  # keys read with q (or after a signal): a dialog opened now would never close
                return
            if not event.is_forwarded:
                self.recorder.pressed(event.key)
            if not event.is_forwarded and isinstance(self.screen, LrScreen) and await self.screen.take_key(event):
                return
            if not event.is_forwarded:
                self._routed_to[event] = self.screen
            elif self._routed_to.pop(event, self.screen) is not self.screen:
                self.post_message(events.Key(event.key, event.character))
                return
        await super().on_event(event)

    def exit(self, result: int | None = None, return_code: int = 0, message: RenderableType | None = None) -> None:
        if not self.closing:
            # What quitting (q, ctrl+c, a signal, a lesson's end) saves, said once the screen is
            # gone, a line each however long the path.
            said = [line for line in self.saved_on_quit() if line]
            if said:
                message = message or "\n".join(said)
                self.error_console.soft_wrap = True
        self.closing = True
        super().exit(result, return_code, message)

    def saved_on_quit(self) -> list[str]:
        """What quitting saves, a line each: here, the recording, which ends on the last frame the
        screen showed, not on the terminal restored."""
        path = self.recorder.stop()
        return [f"gdtui: recorded to {os.path.abspath(path)}"] if path else []

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        # A dropped SSH connection sends SIGHUP, which Textual leaves to us: exit cleanly. (ctrl+c
        # in the terminal is a key; SIGINT comes from elsewhere, or to a lesson played headless.)
        for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, partial(self._end_on_signal, sig))
        self.main.recording = self.recorder.recording and self.sharing.presenter  # --record: from the first frame

    def on_resize(self, event: events.Resize) -> None:
        width, height = event.size
        too_small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        self.set_class(too_small, "-too-small")  # on the app: whichever screen is on top
        if too_small:
            self.main.show_too_small(width, height, MIN_SIZE)

    def notify(
        self, message: str, *, title: str = "", severity: SeverityLevel = "information", timeout: float | None = None, markup: bool = True
    ) -> None:
        """Textual's notify, with a Notice for its Notification: a toast that can hang the app no more."""
        timeout = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        self.post_message(Notify(Notice(message, title, severity, timeout, markup=markup)))

    def on_notify(self, event: Notify) -> None:
        """Before Textual adds `event`'s notice, drop the oldest beyond MOST_NOTICES: each toast
        on screen is laid out again on every notice and every dialog, so a key storm slowed
        the app to seconds a frame."""
        for old in list(self._notifications)[: max(0, len(self._notifications) - MOST_NOTICES + 1)]:
            self._unnotify(old, refresh=False)

    def _refresh_notifications(self) -> None:
        """Textual's toast rack, shown the notices, removes each toast whose notice is gone but
        not the holder around it, which stays in the rack for good (memory, and one more widget
        to lay out each frame): remove those holders, toast and all, first."""
        if self.screen_stack:
            for toast in self.screen.query(Toast):
                notice = toast._notification
                if notice.has_expired or notice not in self._notifications:
                    (toast.parent if isinstance(toast.parent, ToastHolder) else toast).remove()
        super()._refresh_notifications()

    def post_display_hook(self) -> None:
        # Right after a frame is written: ask the terminal to say when it has shown it.
        if self.main.frame_written() and self._driver is not None:
            self._driver.write(ASK)
            self._driver.flush()

    def on_cursor_position(self, event: events.CursorPosition) -> None:
        self.main.acknowledged()  # the terminal's answer to ASK

    def _end_on_signal(self, sig: int) -> None:
        code = 128 + sig
        self.exit(return_code=code)
        # Textual's orderly shutdown takes a fraction of a second on an idle machine; on a
        # loaded one, or with the terminal gone, make sure the process is over in time anyway.
        watchdog = threading.Timer(SHUTDOWN_GRACE, os._exit, (code,))
        watchdog.daemon = True
        watchdog.start()

    # Recording (see terminal/recording.py).

    def _show_recording(self) -> None:
        """● REC on the top line while recording, for whoever is at the keyboard (headless: no one)."""
        self.main.recording = self.recorder.recording and self.sharing.presenter
        if self.main.ready():
            self.main.answer(charts=False)

    def _recording_failed(self, why: str) -> None:
        self.notify(why, severity="error", markup=False)
        self.call_later(self._show_recording)  # told while a frame is written: the mark goes with the next

    def action_toggle_record(self) -> None:
        from gdtui.engine.data.export import ExportError

        if self.recorder.recording:
            path = self.recorder.stop()
            self.notify(f"recorded to {os.path.abspath(path or '')}", timeout=6, markup=False)
        else:
            wanted = self.sharing.record or time.strftime("gdtui-%Y%m%d-%H%M%S.cast")
            try:
                path = self.recorder.start(wanted, fresh=True)
            except ExportError as error:
                self.notify(f"could not record: {error}", severity="error", markup=False)
                return
            self.refresh()  # the whole screen once more: the recording starts with all of it
            renamed = f" ({wanted} exists)" if path != wanted else ""
            self.notify(f"recording to {os.path.abspath(path)}{renamed}; R stops", timeout=4, markup=False)
        self._show_recording()

    async def action_save_svg(self) -> None:
        # Notices' toasts are drawn over the charts: the picture is of a frame with them hidden.
        racks = [rack for rack in self.screen.query("ToastRack") if rack.display]
        for rack in racks:
            rack.display = False
        await self.screen.wait_for_refresh()
        try:
            path = self.save_screenshot()
        except OSError as error:
            self.notify(f"could not save the screenshot: {error.strerror}", severity="error", markup=False)
            return
        finally:
            for rack in racks:
                rack.display = True
        self.notify(f"screenshot saved to {os.path.abspath(path)}", timeout=6, markup=False)


class RunApp(PacedApp, Generic[RunT]):
    """What a single run's app and a race's share: the run loaded after the first frame, the
    file's notes, --export on quitting, a lesson played on it, pictures of its charts.
    Subclasses say which run they load and on which screen."""

    def __init__(
        self,
        config: RunConfig,
        data: Dataset | None = None,
        *,
        speed: float,
        paused: bool,
        explain: bool = False,
        export_path: str | None = None,
        background: bool = True,
        pacer: FramePacer | None = None,
    ) -> None:
        super().__init__()
        self.config, self.data = config, data
        self.speed, self.paused = speed, paused
        self.background = background  # load in a thread, so the first frame does not wait
        self.main: MainScreen = self.first_screen(Loading(config.steps, config.lr, speed, config.model), export_path, explain, pacer)
        self._run: RunT | None = None
        self.player: LessonPlayer | None = None

    @property
    def session(self) -> RunT:
        """The run, once loaded (no key reaches it before)."""
        assert self._run is not None, "the run has not loaded yet"
        return self._run

    def first_screen(
        self, loading: Loading, export_path: str | None, explain: bool, pacer: FramePacer | None
    ) -> MainScreen:
        return MainScreen(loading, export_path, explain, pacer)

    def saved_on_quit(self) -> list[str]:
        return [self._export_on_quit(), self._png_on_quit(), *super().saved_on_quit()]

    def _export_on_quit(self) -> str:
        """--export FILE asks for that file: the steps saved there as e does."""
        export = self.main.export_path
        if not export:
            return ""
        from gdtui.engine.data.export import ExportError, save_run

        if not self.main.check_action("export", ()):  # still loading: there is no run yet
            return f"gdtui: --export: nothing saved to {export}: gdtui quit before the run started"
        try:
            return f"gdtui: --export: {save_run(export, self.main.recorded())}"
        except ExportError as error:
            return f"gdtui: --export: could not save: {error}"

    def _png_on_quit(self) -> str:
        """--png FILE: the charts as they are, as P saves them."""
        if not self.sharing.png:
            return ""
        if self._run is None:
            return f"gdtui: --png: nothing saved to {self.sharing.png}: gdtui quit before the run started"
        return f"gdtui: --png: {self._save_png(self.sharing.png)}"

    def on_mount(self) -> None:
        for note in self.data.notes if self.data else ():  # what reading the file skipped, seen now, not after quitting
            self.notify(note, timeout=NOTE_SECONDS, markup=False)
        super().on_mount()
        if self.background:
            self.run_worker(self._load_in_thread, thread=True, exit_on_error=True)
        else:
            self.main.post_message(MainScreen.SessionReady(self._loaded()))
        if self.sharing.lesson:
            self.run_worker(self._play_lesson(), name="lesson")

    def _load(self) -> RunT:
        raise NotImplementedError

    def _loaded(self) -> RunT:
        self._run = self._load()
        return self._run

    def _load_in_thread(self) -> None:
        self.main.post_message(MainScreen.SessionReady(self._loaded()))
        from gdtui.engine.training.optimizers import preload

        preload()  # here, not in the key press (o, or b after it) that first needs torch.optim

    # Lessons and pictures (see lesson/, charts/picture.py).

    async def _play_lesson(self) -> None:
        """Once the run is up, the lesson played through."""
        from gdtui.lesson.player import LessonPlayer

        assert self.sharing.lesson is not None
        await self.main.started.wait()
        bar = self.main.query_one(CaptionBar)
        self.player = LessonPlayer(self, self.sharing.lesson, bar, presenter=self.sharing.presenter)
        await self.player.play()

    def action_go_on(self) -> None:
        if self.player is not None:
            self.player.go_on()

    def action_save_png(self) -> None:
        said = self._save_png(self.sharing.png or time.strftime("gdtui-%Y%m%d-%H%M%S.png"))
        self.notify(said, timeout=6, markup=False)

    def _save_png(self, path: str) -> str:
        """The charts on the main screen as a PNG at `path` (numbered if taken); one line saying where or why not."""
        from gdtui.charts.chart import Chart
        from gdtui.charts.picture import PictureError, save_png

        charts = [chart for chart in self.main.query(Chart) if chart.is_on_screen and chart.rows]
        readouts = self.main.query_one("#readouts")
        title = " ".join(getattr(readouts, "plain", "").split("\n")[0].split())  # the state line, spaced once
        try:
            saved = save_png(path, charts, title)
        except PictureError as error:
            return f"no picture saved: {error}"
        return f"picture saved to {os.path.abspath(saved)}" + (f" ({path} exists)" if saved != path else "")


class GdtuiApp(RunApp["Session"]):
    """One run of `config` on `data` (None: the synthetic line), shown on a MainScreen."""

    def _load(self) -> Session:
        from gdtui.engine.run.start import start_session

        session = start_session(self.config, self.data, speed=self.speed, running=not self.paused)
        self.chosen_note(session)
        return session

    def chosen_note(self, session: Session) -> None:
        """Settings chosen for a user's file: say which, why, and the way back to the raw values."""
        if self.config.watchable:
            why = "numbers in the data's units; z trains on the raw values" if session.standardized else ""
            self.notify(f"Chose {session.chosen()}: {why}.", timeout=NOTE_SECONDS, markup=False)
