"""The terminal UI (Textual). Only this package imports Textual; ``readiness.cli`` imports
it lazily, after checking that there is a terminal.

Entry points return an exit code (or None): :func:`run_start`, :func:`run_answer`,
:func:`run_new`. :func:`make_app` builds the app the same way for tests and benchmarks.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from readiness.session import Session
from readiness.tui import memory
from readiness.tui.app import ReadinessApp, Start

__all__ = ["ReadinessApp", "make_app", "run_answer", "run_new", "run_start"]


def make_app(
    *,
    folder: Path = Path("assessments"),
    session: Session | None = None,
    assessment: Path | None = None,
    checklist: Path | None = None,
    start: Start | None = None,
    prefill: dict[str, Any] | None = None,
    today: dt.date | None = None,
    save_delay: float = 0.5,
    select: str | None = None,
) -> ReadinessApp:
    """The app, opened on the start screen, on an assessment (``session`` or ``assessment``
    path; raises LoadError) or on the new-assessment form (``start="new"``)."""
    if session is None and assessment is not None:
        session = Session.open(assessment, checklist)
    chosen: Start = start or ("answer" if session is not None else "start")
    app = ReadinessApp(
        folder=folder,
        session=session,
        start=chosen,
        prefill=prefill,
        today=today,
        save_delay=save_delay,
        select=select,
    )
    # What start-up made (modules, the checklist and the assessment) lives until the app
    # ends: hidden from the cycle collector (see readiness.tui.memory).
    memory.freeze_startup()
    return app


def _run(app: ReadinessApp) -> int | None:
    result = app.run()
    if app.crash_note:
        sys.stderr.write(app.crash_note + "\n")
    return app.return_code or result or None


def run_start(folder: Path) -> int | None:
    """``readiness`` with no command: the start screen over ``folder``."""
    return _run(make_app(folder=folder))


def run_answer(path: Path, checklist: Path | None = None) -> int | None:
    """``readiness answer FILE``: the answering screen."""
    return _run(make_app(assessment=path, checklist=checklist, folder=path.parent))


def run_new(**prefill: Any) -> int | None:
    """``readiness new``: the new-assessment form, prefilled with the options given."""
    output = prefill.get("output")
    folder = Path(output).parent if output else Path("assessments")
    return _run(make_app(start="new", prefill=prefill, folder=folder))
