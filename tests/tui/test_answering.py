"""The answering screen, driven by keys and the mouse; every test reads the saved file back."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, TextArea

from readiness.model import NOT_APPLICABLE, UNKNOWN
from readiness.tui import ReadinessApp
from readiness.tui.screens.answer import AnswerScreen
from readiness.tui.screens.gaps import GapsScreen
from readiness.tui.screens.help import HelpScreen
from readiness.tui.screens.summary import SummaryScreen
from readiness.tui.widgets.header import ScoreHeader
from readiness.tui.widgets.nav import NavTree

from .conftest import answer_app, answering, saved, screen_text, settle


async def test_opening_selects_the_first_unanswered_item_with_focus_on_the_navigation(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = answering(app)
        assert screen.current == "partners-listed"
        assert isinstance(app.focused, NavTree)
        assert screen.nav.current_item_id == "partners-listed"


async def test_a_number_key_sets_the_level_and_saves_the_file_at_once(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("3")
        await settle(pilot, app)
        answer = saved(assessment_path).answers["partners-listed"]
        assert answer.level == 3
        assert answer.updated is not None


async def test_x_and_u_record_not_applicable_and_unknown(assessment_path: Path) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("x")
        await settle(pilot, app)
        assert saved(assessment_path).answers["partners-listed"].level == NOT_APPLICABLE
        await pilot.press("u")
        await settle(pilot, app)
        assert saved(assessment_path).answers["partners-listed"].level == UNKNOWN


async def test_the_header_scores_change_live_with_each_answer(assessment_path: Path) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        header = app.screen.query_one(ScoreHeader)
        before = header.render_header().plain
        assert "answered 4/5" in before
        await pilot.press("4")
        await settle(pilot, app)
        after = header.render_header().plain
        assert "answered 5/5" in after
        assert "Pre-crisis 50 (3/3)" in after
        assert "Pre-crisis 25 (2/3)" in before
        assert "✓ saved" in after


async def test_up_and_down_move_between_items_skipping_section_lines(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("down")
        await settle(pilot, app)
        assert answering(app).current == "hotline"
        await pilot.press("up", "up")
        await settle(pilot, app)
        assert answering(app).current == "plan-tested"


async def test_clicking_a_level_with_the_mouse_answers_the_item(assessment_path: Path) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        levels = app.screen.query_one("#levels", OptionList)
        # The third option is level 2 ("Partly in place").
        await pilot.click(levels, offset=(4, 2))
        await settle(pilot, app)
        assert saved(assessment_path).answers["partners-listed"].level == 2


async def test_clicking_a_node_in_the_tree_selects_that_item(assessment_path: Path) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        nav = answering(app).nav
        line = nav.item_nodes["hotline"].line
        await pilot.click(nav, offset=(10, line - nav.scroll_offset.y + 1))
        await settle(pilot, app)
        assert answering(app).current == "hotline"
        await pilot.press("1")
        await settle(pilot, app)
        assert saved(assessment_path).answers["hotline"].level == 1


async def test_a_typed_note_is_saved_when_escape_leaves_the_field(assessment_path: Path) -> None:
    app = answer_app(assessment_path, save_delay=30)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        note = app.screen.query_one("#f-note", TextArea)
        note.focus()
        await pilot.press(*"Call 3 partners")
        assert note.text == "Call 3 partners"  # the digit went into the text, not the level
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.focused, NavTree)
        answer = saved(assessment_path).answers["partners-listed"]
        assert answer.note == "Call 3 partners"
        assert answer.level is None


async def test_typing_is_saved_after_a_short_pause_without_leaving_the_field(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path, save_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        owner = app.screen.query_one("#f-owner", Input)
        owner.focus()
        await pilot.press(*"Sami")
        await pilot.pause(0.2)  # the debounce itself is what is tested here
        await settle(pilot, app)
        assert app.focused is owner
        assert saved(assessment_path).answers["partners-listed"].owner == "Sami"


async def test_a_bad_due_date_is_shown_as_an_error_and_not_saved(assessment_path: Path) -> None:
    app = answer_app(assessment_path, select="plan-written")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        due = app.screen.query_one("#f-due", Input)
        due.focus()
        due.value = ""
        await pilot.press(*"2026-02-30", "escape")
        await settle(pilot, app)
        assert "Not saved" in str(app.screen.query_one("#due-error").render())
        assert str(saved(assessment_path).answers["plan-written"].due) == "2025-06-30"
        due.focus()
        due.value = ""
        await pilot.press(*"2026-09-01", "tab")
        await settle(pilot, app)
        assert str(saved(assessment_path).answers["plan-written"].due) == "2026-09-01"


async def test_tab_from_the_list_goes_straight_to_the_answer_and_escape_comes_back(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path, select="plan-written")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.focused is answering(app).nav
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "levels"
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "f-note"
        await pilot.press("shift+tab", "shift+tab")
        # Behind the levels: the item's text, to scroll with the keys.
        assert app.focused is not None and app.focused.id == "detail"
        await pilot.press("escape")
        assert app.focused is answering(app).nav


async def test_n_and_p_jump_to_the_next_and_previous_unanswered_items(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path, select="plan-written")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        assert answering(app).current == "partners-listed"
        await pilot.press("2", "n")
        await settle(pilot, app)
        # Everything applicable is answered now: n stays and says so.
        assert answering(app).current == "partners-listed"
        assert saved(assessment_path).answers["partners-listed"].level == 2


async def test_the_filter_cycles_through_all_unanswered_and_gaps(assessment_path: Path) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        nav = answering(app).nav
        assert set(nav.item_nodes) == {
            "plan-written",
            "plan-tested",
            "partners-listed",
            "hotline",
            "lessons",
        }
        await pilot.press("f")
        await settle(pilot, app)
        assert nav.filter == "unanswered"
        assert set(nav.item_nodes) == {"partners-listed"}
        await pilot.press("f")
        await settle(pilot, app)
        assert nav.filter == "gaps"
        assert set(nav.item_nodes) == {"plan-written", "plan-tested", "partners-listed"}
        await pilot.press("f")
        assert nav.filter == "all"


async def test_search_jumps_to_the_item_whose_prompt_matches(assessment_path: Path) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *"hotline", "enter")
        await settle(pilot, app)
        assert answering(app).current == "hotline"
        assert isinstance(app.focused, NavTree)
        await pilot.press("0")
        await settle(pilot, app)
        assert saved(assessment_path).answers["hotline"].level == 0


async def test_enter_on_the_gaps_screen_jumps_to_that_item(assessment_path: Path) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("g")
        await settle(pilot, app)
        gaps_screen = app.screen
        assert isinstance(gaps_screen, GapsScreen)
        # Same order as scoring.gaps: plan-written (2x1), partners-listed (1x3) ...
        order = [g.item.id for g in gaps_screen.gaps]
        assert order == [g.item.id for g in answering_session_gaps(app)]
        await pilot.press("down", "enter")
        await settle(pilot, app)
        assert answering(app).current == order[1]
        await pilot.press("4")
        await settle(pilot, app)
        assert saved(assessment_path).answers[order[1]].level == 4


def answering_session_gaps(app: ReadinessApp) -> list:  # type: ignore[type-arg]
    assert app.session is not None
    return app.session.gaps()


async def test_summary_and_help_open_and_close_with_their_keys(assessment_path: Path) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        assert isinstance(app.screen, SummaryScreen)
        assert "Getting ready" in screen_text(app) or "Ready" in screen_text(app)
        await pilot.press("escape", "question_mark")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen)
        assert "carried-over" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, AnswerScreen)


async def test_quitting_saves_pending_typing_without_asking(assessment_path: Path) -> None:
    app = answer_app(assessment_path, save_delay=30)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        action = app.screen.query_one("#f-action", Input)
        action.focus()
        await pilot.press(*"Ask the board")
        await app.action_quit()
        await pilot.pause()
    assert app.return_code in (0, None)
    assert saved(assessment_path).answers["partners-listed"].action == "Ask the board"


async def test_the_q_key_quits_at_once_when_everything_is_saved(assessment_path: Path) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("2", "q")
        await pilot.pause()
    assert app.return_code in (0, None)
    assert saved(assessment_path).answers["partners-listed"].level == 2


async def test_answers_to_items_the_checklist_no_longer_has_stay_in_the_file(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("1")
        await settle(pilot, app)
    retired = saved(assessment_path).answers["retired-item"]
    assert retired.level == 3
    assert retired.note == "Answer to an item a later checklist version removed."


async def test_the_role_toggle_shows_items_for_other_roles_marked(assessment_path: Path) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        nav = answering(app).nav
        assert "travel-documents" not in nav.item_nodes
        await pilot.press("a")
        await settle(pilot, app)
        assert "travel-documents" in nav.item_nodes
        assert "⊘" in str(nav.item_nodes["travel-documents"].label)
        await pilot.press("a")
        await settle(pilot, app)
        assert "travel-documents" not in nav.item_nodes


async def test_markup_in_user_text_is_shown_literally(assessment_path: Path) -> None:
    text = assessment_path.read_text(encoding="utf-8")
    text = text.replace('name = "Beirut Migrant Desk"', 'name = "[bold]x[/bold] Desk"')
    text = text.replace(
        'note = "Draft plan, not yet signed off."', 'note = "[red]draft[/] \\u001b[31mplan"'
    )
    assessment_path.write_text(text, encoding="utf-8")
    app = answer_app(assessment_path, select="plan-written")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        shown = screen_text(app)
        assert "[bold]x[/bold] Desk" in shown
        note = app.screen.query_one("#f-note", TextArea)
        assert "[red]draft[/]" in note.text
        await pilot.press("s")
        await settle(pilot, app)
        assert "[bold]x[/bold] Desk" in screen_text(app)
