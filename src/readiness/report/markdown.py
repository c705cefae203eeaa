"""Markdown documents: the planning summary, the gap table, the traceability table."""

from __future__ import annotations

from collections.abc import Sequence

from readiness.model import Assessment, Checklist
from readiness.report.tabular import md, md_table
from readiness.scoring import Gap, Scores

FIRST_STEPS = 5


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _band(scores_band: object) -> str:
    name = getattr(scores_band, "name", None)
    return name if isinstance(name, str) else "no score"


def _level(gap: Gap, checklist: Checklist) -> str:
    if gap.level is None:
        return "unanswered"
    if isinstance(gap.level, str):
        return gap.level
    return f"{gap.level} ({checklist.scale.label(gap.level)})"


# --------------------------------------------------------------------------- gaps


def gaps_markdown(
    assessment: Assessment, checklist: Checklist, found: Sequence[Gap], redact: bool = False
) -> str:
    title = f"# Gaps: {md(assessment.organization.name)}, {assessment.date}\n\n"
    if not found:
        return title + "No gaps: every applicable item is at its target.\n"
    rows = [
        [
            str(n),
            f"{md(g.item.prompt)} (`{g.item.id}`)",
            g.phase,
            _level(g, checklist),
            str(g.target),
            str(g.weight),
            str(g.priority),
            f"+{g.impact_overall:.1f}",
            ", ".join(g.blocked_by),
        ]
        for n, g in enumerate(found, 1)
    ]
    header = ["#", "Item", "Phase", "Now", "Target", "Weight", "Priority", "Gain", "First fix"]
    return title + md_table(header, rows)


# --------------------------------------------------------------------------- plan


def plan_markdown(
    assessment: Assessment,
    checklist: Checklist,
    scores: Scores,
    found: Sequence[Gap],
    *,
    redact: bool = False,
    first_steps: int = FIRST_STEPS,
) -> str:
    """The gap summary a team brings to its planning meeting.

    With ``redact``, everything the team typed (notes, evidence, owners, planned actions,
    assessor names) is left out so the summary can be shared outside the organization.
    """
    org = assessment.organization
    role = checklist.actor_by_id.get(org.role)
    out: list[str] = [f"# Readiness plan: {md(org.name)}\n"]
    facts = [
        f"- Assessment: {md(assessment.title)}, {assessment.date}",
        f"- Role: {md(role.label if role else org.role)}",
        f"- Checklist: {md(checklist.title)} ({checklist.id} {checklist.version})",
    ]
    if assessment.assessors and not redact:
        facts.append(f"- Assessed by: {md(', '.join(assessment.assessors))}")
    t = scores.tally
    coverage = "—" if scores.coverage is None else f"{scores.coverage * 100:.0f}%"
    facts.append(
        f"- Overall score: **{_score(scores.overall)}** ({_band(scores.band)}); coverage "
        f"{coverage} ({t.answered} of {t.applicable} items answered, {t.unknown} unknown)"
    )
    if redact:
        facts.append("- Redacted: notes, evidence, owners and planned actions are left out.")
    out.append("\n".join(facts) + "\n")
    out.append(
        md_table(
            ["Phase", "Score", "Band", "Answered", "Gaps", "Asserted / documented / tested"],
            [
                [
                    md(p.title),
                    _score(p.tally.score),
                    _band(p.tally.band),
                    f"{p.tally.answered}/{p.tally.applicable}",
                    str(sum(1 for g in found if g.phase == p.id)),
                    " / ".join(
                        str(p.tally.confidence[c]) for c in ("asserted", "documented", "tested")
                    ),
                ]
                for p in scores.phases
            ],
        )
    )
    out.append("\n## First steps\n")
    if not found:
        out.append("No gaps: every applicable item is at its target.\n")
    else:
        out.append(
            f"The {min(first_steps, len(found))} gaps that matter most across phases "
            "(priority = weight × levels missing; gain = points the overall score would gain):\n"
        )
        for n, g in enumerate(found[:first_steps], 1):
            first = f" — fix first: {', '.join(g.blocked_by)}" if g.blocked_by else ""
            who = [f"owner {md(g.answer.owner)}"] if g.answer.owner and not redact else []
            who += [f"due {g.answer.due.isoformat()}"] if g.answer.due else []
            who += [g.answer.status] if g.answer.status else []
            first += f" — {', '.join(who)}" if who else ""
            out.append(
                f"{n}. {md(g.item.prompt)} (`{g.item.id}`, {g.phase}; now {_level(g, checklist)},"
                f" target {g.target}; priority {g.priority}; gain +{g.impact_overall:.1f}){first}"
            )
        out.append("")
    for phase in checklist.phases:
        phase_gaps = [g for g in found if g.phase == phase.id]
        if not phase_gaps:
            continue
        out.append(f"\n## {md(phase.title)}\n")
        for g in phase_gaps:
            out.append(_gap_block(g, checklist, redact))
        out.append("\n### Actions\n")
        out.append(
            md_table(
                ["Item", "Action", "Owner", "Due", "Status"],
                [
                    [
                        f"`{g.item.id}`",
                        "" if redact else md(g.answer.action),
                        "" if redact else md(g.answer.owner),
                        g.answer.due.isoformat() if g.answer.due else "",
                        g.answer.status or "",
                    ]
                    for g in phase_gaps
                ],
            )
        )
    return "\n".join(out).rstrip() + "\n"


