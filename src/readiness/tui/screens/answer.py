"""The answering screen: navigation on the left, the selected item and its answer on the right.

Keys are a contract (docs and the help screen list them): the scale's values set the level,
``x`` n/a, ``u`` unknown, ``n``/``p`` next/previous unanswered, ``/`` search, ``f`` filter,
``s`` summary, ``g`` gaps, ``?`` help, ``q`` quit. They are bound on the screen, so they work
while the navigation (or the level list) has focus; text fields take printable keys only
while focused, and Escape hands the focus back to the navigation.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Select, Static, TextArea, Tree
from textual.widgets.option_list import Option

from readiness.model import CONFIDENCES, NOT_APPLICABLE, STATUSES, UNKNOWN, Item, Level
from readiness.session import TEXT_FIELDS, Session
from readiness.textsafe import clean
from readiness.tui.messages import SaveStateChanged
from readiness.tui.render import level_word, plain, progress, score_text
from readiness.tui.widgets.footer import KeyFooter
from readiness.tui.widgets.header import ScoreHeader
from readiness.tui.widgets.nav import FILTERS, NavTree, NodeRef

FIELD_IDS = {"note": "f-note", "evidence": "f-evidence", "action": "f-action", "owner": "f-owner"}


def scale_keys(values: tuple[int, ...]) -> str:
    """How the level keys are shown: ``0-4`` for a run of values, else ``1,3,5``."""
    keys = [v for v in values if 0 <= v <= 9]
    if keys and keys == list(range(keys[0], keys[-1] + 1)) and len(keys) > 1:
        return f"{keys[0]}-{keys[-1]}"
    return ",".join(str(k) for k in keys)


class AnswerScreen(Screen[None]):
    """Answer the items of one assessment; every change is saved at once."""

    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, session: Session, *, select: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.initial_item = select
        self.current: str | None = None
        self._pending: dict[tuple[str, str], str] = {}
        self._timer: Timer | None = None
        self._search_text = ""
        self._bind_keys()

    def _bind_keys(self) -> None:
        scale = self.session.checklist.scale
        bind = self._bindings.bind
        # The footer shows every answer key in one entry so the whole contract fits in 80
        # columns; the help screen spells each out.
        display = scale_keys(scale.values)
        if scale.allow_not_applicable:
            display += " x"
        if scale.allow_unknown:
            display += " u"
        first = True
        for value in scale.values:
            if 0 <= value <= 9:
                bind(str(value), f"set_level({value})", "answer" if first else "", first, display)
                first = False
        if scale.allow_not_applicable:
            bind("x", "set_level('n/a')", "n/a", show=False)
        if scale.allow_unknown:
            bind("u", "set_level('unknown')", "unknown", show=False)
        bind("n", "next_unanswered", "next", key_display="n/p")
        bind("p", "previous_unanswered", "previous unanswered", show=False)
        bind("slash", "search", "search", key_display="/")
        bind("f", "cycle_filter", "filter")
        bind("s", "summary", "summary")
        bind("g", "gaps", "gaps")
        bind("question_mark", "help", "help", key_display="?")
        bind("q", "app.quit", "quit")
        bind("c", "confirm", "confirm", show=False)
        bind("a", "toggle_roles", "all roles", show=False)
        bind("w", "app.save_problem", "save problem", show=False)
        bind("escape", "leave_field", "back to list", show=False)

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield ScoreHeader(self.session, id="score-header")
        with Horizontal(id="body"):
            yield NavTree(self.session, id="nav")
            with VerticalScroll(id="detail"):
                yield Static(id="item-info", markup=False)
                with Vertical(id="answer"):
                    yield Static(id="levels-label", markup=False)
                    yield OptionList(id="levels")
                    with Grid(id="fields"):
                        yield Label("Note", classes="field-label")
                        yield TextArea(id="f-note", soft_wrap=True, compact=True)
                        yield Label("Evidence", classes="field-label")
                        yield Input(id="f-evidence", compact=True, placeholder="document, log…")
                        yield Label("Confidence", classes="field-label")
                        yield Select(
                            [(c, c) for c in CONFIDENCES],
                            id="f-confidence",
                            prompt="not set",
                            compact=True,
                        )
                        yield Label("Action", classes="field-label")
                        yield Input(id="f-action", compact=True, placeholder="planned step")
                        yield Label("Owner", classes="field-label")
                        yield Input(id="f-owner", compact=True, placeholder="who")
                        yield Label("Due", classes="field-label")
                        yield Input(id="f-due", compact=True, placeholder="YYYY-MM-DD")
                    yield Static(id="due-error", markup=False)
                    with Horizontal(classes="field-row"):
                        yield Label("Status", classes="field-label")
                        yield Select(
                            [(s, s) for s in STATUSES],
                            id="f-status",
                            prompt="not set",
                            compact=True,
                        )
        yield Input(id="search", placeholder="search prompts, Enter to jump, Esc to close")
        yield KeyFooter(compact=True)

    @property
    def nav(self) -> NavTree:
        return self.query_one("#nav", NavTree)

    @property
    def header(self) -> ScoreHeader:
        return self.query_one("#score-header", ScoreHeader)

    def on_mount(self) -> None:
        nav = self.nav
        self._update_nav_title()
        target = self.initial_item
        if target is None or not nav.shows(target):
            first = self.session.first_unanswered()
            target = first.id if first else None
        nav.focus()
        if target is not None:
            self.show_item(target)
        # The tree is filled just after the first frame: a Tree drops the lines it has drawn
        # when it is first given its size, so filled before, its lines were drawn twice.
        self.call_after_refresh(self._fill_nav)

    def _fill_nav(self) -> None:
        """Fill the navigation (unless a jump already did) and select the item shown."""
        nav = self.nav
        if not nav.filled:
            nav.rebuild()
            if self.current is not None:
                nav.select_item(self.current)
        # Filled: what the screen holds now stays until the app ends.
        freeze = getattr(self.app, "freeze_long_lived", None)
        if callable(freeze):
            freeze()

    # ----------------------------------------------------------------- showing

    def _update_nav_title(self) -> None:
        nav = self.nav
        roles = " · all roles" if nav.show_all_roles else ""
        nav.border_title = f"items: {nav.filter}{roles}"

    @on(Tree.NodeHighlighted, "#nav")
    def _node_highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        data = event.node.data
        if data is None:
            return
        if data.kind == "item":
            if data.id != self.current:
                self.show_item(data.id)
        else:
            self.show_group(data)

    def show_group(self, ref: NodeRef) -> None:
        self.flush_edits()
        self.current = None
        scores = self.session.scores()
        checklist = self.session.checklist
        info = Text()
        if ref.kind == "phase":
            phase = scores.phase(ref.id)
            info.append_text(plain(phase.title, "bold"))
            tally = phase.tally
        else:
            section = checklist.section_by_id[ref.id]
            phase_score = scores.phase(section.phase)
            tally = next(s.tally for s in phase_score.sections if s.id == ref.id)
            info.append_text(plain(phase_score.title, "dim"))
            info.append(" › ", style="dim")
            info.append_text(plain(section.title, "bold"))
            if section.description:
                info.append("\n")
                info.append_text(plain(section.description))
        info.append(f"\nscore {score_text(tally.score)} · answered {progress(tally)}")
        info.append(f" · n/a {tally.not_applicable} · unknown {tally.unknown}")
        info.append("\n\nSelect an item (down arrow) to answer it.", style="dim")
        self.query_one("#item-info", Static).update(info)
        self.query_one("#answer").display = False

    def item_info(self, item: Item) -> Text:
        session = self.session
        checklist = session.checklist
        answer = session.answer(item.id)
        section = checklist.section_by_id[item.section]
        phase = checklist.phase_by_id[section.phase]
        out = Text()
        out.append_text(plain(phase.title, "dim", single_line=True))
        out.append(" › ", style="dim")
        out.append_text(plain(section.title, "dim", single_line=True))
        out.append(
            f" · {item.id} · weight {item.weight} · target {checklist.target_of(item)}\n",
            style="dim",
        )
        out.append_text(plain(item.prompt, "bold"))
        if answer.carried_over:
            out.append(
                "\n↺ Carried over from the previous assessment: press c to confirm it, "
                "or set a level.",
                style="bold yellow",
            )
        if not session.applies(item):
            out.append(
                f"\n⊘ Not for this organization's role ({session.assessment.organization.role}): "
                "does not count in the scores.",
                style="italic",
            )
        if item.guidance:
            out.append("\n")
            out.append_text(plain(item.guidance))
        if item.evidence:
            out.append("\nEvidence to look for:", style="bold")
            for line in item.evidence:
                out.append("\n • ")
                out.append_text(plain(line))
        if item.practices:
            out.append("\nExample practices:", style="bold")
            for line in item.practices:
                out.append("\n • ")
                out.append_text(plain(line))
        if item.refs:
            out.append("\nSources: ", style="bold")
            for n, ref in enumerate(item.refs):
                source = checklist.source_by_id.get(ref.source)
                title = source.title if source else ref.source
                if n:
                    out.append("; ")
                out.append_text(plain(title, single_line=True))
                if source and source.year:
                    out.append(f" ({source.year})")
                if ref.section:
                    out.append(", ")
                    out.append_text(plain(ref.section, single_line=True))
        if item.depends_on:
            out.append(f"\nDepends on: {', '.join(item.depends_on)}", style="dim")
        return out

    def level_options(self) -> tuple[list[Option], int | None]:
        session = self.session
        scale = session.checklist.scale
        current = session.answer(self.current).level if self.current else None
        options: list[Option] = []
        highlight: int | None = None
        choices: list[tuple[Level, str, str, str | None]] = [
            (level.value, str(level.value), level.label, level.description)
            for level in scale.levels
        ]
        if scale.allow_not_applicable:
            choices.append(("n/a", "x", "n/a", "Not applicable: say why in the note"))
        if scale.allow_unknown:
            choices.append(("unknown", "u", "unknown", "Nobody here knows yet (scores 0)"))
        for n, (value, key, label, description) in enumerate(choices):
            chosen = value == current
            if chosen:
                highlight = n
            prompt = Text("● " if chosen else "○ ", style="bold" if chosen else "dim")
            prompt.append(f"{key} ", style="bold")
            prompt.append_text(plain(label, "bold" if chosen else "", single_line=True))
            if description:
                prompt.append(" — ", style="dim")
                prompt.append_text(plain(description, "dim"))
            options.append(Option(prompt, id=f"level:{value}"))
        return options, highlight

    def show_item(self, item_id: str) -> None:
        """Show an item and its answer in the detail pane (flushing edits of the previous one)."""
        self.flush_edits()
        item = self.session.checklist.item_by_id.get(item_id)
        if item is None:
            return
        self.current = item_id
        self.query_one("#answer").display = True
        self.query_one("#item-info", Static).update(self.item_info(item))
        self.refresh_levels()
        answer = self.session.answer(item_id)
        for name, widget_id in FIELD_IDS.items():
            # Shown without terminal control sequences (a file can hold them: they would
            # act on the terminal); saved as it is unless the user edits the field.
            value = clean(getattr(answer, name) or "")
            if name == "note":
                area = self.query_one(f"#{widget_id}", TextArea)
                if area.text != value:
                    area.load_text(value)
            else:
                field = self.query_one(f"#{widget_id}", Input)
                if field.value != value:
                    field.value = value
        due = self.query_one("#f-due", Input)
        due_text = answer.due.isoformat() if answer.due else ""
        if due.value != due_text:
            due.value = due_text
        self.show_due_error(None)
        for name in ("confidence", "status"):
            select: Select[str] = self.query_one(f"#f-{name}", Select)
            value = getattr(answer, name)
            if value is None:
                if select.value is not Select.NULL:
                    select.clear()
            elif select.value != value:
                select.value = value
        self.query_one("#detail", VerticalScroll).scroll_home(animate=False)

    def refresh_levels(self) -> None:
        options, highlight = self.level_options()
        levels = self.query_one("#levels", OptionList)
        levels.set_options(options)
        levels.highlighted = highlight
        current = self.session.answer(self.current) if self.current else None
        labels = {level.value: level.label for level in self.session.checklist.scale.levels}
        text = Text("Answer: ", style="bold")
        text.append(level_word(current.level if current else None, labels))
        keys = scale_keys(self.session.checklist.scale.values)
        text.append(f"   (click, or press {keys}, x, u)", style="dim")
        self.query_one("#levels-label", Static).update(text)

    # ----------------------------------------------------------------- changes

    def after_change(self, item_id: str) -> None:
        """An answer changed: relabel its nodes, rescore the header, save."""
        self.nav.refresh_item(item_id)
        self.header.refresh_scores()
        if item_id == self.current:
            item = self.session.checklist.item_by_id.get(item_id)
            if item is not None:
                self.query_one("#item-info", Static).update(self.item_info(item))
            self.refresh_levels()
        self.app_request_save()

    def app_request_save(self) -> None:
        request = getattr(self.app, "request_save", None)
        if callable(request):
            request()

    def action_set_level(self, level: Level) -> None:
        if self.current is None:
            self.notify("Select an item first (down arrow).", severity="warning")
            return
        try:
            self.session.set_level(self.current, level)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.after_change(self.current)

    @on(OptionList.OptionSelected, "#levels")
    def _level_clicked(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        raw = option_id.removeprefix("level:")
        level: Level = raw if raw in (NOT_APPLICABLE, UNKNOWN) else int(raw)  # type: ignore[assignment]
        self.action_set_level(level)

    def action_confirm(self) -> None:
        if self.current is None:
            return
        if self.session.confirm(self.current):
            self.after_change(self.current)
            self.notify("Confirmed: the carried-over answer is kept.")
        else:
            self.notify("This answer is not carried over: nothing to confirm.")

    # ----------------------------------------------------------------- text fields

    def _field_of(self, widget_id: str | None) -> str | None:
        for name, wid in FIELD_IDS.items():
            if wid == widget_id:
                return name
        return "due" if widget_id == "f-due" else None

    def _stored_text(self, name: str) -> str:
        if self.current is None:
            return ""
        answer = self.session.answer(self.current)
        if name == "due":
            return answer.due.isoformat() if answer.due else ""
        value = getattr(answer, name)
        return clean(str(value)) if value else ""  # as the field shows it

    def _edited(self, name: str, value: str) -> None:
        if self.current is None:
            return
        key = (self.current, name)
        if value == self._stored_text(name) and key not in self._pending:
            return  # a programmatic load, not an edit
        self._pending[key] = value
        if self._timer is not None:
            self._timer.stop()
        delay = getattr(self.app, "save_delay", 0.5)
        self._timer = self.set_timer(delay, self.flush_edits)

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        name = self._field_of(event.input.id)
        if name is not None:
            self._edited(name, event.value)

    @on(TextArea.Changed, "#f-note")
    def _note_changed(self, event: TextArea.Changed) -> None:
        self._edited("note", event.text_area.text)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if self.current is None or event.select.id not in ("f-confidence", "f-status"):
            return
        value = None if event.value is Select.NULL else str(event.value)
        before = self.session.revision
        if event.select.id == "f-confidence":
            self.session.set_confidence(self.current, value)
        else:
            self.session.set_status(self.current, value)
        if self.session.revision != before:
            self.after_change(self.current)

    def on_descendant_blur(self) -> None:
        self.flush_edits()

    def on_screen_suspend(self) -> None:
        self.flush_edits()

    def flush_edits(self) -> None:
        """Write pending text edits into the session and save (debounce end, blur, quit)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        changed: set[str] = set()
        for (item_id, name), value in pending.items():
            before = self.session.revision
            if name == "due":
                try:
                    self.session.set_due(item_id, value)
                except ValueError as exc:
                    if item_id == self.current:
                        self.show_due_error(f"Not saved: {exc}")
                    self.refused_due = value
                    self.notify(f"Due date not saved: {exc}", severity="error", markup=False)
                    continue
                self.refused_due = None
                if item_id == self.current:
                    self.show_due_error(None)
            elif name in TEXT_FIELDS:
                self.session.set_text(item_id, name, value)
            if self.session.revision != before:
                changed.add(item_id)
        for item_id in changed:
            self.nav.refresh_item(item_id)
        if changed:
            self.header.refresh_scores()
            self.app_request_save()

    refused_due: str | None = None
    """A due date typed but not saved (not a date); quitting warns once about it."""

    def show_due_error(self, message: str | None) -> None:
        error = self.query_one("#due-error", Static)
        error.update(Text(message or "", style="bold red"))
        error.display = message is not None

    # ----------------------------------------------------------------- navigation

    def go_to(self, item_id: str) -> None:
        nav = self.nav
        rebuilt = False
        if item_id not in nav.item_nodes:
            item = self.session.checklist.item_by_id.get(item_id)
            nav.filter = "all"
            if item is not None and not self.session.applies(item):
                nav.show_all_roles = True
            nav.rebuild()
            self._update_nav_title()
            rebuilt = True
        self.show_item(item_id)
        self.focus_nav()
        if rebuilt:
            # A rebuilt tree has its lines laid out after the next refresh.
            self.call_after_refresh(nav.select_item, item_id)
        else:
            # Selected now, the tree is drawn once (scrolled and with its focus) rather than
            # once now and again after the refresh.
            nav.select_item(item_id)

    def focus_nav(self) -> None:
        """Give the navigation the focus, unless it has it: Widget.focus repaints the widget
        even then, and a repaint of the whole tree is 10-15 ms."""
        nav = self.nav
        if not nav.has_focus:
            nav.focus()

    def action_next_unanswered(self, backwards: bool = False) -> None:
        found = self.session.next_unanswered(self.current, backwards=backwards)
        if found is None:
            self.notify("Every applicable item has an answer.")
            return
        self.go_to(found.id)

    def action_previous_unanswered(self) -> None:
        self.action_next_unanswered(backwards=True)

    def action_enter_answer(self) -> None:
        """Tab from the navigation: to the level list, the first of the answer fields.
        (Shift+Tab from there reaches the item's text, to scroll it with the keys.)"""
        if self.query_one("#answer").display:
            self.query_one("#levels", OptionList).focus()
        else:
            self.focus_next()

    def action_leave_field(self) -> None:
        search = self.query_one("#search", Input)
        if search.display:
            search.display = False
        self.flush_edits()
        self.focus_nav()

    def action_cycle_filter(self) -> None:
        nav = self.nav
        nav.filter = FILTERS[(FILTERS.index(nav.filter) + 1) % len(FILTERS)]
        self._rebuild_keeping_selection()
        self.notify(f"Showing {nav.filter} items", timeout=2)

    def action_toggle_roles(self) -> None:
        nav = self.nav
        nav.show_all_roles = not nav.show_all_roles
        self._rebuild_keeping_selection()
        shown = "shown, marked ⊘" if nav.show_all_roles else "hidden"
        self.notify(f"Items for other roles {shown}", timeout=2)

    def _rebuild_keeping_selection(self) -> None:
        nav = self.nav
        self.flush_edits()
        nav.rebuild()
        self._update_nav_title()
        target = self.current if self.current in nav.item_nodes else None
        if target is None and nav.item_nodes:
            target = next(iter(nav.item_nodes))
        if target is not None:
            self.show_item(target)
            self.call_after_refresh(nav.select_item, target)

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.value = self._search_text
        search.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self._search_text = event.value
        nav = self.nav
        matches = self.session.search(event.value, all_roles=nav.show_all_roles)
        event.input.display = False
        if not matches:
            self.notify(f"No prompt contains “{event.value}”.", severity="warning", markup=False)
            self.focus_nav()
            return
        ids = [m.id for m in matches]
        order = [i.id for i in self.session.items(all_roles=True)]
        here = order.index(self.current) if self.current in order else -1
        after = [i for i in ids if order.index(i) > here]
        target = after[0] if after else ids[0]
        self.go_to(target)
        self.notify(f"Match {ids.index(target) + 1} of {len(ids)} (/ then Enter for the next)")

    def action_summary(self) -> None:
        from readiness.tui.screens.summary import SummaryScreen

        self.flush_edits()
        self.app.push_screen(SummaryScreen(self.session))

    def action_gaps(self) -> None:
        from readiness.tui.screens.gaps import GapsScreen

        self.flush_edits()
        self.app.push_screen(GapsScreen(self.session), callback=self._jump_from_gaps)

    def _jump_from_gaps(self, item_id: str | None) -> None:
        if item_id:
            self.go_to(item_id)

    def action_help(self) -> None:
        from readiness.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.session.checklist.scale.values))

    # ----------------------------------------------------------------- app events

    def on_save_state_changed(self, _: SaveStateChanged) -> None:
        self.header.refresh_scores()

    def session_reloaded(self) -> None:
        self._pending.clear()
        self.nav.rebuild()
        self.header.refresh_scores()
        target = self.current if self.current in self.nav.item_nodes else None
        if target is None:
            first = self.session.first_unanswered()
            target = first.id if first else None
        if target is not None:
            self.current = None
            self.show_item(target)
            self.call_after_refresh(self.nav.select_item, target)
