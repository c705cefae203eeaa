"""Where a network of organizations is weakest: the latest assessment of each member.

An umbrella network collects its members' assessment files; this module takes the newest
assessment of each organization (one checklist, any roles) and summarizes them: the score
of each phase and section across members (mean, lowest, highest), and the items that are
gaps for the largest share of the members they apply to. Plain Python, no UI import.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from readiness.model import Assessment, Checklist, Item, organization_key
from readiness.scoring import Scores, gaps, score


@dataclass(frozen=True, slots=True)
class Member:
    """One organization's newest assessment."""

    assessment: Assessment
    checklist: Checklist
    """The checklist version this member answered (members are scored against their own)."""
    scores: Scores


@dataclass(frozen=True, slots=True)
class Spread:
    """A score across members: None where no member has one."""

    mean: float | None
    lowest: float | None
    highest: float | None
    members: int
    """How many members have a score here."""


@dataclass(frozen=True, slots=True)
class GroupRow:
    id: str
    title: str
    spread: Spread


@dataclass(frozen=True, slots=True)
class NetworkItem:
    """One item across the members it applies to."""

    item: Item
    phase: str
    applies: int
    """Members the item applies to (by role) and did not answer n/a."""
    gaps: int
    """Members for which it is a gap."""
    unknown: int
    """Members that answered unknown or did not answer."""

    @property
    def share(self) -> float:
        return self.gaps / self.applies if self.applies else 0.0


@dataclass(frozen=True, slots=True)
class Network:
    checklist: Checklist
    members: tuple[Member, ...]
    overall: Spread
    phases: tuple[GroupRow, ...]
    sections: tuple[GroupRow, ...]
    items: tuple[NetworkItem, ...]
    """Weakest first: largest share of members with a gap, then most members, then
    checklist order."""
    skipped: tuple[Assessment, ...]
    """Assessments of another checklist than the network's most common one."""


def spread(values: Sequence[float | None]) -> Spread:
    present = [v for v in values if v is not None]
    if not present:
        return Spread(None, None, None, 0)
    return Spread(fmean(present), min(present), max(present), len(present))


def newest_per_organization(assessments: Sequence[Assessment]) -> list[Assessment]:
    newest: dict[str, Assessment] = {}
    for assessment in assessments:
        key = organization_key(assessment)
        if key not in newest or assessment.date >= newest[key].date:
            newest[key] = assessment
    return sorted(newest.values(), key=lambda a: organization_key(a))


def summarize(pairs: Sequence[tuple[Assessment, Checklist]]) -> Network:
    """Summarize the newest assessment of each organization on the network's most common
    checklist. Each member is scored against the checklist version it answered; items and
    sections are matched by id across versions."""
    if not pairs:
        raise ValueError("no assessments to summarize")
    common = Counter(a.checklist for a, _ in pairs).most_common(1)[0][0]
    checklist = max(
        (c for a, c in pairs if a.checklist == common), key=lambda c: _version_key(c.version)
    )
    checklist_of = {id(a): c for a, c in pairs}
    chosen = newest_per_organization([a for a, _ in pairs if a.checklist == common])
    skipped = tuple(a for a, _ in pairs if a.checklist != common)
    members = tuple(Member(a, checklist_of[id(a)], score(a, checklist_of[id(a)])) for a in chosen)
    phase_rows = tuple(
        GroupRow(p.id, p.title, spread([m.scores.phase(p.id).tally.score for m in members]))
        for p in checklist.phases
    )
    section_scores: dict[str, list[float | None]] = {}
    for member in members:
        for phase in member.scores.phases:
            for section in phase.sections:
                section_scores.setdefault(section.id, []).append(section.tally.score)
    section_rows = tuple(
        GroupRow(s.id, s.title, spread(section_scores.get(s.id, [])))
        for s in checklist.sections_in_order
    )
    return Network(
        checklist=checklist,
        members=members,
        overall=spread([m.scores.overall for m in members]),
        phases=phase_rows,
        sections=section_rows,
        items=_items(checklist, members),
        skipped=skipped,
    )


def _items(checklist: Checklist, members: Sequence[Member]) -> tuple[NetworkItem, ...]:
    applies: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    for member in members:
        for result in member.scores.results:
            if result.counts:
                applies[result.item.id] += 1
                if not isinstance(result.level, int):
                    unknown[result.item.id] += 1
    gap_count = Counter(g.item.id for m in members for g in gaps(m.assessment, checklist, m.scores))
    order = {item.id: n for n, item in enumerate(checklist.ordered_items)}
    rows = [
        NetworkItem(
            item,
            checklist.phase_of(item).id,
            applies[item.id],
            gap_count[item.id],
            unknown[item.id],
        )
        for item in checklist.ordered_items
        if applies[item.id]
    ]
    rows.sort(key=lambda r: (-r.share, -r.gaps, order[r.item.id]))
    return tuple(rows)


def _version_key(version: str) -> tuple[int, ...]:
    core = version.split("-", 1)[0].split("+", 1)[0]
    return tuple(int(part) if part.isdigit() else 0 for part in core.split("."))
