"""What keeps every handler short (issue 7: none blocks the event loop for more than 50 ms).

Screens fill after their first frame, the gaps table and the help draw their lines without
Rich's layout, a modal's backdrop is drawn once, the navigation repaints only the lines that
change, and the cycle collector's full passes run between handlers. Each must look and
behave exactly as before: the drawings are compared with Textual's and Rich's own.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.renderables.background_screen import BackgroundScreen
from textual.visual import RichVisual, Visual
from textual.widgets import DataTable, Input, Static

from readiness.tui import ReadinessApp, make_app, memory
from readiness.tui.render import RenderOnce
from readiness.tui.screens.answer import AnswerScreen
from readiness.tui.screens.gaps import GapsScreen
from readiness.tui.screens.help import KEYS, HelpScreen, KeyTable, scale_keys_text
from readiness.tui.screens.modal import Backdrop
from readiness.tui.screens.summary import SummaryScreen
from readiness.tui.widgets.table import TextTable

from .conftest import TODAY, answer_app, answering, screen_text, settle


def simple(lines: list[list[Segment]]) -> list[list[Segment]]:
    return [list(Segment.simplify(line)) for line in lines]


# ----------------------------------------------------------------- the gaps screen


async def test_the_gaps_table_gets_its_rows_after_the_first_frame_in_gap_order(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("g")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, GapsScreen)
        assert screen.filled
        table = screen.query_one("#gaps-table", DataTable)
        assert isinstance(table, TextTable)
        assert app.session is not None
        expected = [g.item.id for g in app.session.gaps()]
        assert [row.key.value for row in table.ordered_rows] == expected
        assert table.get_row_at(0)[0].plain == "1"
        screen.fill()  # once only
        assert table.row_count == len(expected)
        # Enter (or o) still opens the highlighted item.
        await pilot.press("down", "o")
        await settle(pilot, app)
        assert answering(app).current == expected[1]


async def test_open_before_the_rows_arrive_does_nothing(assessment_path: Path) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.session is not None
        screen = GapsScreen(app.session)
        screen.fill = lambda: None  # type: ignore[method-assign]  # the rows never come
        await app.push_screen(screen)
        await settle(pilot, app)
        await pilot.press("o")
        await settle(pilot, app)
        assert app.screen is screen


class TableApp(App[None]):
    """A TextTable and a DataTable with the same cells, of every kind."""

    CELLS: ClassVar[list[list[Any]]] = [
        [Text("1"), Text("plain"), Text("dim", style="dim"), Text("")],
        [
            Text("22"),
            Text.assemble(("bold", "bold"), " and ", ("red", "red")),
            Text("wide 漢字"),
            Text("x" * 40),  # wider than its column: cropped, the DataTable's way
        ],
        [Text("3"), "a [b]markup[/b] str", Text("two\nlines"), Text("tab\there")],
        [Text("4"), Text("right", justify="right"), Text("end", end=""), Text("ok")],
        [
            Text("5"),
            Text("line\u2028break"),  # a line separator Rich also splits at
            Text("bad style", style="no-such-style"),  # drawn unstyled, not a crash
            Text.assemble(("👩", "bold"), "\u200d👧"),  # a joined emoji split by a span
        ],
    ]

    def compose(self) -> ComposeResult:
        yield TextTable(id="fast", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="slow", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            table.add_column("#")
            table.add_column("Text")
            table.add_column("More")
            table.add_column("Fixed", width=12)
            for n, row in enumerate(self.CELLS):
                table.add_row(*row, key=str(n))


async def test_the_text_table_measures_and_draws_every_cell_as_the_data_table_does() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        fast = app.query_one("#fast", TextTable)
        slow = app.query_one("#slow", DataTable)
        assert [c.content_width for c in fast.ordered_columns] == [
            c.content_width for c in slow.ordered_columns
        ]
        assert fast.virtual_size == slow.virtual_size
        styles = [
            fast.rich_style,
            fast.get_component_styles("datatable--header").rich_style,
            fast.get_component_styles("datatable--even-row").rich_style,
            fast.get_component_styles("datatable--odd-row").rich_style,
        ]
        compared = 0
        for row in range(-1, len(TableApp.CELLS)):
            for column, spec in enumerate(fast.ordered_columns):
                width = spec.get_render_width(fast)
                for base in styles:
                    for cursor in (False, True):
                        for hover in (False, True):
                            fast._cell_render_cache.clear()
                            drawn = fast._render_cell(row, column, base, width, cursor, hover)
                            fast._cell_render_cache.clear()
                            expected = DataTable._render_cell(
                                fast, row, column, base, width, cursor, hover
                            )
                            assert simple(drawn) == simple(expected), (row, column)
                            compared += 1
        assert compared == 6 * 4 * 4 * 4


async def test_the_text_table_draws_the_same_screen_as_the_data_table() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.set_focus(None)  # the same state for both (focus changes the header's colour)
        await pilot.pause()
        fast = app.query_one("#fast", TextTable)
        slow = app.query_one("#slow", DataTable)
        assert fast.size == slow.size
        for y in range(fast.size.height):
            drawn, expected = fast.render_line(y), slow.render_line(y)
            assert simple([list(drawn)]) == simple([list(expected)]), y


# ----------------------------------------------------------------- the summary screen


async def test_the_summary_shows_its_table_and_legend_once_settled(assessment_path: Path) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        assert screen.filled
        assert screen.query_one("#summary-legend", Static).display
        text = screen_text(app)
        assert "Pre-crisis" in text
        assert "Bands:" in text
        assert text.index("Pre-crisis") < text.index("Bands:")


def test_render_once_draws_a_renderable_once_per_width_as_it_is() -> None:
    calls: list[int] = []

    class Counted:
        def __rich_console__(self, console: Console, options: Any) -> Any:
            calls.append(options.max_width)
            yield Text("x" * options.max_width)

    once = RenderOnce(Counted())
    console = Console(width=30)
    first = list(console.render(once, console.options))
    again = list(console.render(once, console.options.update(height=5)))
    other = list(console.render(once, console.options.update_width(10)))
    assert calls == [30, 10]
    assert first == again == list(console.render(Counted(), console.options))
    assert other != first


# ----------------------------------------------------------------- the help screen


def test_the_key_table_draws_what_the_rich_table_draws_at_every_width() -> None:
    # The app's console: markup on, highlighting off (RichVisual turns it off).
    console = Console(
        markup=True, highlight=False, emoji=False, force_terminal=True, legacy_windows=False
    )
    keys = KeyTable([(key.format(levels=scale_keys_text((0, 1, 2, 3, 4))), w) for key, w in KEYS])
    fast = 0

    def cells(segments: Any) -> list[tuple[str, Style | None]]:
        # A null style and no style draw the same (the widget's style is added to both).
        return [
            (char, style or None)
            for text, style, control in segments
            if not control
            for char in text
        ]

    for width in range(10, 201):
        options = console.options.update(width=width, highlight=False)
        drawn = cells(console.render(keys, options))
        assert drawn == cells(console.render(keys.table, options)), width
        fast += keys.lines(width) is not None
    assert fast > 100  # the usual widths take the quick way


async def test_the_help_backdrop_is_what_textual_draws_behind_a_modal(
    assessment_path: Path,
) -> None:
    for size in ((80, 24), (120, 40)):
        app = answer_app(assessment_path)
        async with app.run_test(size=size) as pilot:
            await settle(pilot, app)
            base = app.screen
            await pilot.press("question_mark")
            await settle(pilot, app)
            modal = app.screen
            assert isinstance(modal, HelpScreen)
            color = modal.styles.background
            width, height = modal.size
            style = modal.visual_style
            # The backdrop's own way is taken (lines as wide as the modal), not Textual's.
            assert all(line.cell_length == width for line in base._compositor.render_strips())
            drawn = Visual.to_strips(modal, Backdrop(modal, base, color), width, height, style)
            textual = Visual.to_strips(
                modal, RichVisual(modal, BackgroundScreen(base, color)), width, height, style
            )
            assert [list(s) for s in drawn] == [list(s) for s in textual]
            await pilot.press("escape")
            await settle(pilot, app)
            assert app.screen is base


async def test_the_help_backdrop_follows_changes_of_the_screen_below(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, HelpScreen)
        kept = modal._backdrop
        assert isinstance(kept, Backdrop)
        modal.refresh()  # a repaint of the help alone draws the same backdrop
        await settle(pilot, app)
        assert modal._backdrop is kept
        answering_screen(app).header.update("Changed below the help")
        await settle(pilot, app)
        assert modal._backdrop is not kept
        assert "Changed below the help" in screen_text(app)


def answering_screen(app: ReadinessApp) -> AnswerScreen:
    for screen in app.screen_stack:
        if isinstance(screen, AnswerScreen):
            return screen
    raise AssertionError("no answering screen")


# ----------------------------------------------------------------- the answering screen


async def test_an_answer_relabels_the_item_its_section_and_its_phase(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        nav = answering(app).nav
        item = nav.item_nodes["partners-listed"]
        section = nav.section_nodes["pre-partners"]
        phase = nav.phase_nodes["pre-crisis"]
        before = (str(item.label), str(section.label), str(phase.label))
        await pilot.press("3")
        await settle(pilot, app)
        after = (str(item.label), str(section.label), str(phase.label))
        assert after[0].startswith(" 3 ")
        assert after[1] != before[1] and after[2] != before[2]
        # The same label again changes nothing (no repaint).
        updates = phase._updates
        label = phase.label
        assert isinstance(label, Text)
        nav.relabel(phase, label.copy())
        assert phase._updates == updates


async def test_the_search_box_opens_over_the_list_without_resizing_it(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        body = app.screen.query_one("#body")
        height = body.size.height
        await pilot.press("slash")
        await settle(pilot, app)
        search = app.screen.query_one("#search", Input)
        assert search.display and search.has_focus
        assert body.size.height == height
        await pilot.press(*"hotline", "enter")
        await settle(pilot, app)
        assert not search.display
        assert answering(app).current == "hotline"
        assert answering(app).nav.current_item_id == "hotline"
        assert answering(app).nav.has_focus


# ----------------------------------------------------------------- the cycle collector


async def test_full_collections_wait_for_the_apps_timer_while_the_app_runs(
    assessment_path: Path,
) -> None:
    threshold = gc.get_threshold()
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert gc.get_threshold()[2] == memory.NEVER
        assert gc.get_freeze_count() > 0
        assert not memory.collect_if_due(due=1 << 20)
        assert memory.collect_if_due(due=0)
        assert any(timer.name == "collect" for timer in app._timers)
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0


async def test_an_app_that_never_answers_leaves_nothing_frozen(workspace: Path) -> None:
    threshold = gc.get_threshold()
    app = make_app(folder=workspace / "assessments", today=TODAY)  # the start screen only
    assert gc.get_freeze_count() > 0
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == threshold


async def test_closed_screens_are_let_go_so_full_collections_stay_short(
    assessment_path: Path,
) -> None:
    # Textual's style cache kept every closed screen alive (its issue #6665): after 150
    # summaries opened and closed, each full pass of the collector walked ~170,000 objects
    # (~90 ms) instead of ~13,000 (~1 ms), and ran in the app's timer: the UI froze.
    app = answer_app(assessment_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        memory.collect_if_due(due=0)
        settled = len(gc.get_objects())
        for _ in range(40):
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("escape")
            await pilot.pause()
        memory.collect_if_due(due=0)
        assert len(gc.get_objects()) < settled * 1.3
