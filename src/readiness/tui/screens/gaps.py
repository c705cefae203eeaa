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

    def compose(self) -> ComposeResult:
        title = Text("Gaps  ", style="bold")
        title.append(
            f"{len(self.gaps)} items below target, most urgent first "
            "(priority = weight × levels missing). Enter opens an item.",
            style="dim",
        )
        yield Static(title, id="screen-title", markup=False)
        yield DataTable(id="gaps-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#gaps-table", DataTable)
        labels = {lv.value: lv.label for lv in self.session.checklist.scale.levels}
        wide = self.app.size.width >= 100
        prompt_width = max(self.app.size.width - (62 if wide else 30), 20)
        table.add_column("#", key="n")
        table.add_column("Pri", key="priority")
        table.add_column("Now", key="level")
        if wide:
            table.add_column("Target", key="target")
            table.add_column("+Phase", key="impact")
        table.add_column("Item", key="item", width=prompt_width)
        if wide:
            table.add_column("Owner", key="owner")
        for n, gap in enumerate(self.gaps, start=1):
            level = level_word(gap.level, labels).split(" ")[0] if gap.level is not None else "–"
            row: list[Text | str] = [str(n), str(gap.priority), level]
            if wide:
                row += [str(gap.target), f"{gap.impact_phase:.1f}"]
            label = short(gap.item.prompt, prompt_width)
            row.append(label)
            if wide:
                row.append(plain(gap.answer.owner or "", single_line=True))
            table.add_row(*row, key=gap.item.id)
        if not self.gaps:
            self.notify("No gaps: every applicable item meets its target.")
        table.focus()

    @on(DataTable.RowSelected, "#gaps-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one("#gaps-table", DataTable)
        if not self.gaps:
            return
        self.dismiss(self.gaps[table.cursor_row].item.id)

    def action_back(self) -> None:
        self.dismiss(None)
