"""The gaps screen: the same order as ``readiness gaps``; Enter jumps to the item."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from readiness.session import Session
from readiness.tui.render import level_word, plain, short
from readiness.tui.widgets.footer import KeyFooter
from readiness.tui.widgets.table import TextTable


class GapsScreen(Screen[str | None]):
    """Applicable items below target, by priority; dismisses with the chosen item id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,g", "back", "back"),
        # Enter reaches the table first (RowSelected); this entry shows it in the footer.
        Binding("o", "open", "open item", key_display="enter/o"),
        Binding("q", "app.quit", "quit"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.gaps = session.gaps()
        self.filled = False
        """Whether the table has its rows (added just after the first frame)."""

    def compose(self) -> ComposeResult:
        title = Text("Gaps  ", style="bold")
        title.append(
            f"{len(self.gaps)} items below target, most urgent first "
            "(priority = weight × levels missing). Enter opens an item.",
            style="dim",
        )
        yield Static(title, id="screen-title", markup=False)
        yield TextTable(id="gaps-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#gaps-table", DataTable)
        wide = self.app.size.width >= 100
        table.add_column("#", key="n")
        table.add_column("Pri", key="priority")
        table.add_column("Now", key="level")
        if wide:
            table.add_column("Target", key="target")
            table.add_column("+Phase", key="impact")
        table.add_column("Item", key="item", width=self.prompt_width())
        if wide:
            table.add_column("Owner", key="owner")
        table.focus()
        # The rows come just after the first frame: drawing the screen, then adding a few
        # hundred rows, then drawing them, are three handlers of 10-20 ms rather than one
        # of 40-50 ms.
        self.call_after_refresh(self.fill)

    def prompt_width(self) -> int:
        wide = self.app.size.width >= 100
        return max(self.app.size.width - (62 if wide else 30), 20)

    def fill(self) -> None:
        """Add a row per gap (once)."""
        if self.filled:
            return
        self.filled = True
        table = self.query_one("#gaps-table", DataTable)
        labels = {lv.value: lv.label for lv in self.session.checklist.scale.levels}
        wide = self.app.size.width >= 100
        prompt_width = self.prompt_width()
        # Every cell is one line of Text: the table measures and draws those quickly.
        for n, gap in enumerate(self.gaps, start=1):
            level = level_word(gap.level, labels).split(" ")[0] if gap.level is not None else "–"
            row: list[Text] = [Text(str(n)), Text(str(gap.priority)), Text(level)]
            if wide:
                row += [Text(str(gap.target)), Text(f"{gap.impact_phase:.1f}")]
            row.append(short(gap.item.prompt, prompt_width))
            if wide:
                row.append(plain(gap.answer.owner or "", single_line=True))
            table.add_row(*row, key=gap.item.id)
        if not self.gaps:
            self.notify("No gaps: every applicable item meets its target.")

    @on(DataTable.RowSelected, "#gaps-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one("#gaps-table", DataTable)
        if not self.gaps or table.row_count == 0:
            return
        self.dismiss(self.gaps[table.cursor_row].item.id)

    def action_back(self) -> None:
        self.dismiss(None)
