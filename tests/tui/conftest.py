"""Fixtures for the terminal UI tests: a workspace in tmp_path, no cursor blink, fixed dates."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import inspect
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.reactive import reactive
from textual.widgets import Input, TextArea

from readiness.loading import load_pair
from readiness.model import Assessment
from readiness.tui import ReadinessApp, make_app
from readiness.tui.screens.answer import AnswerScreen

DATA = Path(__file__).resolve().parents[1] / "data"
TODAY = dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots differ from run to run; colours stay on (the
    shared conftest sets NO_COLOR for the CLI tests) so snapshots show the theme."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    for cls in (Input, TextArea):
        still: reactive[bool] = reactive(False, init=False)
        still.__set_name__(cls, "cursor_blink")
        monkeypatch.setattr(cls, "cursor_blink", still)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """tmp_path with checklists/mini.toml and assessments/beirut-2025.toml; the cwd, and the
    only place checklists are looked for (the developer's own folders stay out)."""
    (tmp_path / "checklists").mkdir()
    (tmp_path / "assessments").mkdir()
    shutil.copy(DATA / "mini-checklist.toml", tmp_path / "checklists" / "mini.toml")
    shutil.copy(DATA / "mini-assessment.toml", tmp_path / "assessments" / "beirut-2025.toml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("READINESS_CHECKLISTS", str(tmp_path / "checklists"))
    yield tmp_path


@pytest.fixture
def assessment_path(workspace: Path) -> Path:
    return workspace / "assessments" / "beirut-2025.toml"


def answer_app(path: Path, **kwargs: object) -> ReadinessApp:
    """The app opened on an assessment, with a fixed date and a short debounce."""
    kwargs.setdefault("save_delay", 0.05)
    return make_app(assessment=path, folder=path.parent, today=TODAY, **kwargs)  # type: ignore[arg-type]


async def settle(pilot: Pilot[object], app: ReadinessApp) -> None:
    """Let messages run and every save worker finish."""
    await pilot.pause()
    await app.wait_for_saves()
    await pilot.pause()


def answering(app: ReadinessApp) -> AnswerScreen:
    screen = app.screen
    assert isinstance(screen, AnswerScreen)
    return screen


def saved(path: Path) -> Assessment:
    """The assessment as the file on disk has it now."""
    assessment, _, _ = load_pair(path)
    return assessment


def screen_text(app: ReadinessApp) -> str:
    """The screen as plain text lines (read back from the SVG screenshot)."""
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    pattern = r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)" textLength="[\d.]+"[^>]*>(.*?)</text>'
    for match in re.finditer(pattern, svg):
        x, y = float(match.group(1)), float(match.group(2))
        rows.setdefault(y, []).append((x, html.unescape(match.group(3))))
    lines = []
    for y in sorted(rows):
        line = ""
        for x, text in sorted(rows[y]):
            col = round(x / 12.2)
            line = line.ljust(col)[:col] + text
        lines.append(line.replace("\xa0", " ").rstrip())
    return "\n".join(lines)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no async plugin is a dependency)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    asyncio.run(pyfuncitem.obj(**kwargs))
    return True
