"""The help screen: the key contract, as the footer shows it, with a sentence each."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

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


class HelpScreen(ModalScreen[None]):
    """Every key of the answering screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "close"),
    ]

    def __init__(self, values: tuple[int, ...] = (0, 1, 2, 3, 4)) -> None:
        super().__init__()
        self.values = values

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        for key, what in KEYS:
            table.add_row(key.format(levels=scale_keys_text(self.values)), what)
        note = Text(
            "\nEvery change is saved at once. Typing is saved half a second after you stop, "
            "and when you leave the field. Press Escape or ? to close.",
            style="dim",
        )
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys", style="bold"), markup=False)
            yield Static(table, markup=False)
            yield Static(note, markup=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
