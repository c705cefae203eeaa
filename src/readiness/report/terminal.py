"""Rich renderers for the terminal. All file text goes through ``Text`` (never markup)
after ``textsafe.clean``, so a note like ``[bold]x[/bold]`` prints its brackets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, JustifyMethod
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from readiness.model import Checklist
from readiness.report.text import bar, plain
from readiness.scoring import Band, Gap, Lens, Scores, Tally, band_of
from readiness.textsafe import clean

if TYPE_CHECKING:
    from readiness.catalog import CatalogEntry
    from readiness.model import Assessment
    from readiness.network import Network, Spread
    from readiness.validation import FileReport


def score_text(score: float | None) -> Text:
    if score is None:
        return Text("—", style="dim")
    return Text(f"{score:.1f}")


def band_text(band: Band | None) -> Text:
    return Text(band.name, style=band.style) if band else Text("no score", style="dim")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def add_label_column(table: Table, header: str = "") -> None:
    """Add the column of row names: the one that gives way in a narrow terminal (80
    columns, or output to a file). Rich narrows wrappable columns first and, when none is
    left, cuts every column evenly, numbers included; so this is a table's only wrappable
    column, its cells come from :func:`row_label` (shortened with "…", never wrapped), and every
    other column is ``no_wrap``."""
    table.add_column(header, overflow="ellipsis")


def sized_table(
    label: str,
    columns: Sequence[tuple[str, JustifyMethod]],
    rows: Sequence[Sequence[Text] | None],
) -> Table:
    """A table of a :func:`add_label_column` column and ``columns`` (header, justify),
    ``rows`` of Text cells (the label first; None ends a section). The other columns get
    the width of their widest cell, so that Rich does not measure every cell before drawing
    it: half the time of the scores table."""
    table = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False)
    add_label_column(table, label)
    for n, (header, justify) in enumerate(columns, start=1):
        width = max([cell_len(header), *(row[n].cell_len for row in rows if row is not None)])
        table.add_column(header, justify=justify, no_wrap=True, width=width)
    for row in rows:
        if row is None:
            table.add_section()
        else:
            table.add_row(*row)
    return table


def _names_fit(
    width: int, rows: Sequence[Sequence[Text] | None], columns: Sequence[tuple[str, str]]
) -> bool:
    """Whether a :func:`sized_table` of ``rows`` shows every row name whole in ``width``."""
    present = [row for row in rows if row is not None]
    widths = [
        max([cell_len(header), *(row[n].cell_len for row in present)])
        for n, (header, _) in enumerate(columns, start=1)
    ]
    label = max((row[0].cell_len for row in present), default=0)
    return label + sum(widths) + 2 * len(columns) <= width


def row_label(text: str, style: str = "", *, indent: int = 0) -> Text:
    """A row name for a :func:`add_label_column` column, indented by ``indent`` spaces."""
    cell = Text(" " * indent) + plain(text, style, single_line=True)
    cell.no_wrap = True
    cell.overflow = "ellipsis"
    return cell


# --------------------------------------------------------------------------- validate


def render_validation(console: Console, reports: Sequence[FileReport]) -> None:
    bad = [r for r in reports if not r.ok]
    warned = sum(len(r.warnings) for r in reports)
    summary = Text()
    if bad:
        summary.append(f"{len(bad)} of {len(reports)} file(s) invalid", style="bold red")
    else:
        summary.append(f"{len(reports)} file(s) valid", style="bold green")
    if warned:
        summary.append(f", {warned} warning(s)", style="yellow")
    if len(reports) == 1 and reports[0].ok:
        r = reports[0]
        summary.append(f": {clean(str(r.path))} ({r.kind})")
    console.print(summary)


# --------------------------------------------------------------------------- checklists


def render_checklists(console: Console, entries: Sequence[CatalogEntry]) -> None:
    if not entries:
        console.print("No checklists found.")
        return
    table = Table(box=box.SIMPLE_HEAD, title="Checklists readiness can find")
    # The id is what `readiness show ID` takes: never cut. Paths fold rather than lose
    # their end (the file name), and are shown relative to here when they are below it.
    table.add_column("id", no_wrap=True, overflow="fold")
    table.add_column("version", no_wrap=True)
    table.add_column("title", ratio=1)
    table.add_column("items", no_wrap=True)  # per phase, in the checklist's order
    table.add_column("found in", ratio=1, overflow="fold")
    for entry in entries:
        c = entry.checklist
        if c is None:
            # The path is in the last column: the problem without it.
            problem = entry.problem
            why = "" if problem is None else problem.message
            if problem is not None and problem.key:
                why = f"{problem.key}: {why}"
            table.add_row(
                Text("(invalid)", style="red"),
                "",
                plain(why, "red", single_line=True),
                "",
                plain(_shown_path(entry.path)),
            )
            continue
        per_phase = "/".join(
            str(sum(1 for i in c.items if c.phase_of(i).id == p.id)) for p in c.phases
        )
        where = plain(f"{_shown_path(entry.path)} ({entry.origin})")
        if entry.shadowed:
            where.append(" shadowed", style="dim")
        table.add_row(
            plain(c.id), plain(c.version), plain(c.title, single_line=True), per_phase, where
        )
    console.print(table)
    console.print(
        Text(
            "Next: `readiness show ID` to read one, `readiness new` to start an assessment.",
            style="dim",
        )
    )


def _shown_path(path: Path) -> str:
    """``path`` relative to the working folder when it is below it, else as it is."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def render_checklist(console: Console, checklist: Checklist, role: str | None) -> None:
    head = Text()
    head.append(clean(checklist.title), style="bold")
    head.append(f"  {checklist.id} {checklist.version}", style="dim")
    console.print(head)
    if checklist.description:
        console.print(plain(checklist.description))
    levels = ", ".join(f"{lv.value} {lv.label}" for lv in checklist.scale.levels)
    console.print(plain(f"Scale: {levels}; target {checklist.scale.target}", "dim"))
    if role:
        label = checklist.actor_by_id[role].label if role in checklist.actor_by_id else role
        console.print(plain(f"Items for: {label}", "dim"))
    for phase in checklist.phases:
        console.rule(plain(phase.title, "bold"))
        for section in checklist.sections_of(phase.id):
            items = [
                i for i in checklist.items_of(section.id) if role is None or i.applies_to(role)
            ]
            if not items:
                continue
            console.print(plain(f"{section.title}  ({section.id})", "bold cyan"))
            for item in items:
                line = Text("  • ")
                line.append(clean(item.prompt, single_line=True))
                line.append(f"  {item.id} · weight {item.weight}", style="dim")
                console.print(line)


