"""The key footer: Textual's Footer, drawn once with the screen instead of rebuilt on every
focus change.

Textual's Footer composes empty, then rebuilds all its keys (removing and mounting widgets,
a new layout and a repaint) after the first frame and again each time the screen publishes a
bindings update, which it does on mount, on resume and on every focus change even when the
keys shown stay the same. On the answering screen that was three rebuilds before the first
screen settled. This footer composes its keys at once and rebuilds only when the keys it
would show differ from the keys it shows, once for changes that come together.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class GroupedFooterKey(FooterKey):
    """A footer entry that stands for several keys: shown the same, not clickable."""

    def on_mouse_down(self, event: events.MouseDown) -> None:  # type: ignore[override]
        event.prevent_default()  # FooterKey's own handler would press the first key


class KeyFooter(Footer):
    """A Footer that shows its keys in the first frame and skips rebuilds that change nothing."""

    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:
        super().__init__(compact=compact, id=id)
        self.set_reactive(Footer._bindings_ready, True)
        self._shown: tuple[Any, ...] | None = None
        self._rebuild_pending = False

    def shown_keys(self, screen: Screen[Any]) -> tuple[Any, ...]:
        """Everything of the screen's active bindings that the footer draws."""
        get_key_display = self.app.get_key_display
        return tuple(
            (
                binding.key,
                get_key_display(binding),
                binding.description,
                binding.action,
                binding.group,
                enabled,
                tooltip,
            )
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )

    def compose(self) -> ComposeResult:
        self._shown = self.shown_keys(self.screen)
        for widget in super().compose():
            if isinstance(widget, FooterKey) and " " in widget.key_display:
                # One entry for several keys ("0-4 x u answer"): a click would press the
                # first of them and set an answer. People click to explore; it does nothing.
                widget.__class__ = GroupedFooterKey
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if (
            self._shown is not None
            and self.is_attached
            and screen is self.screen
            and self.shown_keys(screen) == self._shown
        ):
            return
        if self._rebuild_pending:
            # A rebuild is already on its way; it shows the keys as they are then. (Moving
            # the focus from a text field to the list changes the bindings twice: two
            # rebuilds of 5-25 ms each, the first one for nothing.)
            return
        if self._shown is not None and self.is_attached and screen is self.screen:
            if not screen.app.app_focus:
                return  # as Footer does: rebuilt when the terminal has the focus again
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)
            return
        super().bindings_changed(screen)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if self.is_attached and self.shown_keys(self.screen) != self._shown:
            await self.recompose()
