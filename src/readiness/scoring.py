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


@dataclass(slots=True)
class ItemResult:
    """How one applicable item counts. Treat it as a value (not frozen only because building
    a frozen dataclass costs several times more: ``compare`` builds one per item and
    assessment)."""

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


_CONFIDENCE_KEYS = (*CONFIDENCES, "none")


class _Counts:
    """Running counts of a group of items; groups merge exactly (integer sums only), so a
    phase is the sum of its sections and the whole the sum of its phases."""

    __slots__ = (
        "answered",
        "applicable",
        "confidence",
        "met",
        "not_applicable",
        "points",
        "unanswered",
        "unknown",
        "weight",
    )

    def __init__(self) -> None:
        self.applicable = self.answered = self.not_applicable = self.unknown = 0
        self.unanswered = self.weight = self.met = 0
        self.points = 0
        """Sum of weight * effective level over the items that count."""
        self.confidence = dict.fromkeys(_CONFIDENCE_KEYS, 0)

    def merge(self, other: _Counts) -> None:
        self.applicable += other.applicable
        self.answered += other.answered
        self.not_applicable += other.not_applicable
        self.unknown += other.unknown
        self.unanswered += other.unanswered
        self.weight += other.weight
        self.met += other.met
        self.points += other.points
        for key, count in other.confidence.items():
            self.confidence[key] += count

    def tally(self, maximum: int) -> Tally:
        score = None if self.weight == 0 else 100.0 * self.points / (maximum * self.weight)
        return Tally(
            score,
            self.applicable,
            self.answered,
            self.not_applicable,
            self.unknown,
            self.unanswered,
            self.weight,
            self.met,
            dict(self.confidence),
        )


def _section_counts(
    items: Iterable[Item], answers: dict[str, Answer], default_target: int, out: list[ItemResult]
) -> _Counts:
    """Score ``items`` (appending their results to ``out``) and count them, in one loop with
    local counters: it runs for every item of every assessment scored (300,000 times for
    ``compare`` over 1,000 assessments)."""
    counts = _Counts()
    confidence = counts.confidence
    applicable = answered = not_applicable = unknown = unanswered = weight = met = points = 0
    for item in items:
        answer = answers.get(item.id) or Answer()
        level = answer.level
        effective = level if isinstance(level, int) else 0
        target = default_target if item.target is None else item.target
        out.append(ItemResult(item, answer, effective, level != NOT_APPLICABLE, target))
        applicable += 1
        if level is None:
            unanswered += 1
        else:
            answered += 1
            if isinstance(level, int):
                confidence[answer.confidence or "none"] += 1
            elif level == NOT_APPLICABLE:
                not_applicable += 1
                continue
            else:
                unknown += 1
        weight += item.weight
        points += item.weight * effective
        if effective >= target:
            met += 1
    counts.applicable = applicable
    counts.answered = answered
    counts.not_applicable = not_applicable
    counts.unknown = unknown
    counts.unanswered = unanswered
    counts.weight = weight
    counts.met = met
    counts.points = points
    return counts


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
    role = assessment.organization.role
    answers = assessment.answers
    default_target = checklist.scale.target
    maximum = checklist.scale.maximum or 1
    results: list[ItemResult] = []
    total = _Counts()
    phases = []
    # Phase by phase, section by section: the items come out in reading order (as
    # applicable_items lists them) and each group is counted once, then merged.
    for phase in checklist.phases:
        phase_counts = _Counts()
        sections = []
        for section in checklist.sections_of(phase.id):
            items = checklist.items_of(section.id)
            if not all_roles:
                items = tuple(i for i in items if not i.actors or role in i.actors)
            if where is not None:
                items = tuple(i for i in items if where(i))
            counts = _section_counts(items, answers, default_target, results)
            phase_counts.merge(counts)
            sections.append(SectionScore(section.id, section.title, counts.tally(maximum)))
        total.merge(phase_counts)
        phases.append(
            PhaseScore(phase.id, phase.title, phase_counts.tally(maximum), tuple(sections))
        )
    existing = [p.tally.score for p in phases if p.tally.score is not None]
    overall = sum(existing) / len(existing) if existing else None
    return Scores(overall, total.tally(maximum), tuple(phases), tuple(results))


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
