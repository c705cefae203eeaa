"""Renderers for ``readiness compare`` and ``readiness history``: Rich, JSON, Markdown, CSV.

Every function takes the results of :mod:`readiness.compare` and returns or prints them;
none computes a score. User and checklist text is cleaned with
:func:`readiness.textsafe.clean` and shown as ``rich.text.Text``, never as markup. Rich is
imported inside the functions that print: the JSON and CSV paths never pay for it.

Numbers: scores are rounded to one decimal; a ``delta`` is the difference of the rounded
first and last scores (so that it matches the numbers shown beside it), None when either
is None. Coverage is a fraction 0-1 rounded to three decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from readiness.compare import Change, Comparison, History, ItemRow, Series
from readiness.model import Level
from readiness.report.tabular import md, to_csv
from readiness.textsafe import clean, shorten

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

SPARKS = "▁▂▃▄▅▆▇█"

HEADINGS: dict[Change, str] = {
    "improved": "Improved",
    "regressed": "Regressed",
    "newly-answered": "Newly answered",
    "no-longer-answered": "No longer answered",
    "became-n-a": "Became n/a",
    "left-n-a": "No longer n/a",
    "stuck-gap": "Unchanged below target (stuck gaps)",
    "added": "Added to the checklist",
    "removed": "Removed from the checklist",
    "orphaned": "Answers to items the checklist no longer has",
    "unchanged": "Unchanged",
    "unanswered": "Unanswered",
    "still-n-a": "Still n/a",
    "absent": "Not in the checklist",
}


# --------------------------------------------------------------------------- numbers


def round1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def rounded_delta(first: float | None, last: float | None) -> float | None:
    if first is None or last is None:
        return None
    return round(round(last, 1) - round(first, 1), 1)


def series_data(series: Series) -> dict[str, Any]:
    values = series.values
    return {
        "scores": [round1(v) for v in values],
        "delta": rounded_delta(series.first, series.last),
        "steps": [rounded_delta(a, b) for a, b in pairwise(values)],
    }


def coverage_value(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def sparkline(values: Sequence[float | None], top: float = 100.0) -> str:
    """One character per value on a 0-``top`` scale; a space for None."""
    out = []
    for value in values:
        if value is None:
            out.append(" ")
        else:
            share = min(max(value / top, 0.0), 1.0) if top else 0.0
            out.append(SPARKS[round(share * (len(SPARKS) - 1))])
    return "".join(out)


def level_text(level: Level | None) -> str:
    return "" if level is None else str(level)


def score_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def delta_text(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"


# --------------------------------------------------------------------------- JSON


def comparison_data(comparison: Comparison) -> dict[str, Any]:
    """The JSON document of ``readiness compare --format json`` (keys in docs/compare.md)."""
    latest = comparison.latest.assessment
    versions: list[str] = []
    for entry in comparison.entries:
        if entry.checklist.version not in versions:
            versions.append(entry.checklist.version)
    counts: dict[str, int] = {}
    for row in comparison.items:
        counts[row.change] = counts.get(row.change, 0) + 1
    return {
        "organization": {"name": latest.organization.name, "role": latest.organization.role},
        "checklist": {"id": comparison.latest.checklist.id, "versions": versions},
        "forced": list(comparison.forced),
        "assessments": [
            {
                "path": None if e.path is None else str(e.path),
                "date": e.date.isoformat(),
                "title": e.title,
                "organization": e.assessment.organization.name,
                "role": e.assessment.organization.role,
                "checklist": e.checklist.id,
                "checklist_version": e.assessment.checklist_version,
                "overall": round1(e.scores.overall),
                "coverage": coverage_value(e.scores.coverage),
                "band": None if e.scores.band is None else e.scores.band.name,
            }
            for e in comparison.entries
        ],
        "overall": series_data(comparison.overall),
        "coverage": {
            "values": [coverage_value(v) for v in comparison.coverage.values],
            "delta": None
            if comparison.coverage.delta is None
            else round(comparison.coverage.delta, 3),
        },
        "shared": {"items": comparison.shared_items, **series_data(comparison.shared)},
        "phases": [
            {
                "id": phase.id,
                "title": phase.title,
                **series_data(phase.scores),
                "sections": [
                    {"id": s.id, "title": s.title, **series_data(s.scores)} for s in phase.sections
                ],
            }
            for phase in comparison.phases
        ],
        "items": [
            {
                "item": row.item,
                "prompt": row.prompt,
                "phase": row.phase,
                "section": row.section,
                "target": row.target,
                "levels": list(row.levels),
                "present": list(row.present),
                "change": row.change,
                "steps": list(row.steps),
            }
            for row in comparison.items
        ],
        "changes": counts,
        "versions": [
            {"from": v.before, "to": v.after, "added": list(v.added), "removed": list(v.removed)}
            for v in comparison.versions
        ],
    }


def history_data(history: History) -> dict[str, Any]:
    """The JSON document of ``readiness history --format json``."""
    return {
        "folder": str(history.folder),
        "organizations": [
            {
                "name": org.name,
                "direction": org.direction,
                "delta": round1(org.delta),
                "trend": [round1(v) for v in org.trend],
                "assessments": [
                    {
                        "path": str(e.path),
                        "date": e.date.isoformat(),
                        "title": e.title,
                        "checklist": e.checklist,
                        "checklist_version": e.checklist_version,
                        "role": e.role,
                        "overall": round1(e.overall),
                        "coverage": coverage_value(e.coverage),
                    }
                    for e in org.entries
                ],
            }
            for org in history.organizations
        ],
        "problems": [p.as_dict() for p in history.problems],
    }


# --------------------------------------------------------------------------- CSV


def level_columns(comparison: Comparison) -> list[str]:
    names: list[str] = []
    for entry in comparison.entries:
        name = f"level {entry.date.isoformat()}"
        n = 2
        while name in names:
            name = f"level {entry.date.isoformat()} ({n})"
            n += 1
        names.append(name)
    return names


def comparison_csv(comparison: Comparison) -> str:
    """The per-item table: one row per item, one level column per assessment (oldest first)."""
    header = ["item", "phase", "section", "prompt", "target", *level_columns(comparison), "change"]
    rows = [
        [
            row.item,
            row.phase,
            row.section,
            row.prompt,
            row.target,
            *(level_text(level) for level in row.levels),
            row.change,
        ]
        for row in comparison.items
    ]
    return to_csv(header, rows)


# --------------------------------------------------------------------------- Markdown


def comparison_markdown(comparison: Comparison) -> str:
    """A "Progress report" section to paste into an annual report."""
    entries = comparison.entries
    dates = [e.date.isoformat() for e in entries]
    first, last = dates[0], dates[-1]
    org = comparison.latest.assessment.organization
    lines = [
        f"## Progress report: {md(org.name)}",
        "",
        f"Readiness scores (0-100) of {len(entries)} assessments against the checklist "
        f"*{md(comparison.latest.checklist.title)}*, from {first} to {last}. "
        "The change is the last score minus the first.",
        "",
    ]
    for message in comparison.forced:
        lines += [f"> Note: {md(message)}.", ""]
    header = "| | " + " | ".join(dates) + " | Change |"
    rule = "|---|" + "---:|" * (len(dates) + 1)

    def row(label: str, series: Series) -> str:
        cells = [score_text(round1(v)) for v in series.values]
        change = delta_text(rounded_delta(series.first, series.last))
        return f"| {label} | " + " | ".join(cells) + f" | {change} |"

    lines += ["### Overall and per phase", "", header, rule, row("**Overall**", comparison.overall)]
    lines += [row(md(phase.title), phase.scores) for phase in comparison.phases]
    for phase in comparison.phases:
        lines += ["", f"### {md(phase.title)}", "", header, rule]
        lines += [row(md(section.title), section.scores) for section in phase.sections]
    for version in comparison.versions:
        lines += [
            "",
            f"Checklist version {md(version.before)} → {md(version.after)}: "
            f"{len(version.added)} item(s) added, {len(version.removed)} removed.",
        ]
    moved = comparison.moved()
    if moved:
        lines += ["", "### What moved", ""]
        for change, rows in moved.items():
            lines.append(f"**{HEADINGS[change]}** ({len(rows)})")
            lines.append("")
            lines += [f"- {_item_line(row)}" for row in rows]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _levels_path(row: ItemRow) -> str:
    return " → ".join("·" if level is None else str(level) for level in row.levels)


def _item_line(row: ItemRow) -> str:
    prompt = row.prompt or "(no longer in the checklist)"
    return f"`{row.item}` {md(prompt)} ({_levels_path(row)})"


# --------------------------------------------------------------------------- Rich


def _styled_delta(value: float | None) -> Text:
    from rich.text import Text

    if value is None:
        return Text("—", style="dim")
    style = "green" if value > 0 else "red" if value < 0 else "dim"
    return Text(f"{value:+.1f}", style=style)


def comparison_table(comparison: Comparison) -> Any:
    """A Rich table: one row per score (overall, phases, sections), one column per
    assessment oldest first, then the change and a sparkline."""
    from rich.table import Table
    from rich.text import Text

    from readiness.report.terminal import add_label_column, row_label

    table = Table(title="Scores over time (0-100)", title_justify="left", show_edge=False)
    add_label_column(table)
    for entry in comparison.entries:
        table.add_column(Text(entry.date.isoformat()), justify="right", no_wrap=True)
    table.add_column("Change", justify="right", no_wrap=True)
    table.add_column("Trend", no_wrap=True)

    def add(label: Text, series: Series, end_section: bool = False) -> None:
        cells = [Text(score_text(round1(v))) for v in series.values]
        table.add_row(
            label,
            *cells,
            _styled_delta(rounded_delta(series.first, series.last)),
            Text(sparkline(series.values), style="cyan"),
            end_section=end_section,
        )

    add(row_label("Overall", "bold"), comparison.overall, end_section=True)
    for phase in comparison.phases:
        add(row_label(phase.title, "bold"), phase.scores)
        for n, section in enumerate(phase.sections):
            add(
                row_label(section.title, indent=2),
                section.scores,
                end_section=n == len(phase.sections) - 1,
            )
    coverage = [None if v is None else 100 * v for v in comparison.coverage.values]
    table.add_row(
        row_label("Coverage %", "dim"),
        *[Text(score_text(v), style="dim") for v in coverage],
        _styled_delta(rounded_delta(coverage[0], coverage[-1])),
        Text(sparkline(coverage), style="dim"),
    )
    return table


def render_comparison(console: Console, comparison: Comparison) -> None:
    from rich.text import Text

    org = comparison.latest.assessment.organization
    head = Text()
    head.append("Comparison: ", style="bold")
    head.append(clean(org.name, single_line=True))
    head.append(f" ({clean(org.role, single_line=True)}), ")
    head.append(clean(comparison.latest.checklist.title, single_line=True))
    console.print(head)
    for entry in comparison.entries:
        line = Text("  ")
        line.append(entry.date.isoformat(), style="bold")
        line.append("  " + shorten(entry.title, 50))
        line.append(f"  v{clean(entry.assessment.checklist_version, single_line=True)}", "dim")
        path = Text(f"  {clean(str(entry.path), single_line=True)}", style="dim")
        if line.cell_len + path.cell_len <= console.width:
            console.print(line + path)
        else:  # the path on its own line, under the title, rather than wrapped at column 0
            console.print(line)
            console.print(Text(" " * 14) + path, overflow="fold")
    for message in comparison.forced:
        console.print(Text("forced: " + clean(message, single_line=True), style="yellow"))
    console.print()
    console.print(comparison_table(comparison))
    for version in comparison.versions:
        console.print(
            Text(
                f"Checklist {clean(version.before)} → {clean(version.after)}: "
                f"added {', '.join(version.added) or 'nothing'}; "
                f"removed {', '.join(version.removed) or 'nothing'}",
                style="dim",
            )
        )
    if comparison.versions:
        shared = comparison.shared
        console.print(
            Text(
                f"On the {comparison.shared_items} items every version has: "
                f"{score_text(round1(shared.first))} → {score_text(round1(shared.last))} "
                f"({delta_text(rounded_delta(shared.first, shared.last))})",
                style="dim",
            )
        )
    moved = comparison.moved()
    if not moved:
        console.print(Text("\nNo item moved.", style="dim"))
    for change, rows in moved.items():
        console.print()
        console.print(Text(f"{HEADINGS[change]} ({len(rows)})", style="bold"))
        for row in rows:
            # The id and the levels on one line, the prompt under them cut to the width:
            # an 80-column terminal otherwise wraps the prompt back to column 0.
            head = Text("  ")
            head.append(clean(row.item, single_line=True))
            head.append(f"  {_levels_path(row)}", style="bold")
            console.print(head, overflow="fold")
            prompt = clean(row.prompt or "(no longer in the checklist)", single_line=True)
            console.print(Text("      " + prompt, style="dim"), no_wrap=True, overflow="ellipsis")


def render_history(console: Console, history: History) -> None:
    from rich.table import Table
    from rich.text import Text

    if not history.organizations:
        console.print(
            Text(f"No assessments found in {clean(str(history.folder))}.", style="yellow")
        )
        return
    arrows = {"up": ("▲", "green"), "down": ("▼", "red"), "flat": ("=", "dim"), "new": ("", "")}
    for org in history.organizations:
        arrow, style = arrows[org.direction]
        title = Text(clean(org.name, single_line=True), style="bold")
        title.append(f"  {sparkline(org.trend)} ", style="cyan")
        title.append(f"{arrow} {delta_text(round1(org.delta))}".strip(), style=style)
        table = Table(title=title, title_justify="left", show_edge=False)
        # One wrappable column (the assessment: title, then checklist and file, dim; a
        # path is folded, never cut) so that dates and numbers keep their width at 80
        # columns.
        table.add_column("Date", no_wrap=True)
        table.add_column("Assessment", overflow="fold")
        table.add_column("Coverage", justify="right", no_wrap=True)
        table.add_column("Overall", justify="right", no_wrap=True)
        for e in org.entries:
            coverage = "—" if e.coverage is None else f"{100 * e.coverage:.0f}%"
            about = Text(clean(e.title, single_line=True))
            about.append(
                f"\n{clean(e.checklist)} {clean(e.checklist_version)} · "
                f"{clean(str(e.path), single_line=True)}",
                style="dim",
            )
            table.add_row(
                Text(e.date.isoformat()),
                about,
                Text(coverage),
                Text(score_text(round1(e.overall))),
            )
        console.print(table)
        console.print()
    if history.skipped:
        console.print(
            Text(f"{history.skipped} file(s) skipped: see the errors above.", style="yellow")
        )
