"""Messages the screens and the app exchange. Small, documented, one purpose each."""

from __future__ import annotations

from textual.message import Message


class SaveStateChanged(Message):
    """A save started, succeeded or failed: the header shows the new state.

    Sent often while typing; handlers only re-render one line, so no coalescing is needed.
    """


class JumpToItem(Message):
    """Show this item on the answering screen (from gaps, search, comparison)."""

    def __init__(self, item_id: str) -> None:
        self.item_id = item_id
        super().__init__()
