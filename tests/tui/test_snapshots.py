"""Pixels second: SVG snapshots of each screen at 80x24 and 120x40 (pytest-textual-snapshot).

Deterministic by construction: a fixed ``today``, no cursor blink (conftest), workers
waited for, and the workspace paths never shown on these screens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from readiness.tui import ReadinessApp, make_app

from .conftest import TODAY

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def settled(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()

    return run_before


def answering(workspace: Path) -> ReadinessApp:
    path = workspace / "assessments" / "beirut-2025.toml"
    return make_app(assessment=path, folder=path.parent, today=TODAY)


@pytest.mark.parametrize("size", SIZES)
def test_start_screen_lists_the_assessments(
    workspace: Path, snap_compare: Any, size: tuple[int, int]
) -> None:
    app = make_app(folder=Path("assessments"), today=TODAY)
    assert snap_compare(app, terminal_size=size, run_before=settled())


@pytest.mark.parametrize("size", SIZES)
def test_answering_screen_opens_on_the_first_unanswered_item(
    workspace: Path, snap_compare: Any, size: tuple[int, int]
) -> None:
    assert snap_compare(answering(workspace), terminal_size=size, run_before=settled())


@pytest.mark.parametrize("size", SIZES)
def test_summary_screen_shows_bars_and_bands(
    workspace: Path, snap_compare: Any, size: tuple[int, int]
) -> None:
    assert snap_compare(answering(workspace), terminal_size=size, run_before=settled("s"))


@pytest.mark.parametrize("size", SIZES)
def test_gaps_screen_lists_gaps_most_urgent_first(
    workspace: Path, snap_compare: Any, size: tuple[int, int]
) -> None:
    assert snap_compare(answering(workspace), terminal_size=size, run_before=settled("g"))


@pytest.mark.parametrize("size", SIZES)
def test_help_screen_lists_every_key(
    workspace: Path, snap_compare: Any, size: tuple[int, int]
) -> None:
    assert snap_compare(
        answering(workspace), terminal_size=size, run_before=settled("question_mark")
    )


def test_answering_screen_is_readable_in_the_light_theme(
    workspace: Path, snap_compare: Any
) -> None:
    app = answering(workspace)
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled())


def test_summary_screen_is_readable_in_the_light_theme(workspace: Path, snap_compare: Any) -> None:
    app = answering(workspace)
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled("s"))
