"""What makes the answering screen quick to open: the navigation is filled just after the
first frame, the key footer is drawn once, the tree measures its lines without rendering
them. Each must behave as if the screen had been built all at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import Input, OptionList, Tree

from readiness.tui import ReadinessApp
from readiness.tui.screens.answer import AnswerScreen
from readiness.tui.widgets.footer import KeyFooter
from readiness.tui.widgets.nav import NavTree

from .conftest import answer_app, answering, saved, settle


def footer_keys(app: ReadinessApp) -> list[Widget]:
    """The footer's key widgets (Textual's FooterKey, matched by its CSS type name)."""
    return list(app.screen.query_one(KeyFooter).query("FooterKey"))


def described(app: ReadinessApp) -> list[str]:
    return [str(getattr(key, "description", "")) for key in footer_keys(app)]


# ----------------------------------------------------------------- the navigation


async def test_the_navigation_is_filled_and_the_item_selected_once_the_screen_settles(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path, select="lessons")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = answering(app)
        nav = screen.nav
        assert nav.filled
        assert set(nav.item_nodes) == {
            "plan-written",
            "plan-tested",
            "partners-listed",
            "hotline",
            "lessons",
        }
        assert screen.current == "lessons"
        assert nav.current_item_id == "lessons"
        assert isinstance(app.focused, NavTree)
        # The cursor line is on screen.
        assert nav.scroll_offset.y <= nav.cursor_line < nav.scroll_offset.y + nav.size.height


async def test_an_item_for_another_role_is_not_opened_even_before_the_tree_is_filled(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path, select="travel-documents")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert answering(app).current == "partners-listed"
        assert answering(app).nav.current_item_id == "partners-listed"


async def test_keys_pressed_before_the_tree_is_filled_are_kept(
    assessment_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fast typist may answer and jump before the tree is filled: the answer is saved,
    the jump fills the tree, and the late fill neither rebuilds nor moves the cursor."""
    fill = AnswerScreen._fill_nav
    monkeypatch.setattr(AnswerScreen, "_fill_nav", lambda self: None)
    app = answer_app(assessment_path, select="plan-written")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = answering(app)
        assert not screen.nav.filled
        await pilot.press("1")  # plan-written, shown before the tree is there
        await settle(pilot, app)
        assert saved(assessment_path).answers["plan-written"].level == 1
        await pilot.press("n")
        await settle(pilot, app)
        assert screen.nav.filled
        assert screen.current == "partners-listed"
        assert screen.nav.current_item_id == "partners-listed"
        assert " 1 " in str(screen.nav.item_nodes["plan-written"].label)
        nodes = dict(screen.nav.item_nodes)
        fill(screen)  # the fill scheduled at mount, arriving late
        await settle(pilot, app)
        assert screen.nav.item_nodes == nodes
        assert screen.nav.current_item_id == "partners-listed"


async def test_search_before_the_tree_is_filled_still_jumps(
    assessment_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AnswerScreen, "_fill_nav", lambda self: None)
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *"lessons", "enter")
        await settle(pilot, app)
        screen = answering(app)
        assert screen.current == "lessons"
        assert screen.nav.current_item_id == "lessons"
        assert isinstance(app.focused, NavTree)


async def test_the_tree_measures_each_line_as_wide_as_its_rendered_label(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        nav = answering(app).nav
        nav.section_nodes["pre-partners"].collapse()
        await pilot.pause()
        nodes = [
            *nav.phase_nodes.values(),
            *nav.section_nodes.values(),
            *nav.item_nodes.values(),
        ]
        assert nodes
        for node in nodes:
            assert nav.get_label_width(node) == Tree.get_label_width(nav, node)


# ----------------------------------------------------------------- the key footer


async def test_the_footer_shows_the_keys_in_the_first_frame(assessment_path: Path) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = described(app)
        assert shown[:3] == ["answer", "next", "search"]
        assert "quit" in shown


async def test_the_footer_is_not_rebuilt_when_the_focus_moves_but_the_keys_stay(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        before = footer_keys(app)
        app.screen.query_one("#levels", OptionList).focus()
        await settle(pilot, app)
        assert footer_keys(app) == before


async def test_the_footer_follows_the_keys_a_text_field_takes(assessment_path: Path) -> None:
    """In a text field the letter keys type: the footer stops offering them, and offers
    them again when Escape hands the focus back to the navigation."""
    app = answer_app(assessment_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        everywhere = described(app)
        app.screen.query_one("#f-owner", Input).focus()
        await settle(pilot, app)
        in_field = described(app)
        assert "quit" not in in_field
        assert in_field != everywhere
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.focused, NavTree)
        assert described(app) == everywhere
