"""The new-assessment form: checklist, organization, role, title, date, assessors, and
optionally an earlier assessment to start from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from readiness.loading import (
    LoadError,
    checklist_dirs,
    iter_checklist_files,
    load_assessment,
    load_checklist,
    peek_checklist,
)
from readiness.model import Checklist
from readiness.session import Session, new_assessment, parse_date, propose_path
from readiness.storage import SaveError
from readiness.tui.render import plain
from readiness.tui.widgets.footer import KeyFooter

NONE = "__none__"


def checklist_choices(extra: str | None = None) -> list[tuple[str, str]]:
    """(label, path) of the checklists found, plus ``extra`` (a path given on the command line)."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for path in iter_checklist_files(checklist_dirs()):
        info = peek_checklist(path)
        if info.id is None or info.id in seen:
            continue
        seen.add(info.id)
        label = f"{info.title or info.id} ({info.id} {info.version or ''})".strip()
        out.append((label, str(path)))
    if extra:
        candidate = Path(extra)
        if candidate.exists():
            info = peek_checklist(candidate)
            if str(candidate) not in [p for _, p in out]:
                out.insert(0, (f"{info.title or candidate.name} ({candidate})", str(candidate)))
    return out


def literal(options: list[tuple[str, str]]) -> list[tuple[Text, str]]:
    """Select options whose labels (file names, checklist titles) are shown as written: a
    str label is read as markup ("a [draft].toml" lost its "[draft]", "[/]" crashed)."""
    return [(plain(label), value) for label, value in options]


