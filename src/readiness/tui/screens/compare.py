"""The comparison screen: scores per phase over time, and the items that moved.

Built on :mod:`readiness.compare` (pure functions); loading runs in a worker. Enter on an
item opens it in the latest of the compared assessments.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from readiness.compare import CHANGES, CompareError, Comparison, Series, compare
from readiness.loading import Loader, LoadError
from readiness.report.compare_render import sparkline as spark_chars
from readiness.session import Session
from readiness.tui.render import bar, plain, score_text, scored, short
from readiness.tui.widgets.footer import KeyFooter


def sparkline(series: Series) -> Text:
    """One block per assessment, its height the score (0-100), coloured by band."""
    out = Text()
    for value, spark in zip(series.values, spark_chars(series.values), strict=True):
        out.append(
            "·" if value is None else spark, style="dim" if value is None else scored(value).style
        )
    return out


def delta_text(delta: float | None) -> Text:
    if delta is None:
        return Text("–", style="dim")
    if abs(delta) < 0.5:
        return Text("±0", style="dim")
    return Text(f"{delta:+.0f}", style="bold green" if delta > 0 else "bold red")


def level_text(level: object) -> str:
    return "·" if level is None else str(level)


class CompareScreen(Screen[None]):
    """Two or more assessments of one organization, oldest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "back"),
        Binding("q", "app.quit", "quit"),
    ]

    def __init__(self, paths: list[Path]) -> None:
        super().__init__()
        self.paths = paths
        self.comparison: Comparison | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Comparing…", style="bold"), id="screen-title", markup=False)
        with VerticalScroll(id="compare-body"):
            yield Static(id="compare-chart", markup=False)
            yield Static(
                Text("Items that moved (Enter opens one in the latest assessment)", style="bold"),
                markup=False,
            )
            yield OptionList(id="moved")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exit_on_error=False, group="compare")
    def load(self) -> None:
        loader = Loader()
        try:
            pairs = [loader.load(path)[:2] for path in self.paths]
            result = compare(pairs)
        except (LoadError, CompareError) as exc:
            self.app.call_from_thread(self.show_problem, str(exc))
            return
        self.app.call_from_thread(self.show, result)

    def show_problem(self, message: str) -> None:
        self.query_one("#screen-title", Static).update(
            Text(f"Cannot compare: {message}", style="bold red")
        )

    def show(self, comparison: Comparison) -> None:
        self.comparison = comparison
        latest = comparison.latest.assessment
        title = Text("Compare  ", style="bold")
        title.append_text(plain(latest.organization.name, "bold", single_line=True))
        title.append(f" · {len(comparison.entries)} assessments, oldest first", style="dim")
        self.query_one("#screen-title", Static).update(title)
        self.query_one("#compare-chart", Static).update(self.chart(comparison))
        moved = self.query_one("#moved", OptionList)
        options: list[Option | None] = []
        width = max(self.app.size.width - 24, 20)
        for change, rows in comparison.moved().items():
            header = Text(f"{change} ({len(rows)})", style="bold")
            header.append(f"  {CHANGES[change]}", style="dim")
            options.append(Option(header, disabled=True))
            for row in rows:
                levels = " → ".join(level_text(level) for level in row.levels)
                label = Text(f"  {levels:<12} ", style="bold")
                label.append_text(short(row.prompt or row.item, width))
                options.append(Option(label, id=row.item, disabled=row.prompt is None))
        if not options:
            options.append(Option(Text("Nothing moved.", style="dim"), disabled=True))
        moved.set_options(options)
        moved.focus()

    def chart(self, comparison: Comparison) -> Table:
        wide = self.app.size.width >= 100
        bar_width = 12 if wide else 6
        table = Table(box=None, pad_edge=False, show_edge=False, expand=False)
        table.add_column("")
        for entry in comparison.entries:
            table.add_column(entry.date.isoformat(), no_wrap=True)
        table.add_column("Δ", justify="right")
        table.add_column("trend")

        def row(label: Text, series: Series) -> None:
            cells: list[Text] = []
            for value in series.values:
                cell = Text(f"{score_text(value):>3} ", style=scored(value).style)
                cell.append_text(bar(value, bar_width))
                cells.append(cell)
            table.add_row(label, *cells, delta_text(series.delta), sparkline(series))

        row(Text("Overall", style="bold"), comparison.overall)
        for phase in comparison.phases:
            row(plain(phase.title, single_line=True), phase.scores)
        coverage = Series(tuple(None if v is None else v * 100 for v in comparison.coverage.values))
        row(Text("Answered %", style="dim"), coverage)
        return table

    @on(OptionList.OptionSelected, "#moved")
    def _open_item(self, event: OptionList.OptionSelected) -> None:
        item_id = event.option.id
        if item_id is None or self.comparison is None:
            return
        path = self.comparison.latest.path
        if path is None:
            return
        try:
            session = Session.open(path)
        except LoadError as exc:
            self.notify(str(exc), title="Cannot open", severity="error", markup=False)
            return
        open_session = getattr(self.app, "open_session", None)
        if callable(open_session):
            open_session(session, select=item_id)
