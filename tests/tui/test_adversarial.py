"""What adversarial testing of the terminal UI found: terminal control sequences in a file's
answers, bracketed file names, a save racing the save after it at quit, an unexpected error
inside a save. Each test fails on the code before its fix."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from textual.widgets import Input, Select, TextArea

from readiness import storage
from readiness.tui import make_app
from readiness.tui.screens.answer import AnswerScreen
from readiness.tui.screens.new import NewScreen
from readiness.tui.screens.summary import SummaryScreen

from .conftest import TODAY, answer_app, answering, saved, screen_text, settle

HOSTILE = "N\\u001b[31mRED\\u001b[0m \\u001b]0;pwned\\u0007 bell\\u0007 [bold]B[/]"


async def test_control_sequences_in_a_files_answers_never_reach_the_terminal(
    assessment_path: Path,
) -> None:
    text = assessment_path.read_text(encoding="utf-8")
    text = text.replace('note = "Draft plan, not yet signed off."', f'note = "{HOSTILE}"')
    text = text.replace('owner = "Rania"', f'owner = "{HOSTILE}"')
    assessment_path.write_text(text, encoding="utf-8")
    before = saved(assessment_path).answers["plan-written"]
    assert "\x1b" in (before.note or "") and "\x1b" in (before.owner or "")
    app = answer_app(assessment_path, select="plan-written")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = answering(app)
        note = screen.query_one("#f-note", TextArea)
        owner = screen.query_one("#f-owner", Input)
        for field in (note, owner):
            drawn = "".join(
                segment.text for y in range(field.size.height) for segment in field.render_line(y)
            )
            assert "\x1b" not in drawn and "\x07" not in drawn
        assert "[bold]B[/]" in note.text  # markup stays literal
        await pilot.press("q")
    # Not edited, so saved as it was read.
    after = saved(assessment_path).answers["plan-written"]
    assert (after.note, after.owner) == (before.note, before.owner)


async def test_bracketed_file_names_are_listed_as_they_are(workspace: Path) -> None:
    names = ["a [draft].toml", "b[link=http:xx]c.toml", "c[@click=app.quit]d.toml"]
    for name in names:
        shutil.copy(
            workspace / "assessments" / "beirut-2025.toml", workspace / "assessments" / name
        )
    app = make_app(folder=Path("assessments"), start="new", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await app.workers.wait_for_complete()
        await settle(pilot, app)
        assert isinstance(app.screen, NewScreen)
        app.screen.query_one("#n-previous", Select).focus()
        await pilot.press("enter")  # opens the list of earlier assessments
        await settle(pilot, app)
        shown = screen_text(app)
        for name in names:
            assert name in shown, (name, shown)
        assert app.is_running


async def test_quitting_right_after_answering_waits_for_every_save(
    assessment_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow disk: the save that ends starts the next one (answers given meanwhile).
    real_save = storage.save_assessment

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(0.2)
        return real_save(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "save_assessment", slow)
    app = answer_app(assessment_path, select="partners-listed")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("1", "2", "3", "q")
        for _ in range(60):
            await pilot.pause(0.05)
            if not app.is_running:
                break
        assert not app.is_running, f"quit stopped at {type(app.screen).__name__}"
        assert app.session is not None and app.session.error is None
    assert saved(assessment_path).answers["partners-listed"].level == 3


async def test_an_unexpected_error_in_a_save_is_shown_and_autosave_goes_on(
    assessment_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = storage.save_assessment
    calls = []

    def failing_once(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("disk controller on fire")
        return real_save(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "save_assessment", failing_once)
    app = answer_app(assessment_path, select="partners-listed")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("1")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, AnswerScreen)
        assert app.session is not None and app.session.error is not None
        assert "disk controller on fire" in str(app.session.error)
        await pilot.press("2")  # the next change saves again
        await settle(pilot, app)
        assert app.session.error is None and not app.session.dirty
    assert saved(assessment_path).answers["partners-listed"].level == 2


async def test_clicking_the_footer_entry_for_the_answer_keys_answers_nothing(
    assessment_path: Path,
) -> None:
    from readiness.tui.widgets.footer import GroupedFooterKey

    app = answer_app(assessment_path, select="partners-listed")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        grouped = list(app.screen.query(GroupedFooterKey))
        assert [key.key_display for key in grouped] == ["0-4 x u"]
        await pilot.click(grouped[0])
        await settle(pilot, app)
        assert app.session is not None
        assert app.session.answer("partners-listed").level is None
        # The other entries stand for one key each and still press it.
        from textual.widgets._footer import FooterKey

        summary = next(k for k in app.screen.query(FooterKey) if k.key == "s")
        await pilot.click(summary)
        await settle(pilot, app)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape", "q")
    assert saved(assessment_path).answers.get("partners-listed") is None


async def test_quitting_with_a_due_date_that_is_not_a_date_warns_once(
    assessment_path: Path,
) -> None:
    app = answer_app(assessment_path, select="partners-listed")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot, app)
        due = app.screen.query_one("#f-due", Input)
        due.focus()
        await pilot.press(*"next week")
        await pilot.press("ctrl+q")
        await settle(pilot, app)
        assert app.is_running  # the typed date would be lost without a word
        assert any("next week" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+q")  # asked twice: the user leaves without it
        await settle(pilot, app)
        assert not app.is_running


async def test_repeated_quits_while_saves_fail_open_one_dialog(
    assessment_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readiness.tui.screens.dialogs import SaveProblemScreen

    def refuse(*args: object, **kwargs: object) -> object:
        raise storage.SaveError(assessment_path, "disk full")

    monkeypatch.setattr(storage, "save_assessment", refuse)
    app = answer_app(assessment_path, select="partners-listed")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("1")
        await settle(pilot, app)
        for _ in range(3):
            await pilot.press("ctrl+q")
            await settle(pilot, app)
        dialogs = [s for s in app.screen_stack if isinstance(s, SaveProblemScreen)]
        assert len(dialogs) == 1
