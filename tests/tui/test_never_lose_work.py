"""Saving rules: refuse to overwrite a file changed on disk, keep data when a save fails,
save before dying on an unexpected error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Button, Input

from readiness.loading import load_assessment
from readiness.tui.screens.answer import AnswerScreen
from readiness.tui.screens.dialogs import SaveAsScreen, SaveProblemScreen
from readiness.tui.widgets.header import ScoreHeader

from .conftest import answer_app, saved
from .test_answering import settle


async def test_a_file_changed_on_disk_is_not_overwritten_and_a_dialog_offers_a_way_out(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        # Someone else saves the file meanwhile.
        theirs = assessment_path.read_text(encoding="utf-8") + "\n# edited elsewhere\n"
        assessment_path.write_text(theirs, encoding="utf-8")
        await pilot.press("4")
        await settle(pilot, app)
        assert assessment_path.read_text(encoding="utf-8") == theirs
        assert isinstance(app.screen, SaveProblemScreen)
        assert app.session is not None and app.session.conflict
        assert app.session.answer("partners-listed").level == 4  # kept in memory
        ids = {b.id for b in app.screen.query(Button)}
        assert {"elsewhere", "reload"} <= ids
        await pilot.click("#elsewhere")
        await settle(pilot, app)
        assert isinstance(app.screen, SaveAsScreen)
        target = assessment_path.with_name("mine.toml")
        field = app.screen.query_one("#save-as-path", Input)
        field.value = str(target)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, AnswerScreen)
    assert saved(target).answers["partners-listed"].level == 4
    assert assessment_path.read_text(encoding="utf-8") == theirs


async def test_reloading_after_an_external_change_shows_the_file_as_it_is_now(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        text = assessment_path.read_text(encoding="utf-8")
        assessment_path.write_text(
            text + "\n[answers.partners-listed]\nlevel = 1\n", encoding="utf-8"
        )
        await pilot.press("4")
        await settle(pilot, app)
        await pilot.click("#reload")
        await settle(pilot, app)
        assert app.session is not None
        assert app.session.answer("partners-listed").level == 1
        assert not app.session.dirty
        await pilot.press("3")
        await settle(pilot, app)
    assert saved(assessment_path).answers["partners-listed"].level == 3


async def test_a_failed_save_keeps_the_answers_and_says_so_until_a_retry_works(
    assessment_path: Path,
) -> None:
    folder = assessment_path.parent
    backup = folder.with_name("backup")
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        # The folder disappears and a file takes its name: nothing can be written there.
        shutil.move(folder, backup)
        folder.write_text("not a folder", encoding="utf-8")
        await pilot.press("2")
        await settle(pilot, app)
        assert app.session is not None and app.session.error is not None
        assert app.session.dirty
        header = app.screen.query_one(ScoreHeader).render_header().plain
        assert "NOT SAVED" in header
        assert any("Could not save" in str(n.message) for n in app._notifications)
        # The folder comes back: w offers a retry that works.
        folder.unlink()
        shutil.move(backup, folder)
        await pilot.press("w")
        await settle(pilot, app)
        assert isinstance(app.screen, SaveProblemScreen)
        await pilot.click("#retry")
        await settle(pilot, app)
        assert not app.session.dirty
        assert "✓ saved" in app.screen.query_one(ScoreHeader).render_header().plain
    assert saved(assessment_path).answers["partners-listed"].level == 2


async def test_a_file_deleted_while_open_is_written_again_and_the_user_is_told(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assessment_path.unlink()  # or `git mv`-ed away while the screen is open
        await pilot.press("2")
        await settle(pilot, app)
        assert app.session is not None and not app.session.dirty
        assert any("had gone from disk" in str(n.message) for n in app._notifications)
        await pilot.press("3")  # the next save is an ordinary one: no second notice
        await settle(pilot, app)
        notices = [n for n in app._notifications if "had gone from disk" in str(n.message)]
        assert len(notices) == 1
    assert saved(assessment_path).answers["partners-listed"].level == 3


async def test_quitting_with_a_failed_save_offers_choices_instead_of_losing_answers(
    assessment_path: Path,
) -> None:
    folder = assessment_path.parent
    app = answer_app(assessment_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        shutil.rmtree(folder)
        folder.write_text("not a folder", encoding="utf-8")
        await pilot.press("2")
        await settle(pilot, app)
        await pilot.press("q")
        await settle(pilot, app)
        assert isinstance(app.screen, SaveProblemScreen)
        assert app.is_running
        await pilot.click("#elsewhere")
        await settle(pilot, app)
        target = folder.with_name("rescued.toml")
        app.screen.query_one("#save-as-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("q")
        await pilot.pause()
    assert load_assessment(target)[0].answers["partners-listed"].level == 2


async def test_an_unexpected_error_saves_the_answers_first_and_says_where(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path, save_delay=30)
    shown: list[object] = []  # what Textual prints when the app ends
    print_them = app._print_error_renderables

    def record() -> None:
        shown.extend(app._exit_renderables)
        print_them()

    app._print_error_renderables = record  # type: ignore[method-assign]
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            note = app.screen.query_one("#f-evidence", Input)
            note.focus()
            await pilot.press(*"minutes")

            def boom() -> None:
                raise ZeroDivisionError("a bug")

            app.call_later(boom)
            await pilot.pause()
    # Textual prints only the first of its exit messages: it must be the error (the note
    # about the answers is printed after it, by readiness.tui._run; put first, it hid it).
    assert shown
    assert str(assessment_path) not in repr(shown[0])
    assert app.crash_note is not None
    assert str(assessment_path) in app.crash_note
    assert saved(assessment_path).answers["partners-listed"].evidence == "minutes"


async def test_confirming_a_carried_over_answer_clears_its_mark(assessment_path: Path) -> None:
    text = assessment_path.read_text(encoding="utf-8")
    text = text.replace("[answers.hotline]\n", "[answers.hotline]\ncarried_over = true\n")
    text = text.replace("[answers.plan-tested]\n", "[answers.plan-tested]\ncarried_over = true\n")
    assessment_path.write_text(text, encoding="utf-8")
    app = answer_app(assessment_path, select="hotline")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, AnswerScreen)
        assert "↺" in str(screen.nav.item_nodes["hotline"].label)
        await pilot.press("c")
        await settle(pilot, app)
        assert "↺" not in str(screen.nav.item_nodes["hotline"].label)
        screen.go_to("plan-tested")
        await settle(pilot, app)
        await pilot.press("1")  # setting a level confirms too
        await settle(pilot, app)
    after = saved(assessment_path)
    assert not after.answers["hotline"].carried_over
    assert after.answers["hotline"].level == 4
    assert not after.answers["plan-tested"].carried_over
    assert after.answers["plan-tested"].level == 1
