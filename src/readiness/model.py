"""The domain model: checklists, assessments and answers as plain dataclasses.

Nothing here reads or writes files (see ``loading`` and ``storage``) and nothing here
imports a UI library. Checklists are immutable once loaded; an assessment is edited in
place by the TUI and written back by ``storage``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeAlias

CHECKLIST_FORMAT = "readiness-checklist/1"
ASSESSMENT_FORMAT = "readiness-assessment/1"

NOT_APPLICABLE = "n/a"
UNKNOWN = "unknown"

Level: TypeAlias = int | Literal["n/a", "unknown"]
"""An answer's level: a value of the checklist's scale, ``"n/a"`` or ``"unknown"``."""

Confidence = Literal["asserted", "documented", "tested"]
CONFIDENCES: tuple[Confidence, ...] = ("asserted", "documented", "tested")
"""How an answer is backed: someone says so / a document shows it / an exercise or a
real crisis showed it."""

Status = Literal["not-started", "ongoing", "delayed", "done"]
STATUSES: tuple[Status, ...] = ("not-started", "ongoing", "delayed", "done")
"""Where the planned action for an item stands."""


@dataclass(frozen=True, slots=True)
class Source:
    """A document that checklist items cite."""

    id: str
    title: str
    publisher: str | None = None
    year: int | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ScaleLevel:
    """One step of the answer scale."""

    value: int
    """The integer stored in assessment files."""
    label: str
    """Short name shown beside the value, e.g. "Largely in place"."""
    description: str | None = None
    """What an organization at this level looks like."""


@dataclass(frozen=True, slots=True)
class Scale:
    """The levels every item of a checklist is answered on."""

    levels: tuple[ScaleLevel, ...]
    target: int
    """Level an item must reach to count as met (an item may override it)."""
    allow_not_applicable: bool = True
    allow_unknown: bool = True

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(level.value for level in self.levels)

    @property
    def maximum(self) -> int:
        return max(self.values)

    def label(self, value: int) -> str:
        for level in self.levels:
            if level.value == value:
                return level.label
        return str(value)


@dataclass(frozen=True, slots=True)
class Actor:
    """A kind of organization that items can apply to (an assessment's ``role``)."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Phase:
    """A phase of a crisis: bundled checklists use pre-crisis, emergency, post-crisis."""

    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Section:
    """A group of items inside one phase."""

    id: str
    phase: str
    title: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Ref:
    """Where in a source document an item comes from."""

    source: str
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """One question an organization answers on the checklist's scale."""

    id: str
    section: str
    prompt: str
    guidance: str | None = None
    weight: int = 1
    """1-3: how much the item counts in its section and phase (rubric in docs/)."""
    actors: tuple[str, ...] = ()
    """Actor ids the item applies to; empty means every organization."""
    tags: tuple[str, ...] = ()
    practices: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    refs: tuple[Ref, ...] = ()
    target: int | None = None
    """Overrides the scale's target for this item."""
    depends_on: tuple[str, ...] = ()
    """Ids of items that must be in place first."""

    def applies_to(self, role: str) -> bool:
        return not self.actors or role in self.actors


@dataclass(frozen=True, slots=True)
class OutOfScope:
    """A source recommendation the checklist deliberately leaves out, and why."""

    source: str
    summary: str
    reason: str
    section: str | None = None


@dataclass(frozen=True)
class Checklist:
    """A loaded, validated checklist. Items are kept in file order."""

    id: str
    version: str
    title: str
    scale: Scale
    phases: tuple[Phase, ...]
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    sources: tuple[Source, ...] = ()
    actors: tuple[Actor, ...] = ()
    description: str | None = None
    language: str | None = None
    out_of_scope: tuple[OutOfScope, ...] = ()
    path: Path | None = field(default=None, compare=False)

    @cached_property
    def item_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def section_by_id(self) -> dict[str, Section]:
        return {section.id: section for section in self.sections}

    @cached_property
    def phase_by_id(self) -> dict[str, Phase]:
        return {phase.id: phase for phase in self.phases}

    @cached_property
    def actor_by_id(self) -> dict[str, Actor]:
        return {actor.id: actor for actor in self.actors}

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

    @cached_property
    def ordered_items(self) -> tuple[Item, ...]:
        """Items in reading order: phase order, then section order, then file order."""
        section_rank = {s.id: i for i, s in enumerate(self.sections_in_order)}
        return tuple(sorted(self.items, key=lambda item: section_rank[item.section]))

    @cached_property
    def sections_in_order(self) -> tuple[Section, ...]:
        phase_rank = {p.id: i for i, p in enumerate(self.phases)}
        return tuple(sorted(self.sections, key=lambda s: phase_rank[s.phase]))

    def phase_of(self, item: Item) -> Phase:
        return self.phase_by_id[self.section_by_id[item.section].phase]

    @cached_property
    def _sections_by_phase(self) -> dict[str, tuple[Section, ...]]:
        found: dict[str, list[Section]] = {}
        for section in self.sections_in_order:
            found.setdefault(section.phase, []).append(section)
        return {phase: tuple(sections) for phase, sections in found.items()}

    @cached_property
    def _items_by_section(self) -> dict[str, tuple[Item, ...]]:
        found: dict[str, list[Item]] = {}
        for item in self.ordered_items:
            found.setdefault(item.section, []).append(item)
        return {section: tuple(items) for section, items in found.items()}

    def sections_of(self, phase_id: str) -> tuple[Section, ...]:
        """The phase's sections in order."""
        return self._sections_by_phase.get(phase_id, ())

    def items_of(self, section_id: str) -> tuple[Item, ...]:
        """The section's items in file order."""
        return self._items_by_section.get(section_id, ())

    def target_of(self, item: Item) -> int:
        return self.scale.target if item.target is None else item.target

    @property
    def tags(self) -> tuple[str, ...]:
        """Every tag used by an item, sorted."""
        return tuple(sorted({tag for item in self.items for tag in item.tags}))


@dataclass(slots=True)
class Answer:
    """An organization's answer to one item. Every field is optional.

    Treat an answer as a value: change one with ``dataclasses.replace`` and put the new
    answer in ``Assessment.answers`` (as ``session`` does). It is not frozen only because a
    frozen dataclass costs 7x more to build (~2 us against ~0.3 us), and loading builds one
    per answer: 300,000 for ``compare`` over 1,000 assessments (docs/performance.md).
    """

    level: Level | None = None
    """A scale value, "n/a" or "unknown"; None while only notes are recorded."""
    note: str | None = None
    """Free text; for n/a, the reason."""
    evidence: str | None = None
    confidence: Confidence | None = None
    owner: str | None = None
    due: dt.date | None = None
    action: str | None = None
    """The planned step to close the gap."""
    status: Status | None = None
    carried_over: bool = False
    """Copied from an earlier assessment and not yet confirmed by this year's team."""
    updated: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """Keys this version does not know, kept so that saving never drops them."""

    @property
    def is_answered(self) -> bool:
        return self.level is not None


@dataclass(frozen=True, slots=True)
class Organization:
    name: str
    role: str
    """An actor id of the checklist: decides which items apply."""
    country: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Assessment:
    """One organization's answers to one checklist, as kept in ``assessments/*.toml``."""

    checklist: str
    checklist_version: str
    title: str
    date: dt.date
    organization: Organization
    assessors: list[str] = field(default_factory=list)
    answers: dict[str, Answer] = field(default_factory=dict)
    """Answers by item id, including ids the checklist no longer has (kept, never dropped)."""
    extra: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    fingerprint: str | None = None
    """Hash of the file's bytes when it was read; saving refuses if the file changed since."""

    def answer(self, item_id: str) -> Answer:
        """The answer to ``item_id``; an empty one (new each time) when it has none."""
        return self.answers.get(item_id) or Answer()


def organization_key(assessment: Assessment) -> str:
    """Organizations are the same when their names match ignoring case and spacing."""
    return " ".join(assessment.organization.name.split()).casefold()