class NewScreen(Screen[None]):
    """Create an assessment file, then answer it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "back"),
        Binding("ctrl+s", "create", "create"),
    ]

    def __init__(self, folder: Path, prefill: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.prefill = dict(prefill or {})
        self.checklist: Checklist | None = None
        self._output_edited = bool(self.prefill.get("output"))

    def _initial_checklist(self, choices: list[tuple[str, str]]) -> str | None:
        wanted = self.prefill.get("checklist")
        if wanted:
            for _, path in choices:
                if path == str(wanted) or peek_checklist(Path(path)).id == str(wanted):
                    return path
        return choices[0][1] if choices else None

    def compose(self) -> ComposeResult:
        choices = checklist_choices(self.prefill.get("checklist"))
        today = getattr(self.app, "today", dt.date.today())
        date = self.prefill.get("date") or today
        assessors = self.prefill.get("assessors") or []
        previous = [(p.name, str(p)) for p in sorted(self.folder.glob("*.toml"))]
        given_previous = self.prefill.get("from_previous")
        if given_previous and str(given_previous) not in [v for _, v in previous]:
            previous.insert(0, (Path(given_previous).name, str(given_previous)))
        yield Static(Text("New assessment", style="bold"), id="screen-title", markup=False)
        with VerticalScroll(id="new-form"):
            with Horizontal(classes="field-row"):
                yield Label("Checklist", classes="field-label")
                yield Select(
                    literal(choices),
                    id="n-checklist",
                    prompt="choose a checklist",
                    value=self._initial_checklist(choices) or Select.NULL,
                    compact=True,
                )
            with Horizontal(classes="field-row"):
                yield Label("Organization", classes="field-label")
                yield Input(
                    self.prefill.get("org") or "",
                    id="n-org",
                    compact=True,
                    placeholder="name of your organization",
                )
            with Horizontal(classes="field-row"):
                yield Label("Role", classes="field-label")
                yield Select([], id="n-role", prompt="kind of organization", compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Title", classes="field-label")
                yield Input(
                    self.prefill.get("title") or f"Self-assessment {date.year}"
                    if isinstance(date, dt.date)
                    else "",
                    id="n-title",
                    compact=True,
                )
            with Horizontal(classes="field-row"):
                yield Label("Date", classes="field-label")
                yield Input(str(date), id="n-date", compact=True, placeholder="YYYY-MM-DD")
            with Horizontal(classes="field-row"):
                yield Label("Assessors", classes="field-label")
                yield Input(
                    ", ".join(assessors),
                    id="n-assessors",
                    compact=True,
                    placeholder="names, separated by commas",
                )
            with Horizontal(classes="field-row"):
                yield Label("Start from", classes="field-label")
                yield Select(
                    literal([("nothing: a blank assessment", NONE), *previous]),
                    id="n-previous",
                    value=str(given_previous) if given_previous else NONE,
                    allow_blank=False,
                    compact=True,
                )
            with Horizontal(classes="field-row"):
                yield Label("Save to", classes="field-label")
                yield Input(str(self.prefill.get("output") or ""), id="n-output", compact=True)
            yield Static(
                Text(
                    "Starting from an earlier assessment copies its answers, marked ↺ until "
                    "you confirm (c) or change them.",
                    style="dim",
                ),
                markup=False,
            )
            yield Static(id="n-error", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("Create and answer", id="create", variant="primary")
                yield Button("Cancel", id="cancel")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#n-org", Input).focus()
        self._propose()
        value = self.query_one("#n-checklist", Select).value
        if isinstance(value, str):
            self.load_checklist(value)

    # ----------------------------------------------------------------- checklist and roles

    @on(Select.Changed, "#n-checklist")
    def _checklist_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.load_checklist(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="checklist")
    def load_checklist(self, path: str) -> None:
        try:
            checklist = load_checklist(Path(path))
        except LoadError as exc:
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.app.call_from_thread(self.checklist_loaded, checklist)

    def checklist_loaded(self, checklist: Checklist) -> None:
        self.checklist = checklist
        roles = [(actor.label, actor.id) for actor in checklist.actors]
        select: Select[str] = self.query_one("#n-role", Select)
        select.set_options(literal(roles))
        wanted = self.prefill.get("role")
        if wanted and wanted in checklist.actor_by_id:
            select.value = wanted
        elif len(roles) == 1:
            select.value = roles[0][1]

    # ----------------------------------------------------------------- path proposal

    @on(Input.Changed, "#n-org")
    @on(Input.Changed, "#n-date")
    def _propose(self) -> None:
        if self._output_edited:
            return
        org = self.query_one("#n-org", Input).value
        try:
            date = parse_date(self.query_one("#n-date", Input).value)
        except ValueError:
            return
        output = self.query_one("#n-output", Input)
        proposed = str(propose_path(org or "organization", date, self.folder))
        if output.value != proposed:
            output.value = proposed
            self._proposed = proposed

    @on(Input.Changed, "#n-output")
    def _output_changed(self, event: Input.Changed) -> None:
        if event.value != getattr(self, "_proposed", event.value):
            self._output_edited = True

    # ----------------------------------------------------------------- create

    def show_error(self, message: str) -> None:
        self.query_one("#n-error", Static).update(Text(message, style="bold red"))

    @on(Input.Submitted)
    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        try:
            session = self.build_session()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        try:
            session.save()
        except SaveError as exc:
            self.show_error(f"Not created: {exc}")
            return
        open_session = getattr(self.app, "open_session", None)
        if callable(open_session):
            open_session(session, replace=True)

    def build_session(self) -> Session:
        checklist = self.checklist
        if checklist is None:
            raise ValueError("choose a checklist (it is still loading, or it has errors)")
        org = self.query_one("#n-org", Input).value
        role = self.query_one("#n-role", Select).value
        if not isinstance(role, str):
            if checklist.actors:
                raise ValueError("choose the role (kind of organization)")
            role = "any"
        date = parse_date(self.query_one("#n-date", Input).value)
        assessors = [a for a in self.query_one("#n-assessors", Input).value.split(",") if a]
        previous_value = self.query_one("#n-previous", Select).value
        previous = None
        if isinstance(previous_value, str) and previous_value != NONE:
            try:
                previous, _ = load_assessment(Path(previous_value))
            except LoadError as exc:
                raise ValueError(f"cannot start from {previous_value}: {exc}") from None
            if previous.checklist != checklist.id:
                raise ValueError(
                    f"{Path(previous_value).name} answers checklist '{previous.checklist}', "
                    f"not '{checklist.id}'"
                )
        output_text = self.query_one("#n-output", Input).value.strip()
        path = Path(output_text) if output_text else None
        assessment = new_assessment(
            checklist,
            organization=org,
            role=role,
            date=date,
            title=self.query_one("#n-title", Input).value,
            assessors=assessors,
            from_previous=previous,
            path=path,
            folder=self.folder,
        )
        return Session.create(assessment, checklist)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            from readiness.tui.screens.start import StartScreen

            self.app.switch_screen(StartScreen(self.folder))
