"""Terminal UI timings, headless (Textual's pilot): how long until the answering screen is
drawn, and how long a key press takes to update the item, the tree and the header.

Synthetic checklists of ``sizes`` items are generated in a temporary folder as TOML text.
At the largest size the DOM is counted: the item navigation must not mount one widget per
item (a Tree renders only its visible lines).

``python benchmarks/bench_tui.py`` prints a small table; ``benchmarks/run.py`` calls
:func:`run`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MAX_WIDGETS = 200
"""More widgets than this on the answering screen would mean one widget per item."""


def checklist_toml(items: int, *, phases: int = 3, per_section: int = 25) -> str:
    """A valid checklist with ``items`` items in sections of ``per_section``."""
    lines = [
        'format = "readiness-checklist/1"',
        'id = "bench"',
        'version = "1.0.0"',
        f'title = "Benchmark checklist, {items} items"',
        "",
        "[scale]",
        "target = 3",
    ]
    labels = ["Not in place", "Planned", "Partly in place", "Largely in place", "Fully in place"]
    for value, label in enumerate(labels):
        lines += ["", "[[scale.levels]]", f"value = {value}", f'label = "{label}"']
    lines += ["", "[[actors]]", 'id = "ngo"', 'label = "Civil society organization"']
    lines += ["", "[[actors]]", 'id = "ministry"', 'label = "Ministry"']
    for p in range(phases):
        lines += ["", "[[phases]]", f'id = "phase-{p}"', f'title = "Phase {p}"']
    sections = max(1, -(-items // per_section))
    for s in range(sections):
        lines += [
            "",
            "[[sections]]",
            f'id = "section-{s}"',
            f'phase = "phase-{s * phases // sections}"',
            f'title = "Section {s}"',
        ]
    for n in range(items):
        lines += [
            "",
            "[[items]]",
            f'id = "item-{n}"',
            f'section = "section-{n // per_section}"',
            f'prompt = "Is practice number {n} in place across the organization?"',
            'guidance = "Look for a written procedure and a named person."',
            f"weight = {1 + n % 3}",
        ]
        if n % 10 == 9:
            lines.append('actors = ["ministry"]')
    return "\n".join(lines) + "\n"


def assessment_toml(items: int) -> str:
    """An assessment with every third item answered."""
    lines = [
        'format = "readiness-assessment/1"',
        'checklist = "bench"',
        'checklist_version = "1.0.0"',
        'title = "Benchmark"',
        "date = 2026-03-01",
        "",
        "[organization]",
        'name = "Benchmark Org"',
        'role = "ngo"',
    ]
    for n in range(0, items, 3):
        lines += ["", f"[answers.item-{n}]", f"level = {n % 5}"]
    return "\n".join(lines) + "\n"


async def _measure(folder: Path, items: int, presses: int) -> dict[str, Any]:
    from readiness.session import Session
    from readiness.tui import make_app
    from readiness.tui.widgets.header import ScoreHeader
    from readiness.tui.widgets.nav import NavTree

    checklist = folder / f"bench-{items}.toml"
    assessment = folder / f"assessment-{items}.toml"
    checklist.write_text(checklist_toml(items), encoding="utf-8")
    assessment.write_text(assessment_toml(items), encoding="utf-8")

    started = time.perf_counter()
    session = Session.open(assessment, checklist)
    load_ms = (time.perf_counter() - started) * 1000

    app = make_app(session=session, folder=folder, today=dt.date(2026, 3, 1))
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first_ms = (time.perf_counter() - started) * 1000
        # The screen fills its navigation just after its first frame: the time above must
        # include that (the pause waits until the app is idle), so check it is done.
        first = session.first_unanswered()
        nav = app.screen.query_one(NavTree)
        if first is None or not nav.item_nodes or nav.current_item_id != first.id:
            raise AssertionError("timed before the navigation showed the first unanswered item")
        header = app.screen.query_one(ScoreHeader)
        widgets = len(list(app.screen.walk_children(with_self=True)))
        # key -> header: from the key being sent to the end of the header's re-render
        # (the handler's work); round trip: until the pilot sees the app idle again, which
        # adds Textual's own idle detection (~25-45 ms per wait on this machine).
        updated: list[float] = []
        original = header.refresh_scores

        def stamped() -> None:
            original()
            updated.append(time.perf_counter())

        header.refresh_scores = stamped  # type: ignore[method-assign]
        timings, trips = [], []
        for n in range(presses):
            before = header.render_header().plain
            key = "0" if n % 2 else "4"
            updated.clear()
            started = time.perf_counter()
            await pilot.press(key)
            trips.append((time.perf_counter() - started) * 1000)
            if not updated or header.render_header().plain == before:  # pragma: no cover
                raise AssertionError("a key press did not update the header")
            timings.append((updated[0] - started) * 1000)
            await pilot.press("n")  # on to the next unanswered item
        await app.wait_for_saves()
    if items >= 5000 and widgets > MAX_WIDGETS:
        raise AssertionError(
            f"{widgets} widgets for {items} items: the navigation mounts a widget per item"
        )
    return {
        "benchmark": "tui",
        "items": items,
        "load_ms": round(load_ms, 1),
        "first_screen_ms": round(first_ms, 1),
        "key_to_header_ms": round(statistics.median(timings), 1),
        "key_to_header_max_ms": round(max(timings), 1),
        "key_round_trip_ms": round(statistics.median(trips), 1),
        "widgets": widgets,
    }


def run(
    sizes: tuple[int, ...] | list[int] = (300, 5000), presses: int = 10
) -> list[dict[str, Any]]:
    """One row per size: load, first screen drawn, key press -> header (median and max)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="readiness-bench-") as tmp:
        for items in sizes:
            rows.append(asyncio.run(_measure(Path(tmp), items, presses)))
    return rows


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [300, 5000]
    rows = run(sizes)
    columns = [
        "items",
        "load_ms",
        "first_screen_ms",
        "key_to_header_ms",
        "key_to_header_max_ms",
        "key_round_trip_ms",
        "widgets",
    ]
    print("  ".join(f"{c:>{len(c)}}" for c in columns))
    for row in rows:
        print("  ".join(f"{row[c]:>{len(c)}}" for c in columns))


if __name__ == "__main__":
    main(sys.argv[1:])
