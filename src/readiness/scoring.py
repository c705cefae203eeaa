"""Scores, gaps and lenses: pure functions of an assessment and its checklist.

The formula is a contract, written down with a worked example in docs/scoring.md:

- an item applies when its ``actors`` is empty or contains the organization's role;
- ``n/a`` answers leave every denominator; ``unknown`` and unanswered score 0;
  a level L scores L / (highest level of the scale);
- section and phase score = 100 * sum(weight * item score) / sum(weight), or None when no
  item counts; overall = mean of the phase scores that exist;
- coverage = answered applicable items (a level, n/a or unknown) / applicable items;
- a gap is an applicable item not answered n/a whose effective level is below its target;
  priority = weight * (target - effective level); ordered by priority (highest first),
  then phase order, then checklist order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from readiness.model import (
    CONFIDENCES,
    NOT_APPLICABLE,
    UNKNOWN,
    Answer,
    Assessment,
    Checklist,
    Item,
    Level,
)


@dataclass(frozen=True, slots=True)
class Band:
    """A named readiness band for a score, shown beside it."""

    name: str
    lower: float
    """Scores at or above this (and below the next band's lower bound) fall in the band."""
    style: str
    """A Rich style name used by the terminal renderers."""


BANDS: tuple[Band, ...] = (
    Band("Not ready", 0.0, "red"),
    Band("Getting ready", 40.0, "yellow"),
    Band("Ready", 70.0, "green"),
)
"""Below 40: not ready; 40 to below 70: getting ready; 70 and above: ready."""


def band_of(score: float | None) -> Band | None:
    if score is None:
        return None
    chosen = BANDS[0]
    for band in BANDS:
        if score >= band.lower:
            chosen = band
    return chosen


@dataclass(frozen=True, slots=True)
class ItemResult:
    """How one applicable item counts."""

    item: Item
    answer: Answer
    effective_level: int
    """The level that scores: 0 when unanswered or unknown (and for n/a, which does not count)."""
    counts: bool
    """False for n/a: the item is out of every denominator."""
    target: int

    @property
    def level(self) -> Level | None:
        return self.answer.level


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts and the weighted score of a group of items (a section, phase, or everything)."""

    score: float | None
    applicable: int
    answered: int
    not_applicable: int
    unknown: int
    unanswered: int
    weight: int
    """Sum of the weights of the items that count (the denominator)."""
    met: int
    """Items at or above their target."""
    confidence: dict[str, int]
    """Answered items (with a level) by how they are backed: asserted/documented/tested/none."""

    @property
    def coverage(self) -> float | None:
        return None if self.applicable == 0 else self.answered / self.applicable

    @property
    def band(self) -> Band | None:
        return band_of(self.score)


def tally(results: Iterable[ItemResult], maximum: int) -> Tally:
    applicable = answered = not_applicable = unknown = unanswered = weight = met = 0
    points = 0.0
    confidence = {c: 0 for c in (*CONFIDENCES, "none")}
    for r in results:
        applicable += 1
        level = r.answer.level
        if level is None:
            unanswered += 1
        else:
            answered += 1
            if isinstance(level, int):
                confidence[r.answer.confidence or "none"] += 1
        if level == NOT_APPLICABLE:
            not_applicable += 1
            continue
        if level == UNKNOWN:
            unknown += 1
        weight += r.item.weight
        points += r.item.weight * r.effective_level / maximum
        if r.effective_level >= r.target:
            met += 1
    score = None if weight == 0 else 100.0 * points / weight
    return Tally(
        score, applicable, answered, not_applicable, unknown, unanswered, weight, met, confidence
    )


@dataclass(frozen=True, slots=True)
class SectionScore:
    id: str
    title: str
    tally: Tally


@dataclass(frozen=True, slots=True)
class PhaseScore:
    id: str
    title: str
    tally: Tally
    sections: tuple[SectionScore, ...]


@dataclass(frozen=True, slots=True)
class Scores:
    """Everything ``readiness score`` shows for one assessment (or one lens of it)."""

    overall: float | None
    tally: Tally
    phases: tuple[PhaseScore, ...]
    results: tuple[ItemResult, ...] = field(repr=False)

    @property
    def coverage(self) -> float | None:
        return self.tally.coverage

    @property
    def band(self) -> Band | None:
        return band_of(self.overall)

    def phase(self, phase_id: str) -> PhaseScore:
        return next(p for p in self.phases if p.id == phase_id)


def item_result(item: Item, answer: Answer, checklist: Checklist) -> ItemResult:
    level = answer.level
    effective = level if isinstance(level, int) else 0
    return ItemResult(item, answer, effective, level != NOT_APPLICABLE, checklist.target_of(item))


def applicable_items(
    assessment: Assessment, checklist: Checklist, *, all_roles: bool = False
) -> list[Item]:
    role = assessment.organization.role
    return [i for i in checklist.ordered_items if all_roles or i.applies_to(role)]


def score(
    assessment: Assessment,
    checklist: Checklist,
    *,
    all_roles: bool = False,
    where: Callable[[Item], bool] | None = None,
) -> Scores:
    """Score an assessment. ``all_roles`` counts items for other roles too;
    ``where`` restricts the items (used by lenses)."""
    items = applicable_items(assessment, checklist, all_roles=all_roles)
    if where is not None:
        items = [i for i in items if where(i)]
    results = tuple(item_result(i, assessment.answer(i.id), checklist) for i in items)
    maximum = checklist.scale.maximum or 1
    by_section: dict[str, list[ItemResult]] = {}
    for r in results:
        by_section.setdefault(r.item.section, []).append(r)
    phases = []
    for phase in checklist.phases:
        sections = tuple(
            SectionScore(s.id, s.title, tally(by_section.get(s.id, ()), maximum))
            for s in checklist.sections_of(phase.id)
        )
        phase_results = [
            r for s in checklist.sections_of(phase.id) for r in by_section.get(s.id, ())
        ]
        phases.append(PhaseScore(phase.id, phase.title, tally(phase_results, maximum), sections))
    existing = [p.tally.score for p in phases if p.tally.score is not None]
    overall = sum(existing) / len(existing) if existing else None
    return Scores(overall, tally(results, maximum), tuple(phases), results)


@dataclass(frozen=True, slots=True)
class Lens:
    """The scores over the items that carry one tag."""

    tag: str
    scores: Scores


def _has_tag(tag: str) -> Callable[[Item], bool]:
    return lambda item: tag in item.tags


def lenses(
    assessment: Assessment, checklist: Checklist, tags: Sequence[str] | None = None
) -> list[Lens]:
    """One lens per tag (every tag of the checklist by default) that has applicable items."""
    out = []
    for tag in tags if tags is not None else checklist.tags:
        scores = score(assessment, checklist, where=_has_tag(tag))
        if scores.tally.applicable:
            out.append(Lens(tag, scores))
    return out


# --------------------------------------------------------------------------- gaps


@dataclass(frozen=True, slots=True)
class Gap:
    """An applicable item below its target, with what fixing it is worth."""

    item: Item
    phase: str
    section: str
    answer: Answer
    effective_level: int
    target: int
    priority: int
    """weight * (target - effective level)."""
    impact_phase: float
    """Points the phase score would gain if the item reached its target."""
    impact_overall: float
    """Points the overall score would gain if the item reached its target."""
    blocked_by: tuple[str, ...]
    """Its depends_on items that are themselves gaps: fix those first."""

    @property
    def level(self) -> Level | None:
        return self.answer.level

    @property
    def weight(self) -> int:
        return self.item.weight


def gaps(assessment: Assessment, checklist: Checklist, scores: Scores | None = None) -> list[Gap]:
    """The gaps of an assessment in priority order (ties: phase order, then checklist order)."""
    scores = scores or score(assessment, checklist)
    maximum = checklist.scale.maximum or 1
    phase_weight = {p.id: p.tally.weight for p in scores.phases}
    phase_rank = {p.id: n for n, p in enumerate(checklist.phases)}
    item_rank = {item.id: n for n, item in enumerate(checklist.ordered_items)}
    scored_phases = sum(1 for p in scores.phases if p.tally.score is not None) or 1
    found: list[Gap] = []
    for r in scores.results:
        if not r.counts or r.effective_level >= r.target:
            continue
        phase = checklist.section_by_id[r.item.section].phase
        gain = 100.0 * r.item.weight * (r.target - r.effective_level) / maximum
        impact_phase = gain / phase_weight[phase] if phase_weight[phase] else 0.0
        found.append(
            Gap(
                item=r.item,
                phase=phase,
                section=r.item.section,
                answer=r.answer,
                effective_level=r.effective_level,
                target=r.target,
                priority=r.item.weight * (r.target - r.effective_level),
                impact_phase=impact_phase,
                impact_overall=impact_phase / scored_phases,
                blocked_by=(),
            )
        )
    gap_ids = {g.item.id for g in found}
    found = [
        replace(g, blocked_by=tuple(d for d in g.item.depends_on if d in gap_ids)) for g in found
    ]
    found.sort(key=lambda g: (-g.priority, phase_rank[g.phase], item_rank[g.item.id]))
    return found
