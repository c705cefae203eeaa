"""The start screen: the assessments in a folder, and what to do with them."""

from __future__ import annotations

import datetime as dt
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from readiness.loading import LoadError, load_assessment, load_pair
from readiness.model import Assessment
from readiness.session import Session
from readiness.tui.render import plain, scored
from readiness.tui.widgets.footer import KeyFooter


@dataclass(frozen=True, slots=True)
class Entry:
    """One assessment file as the start screen lists it."""

    path: Path
    organization: str = ""
    title: str = ""
    date: dt.date | None = None
    checklist: str = ""
    coverage: float | None = None
    overall: float | None = None
    problem: str | None = None
    """Why it could not be scored (unreadable, checklist not found...)."""


def _entry(path: Path, assessment: Assessment, **scores: Any) -> Entry:
    return Entry(
        path,
        assessment.organization.name,
        assessment.title,
        assessment.date,
        assessment.checklist,
        **scores,
    )


def scan(folder: Path) -> list[Entry]:
    """Read every ``*.toml`` in ``folder``: newest first within each organization."""
    from readiness.scoring import score

    entries: list[Entry] = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            assessment, checklist, _ = load_pair(path)
        except LoadError as exc:
            # Still show whose file it is when only its checklist is the problem.
            try:
                readable, _ = load_assessment(path)
            except LoadError:
                entries.append(Entry(path, problem=exc.problems[0].message))
                continue
            entries.append(_entry(path, readable, problem=exc.problems[0].message))
            continue
        scores = score(assessment, checklist)
        entries.append(_entry(path, assessment, coverage=scores.coverage, overall=scores.overall))
    entries.sort(key=lambda e: (e.organization.casefold(), -(e.date or dt.date.min).toordinal()))
    return entries


def compare_available() -> bool:
    return importlib.util.find_spec("readiness.compare") is not None


DATE_WIDTH = 10  # 2026-03-20
ANSWERED_WIDTH = 8  # the heading "Answered"
SCORE_WIDTH = 12  # "cannot score"


