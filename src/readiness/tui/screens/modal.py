"""A ModalScreen whose dimmed backdrop is drawn once, and quickly, not at every repaint.

A ModalScreen shows the screens below it, tinted. Textual draws that backdrop as the
modal's own content: the whole screen below composited again, passed through Rich as
segments, every segment tinted and the result split back into lines (10-15 ms at 120x40);
and a screen's content is drawn again in full whenever any part of it is repainted.
Opening the help did it three times (on resume, on the first resize, on the next repaint):
35-45 ms in the handler that opened it.

:class:`QuickModalScreen` draws the backdrop from the lower screen's lines directly, each
distinct style tinted once (5-6 ms), keeps it per size, and draws it again only when the
screen below changes: Textual then repaints the modal over the regions that changed (see
``Screen._compositor_refresh``), which is when the kept backdrop is dropped. The lines are
the ones Textual's own way gives (the tests compare them); in any case it does not cover
(lines of another width), that way is taken.
"""

from __future__ import annotations

from itertools import islice
from typing import Any, Self, TypeVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.color import Color
from textual.css.styles import RulesMap
from textual.geometry import Region
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RichVisual, Visual

ResultType = TypeVar("ResultType")


class Backdrop(Visual):
    """The screen below a modal, tinted with ``color``: what Textual's BackgroundScreen
    draws, as the modal screen's content."""

    def __init__(self, modal: Screen[Any], screen: Screen[Any], color: Color) -> None:
        self.modal = modal
        self.screen = screen
        self.color = color
        self._strips: dict[tuple[object, ...], list[Strip]] = {}

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        key = (width, height, style)
        strips = self._strips.get(key)
        if strips is None:
            strips = self._strips[key] = self._render(width, height, style, options)
        return strips

    def _render(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        lines = self.screen._compositor.render_strips()
        if any(line.cell_length != width for line in lines):
            # Not the case drawn here: Textual's own way.
            rich = RichVisual(self.modal, BackgroundScreen(self.screen, self.color))
            return rich.render_strips(width, height, style, options)
        # What RichVisual(BackgroundScreen) makes of the lines: each segment tinted
        # (BackgroundScreen.process_segments), under the modal's base style and link style
        # (Widget.post_render), one strip per line.
        base = style.rich_style
        link_style = self.modal.link_style if self.modal.auto_links else None

        def finish(segment_style: RichStyle | None, control: object) -> RichStyle | None:
            if control:
                new_style = segment_style  # BackgroundScreen leaves control segments be
            else:
                tint = BackgroundScreen.process_segments([Segment(" ", segment_style)], color)
                new_style = next(iter(tint)).style
            if base:
                new_style = base + new_style
            if (
                link_style
                and new_style is not None
                and new_style._meta is not None
                and "@click" in new_style.meta
            ):
                new_style = new_style + link_style
            return new_style

        color = self.color
        finished: dict[tuple[RichStyle | None, bool], RichStyle | None] = {}
        strips = []
        for line in islice(lines, None, height):
            segments = []
            for text, segment_style, control in line:
                key = (segment_style, bool(control))
                if key not in finished:
                    finished[key] = finish(segment_style, control)
                new_style = finished[key]
                if new_style is None and link_style:
                    continue  # Widget.post_render drops those
                segments.append(Segment(text, new_style, None if base else control))
            strips.append(Strip(segments))
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.screen._compositor.size.height


class QuickModalScreen(ModalScreen[ResultType]):
    """A ModalScreen that draws the screens below it once per size and change."""

    _backdrop: Backdrop | None = None

    def render(self) -> Any:
        rendered = super().render()
        if not isinstance(rendered, BackgroundScreen):
            return rendered
        backdrop = self._backdrop
        if (
            backdrop is None
            or backdrop.screen is not rendered.screen
            or backdrop.color != rendered.color
        ):
            backdrop = self._backdrop = Backdrop(self, rendered.screen, rendered.color)
        return backdrop

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if regions:
            # The screen below changed there (or something is drawn over this screen):
            # draw the backdrop again.
            self._backdrop = None
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
