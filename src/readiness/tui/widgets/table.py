"""A DataTable of one-line text cells that opens in a fraction of the time.

Textual's DataTable measures every cell of every new row through Rich (~20 µs a cell: 1,700
cells for the gaps of a 300-item checklist, 30-40 ms) and draws each visible cell through
Rich's whole pipeline (padding, styling, wrapping, line splitting: ~0.1 ms a cell, 40 ms for
the first screen of the gaps table). Both ran in the handler that opened the gaps screen.

For a cell that is one line of ``rich.text.Text`` that fits its column, :class:`TextTable`
does the same with less: its width is its cell length, and its drawing is the text's own
segments between the padding, styled exactly as the DataTable would style them (the tests
compare the two for every cell). Any other cell (several lines, too wide, justified, tabs,
row labels, rows of automatic height) goes the DataTable's own way.

Like the DataTable, it reads a ``str`` cell as markup and draws what a Text holds, control
characters included: text from users and files must come as Text made by
``readiness.tui.render.plain`` (which removes control sequences), as the gaps screen does.

It also computes the table's own style, its row styles and its settings once per repaint
instead of once per line or cell (a style walks the widget's ancestors: ~0.1 ms).
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from readiness.tui.widgets.repaint import RepaintMemo


def _one_line(cell: object) -> bool:
    if not isinstance(cell, Text):
        return False
    plain = cell.plain
    # Rich's measuring splits lines at more than "\n" (\u2028, \x1c, \x85, ...).
    return "\t" not in plain and plain.splitlines() in ([], [plain])


class TextTable(RepaintMemo, DataTable[Any]):
    """A DataTable whose one-line Text cells are measured and drawn without Rich's layout.

    Relies on DataTable internals (Textual is pinned exactly); the tests check that every
    cell is drawn as the DataTable draws it.
    """

    # ----------------------------------------------------------------- measuring

    def _update_dimensions(self, new_rows: Any) -> None:
        rest: list[RowKey] = []
        columns = self.ordered_columns
        for row_key in new_rows:
            row_index = self._row_locations.get(row_key)
            row = self.rows.get(row_key)
            if row_index is None or row is None:
                continue
            _, cells = self._get_row_renderables(row_index)
            if row.label is not None or row.auto_height or not all(map(_one_line, cells)):
                rest.append(row_key)
                continue
            for column, cell in zip(columns, cells, strict=False):
                # What DataTable's measure gives for one line of text: its cell length.
                width = cell.cell_len  # type: ignore[union-attr]
                if width > column.content_width:
                    column.content_width = width
        # The rows left, and the table's virtual size, the DataTable's way.
        super()._update_dimensions(rest)

    # ----------------------------------------------------------------- drawing

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        if self._repaint_memo is None:
            return super()._get_row_style(row_index, base_style)
        # What DataTable._get_row_style depends on: the kind of row and the base style.
        if row_index == -1:
            kind = "header"
        elif row_index < self.fixed_rows:
            kind = "fixed"
        elif self.zebra_stripes:
            kind = "odd" if row_index % 2 else "even"
        else:
            kind = "plain"
        return self.repaint_memo(
            (kind, base_style), lambda: DataTable._get_row_style(self, row_index, base_style)
        )

    def _settings(self) -> tuple[int, bool, bool, bool, int, int, int]:
        """The reactive settings a cell's drawing reads (each read of a reactive is a few
        µs; a screen of the table reads them ~10,000 times): once per repaint."""
        return self.repaint_memo(
            "settings",
            lambda: (
                self.cell_padding,
                self.show_cursor,
                self.cursor_foreground_priority == "css",
                self.cursor_background_priority == "css",
                self.fixed_rows,
                self.fixed_columns,
                self.header_height,
            ),
        )

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        settings = self._settings()
        padding, show_cursor, fg_css, bg_css, fixed_rows, fixed_columns, header_height = settings
        fast = self._fast_cell(row_index, column_index, width, padding, header_height)
        if fast is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = (
            self._header_row_key if row_index == -1 else self._row_locations.get_key(row_index)
        )
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cache_key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        is_fixed_style_cell = row_index != -1 and (
            row_index < fixed_rows or column_index < fixed_columns
        )
        component_style, post_style = self._get_styles_to_render_cell(
            row_index == -1,
            False,
            is_fixed_style_cell,
            hover,
            cursor,
            show_cursor,
            self._show_hover_cursor,
            fg_css,
            bg_css,
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index})
        pre_style += component_style

        def styled(style: Style | None) -> Style | None:
            # Segment.apply_style(style=pre_style, post_style=post_style), as Styled does.
            if pre_style:
                style = pre_style + style
            if post_style:
                style = style + post_style if style else post_style
            return style

        # What Padding(Text) renders to, one line: the padding, the text's segments as
        # Text.__rich_console__ makes them, spaces to the column's width.
        blank = styled(Style.null())
        segments: list[Segment] = []
        if padding:
            segments.append(Segment(" " * padding, blank))
        drawn = 0
        for text, style, control in self._text_segments(fast):
            segments.append(Segment(text, None if control else styled(style), control))
            if not control:
                drawn += cell_len(text)  # per piece, as Rich pads (a split emoji differs)
        fill = width - 2 * padding - drawn
        if fill < 0:  # wider drawn than measured: the DataTable's way crops it
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if fill:
            segments.append(Segment(" " * fill, blank))
        if padding:
            segments.append(Segment(" " * padding, blank))
        lines = [segments]
        self._cell_render_cache[cache_key] = lines
        return lines

    def _text_segments(self, text: Text) -> list[Segment]:
        """The segments of one line of text, as Text.__rich_console__ renders them: it joins
        its lines on a newline, which turns the text's own style into a span."""
        if not text.spans:
            # No spans: the joined text has one span with the text's style, if any.
            if not text.style:
                return [Segment(text.plain)]
            style = self.app.console.get_style(text.style, default=Style.null())
            return [Segment(text.plain, style)]
        return list(Text("\n").join([text]).render(self.app.console))

    def _fast_cell(
        self, row_index: int, column_index: int, width: int, padding: int, header_height: int
    ) -> Text | None:
        """The cell's Text if the fast drawing gives what the DataTable would, else None."""
        if column_index < 0:
            return None
        if row_index == -1:
            height = header_height
        else:
            row_key = self._row_locations.get_key(row_index)
            row = None if row_key is None else self.rows.get(row_key)
            if row is None:
                return None
            height = row.height
        if height != 1:
            return None
        _, cells = self._get_row_renderables(row_index)
        if column_index >= len(cells):
            return None
        cell = cells[column_index]
        if not _one_line(cell):
            return None
        assert isinstance(cell, Text)
        if cell.justify not in (None, "default") or cell.cell_len > width - 2 * padding:
            return None
        return cell
