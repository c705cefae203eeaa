"""The help screen: the key contract, as the footer shows it, with a sentence each."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from readiness.tui.render import RenderOnce
from readiness.tui.screens.modal import QuickModalScreen

KEYS: tuple[tuple[str, str], ...] = (
    ("{levels}", "set the level of the selected item (the checklist's scale)"),
    ("x", "not applicable (say why in the note)"),
    ("u", "unknown: nobody here knows yet"),
    ("c", "confirm a carried-over answer (↺) as still true"),
    ("n / p", "next / previous unanswered item"),
    ("↑ / ↓", "move between items; click a node or a level with the mouse"),
    ("Tab", "move into the answer fields; Escape comes back to the list"),
    ("/", "search the prompts (Enter jumps, / Enter again for the next)"),
    ("f", "filter the list: all / unanswered / gaps"),
    ("a", "show the items that do not apply to your role (marked ⊘)"),
    ("s", "summary: scores, bars and bands per phase and section"),
    ("g", "gaps, most urgent first; Enter opens the item"),
    ("w", "after a failed save: retry, save elsewhere or reload"),
    ("?", "this help"),
    ("q", "quit (everything is already saved)"),
)


def scale_keys_text(values: tuple[int, ...]) -> str:
    keys = [v for v in values if 0 <= v <= 9]
    if len(keys) > 1 and keys == list(range(keys[0], keys[-1] + 1)):
        return f"{keys[0]}–{keys[-1]}"
    return ",".join(str(k) for k in keys)


class KeyTable:
    """The keys and what they do, in two columns: a Rich Table (no borders, the keys bold,
    the whole width), drawn without the Table's layout when every line fits the width.

    Rich lays a Table out by measuring and wrapping every cell (~6 ms for these 15 rows, on
    opening the help). When each description fits on its line, the table's lines are just
    the key padded to the key column, a space of padding on either side of the column gap,
    and the description padded to the width: written out here, as the Table writes them
    (the tests compare the two). Otherwise (a narrow terminal wraps descriptions, markup,
    highlighting) the Table draws them.
    """

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self.rows = rows
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        for key, what in rows:
            table.add_row(key, what)
        self.table = table

    def lines(self, width: int) -> list[list[Segment]] | None:
        """The lines the Table draws at ``width``, or None if they are not that simple."""
        if any("[" in key or "[" in what for key, what in self.rows):
            return None  # the Table would read markup in them
        key_width = max(cell_len(key) for key, _ in self.rows)
        what_width = width - key_width - 2
        if what_width < 1 or any(cell_len(what) > what_width for _, what in self.rows):
            return None
        bold, plain = Style(bold=True), Style()
        return [
            [
                Segment(key + " " * (key_width - cell_len(key)), bold),
                Segment(" ", bold),
                Segment(" ", plain),
                Segment(what + " " * (what_width - cell_len(what))),
            ]
            for key, what in self.rows
        ]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = None if options.highlight else self.lines(options.max_width)
        if lines is None:
            yield self.table
            return
        new_line = Segment.line()
        for line in lines:
            yield from line
            yield new_line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.table)


class HelpScreen(QuickModalScreen[None]):
    """Every key of the answering screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "close"),
    ]

    def __init__(self, values: tuple[int, ...] = (0, 1, 2, 3, 4)) -> None:
        super().__init__()
        self.values = values

    def compose(self) -> ComposeResult:
        levels = scale_keys_text(self.values)
        table = KeyTable([(key.format(levels=levels), what) for key, what in KEYS])
        note = Text(
            "\nEvery change is saved at once. Typing is saved half a second after you stop, "
            "and when you leave the field. Press Escape or ? to close.",
            style="dim",
        )
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys", style="bold"), markup=False)
            yield Static(RenderOnce(table), markup=False)
            yield Static(note, markup=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
