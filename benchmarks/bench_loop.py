"""Does any handler block the terminal UI's event loop for more than 50 ms?

A scripted session on a 300-item checklist, headless (Textual's pilot): answer items with
the number keys, move with the arrows and ``n``/``p``, search with ``/``, open the summary,
the gaps and the help and close them, type a note and let autosave write it (file I/O is
meant to run in workers), then quit. Every callback the asyncio loop runs is timed (each
step of each task is one: a Textual message handler runs inside one). The longest ones
are the answer: while one runs, nothing else (keys, redraws) can.

Start-up (building the first screen) is reported apart from the interaction: it happens
once, before the user can press anything, and has its own target (bench_tui.py).

``python benchmarks/bench_loop.py`` prints the figures; ``benchmarks/run.py`` calls
:func:`run`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_tui  # noqa: E402 - a sibling script: the same synthetic checklist and answers

BLOCK_MS = 50.0
"""The target: no single callback longer than this during the interaction."""


class Stopwatch:
    """Times every callback the event loop runs (``asyncio.Handle._run``)."""

    def __init__(self) -> None:
        self.phase = "start-up"
        self.step = ""
        self.longest: dict[str, list[tuple[float, str]]] = {}
        self.count = 0

    @contextmanager
    def installed(self) -> Iterator[None]:
        original = asyncio.Handle._run
        watch = self

        def timed_run(handle: asyncio.Handle) -> None:
            started = time.perf_counter()
            try:
                original(handle)
            finally:
                watch.record((time.perf_counter() - started) * 1000, handle)

        asyncio.Handle._run = timed_run  # type: ignore[method-assign]
        try:
            yield
        finally:
            asyncio.Handle._run = original  # type: ignore[method-assign]

    def record(self, ms: float, handle: asyncio.Handle) -> None:
        self.count += 1
        slot = self.longest.setdefault(self.phase, [])
        if len(slot) < 5 or ms > slot[-1][0]:
            slot.append((ms, f"[{self.step}] {_describe(handle)}"))
            slot.sort(key=lambda pair: -pair[0])
            del slot[5:]


def _describe(handle: asyncio.Handle) -> str:
    """The task a callback stepped (Textual names each widget's message pump), else the
    callback itself."""
    task = getattr(getattr(handle, "_callback", None), "__self__", None)
    if isinstance(task, asyncio.Task):
        coro = task.get_coro()
        text = f"{task.get_name()}: {getattr(coro, '__qualname__', coro)}"
    else:
        text = repr(handle)
    return text if len(text) <= 160 else text[:157] + "..."


async def _session(folder: Path, items: int, watch: Stopwatch) -> None:
    from readiness.session import Session
    from readiness.tui import make_app

    checklist = folder / f"bench-{items}.toml"
    assessment = folder / f"assessment-{items}.toml"
    checklist.write_text(bench_tui.checklist_toml(items), encoding="utf-8")
    assessment.write_text(bench_tui.assessment_toml(items), encoding="utf-8")
    app = make_app(
        session=Session.open(assessment, checklist), folder=folder, today=dt.date(2026, 3, 1)
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        watch.phase = "interaction"
        watch.step = "answer"
        for n in range(20):  # answer, then on to the next unanswered item
            await pilot.press(str(n % 5), "n")
        watch.step = "move"
        await pilot.press(*["down"] * 15, *["up"] * 10, "p", "p")
        watch.step = "search"
        await pilot.press("/", *"practice number 250", "enter")
        await pilot.press("escape")
        for screen in ("s", "g", "?"):
            watch.step = f"screen {screen}"
            await pilot.press(screen)
            await pilot.pause()
            await pilot.press("escape")
        watch.step = "note"
        app.screen.query_one("#f-note").focus()  # as a click or Tab would
        await pilot.press(*"Checked with the desk team on Monday.")
        await asyncio.sleep(0.8)  # past the autosave delay: the note is written
        await pilot.press("escape")
        await app.wait_for_saves()
        watch.step = "quit"
        await pilot.press("q")
        watch.phase = "quit"
    saved = assessment.read_text(encoding="utf-8")
    if "Checked with the desk team" not in saved:  # pragma: no cover - a broken script
        raise AssertionError("the typed note was not saved: the script no longer works")


def run(items: int = 300) -> dict[str, Any]:
    """The longest callbacks at start-up and during the interaction."""
    watch = Stopwatch()
    with tempfile.TemporaryDirectory(prefix="readiness-loop-") as tmp, watch.installed():
        asyncio.run(_session(Path(tmp), items, watch))
    startup = watch.longest.get("start-up", [(0.0, "")])
    interaction = watch.longest.get("interaction", [(0.0, "")])
    return {
        "benchmark": "event loop",
        "items": items,
        "callbacks": watch.count,
        "startup_longest_ms": round(startup[0][0], 1),
        "interaction_longest_ms": round(interaction[0][0], 1),
        "interaction_top": [(round(ms, 1), what) for ms, what in interaction],
        "met": interaction[0][0] <= BLOCK_MS,
    }


def main(argv: list[str]) -> None:
    items = int(argv[0]) if argv else 300
    result = run(items)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
