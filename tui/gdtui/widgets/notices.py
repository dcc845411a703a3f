"""Notifications whose toasts always get a timer that Textual can run.

Textual (8.2.8) builds a toast with a timer for the time its notification has left, read as the
toast is built, and builds the toasts again whenever a screen opens or closes. A notification that
runs out between the check that it has not and the toast's reading gives a negative delay, on
which Textual's timer loops without ever yielding: the app hangs at full CPU. A Notice runs out
when a Notification would, but never tells a toast less than SHORTEST seconds.
"""

from __future__ import annotations

from textual.notifications import Notification

SHORTEST = 0.01  # seconds: a toast built as its notice runs out goes a moment later (0 divides by zero)


class Notice(Notification):
    """A Notification whose time left, as a toast reads it, is never below SHORTEST."""

    @property
    def time_left(self) -> float:
        return max(super().time_left, SHORTEST)

    @property
    def has_expired(self) -> bool:
        return super().time_left <= 0
