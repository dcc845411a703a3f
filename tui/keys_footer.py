"""The footer: Textual's, listing the keys even while the app does not have focus."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's Footer fills in only while the app has focus, and a page served by textual-serve
    starts without it (the page sends focus on the first click): the footer stayed empty until
    then. gdtui's keys are the same either way, so they are listed either way."""

    def bindings_changed(self, screen: Screen) -> None:
        super().bindings_changed(screen)
        if not self.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self.recompose)
