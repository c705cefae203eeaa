"""The ``compare`` and ``history`` commands (registered on the app in ``readiness.cli``).

Thin: parse arguments, load with :class:`readiness.loading.Loader`, call the core, print
with :mod:`readiness.report.compare_render`. Helpers come from ``readiness.cli`` inside the
functions, because ``readiness.cli`` imports this module to register the commands.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class CompareFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class HistoryFormat(StrEnum):
    text = "text"
    json = "json"


def _once_each(paths: list[Path]) -> list[Path]:
    """``paths`` with a file named twice (``a.toml ./a.toml``) kept once, with a warning:
    a file compared with itself only adds a column of zero changes."""
    from readiness.cli import warn

    seen: set[Path] = set()
    unique = []
    for path in paths:
        key = path.resolve()
        if key in seen:
            warn(f"{path} is given more than once; it is compared once")
            continue
        seen.add(key)
        unique.append(path)
    return unique


def compare(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="ASSESSMENTS",
            help="Two or more assessment files of one organization (any order).",
            parser=Path,
        ),
    ],
    checklist: Annotated[
        Path | None,
        typer.Option(
            "--checklist",
            "-c",
            help="Score every assessment against this checklist file (default: each "
            "assessment's own checklist version, found by id).",
            parser=Path,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Compare even different checklists, roles or organizations."),
    ] = False,
    output: Annotated[
        CompareFormat,
        typer.Option("--format", "-f", help="text, json, csv (per item) or markdown."),
    ] = CompareFormat.text,
    out: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout.", parser=Path),
    ] = None,
) -> None:
    """Compare assessments of one organization over time, ordered by their date.

    Shows overall, per-phase and per-section scores per assessment with the change from
    the first to the last, and lists the items that moved (improved, regressed, newly
    answered, became n/a, stuck gaps, added or removed by a checklist version). Exit 2
    when a file cannot be used or the assessments should not be compared (different
    checklists, roles or organizations: --force compares them anyway).
    """
    from readiness.cli import (
        EXIT_BAD_INPUT,
        console,
        fail,
        many_objects,
        report_problems,
        user_errors,
        write_output,
    )
    from readiness.compare import CompareError
    from readiness.compare import compare as compare_assessments
    from readiness.loading import Loader, LoadError, read_many

    paths = _once_each(paths)
    if len(paths) < 2:
        fail(
            "compare needs at least two different assessment files, e.g. "
            "`readiness compare assessments/2024.toml assessments/2025.toml`",
            EXIT_BAD_INPUT,
        )
    loader = Loader(checklist)
    pairs = []
    with user_errors(), many_objects():
        problems = []  # every file's, not only the first bad file's
        for path, raw in zip(paths, read_many(paths), strict=True):
            try:
                if isinstance(raw, LoadError):
                    raise raw
                assessment, found, warnings = loader.load(path, raw)
            except LoadError as exc:
                problems += exc.problems
                continue
            if warnings:
                report_problems(warnings)
            pairs.append((assessment, found))
        if problems:
            raise LoadError(problems)
        try:
            comparison = compare_assessments(pairs, force=force)
        except CompareError as exc:
            fail(str(exc), EXIT_BAD_INPUT)

    from readiness.report import compare_render as render

    if output is CompareFormat.text and out is None:
        render.render_comparison(console(), comparison)
        return
    if output is CompareFormat.json:
        from readiness.report.data import json_text

        text = json_text(render.comparison_data(comparison))
    elif output is CompareFormat.csv:
        text = render.comparison_csv(comparison)
    elif output is CompareFormat.markdown:
        text = render.comparison_markdown(comparison)
    else:
        import io

        from rich.console import Console

        buffer = Console(
            record=True,
            width=120,
            file=io.StringIO(),
            highlight=False,
            markup=False,
            emoji=False,
        )
        render.render_comparison(buffer, comparison)
        text = buffer.export_text()
    write_output(text, out, paths)


def history(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="FOLDER", help="Folder of assessment files (searched recursively).", parser=Path
        ),
    ] = Path("assessments"),
    checklist: Annotated[
        Path | None,
        typer.Option(
            "--checklist", "-c", help="Score every assessment against this file.", parser=Path
        ),
    ] = None,
    output: Annotated[
        HistoryFormat, typer.Option("--format", "-f", help="text or json.")
    ] = HistoryFormat.text,
) -> None:
    """List every assessment in a folder, grouped by organization, newest first, with
    coverage, overall score and a trend. Files that cannot be loaded are reported on
    stderr and skipped (exit 0 as long as the folder exists)."""
    from readiness.cli import console, many_objects, print_json, report_problems, user_errors
    from readiness.compare import load_history
    from readiness.report import compare_render as render

    with user_errors(), many_objects():
        found = load_history(folder, checklist=checklist)
    if found.problems:
        # Skipped, and the command goes on: warnings, as in `network`.
        report_problems([replace(p, severity="warning") for p in found.problems])
    if output is HistoryFormat.json:
        print_json(render.history_data(found))
        return
    render.render_history(console(), found)
