"""The start screen and the new-assessment form, down to the file they create."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import DataTable, Input, Select

from readiness.tui import make_app
from readiness.tui.screens.answer import AnswerScreen
from readiness.tui.screens.new import NewScreen
from readiness.tui.screens.start import StartScreen

from .conftest import TODAY, saved
from .test_answering import settle


async def test_the_start_screen_lists_assessments_with_their_scores_and_opens_one(
    workspace: Path,
) -> None:
    app = make_app(folder=Path("assessments"), today=TODAY, save_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        assert [e.organization for e in screen.entries] == ["Beirut Migrant Desk"]
        entry = screen.entries[0]
        assert entry.coverage == 0.8
        assert entry.overall == 62.5  # (pre-crisis 25 + emergency 100) / 2
        assert screen.query_one(DataTable).row_count == 1
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await settle(pilot, app)
        assert isinstance(app.screen, AnswerScreen)
        await pilot.press("3")
        await settle(pilot, app)
    assert (
        saved(workspace / "assessments" / "beirut-2025.toml").answers["partners-listed"].level == 3
    )


def table_lines(app: object) -> list[str]:
    table = app.screen.query_one(DataTable)  # type: ignore[attr-defined]
    return ["".join(seg.text for seg in table.render_line(y)) for y in range(table.row_count + 1)]


async def test_the_start_screen_columns_use_the_width_and_follow_a_resize(
    workspace: Path,
) -> None:
    folder = workspace / "assessments"
    (folder / "zz-broken.toml").write_text("format = \n", encoding="utf-8")
    long_title = "Annual self-assessment of the migrant desk, with partners, 2025"
    text = (folder / "beirut-2025.toml").read_text(encoding="utf-8")
    title = text.split('title = "', 1)[1].split('"', 1)[0]
    (folder / "beirut-2025.toml").write_text(text.replace(title, long_title), "utf-8")
    app = make_app(folder=Path("assessments"), today=TODAY, save_delay=0.05)
    async with app.run_test(size=(100, 24)) as pilot:
        await app.workers.wait_for_complete()
        await settle(pilot, app)
        lines = table_lines(app)
        # The widest fixed cell ("cannot score") is whole, and nothing runs past the edge.
        assert any("cannot score" in line for line in lines), lines
        assert all(len(line) <= 100 for line in lines)
        assert not any(long_title in line for line in lines)  # cut to fit 100 columns
        await pilot.resize_terminal(160, 24)
        await settle(pilot, app)
        lines = table_lines(app)
        assert any(long_title in line for line in lines), lines  # room now: shown whole
        assert any("cannot score" in line for line in lines)


async def test_the_new_form_creates_the_proposed_file_and_opens_it_for_answering(
    workspace: Path,
) -> None:
    app = make_app(folder=Path("assessments"), today=TODAY, save_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await app.workers.wait_for_complete()
        await pilot.press("n")
        await settle(pilot, app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewScreen)
        await pilot.press(*"Amina's Association")
        form.query_one("#n-role", Select).value = "ngo"
        form.query_one("#n-assessors", Input).value = "Amina, Yusuf"
        await settle(pilot, app)
        expected = Path("assessments/amina-s-association-2026-03-01.toml")
        assert form.query_one("#n-output", Input).value == str(expected)
        await pilot.click("#create")
        await settle(pilot, app)
        assert isinstance(app.screen, AnswerScreen)
        assert app.screen.current == "plan-written"
        await pilot.press("4")
        await settle(pilot, app)
    created = saved(workspace / expected)
    assert created.organization.name == "Amina's Association"
    assert created.organization.role == "ngo"
    assert created.assessors == ["Amina", "Yusuf"]
    assert created.date == dt.date(2026, 3, 1)
    assert created.answers["plan-written"].level == 4


async def test_starting_from_a_previous_assessment_carries_its_answers_over_marked(
    workspace: Path,
) -> None:
    previous = Path("assessments/beirut-2025.toml")
    app = make_app(
        folder=Path("assessments"),
        start="new",
        prefill={"org": "Beirut Migrant Desk", "role": "ngo", "from_previous": previous},
        today=TODAY,
        save_delay=0.05,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await app.workers.wait_for_complete()
        await settle(pilot, app)
        await pilot.click("#create")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, AnswerScreen)
        assert "↺" in str(screen.nav.item_nodes["hotline"].label)
        screen.go_to("hotline")
        await settle(pilot, app)
        await pilot.press("c")
        await settle(pilot, app)
    created = saved(workspace / "assessments" / "beirut-migrant-desk-2026-03-01.toml")
    assert created.answers["plan-written"].carried_over
    assert created.answers["plan-written"].level == 2
    assert not created.answers["hotline"].carried_over
    assert created.answers["retired-item"].carried_over  # kept, not dropped


async def test_the_new_form_refuses_to_overwrite_an_existing_file(workspace: Path) -> None:
    existing = Path("assessments/beirut-2025.toml")
    before = existing.read_bytes()
    app = make_app(
        folder=Path("assessments"),
        start="new",
        prefill={"org": "X", "role": "ngo", "output": existing},
        today=TODAY,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await app.workers.wait_for_complete()
        await settle(pilot, app)
        await pilot.click("#create")
        await settle(pilot, app)
        assert isinstance(app.screen, NewScreen)
        assert "already exists" in str(app.screen.query_one("#n-error").render())
    assert existing.read_bytes() == before