# --------------------------------------------------------------------------- score


def _counts(tally: Tally) -> Text:
    return Text(f"{tally.answered}/{tally.applicable}")


def render_scores(
    console: Console,
    assessment: Assessment,
    checklist: Checklist,
    scores: Scores,
    lenses: Sequence[Lens] = (),
) -> None:
    org = assessment.organization
    title = Text()
    title.append(clean(org.name, single_line=True), style="bold")
    title.append(f" — {clean(assessment.title, single_line=True)} ({assessment.date})")
    overall = Text("Overall ")
    overall.append(score_text(scores.overall))
    overall.append("  ")
    overall.append(band_text(scores.band))
    overall.append("  ")
    overall.append(bar(scores.overall, 30))
    t = scores.tally
    facts = Text(
        f"Coverage {percent(scores.coverage)} ({t.answered} of {t.applicable} applicable items "
        f"answered) · unanswered {t.unanswered} · unknown {t.unknown} · n/a {t.not_applicable} · "
        f"at target {t.met}",
        style="dim",
    )
    role = checklist.actor_by_id.get(org.role)
    who = plain(
        f"Role: {role.label if role else org.role} · checklist {checklist.id} {checklist.version}",
        "dim",
    )
    console.print(Panel(Group(overall, facts, who), title=title, title_align="left"))

    rows: list[list[Text] | None] = []
    for phase in scores.phases:
        pt = phase.tally
        confidence = pt.confidence
        rows.append(
            [
                row_label(phase.title, "bold"),
                score_text(pt.score),
                band_text(pt.band),
                bar(pt.score, 10),
                _counts(pt),
                Text(str(pt.unknown)),
                Text(f"{confidence['asserted']}/{confidence['documented']}/{confidence['tested']}"),
            ]
        )
        for section in phase.sections:
            st = section.tally
            if st.applicable == 0:
                continue
            rows.append(
                [
                    row_label(section.title, indent=2),
                    score_text(st.score),
                    band_text(st.band),
                    bar(st.score, 10),
                    _counts(st),
                    Text(str(st.unknown)),
                    Text(""),
                ]
            )
        rows.append(None)
    columns: list[tuple[str, JustifyMethod]] = [
        ("Score", "right"),
        ("Band", "left"),
        ("", "left"),
        ("Done", "right"),
        ("Unk.", "right"),
        ("A/D/T", "right"),
    ]
    if not _names_fit(console.width, rows, columns):
        # The bars repeat what score and band say; the names are what the reader needs.
        bar_at = 3
        columns.pop(bar_at - 1)
        rows = [None if row is None else row[:bar_at] + row[bar_at + 1 :] for row in rows]
    table = sized_table("Phase / section", columns, rows)
    console.print(table)
    console.print(
        Text(
            "Done: answered / applicable items. Unk.: answered unknown. "
            "A/D/T: answers asserted / documented / tested.",
            style="dim",
        )
    )
    if lenses:
        render_lenses(console, lenses, checklist)


