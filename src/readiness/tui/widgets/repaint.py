"""Look styles up once per repaint instead of once per line or cell.

A widget's ``rich_style`` and its component styles walk the widget's ancestors (~0.1 ms
each). Tree and DataTable look them up for every line, even every cell, they draw, though
nothing can change them while the lines of one repaint are drawn. :class:`RepaintMemo`
keeps what was looked up during the current ``render_lines`` call and forgets it after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from rich.style import Style
from textual.css.styles import RenderStyles
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

V = TypeVar("V")

if TYPE_CHECKING:
    _Base = Widget  # mypy checks the super() calls against Widget
else:
    _Base = object  # at run time a plain mixin, placed before Tree or DataTable


class RepaintMemo(_Base):
    """Mixin for a Widget; put it first: ``class NavTree(RepaintMemo, Tree[NodeRef])``."""

    _repaint_memo: dict[object, Any] | None = None
    """What was looked up during the current repaint (None between repaints)."""

    def render_lines(self, crop: Region) -> list[Strip]:
        self._repaint_memo = {}
        try:
            return super().render_lines(crop)
        finally:
            self._repaint_memo = None

    def repaint_memo(self, key: object, compute: Callable[[], V]) -> V:
        """``compute()``, once per repaint for each ``key`` (every time between repaints)."""
        memo = self._repaint_memo
        if memo is None:
            return compute()
        if key in memo:
            return memo[key]  # type: ignore[no-any-return]
        value = memo[key] = compute()
        return value

    # The two lookups made for every line or cell, written out (no closure per call).

    @property
    def rich_style(self) -> Style:
        memo = self._repaint_memo
        if memo is None:
            return super().rich_style
        style = memo.get("rich_style")
        if style is None:
            style = memo["rich_style"] = super().rich_style
        return style

    def get_component_styles(self, *names: str) -> RenderStyles:
        memo = self._repaint_memo
        if memo is None:
            return super().get_component_styles(*names)
        styles = memo.get(names)
        if styles is None:
            styles = memo[names] = super().get_component_styles(*names)
        return styles
