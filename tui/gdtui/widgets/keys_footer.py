"""The footer: Textual's, listing the keys even while the app does not have focus, and built
again only when they change."""

from __future__ import annotations

from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's Footer fills in only while the app has focus, and a page served by textual-serve
    starts without it (the page sends focus on the first click): the footer stayed empty until
    then. gdtui's keys are the same either way, so they are listed either way.

    Textual's Footer also builds its keys again whenever its screen's bindings are refreshed, which
    every dialog opened or closed does, and each build leaves the old keys alive (their `compact`
    bindings stay on the footer): a quarter of a megabyte a dialog, and each build slower than the
    last. The keys are built again here only when the keys to show have changed."""

    _shown: tuple[ActiveBinding, ...] = ()

    def bindings_changed(self, screen: Screen) -> None:
        super().bindings_changed(screen)
        if not self.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        keys = tuple(self.screen.active_bindings.values())
        if keys != self._shown:
            self._shown = keys
            await super().recompose()
