"""The summary screen: score, bar and band per phase and section."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from readiness.scoring import BANDS, Tally
from readiness.session import Session
from readiness.tui.render import (
    RenderOnce,
    band_name,
    band_style,
    bar,
    plain,
    progress,
    scored,
)
from readiness.tui.widgets.footer import KeyFooter


class SummaryScreen(Screen[None]):
    """Scores per phase and section, with bars and readiness bands."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,s", "app.pop_screen", "back"),
        Binding("g", "gaps", "gaps"),
        Binding("q", "app.quit", "quit"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.filled = False
        """Whether the table is shown (just after the first frame)."""

    def compose(self) -> ComposeResult:
        yield Static(self.title_line(), id="screen-title", markup=False)
        with VerticalScroll(id="summary-body"):
            yield Static(id="summary-table", markup=False)
            legend = Static(self.legend(), id="summary-legend", markup=False)
            legend.display = False
            yield legend
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        # The table comes just after the first frame: laying it out and drawing it (10-15 ms)
        # in the same handler as the new screen went past 30 ms.
        self.call_after_refresh(self.fill)

    def fill(self) -> None:
        """Show the table (once) and the legend under it."""
        if self.filled:
            return
        self.filled = True
        # Drawn once per width: the Static renders its content to measure its height, then
        # again to draw it.
        self.query_one("#summary-table", Static).update(RenderOnce(self.table()))
        self.query_one("#summary-legend", Static).display = True

    def title_line(self) -> Text:
        assessment = self.session.assessment
        scores = self.session.scores()
        line = Text("Summary  ", style="bold")
        line.append_text(plain(assessment.organization.name, "bold", single_line=True))
        line.append(" · ")
        line.append_text(plain(assessment.title, single_line=True))
        line.append(f" · {assessment.date.isoformat()}\noverall ")
        line.append_text(scored(scores.overall, with_band=True))
        line.append(f" · answered {progress(scores.tally)}")
        return line

    def table(self) -> Table:
        scores = self.session.scores()
        wide = self.app.size.width >= 100
        table = Table(box=None, pad_edge=False, expand=True, show_edge=False)
        table.add_column("Phase / section", ratio=3, overflow="fold")
        table.add_column("Score", justify="right", no_wrap=True)
        table.add_column("", no_wrap=True)
        table.add_column("Band", no_wrap=True)
        table.add_column("Answered", justify="right", no_wrap=True)
        if wide:
            table.add_column("n/a", justify="right")
            table.add_column("Met", justify="right")
        width = 20 if wide else 10

        def add(title: Text, tally: Tally, score: Text) -> None:
            row: list[Text | str] = [
                title,
                score,
                bar(tally.score, width),
                Text(band_name(tally.score), style=band_style(tally.score)),
                progress(tally),
            ]
            if wide:
                row += [str(tally.not_applicable), str(tally.met)]
            table.add_row(*row)

        for phase in scores.phases:
            add(plain(phase.title, "bold"), phase.tally, scored(phase.tally.score))
            for section in phase.sections:
                # Section scores plain, phase scores coloured: the phases stand out.
                score = section.tally.score
                add(
                    Text("  ") + plain(section.title),
                    section.tally,
                    Text("–" if score is None else f"{score:.0f}"),
                )
        return table

    def legend(self) -> Text:
        out = Text("\nBands: ", style="dim")
        for n, band in enumerate(BANDS):
            if n:
                out.append(" · ", style="dim")
            out.append(f"{band.name} ≥ {band.lower:.0f}", style=band.style)
        out.append(
            "\nScores leave out n/a items; unknown and unanswered items count as 0.", style="dim"
        )
        return out

    def action_gaps(self) -> None:
        self.app.pop_screen()
        action = getattr(self.app.screen, "action_gaps", None)
        if callable(action):
            action()
