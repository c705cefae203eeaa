"""``make bench``: readiness's timings beside the two floors, as a table and in results.md.

Every figure is the median of several runs after a warm-up, measured in the same run as
the floors: Python start-up (``python -c pass``) and the least any Typer CLI costs
(``benchmarks/floor_app.py``). Ratios to the floors hold on any machine; the absolute
figures are this machine's. The targets are issue 7's (docs/performance.md).

    python benchmarks/run.py            # the targets and growth to 1,000 files (~3 minutes)
    python benchmarks/run.py --full     # also validate 10,000 files (~2 minutes more)
    python benchmarks/run.py --quick    # fewer runs (about a minute)
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402 - a sibling script, importable once HERE is on the path

RESULTS = HERE / "results.md"
CACHE = generate.DATA / "cache"
SCHEMAS = ROOT / "src" / "readiness" / "schemas"


@dataclasses.dataclass
class Row:
    """One line of the results table."""

    name: str
    median_ms: float | None
    runs: int = 0
    target: str = ""
    met: bool | None = None
    note: str = ""
    ratio_python: float | None = None
    ratio_typer: float | None = None


def _env(**env: str) -> dict[str, str]:
    # As on a user's machine: bytecode is written and reused. With PYTHONDONTWRITEBYTECODE
    # (set in some sandboxes), a module changed since its .pyc was written is compiled
    # again by every run: ~15 ms for loading.py alone, measured as the command's time.
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**base, "NO_COLOR": "1", "READINESS_CACHE_DIR": str(CACHE), **env}


def compile_sources() -> None:
    """Bring every .pyc of the package up to date before anything is timed."""
    import compileall

    compileall.compile_dir(ROOT / "src" / "readiness", quiet=1)


def _once(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, env=env, check=False)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode not in (0, 1):
        tail = done.stderr.decode(errors="replace")[-600:]
        raise RuntimeError(f"{' '.join(args)[:120]} exited {done.returncode}: {tail}")
    return elapsed


def timed(cmd: Sequence[str | Path], runs: int, warmups: int = 1, **env: str) -> float:
    """Median wall time in ms of running ``cmd`` (output discarded)."""
    args = [str(c) for c in cmd]
    times = [_once(args, _env(**env)) for _ in range(warmups + runs)]
    return statistics.median(times[warmups:])


def timed_together(
    cmds: dict[str, tuple[Sequence[str | Path], dict[str, str]]], runs: int
) -> dict[str, list[float]]:
    """The times of several commands run in turn, round after round (one warm-up round),
    so that background load weighs on the floors and on readiness alike: the ratios are
    what this is for."""
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for n in range(runs + 1):
        for name, (cmd, env) in cmds.items():
            elapsed = _once([str(c) for c in cmd], _env(**env))
            if n:
                times[name].append(elapsed)
    return times


def paired_ratio(times: list[float], floor: list[float]) -> tuple[float, float, float]:
    """The median and quartiles of a command's time over the floor's in the same round.
    This machine's speed drifts by a third from minute to minute; a ratio taken within one
    round cancels most of it, a ratio of two medians does not."""
    ratios = [t / f for t, f in zip(times, floor, strict=True)]
    low, mid, high = statistics.quantiles(ratios, n=4)
    return mid, low, high


def available(command: str) -> bool:
    done = subprocess.run(
        [str(BIN / "readiness"), command, "--help"], capture_output=True, check=False
    )
    return done.returncode == 0


def readiness(*args: str | Path) -> list[str | Path]:
    return [BIN / "readiness", *args]


def check_jsonschema(kind: str, files: Sequence[Path]) -> list[str | Path]:
    return [BIN / "check-jsonschema", "--schemafile", SCHEMAS / f"{kind}.schema.json", *files]


def files_of(count: int) -> list[Path]:
    return sorted(generate.assessments_dir(count).glob("*.toml"))


# --------------------------------------------------------------------------- measurements


def measure_commands(light: int, heavy: int, full: bool) -> tuple[list[Row], list[Row]]:
    rows: list[Row] = []
    growth: list[Row] = []
    checklist = generate.checklist_path(generate.ASSESSED_SIZE)
    one = files_of(1)

    score = readiness("score", generate.assessment_path(300), "-c", checklist)
    together = 2 * light + 1  # the ratio targets: more rounds, and an odd number
    no_cache = {"READINESS_CACHE_DIR": ""}
    rounds = timed_together(
        {
            "python": ([sys.executable, "-c", "pass"], {}),
            "typer": ([sys.executable, HERE / "floor_app.py"], {}),
            "help": (readiness("--help"), {}),
            "score": (score, {}),
            "score-cold": (score, no_cache),
            "validate-1": (readiness("validate", *one, "-c", checklist), {}),
            "validate-1-cold": (readiness("validate", *one, "-c", checklist), no_cache),
            "cj-1": (check_jsonschema("assessment", one), {}),
        },
        together,
    )
    medians = {name: statistics.median(times) for name, times in rounds.items()}
    python_ms, typer_ms = medians["python"], medians["typer"]
    help_ms, score_ms = medians["help"], medians["score"]
    help_ratio = paired_ratio(rounds["help"], rounds["typer"])
    score_ratio = paired_ratio(rounds["score"], rounds["typer"])

    def paired(ratio: tuple[float, float, float]) -> str:
        return f"{ratio[0]:.2f}x Typer in the same round (quartiles {ratio[1]:.2f}-{ratio[2]:.2f})"

    rows.append(Row("floor: python -c pass", python_ms, together))
    rows.append(Row("floor: one-command Typer app", typer_ms, together))
    rows.append(
        Row(
            "readiness --help",
            help_ms,
            together,
            "<= 1.1x Typer",
            help_ratio[0] <= 1.1,
            paired(help_ratio),
        )
    )
    rows.append(
        Row(
            "readiness score (300 items)",
            score_ms,
            together,
            "<= 1.6x Typer",
            score_ratio[0] <= 1.6,
            f"cache warm (the usual case); {paired(score_ratio)}",
        )
    )
    cold_ms = medians["score-cold"]
    rows.append(Row("readiness score (300 items), cache off", cold_ms, together, note="cache off"))
    validate_one = medians["validate-1-cold"]
    rows.append(Row("readiness validate, 1 file", medians["validate-1"], together, note="warm"))
    rows.append(Row("readiness validate, 1 file, cache off", validate_one, together))
    rows.append(Row("check-jsonschema, same file", medians["cj-1"], together))

    thousand = files_of(1_000)
    # Warm-up for the big runs: the same commands over 100 files (interpreter, page cache).
    timed(readiness("validate", *files_of(100), "-c", checklist), 1, 0)
    validate_cold = timed(readiness("validate", *thousand, "-c", checklist), heavy, 0, **no_cache)
    validate_warm = timed(readiness("validate", *thousand, "-c", checklist), heavy)
    cj_k = timed(check_jsonschema("assessment", thousand), heavy, 0)
    for label, ms in (("cache off", validate_cold), ("cache warm", validate_warm)):
        rows.append(
            Row(
                f"readiness validate, 1,000 files, {label}",
                ms,
                heavy,
                "< 0.5x check-jsonschema",
                ms < 0.5 * cj_k,
                f"{ms / cj_k:.2f}x check-jsonschema",
            )
        )
    rows.append(Row("check-jsonschema, same 1,000 files", cj_k, heavy))

    for command, args in (
        ("compare", ("--force", *thousand, "-c", checklist, "--format", "json")),
        ("history", (generate.assessments_dir(1_000), "-c", checklist, "--format", "json")),
    ):
        name = f"readiness {command}, 1,000 assessments"
        if not available(command):
            rows.append(Row(name, None, note="not available"))
            continue
        try:
            ms = timed(readiness(command, *args), heavy)
        except RuntimeError as exc:
            rows.append(Row(name, None, note=f"failed: {str(exc)[:80]}"))
            continue
        rows.append(Row(name, ms, heavy, "< 2 s", ms < 2000))

    # Growth, with the cache off so that every run does the whole work: checklist sizes
    # (score, and validate of the checklist alone) and numbers of files.
    for items in generate.CHECKLIST_SIZES:
        path = generate.checklist_path(items)
        cmd = readiness("score", generate.assessment_path(items), "-c", path)
        ms = timed(cmd, light, **no_cache)
        growth.append(Row(f"score, {items} items", ms, light, note=f"{items}"))
    for items in generate.CHECKLIST_SIZES:
        path = generate.checklist_path(items)
        ms = timed(readiness("validate", path), max(3, light // 3), **no_cache)
        growth.append(Row(f"validate checklist, {items} items", ms, max(3, light // 3)))
    validate_growth = {1: validate_one, 1_000: validate_cold}
    validate_growth[100] = timed(
        readiness("validate", *files_of(100), "-c", checklist), heavy, **no_cache
    )
    if full:
        many = files_of(10_000)
        validate_growth[10_000] = timed(
            readiness("validate", *many, "-c", checklist), 1, 0, **no_cache
        )
    for count in sorted(validate_growth):
        growth.append(Row(f"validate, {count:,} assessment files", validate_growth[count]))
    # compare and history across numbers of files (cache warm, as in the target rows).
    counts = [c for c in generate.ASSESSMENT_COUNTS if c >= 100 and (full or c <= 1_000)]
    for count in counts:
        runs = heavy if count <= 1_000 else 1
        files = files_of(count)
        ms = timed(readiness("compare", "--force", *files, "-c", checklist, "-f", "json"), runs)
        growth.append(Row(f"compare, {count:,} assessments", ms, runs))
    for count in counts:
        runs = heavy if count <= 1_000 else 1
        folder = generate.assessments_dir(count)
        ms = timed(readiness("history", folder, "-c", checklist, "--format", "json"), runs)
        growth.append(Row(f"history, {count:,} assessments", ms, runs))
    cold = timed(
        readiness("history", generate.assessments_dir(1_000), "-c", checklist, "-f", "json"),
        1,
        0,
        **no_cache,
    )
    rows.append(Row("readiness history, 1,000 assessments, cache off", cold, 1, note="cache off"))
    cold = timed(
        readiness("compare", "--force", *thousand, "-c", checklist, "-f", "json"),
        1,
        0,
        **no_cache,
    )
    rows.append(Row("readiness compare, 1,000 assessments, cache off", cold, 1, note="cache off"))

    for row in rows + growth:
        if row.median_ms is not None:
            row.ratio_python = row.median_ms / python_ms
            row.ratio_typer = row.median_ms / typer_ms
    return rows, growth


def measure_saves(saves: int) -> list[Row]:
    """Atomic save in-process: p50/p95 over ``saves`` saves, each changing one note."""
    from readiness.loading import load_pair
    from readiness.storage import save_assessment

    rows = []
    with tempfile.TemporaryDirectory(dir=generate.DATA) as tmp:
        for items in generate.CHECKLIST_SIZES:
            copy = Path(tmp) / f"save-{items}.toml"
            copy.write_bytes(generate.assessment_path(items).read_bytes())
            assessment, checklist, _ = load_pair(copy, generate.checklist_path(items))
            first = next(iter(assessment.answers))
            times = []
            for n in range(saves + 1):
                answer = assessment.answers[first]
                assessment.answers[first] = dataclasses.replace(answer, note=f"save {n}")
                started = time.perf_counter()
                save_assessment(assessment, checklist)
                if n:  # the first save is the warm-up
                    times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
            answered = len(assessment.answers)
            target = "p95 <= 50 ms" if items == 1_000 else ""
            rows.append(
                Row(
                    f"atomic save, {answered} answers ({items}-item checklist)",
                    statistics.median(times),
                    saves,
                    target,
                    p95 <= 50 if target else None,
                    f"p95 {p95:.1f} ms",
                )
            )
    return rows


TUI_RUNS = 5
"""Fresh processes per size: the first screen is drawn once per process, and this machine's
speed swings by a third from minute to minute."""


def _in_process(call: str) -> Any:
    """``call`` (e.g. ``bench_tui.run([300])``) run in a fresh Python in benchmarks/: what it
    returns, through JSON."""
    module = call.split(".", 1)[0]
    code = f"import json, {module}; print(json.dumps({call}))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=HERE,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-120:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _tui_run(sizes: list[int]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = _in_process(f"bench_tui.run({sizes!r})")
    return results


def measure_tui() -> list[Row]:
    if not (HERE / "bench_tui.py").exists():
        return [Row("TUI", None, note="not available (benchmarks/bench_tui.py missing)")]
    rows = []
    for items in (300, 5000):
        try:
            runs = [_tui_run([items])[0] for _ in range(TUI_RUNS)]
        except RuntimeError as exc:
            return [Row("TUI", None, note=f"failed: {exc}")]
        first = statistics.median(r["first_screen_ms"] for r in runs)
        key = statistics.median(r["key_to_header_ms"] for r in runs)
        key_max = max(r["key_to_header_max_ms"] for r in runs)
        widgets = runs[0]["widgets"]
        spread = f"{min(r['first_screen_ms'] for r in runs):.0f}-"
        spread += f"{max(r['first_screen_ms'] for r in runs):.0f} ms"
        rows.append(
            Row(
                f"TUI first screen, {items} items",
                first,
                TUI_RUNS,
                "<= 300 ms" if items == 300 else "",
                first <= 300 if items == 300 else None,
                f"{widgets} widgets; runs {spread}",
            )
        )
        rows.append(
            Row(
                f"TUI key -> header, {items} items",
                key,
                10 * TUI_RUNS,
                "<= 50 ms" if items == 300 else "",
                key <= 50 if items == 300 else None,
                f"max {key_max} ms",
            )
        )
    rows += measure_loop()
    return rows


def measure_loop() -> list[Row]:
    """The longest event-loop callback of a scripted TUI session (benchmarks/bench_loop.py)."""
    try:
        result = _in_process("bench_loop.run(300)")
    except RuntimeError as exc:
        return [Row("TUI event loop", None, note=f"failed: {exc}")]
    longest = result["interaction_longest_ms"]
    worst = result["interaction_top"][0][1] if result["interaction_top"] else ""
    return [
        Row(
            "TUI longest callback while in use, 300 items",
            longest,
            1,
            "<= 50 ms",
            longest <= 50,
            worst[:60],
        ),
        Row("TUI longest callback at start-up, 300 items", result["startup_longest_ms"], 1),
    ]


# --------------------------------------------------------------------------- output


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value / 1000:.2f} s" if value >= 10_000 else f"{value:.1f} ms"


def fmt_ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}x"


def fmt_met(row: Row) -> str:
    if row.met is None:
        return ""
    return "yes" if row.met else "NO"


def growth_notes(growth: list[Row]) -> list[Row]:
    """Cost per extra unit between consecutive sizes: flat means linear."""
    groups: dict[str, list[tuple[int, float]]] = {}
    for row in growth:
        if row.median_ms is None:
            continue
        label, size = _split_size(row.name)
        groups.setdefault(label, []).append((size, row.median_ms))
    for row in growth:
        label, size = _split_size(row.name)
        points = sorted(groups.get(label, []))
        before = [p for p in points if p[0] < size]
        if before and row.median_ms is not None:
            size0, ms0 = before[-1]
            row.note = f"+{(row.median_ms - ms0) / (size - size0):.3f} ms per extra unit"
    return growth


def _split_size(name: str) -> tuple[str, int]:
    digits = "".join(ch for ch in name.split(",", 1)[1] if ch.isdigit())
    return name.split(",")[0], int(digits)


HEADER = ["Benchmark", "Median", "Runs", "x python", "x Typer", "Target", "Met", "Note"]


def cells(row: Row) -> list[str]:
    return [
        row.name,
        fmt_ms(row.median_ms),
        str(row.runs or ""),
        fmt_ratio(row.ratio_python),
        fmt_ratio(row.ratio_typer),
        row.target,
        fmt_met(row),
        row.note,
    ]


def print_tables(sections: dict[str, list[Row]]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 150))
    for title, rows in sections.items():
        table = Table(title=title, title_justify="left")
        for n, column in enumerate(HEADER):
            table.add_column(column, justify="right" if 0 < n < 5 else "left")
        for row in rows:
            table.add_row(*cells(row), style="red" if row.met is False else None)
        console.print(table)


def markdown(sections: dict[str, list[Row]], seconds: float) -> str:
    out = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (benchmarks/run.py) on {dt.date.today().isoformat()}: "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; {seconds:.0f} s in all. Medians after a warm-up; ratios "
        "to the floors measured in the same run. See docs/performance.md for the targets.",
        "",
    ]
    for title, rows in sections.items():
        out += [f"## {title}", "", "| " + " | ".join(HEADER) + " |"]
        out.append("|" + "|".join("---" for _ in HEADER) + "|")
        out += ["| " + " | ".join(cells(row)) + " |" for row in rows]
        out.append("")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--full", action="store_true", help="also validate 10,000 files")
    parser.add_argument("--no-tui", action="store_true", help="skip the TUI timings")
    args = parser.parse_args(argv)
    light, heavy, saves = (5, 1, 30) if args.quick else (9, 3, 100)
    started = time.perf_counter()
    counts = generate.ASSESSMENT_COUNTS if args.full else generate.ASSESSMENT_COUNTS[:3]
    generate.generate(assessment_counts=counts)
    compile_sources()
    rows, growth = measure_commands(light, heavy, full=args.full)
    saves_rows = measure_saves(saves)
    sections = {
        "Commands (targets of issue 7)": rows + saves_rows[2:3],
        "Terminal UI (benchmarks/bench_tui.py)": [] if args.no_tui else measure_tui(),
        "Growth across sizes": growth_notes(growth) + saves_rows,
    }
    sections = {k: v for k, v in sections.items() if v}
    print_tables(sections)
    RESULTS.write_text(markdown(sections, time.perf_counter() - started), encoding="utf-8")
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
