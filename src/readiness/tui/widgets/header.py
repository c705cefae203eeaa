"""The header of the answering screen: organization, scores per phase, coverage, save state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from readiness.session import Session
from readiness.tui.render import plain, score_text, scored


class ScoreHeader(Static):
    """Two or three lines, recomputed from the session on every answer."""

    DEFAULT_CSS = """
    ScoreHeader {
        height: auto;
        max-height: 4;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)
        self.session = session
        self.saving = False

    def on_mount(self) -> None:
        self.refresh_scores()

    def refresh_scores(self) -> None:
        self.update(self.render_header())

    def save_state(self) -> Text:
        session = self.session
        if session.conflict:
            return Text(" ✗ NOT SAVED: file changed on disk (w) ", style="bold reverse red")
        if session.error is not None:
            return Text(" ✗ NOT SAVED (w to retry) ", style="bold reverse red")
        if session.dirty or self.saving:
            return Text(" ● saving… ", style="yellow")
        return Text(" ✓ saved ", style="green")

    def render_header(self) -> Text:
        session = self.session
        scores = session.scores()
        org = session.assessment.organization
        first = Text()
        first.append_text(plain(org.name, "bold", single_line=True))
        first.append("  overall ")
        first.append_text(scored(scores.overall, with_band=True))
        tally = scores.tally
        first.append(f"  answered {tally.answered}/{tally.applicable}")
        first.append("  ")
        first.append_text(self.save_state())
        second = Text()
        for n, phase in enumerate(scores.phases):
            if n:
                second.append(" │ ", style="dim")
            # "Pre-crisis: preparedness in ordinary times" -> "Pre-crisis": the header
            # must fit 80 columns; the full titles are on the tree and summary screens.
            second.append_text(plain(phase.title.split(":")[0], single_line=True))
            second.append(" ")
            second.append(score_text(phase.tally.score), style=scored(phase.tally.score).style)
            second.append(f" ({phase.tally.answered}/{phase.tally.applicable})", style="dim")
        return Text("\n").join([first, second])