def render_lenses(console: Console, lenses: Sequence[Lens], checklist: Checklist) -> None:
    table = Table(box=box.SIMPLE_HEAD, title="Readiness through one concern (items with a tag)")
    add_label_column(table, "Tag")
    table.add_column("Items", justify="right", no_wrap=True)
    table.add_column("Overall", justify="right", no_wrap=True)
    table.add_column("Band", no_wrap=True)
    for phase in checklist.phases:
        table.add_column(phase.title.split(":")[0], justify="right", no_wrap=True)
    for lens in lenses:
        table.add_row(
            row_label(lens.tag),
            str(lens.scores.tally.applicable),
            score_text(lens.scores.overall),
            band_text(lens.scores.band),
            *[score_text(p.tally.score) for p in lens.scores.phases],
        )
    console.print(table)


# --------------------------------------------------------------------------- gaps


def level_text(gap: Gap) -> Text:
    level = gap.level
    if level is None:
        return Text("—", style="dim")
    if isinstance(level, str):
        return Text(level, style="yellow")
    return Text(str(level))


def render_gaps(console: Console, checklist: Checklist, found: Sequence[Gap], total: int) -> None:
    if not found:
        console.print(Text("No gaps: every applicable item is at its target.", style="green"))
        return
    title = f"Gaps, most important first ({len(found)} of {total})"
    # The table's other columns take ~45 cells; where an id would not fit beside them
    # whole (80 columns), each gap is a short block instead, the id on its own line.
    if max(cell_len(gap.item.id) for gap in found) + 45 > console.width:
        _render_gaps_as_list(console, title, found)
        return
    table = Table(
        box=box.SIMPLE_HEAD,
        title=title,
        pad_edge=False,
        expand=True,
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Item", overflow="fold", min_width=30, ratio=1)
    table.add_column("Phase", no_wrap=True)
    table.add_column("Now", no_wrap=True)
    table.add_column("Tgt", justify="right", no_wrap=True)
    table.add_column("W", justify="right", no_wrap=True)
    table.add_column("Prio", justify="right", no_wrap=True)
    table.add_column("Gain", justify="right", no_wrap=True)
    for n, gap in enumerate(found, 1):
        item = Text(clean(gap.item.prompt, single_line=True))
        item.append(f"\n{gap.item.id}", style="dim")
        if gap.blocked_by:
            item.append(f"\nfix first: {', '.join(gap.blocked_by)}", style="yellow")
        table.add_row(
            str(n),
            item,
            gap.phase,
            level_text(gap),
            str(gap.target),
            str(gap.weight),
            str(gap.priority),
            Text(f"+{gap.impact_overall:.1f}"),
        )
    console.print(table)
    console.print(
        Text(
            "Now: current level (unknown and unanswered count as 0). Tgt: target. W: weight. "
            "Prio: weight x levels missing. Gain: points the overall score would gain if the "
            "item reached its target.",
            style="dim",
        )
    )


def _render_gaps_as_list(console: Console, title: str, found: Sequence[Gap]) -> None:
    console.print(Text(title, style="italic"), justify="center")
    console.print()
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")  # text wraps under itself, indented
    for n, gap in enumerate(found, 1):
        block = Text(clean(gap.item.id, single_line=True), style="bold")
        block.append("\n" + clean(gap.item.prompt, single_line=True))
        facts = Text("\n" + gap.phase + " · now ", style="dim")
        facts.append_text(level_text(gap))
        facts.append(
            f" · target {gap.target} · weight {gap.weight} · priority {gap.priority}"
            f" · gain +{gap.impact_overall:.1f}"
        )
        block.append_text(facts)
        if gap.blocked_by:
            block.append(f"\nfix first: {', '.join(gap.blocked_by)}", style="yellow")
        block.append("\n")  # a blank line between gaps
        grid.add_row(f"{n}.", block)
    console.print(grid)
    console.print(
        Text(
            "now: current level (unknown and unanswered count as 0). priority: weight x levels "
            "missing. gain: points the overall score would gain if the item reached its target.",
            style="dim",
        )
    )


# --------------------------------------------------------------------------- network


def _spread(spread: Spread) -> Text:
    if spread.mean is None:
        return Text("—", style="dim")
    out = score_text(spread.mean)
    out.append(f"  ({spread.lowest:.0f}–{spread.highest:.0f})", style="dim")
    return out


def render_network(console: Console, network: Network, top: int) -> None:
    members = len(network.members)
    head = Text()
    head.append(f"{members} organization(s)", style="bold")
    head.append(f", newest assessment of each, against {clean(network.checklist.title)}")
    head.append(f" {network.checklist.version}", style="dim")
    console.print(head)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    add_label_column(table, "Phase / section")
    table.add_column("Mean (low–high)", no_wrap=True)
    table.add_column("Band", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_row(
        row_label("Overall", "bold"),
        _spread(network.overall),
        band_text(band_of(network.overall.mean)),
        bar(network.overall.mean, 10),
    )
    table.add_section()
    for phase in network.phases:
        table.add_row(
            row_label(phase.title, "bold"),
            _spread(phase.spread),
            band_text(band_of(phase.spread.mean)),
            bar(phase.spread.mean, 10),
        )
        for section in network.sections:
            if (
                network.checklist.section_by_id[section.id].phase == phase.id
                and section.spread.members
            ):
                table.add_row(
                    row_label(section.title, indent=2),
                    _spread(section.spread),
                    band_text(band_of(section.spread.mean)),
                    bar(section.spread.mean, 10),
                )
    console.print(table)
    items = Table(
        box=box.SIMPLE_HEAD,
        title=f"Where the network is weakest: items that are gaps for most members (top {top})",
        pad_edge=False,
        expand=True,
    )
    items.add_column("Item", overflow="fold", min_width=30, ratio=1)
    items.add_column("Phase", no_wrap=True)
    items.add_column("Gap for", justify="right", no_wrap=True)
    items.add_column("Unknown", justify="right", no_wrap=True)
    for row in network.items[:top]:
        label = Text(clean(row.item.prompt, single_line=True))
        label.append(f"\n{row.item.id}", style="dim")
        items.add_row(label, row.phase, f"{row.gaps}/{row.applies}", str(row.unknown))
    console.print(items)
    if network.skipped:
        console.print(
            Text(
                f"{len(network.skipped)} assessment(s) of another checklist left out.",
                style="yellow",
            )
        )
