"""The comparison screen over two assessments of one organization."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import OptionList

from readiness.tui import make_app
from readiness.tui.screens.answer import AnswerScreen
from readiness.tui.screens.compare import CompareScreen

from .conftest import TODAY, saved, screen_text
from .test_answering import settle


def second_year(workspace: Path) -> Path:
    """The 2026 assessment: hotline regressed, partners newly answered, plan still a gap."""
    first = workspace / "assessments" / "beirut-2025.toml"
    text = first.read_text(encoding="utf-8")
    text = text.replace("date = 2025-03-01", "date = 2026-03-01")
    text = text.replace("level = 4\nconfidence", "level = 1\nconfidence")
    text += "\n[answers.partners-listed]\nlevel = 3\n"
    second = workspace / "assessments" / "beirut-2026.toml"
    second.write_text(text, encoding="utf-8")
    return second


async def test_compare_shows_phase_scores_over_time_and_opens_a_moved_item(
    workspace: Path,
) -> None:
    latest = second_year(workspace)
    app = make_app(folder=Path("assessments"), today=TODAY, save_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("c")
        await settle(pilot, app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.comparison is not None
        assert [e.date for e in screen.comparison.entries] == [
            dt.date(2025, 3, 1),
            dt.date(2026, 3, 1),
        ]
        shown = screen_text(app)
        assert "2025-03-01" in shown and "2026-03-01" in shown
        assert "regressed (1)" in shown
        assert "Emergency" in shown
        moved = screen.query_one("#moved", OptionList)
        ids = [moved.get_option_at_index(i).id for i in range(moved.option_count)]
        moved.highlighted = ids.index("hotline")
        await pilot.press("enter")
        await settle(pilot, app)
        answering = app.screen
        assert isinstance(answering, AnswerScreen)
        assert answering.current == "hotline"
        await pilot.press("3")
        await settle(pilot, app)
    assert saved(latest).answers["hotline"].level == 3