def name_widths(total: int) -> tuple[int, int]:
    """Widths of the Organization and Title columns in a table ``total`` cells wide: what
    the other columns (each padded by a cell on both sides) and a scrollbar leave, shared
    evenly; the organization gets at most 40 cells and the title the rest (at most 80)."""
    fixed = DATE_WIDTH + ANSWERED_WIDTH + SCORE_WIDTH + 5 * 2 + 2
    spare = max(0, total - fixed)
    organization = max(10, min(40, spare // 2))
    return organization, max(10, min(80, spare - organization))


class StartScreen(Screen[None]):
    """Assessments found in the folder; open one, start a new one, or compare."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter reaches the table first (RowSelected); this entry shows it in the footer.
        Binding("o", "open", "open", key_display="enter/o"),
        Binding("n", "new", "new"),
        Binding("space", "mark", "mark"),
        Binding("c", "compare", "compare"),
        Binding("r", "refresh", "refresh"),
        Binding("q", "app.quit", "quit"),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.entries: list[Entry] = []
        self.marked: set[Path] = set()
        """Assessments picked (space) for a comparison."""
        self._widths: tuple[int, int] | None = None
        """The Organization and Title column widths in use (None until mounted)."""

    def compose(self) -> ComposeResult:
        title = Text("readiness", style="bold")
        title.append("  assessments in ", style="dim")
        title.append_text(plain(str(self.folder), "dim"))
        yield Static(title, id="screen-title", markup=False)
        yield DataTable(id="assessments", cursor_type="row", zebra_stripes=True)
        yield Static(id="start-hint", markup=False)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self._add_columns()
        self.query_one("#assessments", DataTable).focus()
        self.action_refresh()

    def _add_columns(self) -> None:
        table = self.query_one("#assessments", DataTable)
        self._widths = name_widths(self.app.size.width)
        organization, title = self._widths
        table.add_column("Organization", key="org", width=organization)
        table.add_column("Title", key="title", width=title)
        table.add_column("Date", key="date", width=DATE_WIDTH)
        table.add_column("Answered", key="coverage", width=ANSWERED_WIDTH)
        table.add_column("Score", key="score", width=SCORE_WIDTH)

    def on_resize(self) -> None:
        if self._widths is None or self._widths == name_widths(self.app.size.width):
            return
        table = self.query_one("#assessments", DataTable)
        table.clear(columns=True)
        self._add_columns()
        self.show_entries(self.entries)

    def action_refresh(self) -> None:
        self.load_entries()

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def load_entries(self) -> None:
        entries = scan(self.folder)
        self.app.call_from_thread(self.show_entries, entries)

    def show_entries(self, entries: list[Entry]) -> None:
        self.entries = entries
        table = self.query_one("#assessments", DataTable)
        row = table.cursor_row
        table.clear()
        width, title_width = self._widths or name_widths(self.app.size.width)
        for entry in entries:
            if entry.problem and not entry.organization:
                name = Text(entry.path.name, style="dim")
            else:
                name = plain(entry.organization, single_line=True)
            if entry.path in self.marked:
                name = Text("✓ ", style="bold") + name
            name.truncate(width, overflow="ellipsis")
            title = plain(entry.title or entry.path.name, single_line=True)
            title.truncate(title_width, overflow="ellipsis")
            coverage = "–" if entry.coverage is None else f"{entry.coverage * 100:.0f}%"
            result = (
                Text("cannot score", style="italic red") if entry.problem else scored(entry.overall)
            )
            table.add_row(
                name,
                title,
                entry.date.isoformat() if entry.date else "",
                coverage,
                result,
                key=str(entry.path),
            )
        if entries and row > 0:
            table.move_cursor(row=min(row, len(entries) - 1))
        hint = Text()
        if not entries:
            hint.append("No assessments here yet. Press n to start one.", style="bold")
        else:
            hint.append(
                f"{len(entries)} assessment(s). Enter opens the highlighted one; n starts a new "
                "one (optionally from an earlier one's answers); space marks assessments "
                "and c compares them (all of one organization when none are marked).",
                style="dim",
            )
            broken = [e for e in entries if e.problem]
            for entry in broken[:3]:
                hint.append("\n")
                hint.append_text(plain(f"{entry.path.name}: {entry.problem}", "yellow"))
        self.query_one("#start-hint", Static).update(hint)

    def highlighted(self) -> Entry | None:
        table = self.query_one("#assessments", DataTable)
        if not self.entries or table.cursor_row < 0 or table.cursor_row >= len(self.entries):
            return None
        return self.entries[table.cursor_row]

    @on(DataTable.RowSelected, "#assessments")
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        entry = self.highlighted()
        if entry is None:
            self.notify("Nothing to open: press n to start a new assessment.")
            return
        self.open_entry(entry.path)

    @work(thread=True, exit_on_error=False, group="open")
    def open_entry(self, path: Path) -> None:
        try:
            session = Session.open(path)
        except LoadError as exc:
            message = "\n".join(str(p) for p in exc.problems[:5])
            self.app.call_from_thread(
                self.notify, message, title="Cannot open", severity="error", markup=False
            )
            return
        open_session = getattr(self.app, "open_session", None)
        if callable(open_session):
            self.app.call_from_thread(open_session, session)

    def action_new(self) -> None:
        from readiness.tui.screens.new import NewScreen

        self.app.push_screen(NewScreen(self.folder, {}))

    def action_mark(self) -> None:
        entry = self.highlighted()
        if entry is None:
            return
        self.marked ^= {entry.path}
        self.show_entries(self.entries)

    def action_compare(self) -> None:
        if not compare_available():
            self.notify("Comparing assessments is not available in this version yet.")
            return
        from readiness.tui.screens.compare import CompareScreen

        usable = [e for e in self.entries if not e.problem]
        picked = [e.path for e in usable if e.path in self.marked]
        if len(picked) < 2:
            entry = self.highlighted()
            if entry is None or entry.problem:
                self.notify("Highlight an assessment (or mark two with space) to compare.")
                return
            picked = [e.path for e in usable if e.organization == entry.organization]
        if len(picked) < 2:
            self.notify(
                "Comparison needs two or more assessments of the same organization: "
                "mark them with space.",
                severity="warning",
            )
            return
        self.app.push_screen(CompareScreen(picked))

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.action_refresh()