def _gap_block(g: Gap, checklist: Checklist, redact: bool) -> str:
    item = g.item
    lines = [f"### {md(item.prompt)}\n"]
    lines.append(
        f"`{item.id}` · now {_level(g, checklist)} · target {g.target} · weight {g.weight} · "
        f"priority {g.priority} · gain +{g.impact_phase:.1f} in phase, "
        f"+{g.impact_overall:.1f} overall"
    )
    if g.blocked_by:
        lines.append(f"\nFix first: {', '.join(f'`{d}`' for d in g.blocked_by)}")
    if item.guidance:
        lines.append(f"\n*Why it matters:* {md(item.guidance)}")
    if item.evidence:
        lines.append(f"\n*What shows it is in place:* {'; '.join(md(e) for e in item.evidence)}")
    if item.practices:
        lines.append("\n*What others have done:*\n")
        lines.extend(f"- {md(p)}" for p in item.practices)
    a = g.answer
    recorded = []
    if not redact:
        if a.note:
            recorded.append(f"- Note: {md(a.note)}")
        if a.evidence:
            recorded.append(f"- Evidence recorded: {md(a.evidence)}")
        if a.action:
            recorded.append(f"- Planned action: {md(a.action)}")
        if a.owner:
            recorded.append(f"- Owner: {md(a.owner)}")
    if a.due:
        recorded.append(f"- Due: {a.due.isoformat()}")
    if a.status:
        recorded.append(f"- Status: {a.status}")
    if recorded:
        lines.append("\n*Recorded so far:*\n")
        lines.extend(recorded)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- traceability


def traceability(checklist: Checklist) -> str:
    """Source section -> item ids, then the recommendations left out and why."""
    out = [
        f"# Sources of the {md(checklist.title)} checklist\n",
        f"Generated by `readiness trace {checklist.id}` from checklist {checklist.id} "
        f"{checklist.version}; do not edit by hand.\n",
        f"{len(checklist.items)} items cite {len(checklist.sources)} sources.\n",
    ]
    for source in checklist.sources:
        cited: dict[str, list[str]] = {}
        for item in checklist.ordered_items:
            for ref in item.refs:
                if ref.source == source.id:
                    ids = cited.setdefault(ref.section or "(whole document)", [])
                    if item.id not in ids:
                        ids.append(item.id)
        out.append(f"\n## {md(source.title)}\n")
        meta = [f"id `{source.id}`"]
        if source.publisher:
            meta.append(md(source.publisher))
        if source.year:
            meta.append(str(source.year))
        out.append(" · ".join(meta) + "\n")
        if cited:
            out.append(
                md_table(
                    ["Source section", "Items"],
                    [
                        [md(section), ", ".join(f"`{i}`" for i in ids)]
                        for section, ids in sorted(
                            cited.items(), key=lambda kv: _section_key(kv[0])
                        )
                    ],
                )
            )
        else:
            out.append("No item cites this source.\n")
        excluded = [o for o in checklist.out_of_scope if o.source == source.id]
        if excluded:
            out.append("\nLeft out of the checklist:\n")
            out.append(
                md_table(
                    ["Source section", "Recommendation", "Why it is left out"],
                    [[md(o.section), md(o.summary), md(o.reason)] for o in excluded],
                )
            )
    return "\n".join(out).rstrip() + "\n"


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7}


def _section_key(section: str) -> tuple[int, str]:
    head = section.split(" ", 1)[0].rstrip(".,")
    return (_ROMAN.get(head, 99), section)
