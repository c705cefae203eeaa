"""Modal dialogs for the never-lose-work rules: a failed save, a file changed on disk,
saving elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from readiness.session import Session
from readiness.storage import SaveError


class SaveProblemScreen(ModalScreen[str | None]):
    """Says why the last save failed and offers a way out. Dismisses with the choice:
    ``retry``, ``elsewhere``, ``reload``, ``discard`` (quit anyway) or ``cancel``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "choose('cancel')", "cancel")]

    def __init__(self, session: Session, *, quitting: bool = False) -> None:
        super().__init__()
        self.session = session
        self.quitting = quitting

    def compose(self) -> ComposeResult:
        session = self.session
        error = session.error
        text = Text()
        if session.conflict:
            text.append("The file changed on disk since you opened it.\n", style="bold red")
            text.append(
                "Someone else (or a git pull) wrote it. Your changes were NOT written over "
                "theirs; they are kept here. Reload the file (your unsaved changes are "
                "dropped) or save your version to another file.\n"
            )
        else:
            text.append("Your answers could not be saved.\n", style="bold red")
            text.append("They are kept in memory. Retry, or save them to another file.\n")
        if error is not None:
            text.append(str(error), style="dim")
        with Vertical(id="dialog"):
            yield Static(text, markup=False)
            with Horizontal(id="dialog-buttons"):
                if not session.conflict:
                    yield Button("Retry", id="retry", variant="primary")
                yield Button("Save elsewhere…", id="elsewhere", variant="primary")
                if session.conflict:
                    yield Button("Reload from disk", id="reload", variant="warning")
                if self.quitting:
                    yield Button("Quit without saving", id="discard", variant="error")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class SaveAsScreen(ModalScreen[Path | None]):
    """Ask for another file name and save there (refusing an existing file)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def suggestion(self) -> str:
        path = self.session.path or Path("assessment.toml")
        return str(path.with_name(f"{path.stem}-mine.toml"))

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Save your version to another file", style="bold"), markup=False)
            yield Input(self.suggestion(), id="save-as-path")
            yield Static(id="save-as-error", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#save-as-path", Input).focus()

    @on(Input.Submitted, "#save-as-path")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        text = self.query_one("#save-as-path", Input).value.strip()
        if not text:
            return
        path = Path(text).expanduser()
        if path.suffix != ".toml":
            path = path.with_name(path.name + ".toml")
        try:
            self.session.save_as(path)
        except SaveError as exc:
            self.query_one("#save-as-error", Static).update(Text(str(exc), style="bold red"))
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
