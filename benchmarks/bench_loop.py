"""Does any handler block the terminal UI's event loop for more than 50 ms?

A scripted session on a 300-item checklist, headless (Textual's pilot): answer items with
the number keys, move with the arrows and ``n``/``p``, search with ``/``, open the summary,
the gaps and the help and close them, type a note and let autosave write it (file I/O is
meant to run in workers), then quit. Every callback the asyncio loop runs is timed (each
step of each task is one: a Textual message handler runs inside one). The longest ones
are the answer: while one runs, nothing else (keys, redraws) can.

Start-up (building the first screen) is reported apart from the interaction: it happens
once, before the user can press anything, and has its own target (bench_tui.py).

What is timed is the app's work, as in a terminal:

- during the interaction, the benchmark's own task (the pilot pressing keys and waiting for
  the app to be idle) is not the app's work: its steps are reported apart
  (``pilot_longest_ms``);
- headless, Textual skips turning each frame into terminal escape codes; a terminal app does
  that in the callback that draws the frame, so the benchmark does it there too.

``python benchmarks/bench_loop.py [ITEMS] [RUNS]`` prints the figures of one run as JSON, or
with RUNS > 1 the medians of that many fresh processes; ``benchmarks/run.py`` calls
:func:`run`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import statistics
import subprocess
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
        self.by_step: dict[str, tuple[float, str]] = {}
        """The longest callback of each step of the interaction."""
        self.pilot_longest = 0.0
        self.own_task: asyncio.Task[Any] | None = None
        """The benchmark's own task (the pilot): during the interaction, its steps are not
        the app's work. (At start-up they are: importing Textual and building the app.)"""
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
        if (
            self.phase == "interaction"
            and self.own_task is not None
            and _task_of(handle) is self.own_task
        ):
            self.pilot_longest = max(self.pilot_longest, ms)
            return
        self.count += 1
        slot = self.longest.setdefault(self.phase, [])
        if len(slot) < 5 or ms > slot[-1][0]:
            slot.append((ms, f"[{self.step}] {_describe(handle)}"))
            slot.sort(key=lambda pair: -pair[0])
            del slot[5:]
        if self.phase == "interaction" and ms > self.by_step.get(self.step, (0.0, ""))[0]:
            self.by_step[self.step] = (ms, _describe(handle))


def _task_of(handle: asyncio.Handle) -> object:
    return getattr(getattr(handle, "_callback", None), "__self__", None)


def _describe(handle: asyncio.Handle) -> str:
    """The task a callback stepped (Textual names each widget's message pump), else the
    callback itself."""
    task = _task_of(handle)
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
    _encode_frames(app)
    watch.own_task = asyncio.current_task()
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


def _encode_frames(app: Any) -> None:
    """Turn every frame into terminal escape codes, as a terminal app does (headless,
    Textual stops short of it): the work of ``App._display`` up to writing to the terminal,
    which Textual's driver does in a thread of its own."""
    from textual._compositor import CompositorUpdate

    display = app._display

    def display_and_encode(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if isinstance(renderable, CompositorUpdate) and not app._batch_count:
            renderable.render_segments(app.console)

    app._display = display_and_encode


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
        "interaction_by_step": {
            step: (round(ms, 1), what) for step, (ms, what) in watch.by_step.items()
        },
        "pilot_longest_ms": round(watch.pilot_longest, 1),
        "met": interaction[0][0] <= BLOCK_MS,
    }


def run_processes(items: int, runs: int) -> dict[str, Any]:
    """:func:`run` in ``runs`` fresh processes; medians of the longest callbacks (the machine
    is noisy: a single run says little)."""
    code = f"import json, bench_loop; print(json.dumps(bench_loop.run({items})))"
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=HERE, capture_output=True, text=True, check=True
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    longest = [r["interaction_longest_ms"] for r in results]
    steps = {step for r in results for step in r["interaction_by_step"]}
    return {
        "benchmark": "event loop",
        "items": items,
        "runs": runs,
        "interaction_longest_ms": longest,
        "interaction_longest_median_ms": round(statistics.median(longest), 1),
        "startup_longest_median_ms": round(
            statistics.median(r["startup_longest_ms"] for r in results), 1
        ),
        "by_step_median_ms": {
            step: round(
                statistics.median(
                    r["interaction_by_step"].get(step, (0.0, ""))[0] for r in results
                ),
                1,
            )
            for step in sorted(steps)
        },
        "met": statistics.median(longest) <= BLOCK_MS,
    }


def main(argv: list[str]) -> None:
    items = int(argv[0]) if argv else 300
    runs = int(argv[1]) if len(argv) > 1 else 1
    result = run(items) if runs <= 1 else run_processes(items, runs)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
