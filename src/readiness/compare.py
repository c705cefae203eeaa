"""Comparison of several assessments of one organization, and the history of a folder.

Pure functions over ``(Assessment, Checklist)`` pairs (plus two loaders that read files);
nothing here prints or imports a UI library. Renderers live in
``readiness.report.compare_render``; the CLI face in ``readiness.cli_compare``.

Public API
----------
- :func:`compare` ``(pairs, *, force=False) -> Comparison``: the assessments ordered by
  ``date`` (ties keep the given order), each scored with :func:`readiness.scoring.score`
  against its own checklist version; overall / coverage / phase / section :class:`Series`
  with ``delta`` (last - first) and ``steps`` (between neighbours); one :class:`ItemRow` per
  item with its levels oldest first and a ``change`` from :data:`CHANGES`; the items added and
  removed between checklist versions (:class:`VersionDiff`). Raises :class:`CompareError`
  for fewer than two assessments, and - unless ``force`` - for different checklist ids,
  different roles or different organizations.
- :class:`Loader`: loads assessment files and their checklists, each distinct checklist
  (id + version) once.
- :func:`load_history` ``(folder) -> History`` (organizations and the files skipped as
  problems) and :func:`history` ``(folder) -> list[OrganizationHistory]``: every assessment
  under ``folder``, grouped by organization, newest first, with a trend.

Change vocabulary (first assessment vs last; see docs/compare.md)
-----------------------------------------------------------------
Presence is decided first: ``orphaned`` (answered, but no compared checklist version has the
item), ``added`` (not in the first assessment's checklist version, in the last's),
``removed`` (in the first's, not in the last's), ``absent`` (in neither; only between
neighbours, or for an item only a middle version has). Then the first and last levels:
``still-n-a``, ``became-n-a``, ``left-n-a``, ``unanswered`` (no level at either end),
``newly-answered`` (no level first, a level or "unknown" last), ``no-longer-answered``, and
for two answers, compared as scored ("unknown" counts 0): ``improved``, ``regressed``,
``stuck-gap`` (same, below target) or ``unchanged`` (same, at or above target).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise, repeat
from pathlib import Path
from typing import Literal, TypeAlias

from readiness.loading import (
    Loader,
    LoadError,
    Problem,
    assessment_from_raw,
    assessment_problems,
    detect_kind,
    read_toml,
)
from readiness.model import (
    NOT_APPLICABLE,
    Assessment,
    Checklist,
    Item,
    Level,
    organization_key,
)
from readiness.scoring import Scores, score
from readiness.workers import map_in_workers

Change: TypeAlias = Literal[
    "improved",
    "regressed",
    "unchanged",
    "stuck-gap",
    "newly-answered",
    "no-longer-answered",
    "unanswered",
    "became-n-a",
    "left-n-a",
    "still-n-a",
    "added",
    "removed",
    "orphaned",
    "absent",
]

CHANGES: dict[Change, str] = {
    "improved": "the level went up (an 'unknown' counts as 0, as in scoring)",
    "regressed": "the level went down (an 'unknown' counts as 0, as in scoring)",
    "unchanged": "the same level, at or above the item's target",
    "stuck-gap": "the same level, still below the item's target",
    "newly-answered": "no level in the first assessment, a level or 'unknown' in the last",
    "no-longer-answered": "a level or 'unknown' in the first assessment, none in the last",
    "unanswered": "no level in the first or the last assessment",
    "became-n-a": "answered 'n/a' in the last assessment but not in the first",
    "left-n-a": "answered 'n/a' in the first assessment but not in the last",
    "still-n-a": "answered 'n/a' in the first and the last assessment",
    "added": "the item is in the last assessment's checklist version, not the first's",
    "removed": "the item is in the first assessment's checklist version, not the last's",
    "orphaned": "answered, but no compared checklist version has this item",
    "absent": "neither of the two checklist versions compared has the item",
}
"""Every value of ``ItemRow.change``, in the order renderers list them, with its meaning."""

MOVED: tuple[Change, ...] = (
    "improved",
    "regressed",
    "newly-answered",
    "no-longer-answered",
    "became-n-a",
    "left-n-a",
    "stuck-gap",
    "added",
    "removed",
    "orphaned",
)
"""The changes listed as "moved items" by the renderers (everything but the quiet ones)."""

Refusal = Literal["too-few", "checklist", "role", "organization"]
Direction = Literal["up", "down", "flat", "new"]

CompareLevel: TypeAlias = Level | None
"""A level in an item row: a scale value, "n/a", "unknown", or None (no level)."""


class CompareError(Exception):
    """The assessments cannot be compared (``reason`` says why); ``force`` lifts all but
    ``too-few``."""

    def __init__(self, reason: Refusal, message: str) -> None:
        self.reason = reason
        super().__init__(message)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Series:
    """One value per assessment, oldest first (a score 0-100, or a coverage 0-1)."""

    values: tuple[float | None, ...]

    @property
    def first(self) -> float | None:
        return self.values[0] if self.values else None

    @property
    def last(self) -> float | None:
        return self.values[-1] if self.values else None

    @property
    def delta(self) -> float | None:
        """Last - first; None when either is None."""
        return _minus(self.last, self.first)

    @property
    def steps(self) -> tuple[float | None, ...]:
        """The change between neighbours: ``values[i + 1] - values[i]``."""
        return tuple(_minus(b, a) for a, b in pairwise(self.values))


def _minus(b: float | None, a: float | None) -> float | None:
    return None if a is None or b is None else b - a


@dataclass(frozen=True, slots=True)
class Entry:
    """One compared assessment with the checklist version it was scored against."""

    assessment: Assessment
    checklist: Checklist
    scores: Scores

    @property
    def path(self) -> Path | None:
        return self.assessment.path

    @property
    def date(self) -> dt.date:
        return self.assessment.date

    @property
    def title(self) -> str:
        return self.assessment.title


@dataclass(frozen=True, slots=True)
class SectionRow:
    id: str
    title: str
    scores: Series
    """None where the section is missing from that assessment's checklist or nothing counts."""


@dataclass(frozen=True, slots=True)
class PhaseRow:
    id: str
    title: str
    scores: Series
    sections: tuple[SectionRow, ...]


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One item across the compared assessments."""

    item: str
    """The item id."""
    prompt: str | None
    """From the newest checklist version that has the item; None for orphaned answers."""
    phase: str | None
    section: str | None
    target: int | None
    weight: int | None
    levels: tuple[CompareLevel, ...]
    """Oldest first: a scale value, "n/a", "unknown", or None (no level recorded)."""
    present: tuple[bool, ...]
    """Whether each assessment's checklist version has the item."""
    change: Change
    """First vs last, from :data:`CHANGES`."""
    steps: tuple[Change, ...]
    """The change between each pair of neighbours (same vocabulary)."""


@dataclass(frozen=True, slots=True)
class VersionDiff:
    """Items added and removed between the checklist versions of two neighbours."""

    before: str
    after: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    entries: tuple[Entry, ...]
    """Oldest first."""
    overall: Series
    coverage: Series
    """Answered applicable items / applicable items, 0-1."""
    shared: Series
    """Overall scores over only the items every compared checklist version has."""
    shared_items: int
    phases: tuple[PhaseRow, ...]
    items: tuple[ItemRow, ...]
    versions: tuple[VersionDiff, ...]
    """One per pair of neighbours whose checklist versions differ."""
    forced: tuple[str, ...] = ()
    """The refusals lifted by ``force`` (messages), empty when nothing was forced."""

    @property
    def latest(self) -> Entry:
        return self.entries[-1]

    def with_change(self, *changes: Change) -> tuple[ItemRow, ...]:
        return tuple(row for row in self.items if row.change in changes)

    def moved(self) -> dict[Change, tuple[ItemRow, ...]]:
        """The rows of each change in :data:`MOVED` that has any, in that order."""
        found = {change: self.with_change(change) for change in MOVED}
        return {change: rows for change, rows in found.items() if rows}


# --------------------------------------------------------------------------- compare


def refusals(pairs: Sequence[tuple[Assessment, Checklist]]) -> list[tuple[Refusal, str]]:
    """Why these assessments should not be compared (empty when they can be)."""
    found: list[tuple[Refusal, str]] = []

    def names(values: dict[str, list[str]]) -> str:
        return "; ".join(f"{value}: {', '.join(paths)}" for value, paths in values.items())

    def group(key: Callable[[Assessment], str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for assessment, _ in pairs:
            out.setdefault(key(assessment), []).append(str(assessment.path or assessment.title))
        return out

    checklists = group(lambda a: a.checklist)
    if len(checklists) > 1:
        found.append(
            ("checklist", f"the assessments answer different checklists ({names(checklists)})")
        )
    roles = group(lambda a: a.organization.role)
    if len(roles) > 1:
        found.append(("role", f"the assessments were made for different roles ({names(roles)})"))
    orgs: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for assessment, _ in pairs:
        key = organization_key(assessment)
        shown.setdefault(key, assessment.organization.name)
        orgs.setdefault(shown[key], []).append(str(assessment.path or assessment.title))
    if len(orgs) > 1:
        found.append(
            ("organization", f"the assessments are of different organizations ({names(orgs)})")
        )
    return found


def compare(pairs: Sequence[tuple[Assessment, Checklist]], *, force: bool = False) -> Comparison:
    """Compare two or more assessments (see the module docstring)."""
    if len(pairs) < 2:
        raise CompareError("too-few", "compare needs at least two assessments")
    problems = refusals(pairs)
    if problems and not force:
        reason, message = problems[0]
        raise CompareError(reason, f"{message}; use --force to compare them anyway")
    ordered = sorted(pairs, key=lambda pair: pair[0].date)  # stable: ties keep the input order
    entries = tuple(Entry(a, c, score(a, c)) for a, c in ordered)
    shared_ids = set.intersection(*({i.id for i in e.checklist.items} for e in entries))
    shared = Series(
        tuple(
            # Same items in every version (the usual case): the full score is the shared one.
            e.scores.overall
            if len(shared_ids) == len(e.checklist.items)
            else score(e.assessment, e.checklist, where=lambda item: item.id in shared_ids).overall
            for e in entries
        )
    )
    return Comparison(
        entries=entries,
        overall=Series(tuple(e.scores.overall for e in entries)),
        coverage=Series(tuple(e.scores.coverage for e in entries)),
        shared=shared,
        shared_items=len(shared_ids),
        phases=_phase_rows(entries),
        items=_item_rows(entries),
        versions=_version_diffs(entries),
        forced=tuple(message for _, message in problems),
    )


def _newest_first(entries: Sequence[Entry]) -> list[Checklist]:
    seen: set[tuple[str, str]] = set()
    out = []
    for entry in reversed(entries):
        key = (entry.checklist.id, entry.checklist.version)
        if key not in seen:
            seen.add(key)
            out.append(entry.checklist)
    return out


def _phase_rows(entries: Sequence[Entry]) -> tuple[PhaseRow, ...]:
    # Phases and sections in the newest version's order, then any only older versions have.
    phase_ids: dict[str, str] = {}
    section_ids: dict[str, dict[str, str]] = {}
    for checklist in _newest_first(entries):
        for phase in checklist.phases:
            phase_ids.setdefault(phase.id, phase.title)
            for section in checklist.sections_of(phase.id):
                section_ids.setdefault(phase.id, {}).setdefault(section.id, section.title)
    rows = []
    for phase_id, title in phase_ids.items():
        phase_scores = []
        section_scores: dict[str, list[float | None]] = {s: [] for s in section_ids[phase_id]}
        for entry in entries:
            found = {p.id: p for p in entry.scores.phases}.get(phase_id)
            phase_scores.append(found.tally.score if found else None)
            by_id = {s.id: s.tally.score for s in found.sections} if found else {}
            for section_id, values in section_scores.items():
                values.append(by_id.get(section_id))
        sections = tuple(
            SectionRow(s, section_ids[phase_id][s], Series(tuple(v)))
            for s, v in section_scores.items()
        )
        rows.append(PhaseRow(phase_id, title, Series(tuple(phase_scores)), sections))
    return tuple(rows)


def _version_diffs(entries: Sequence[Entry]) -> tuple[VersionDiff, ...]:
    out = []
    for a, b in pairwise(entries):
        if (a.checklist.id, a.checklist.version) == (b.checklist.id, b.checklist.version):
            continue
        before = [i.id for i in a.checklist.ordered_items]
        after = [i.id for i in b.checklist.ordered_items]
        out.append(
            VersionDiff(
                a.checklist.version,
                b.checklist.version,
                added=tuple(i for i in after if i not in set(before)),
                removed=tuple(i for i in before if i not in set(after)),
            )
        )
    return tuple(out)


def _item_rows(entries: Sequence[Entry]) -> tuple[ItemRow, ...]:
    # The newest version of each item decides its prompt, place and target.
    newest: dict[str, tuple[Item, Checklist]] = {}
    for checklist in _newest_first(entries):
        for item in checklist.ordered_items:
            newest.setdefault(item.id, (item, checklist))
    # Most comparisons share one checklist version and one role: work those out once.
    versions = {id(e.checklist): e.checklist for e in entries}
    applicable: set[str] = set()
    for key, role in {(id(e.checklist), e.assessment.organization.role) for e in entries}:
        applicable.update(item.id for item in versions[key].items if item.applies_to(role))
    order = [i for i in newest if i in applicable]
    orphans: dict[str, None] = {}
    for e in entries:
        for item_id, answer in e.assessment.answers.items():
            if item_id not in newest and answer.level is not None:
                orphans.setdefault(item_id)
    ids = order + list(orphans)
    # One column per assessment, then rows: a dict lookup per cell, not a call.
    columns = []
    for e in entries:
        answers = e.assessment.answers
        columns.append([a.level if (a := answers.get(i)) is not None else None for i in ids])
    in_version = {key: [i in c.item_by_id for i in ids] for key, c in versions.items()}
    present_columns = [in_version[id(e.checklist)] for e in entries]
    rows = []
    for item_id, levels, present in zip(
        ids, zip(*columns, strict=True), zip(*present_columns, strict=True), strict=True
    ):
        known = newest.get(item_id)
        target = known[1].target_of(known[0]) if known else None
        steps = tuple(
            map(
                _change,
                levels[:-1],
                levels[1:],
                present[:-1],
                present[1:],
                repeat(target),
                repeat(bool(known)),
            )
        )
        change = _change(levels[0], levels[-1], present[0], present[-1], target, bool(known))
        rows.append(
            ItemRow(
                item=item_id,
                prompt=known[0].prompt if known else None,
                phase=known[1].phase_of(known[0]).id if known else None,
                section=known[0].section if known else None,
                target=target,
                weight=known[0].weight if known else None,
                levels=levels,
                present=present,
                change=change,
                steps=steps,
            )
        )
    return tuple(rows)


@cache  # few distinct arguments (levels x presence x targets), called per item and neighbour
def _change(
    first: CompareLevel,
    last: CompareLevel,
    in_first: bool,
    in_last: bool,
    target: int | None,
    known: bool,
) -> Change:
    if not known:
        return "orphaned"
    if not in_first and not in_last:
        return "absent"
    if in_last and not in_first:
        return "added"
    if not in_last:
        return "removed"
    if first == NOT_APPLICABLE and last == NOT_APPLICABLE:
        return "still-n-a"
    if last == NOT_APPLICABLE:
        return "became-n-a"
    if first == NOT_APPLICABLE:
        return "left-n-a"
    if first is None and last is None:
        return "unanswered"
    if first is None:
        return "newly-answered"
    if last is None:
        return "no-longer-answered"
    a = first if isinstance(first, int) else 0  # "unknown" scores 0
    b = last if isinstance(last, int) else 0
    if b > a:
        return "improved"
    if b < a:
        return "regressed"
    return "stuck-gap" if target is not None and b < target else "unchanged"


# --------------------------------------------------------------------------- loading


# --------------------------------------------------------------------------- history


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One assessment file as history lists it."""

    path: Path
    date: dt.date
    title: str
    checklist: str
    checklist_version: str
    role: str
    overall: float | None
    coverage: float | None


@dataclass(frozen=True, slots=True)
class OrganizationHistory:
    """The assessments of one organization (names compared ignoring case and spacing)."""

    name: str
    """As the newest assessment spells it."""
    entries: tuple[HistoryEntry, ...]
    """Newest first."""

    @property
    def comparable(self) -> tuple[HistoryEntry, ...]:
        """The entries on the newest entry's checklist (any version), newest first: trends
        never mix scores of different checklists."""
        newest = self.entries[0].checklist
        return tuple(e for e in self.entries if e.checklist == newest)

    @property
    def trend(self) -> tuple[float | None, ...]:
        """Overall scores of :attr:`comparable`, oldest first (for a sparkline)."""
        return tuple(e.overall for e in reversed(self.comparable))

    @property
    def delta(self) -> float | None:
        """Newest overall - the previous one on the same checklist; None without both."""
        scored = [e.overall for e in self.comparable]
        if len(scored) < 2 or scored[0] is None or scored[1] is None:
            return None
        return scored[0] - scored[1]

    @property
    def direction(self) -> Direction:
        """up / down / flat (:attr:`delta` to one decimal), or new (no delta)."""
        delta = self.delta
        if delta is None:
            return "new"
        rounded = round(delta, 1)
        return "up" if rounded > 0 else "down" if rounded < 0 else "flat"


@dataclass(frozen=True, slots=True)
class History:
    folder: Path
    organizations: tuple[OrganizationHistory, ...]
    """Sorted by name (ignoring case)."""
    problems: tuple[Problem, ...] = field(default=())
    """Files skipped because they could not be loaded (errors), and warnings."""

    @property
    def skipped(self) -> int:
        return len({p.path for p in self.problems if p.severity == "error"})


def assessment_files(folder: Path) -> list[Path]:
    """Every ``*.toml`` under ``folder`` (recursively), skipping hidden files and folders."""
    return sorted(
        p
        for p in folder.rglob("*.toml")
        if not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def load_history(
    folder: Path, *, checklist: Path | None = None, dirs: Sequence[Path] | None = None
) -> History:
    """Load every assessment under ``folder``; files that fail are skipped and reported
    in ``problems``. Checklist files found in the folder are ignored."""
    if not folder.is_dir():
        raise LoadError([Problem(str(folder), "no such folder")])
    paths = list(assessment_files(folder))
    problems: list[Problem] = []
    groups: dict[str, list[HistoryEntry]] = {}
    names: dict[str, tuple[dt.date, str]] = {}
    for row in _history_rows(paths, checklist, dirs):
        if row is None:  # a checklist file in the folder
            continue
        if isinstance(row, list):
            problems.extend(row)
            continue
        key, name, entry = row
        groups.setdefault(key, []).append(entry)
        if key not in names or entry.date >= names[key][0]:
            names[key] = (entry.date, name)
    organizations = tuple(
        OrganizationHistory(
            names[key][1],
            tuple(sorted(entries, key=lambda e: (e.date, str(e.path)), reverse=True)),
        )
        for key, entries in sorted(groups.items())
    )
    return History(folder, organizations, tuple(problems))


_Row: TypeAlias = tuple[str, str, HistoryEntry] | list[Problem] | None


def _history_row(loader: Loader, path: Path) -> _Row:
    """One file as (organization key, organization name, entry), its problems, or None
    for a checklist file."""
    try:
        raw = read_toml(path)
        if detect_kind(raw) != "assessment":
            return None
        assessment, _ = assessment_from_raw(raw)
        found = loader.checklist_for(assessment)
        problems = assessment_problems(assessment, found, raw.text)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            return errors
    except LoadError as exc:
        return exc.problems
    scores = score(assessment, found)
    entry = HistoryEntry(
        path=path,
        date=assessment.date,
        title=assessment.title,
        checklist=assessment.checklist,
        checklist_version=assessment.checklist_version,
        role=assessment.organization.role,
        overall=scores.overall,
        coverage=scores.coverage,
    )
    return organization_key(assessment), " ".join(assessment.organization.name.split()), entry


_worker_loader: Loader | None = None


def _start_worker(checklist: Path | None, dirs: Sequence[Path] | None) -> None:
    global _worker_loader
    _worker_loader = Loader(checklist, dirs)


def _worker_row(path: Path) -> _Row:
    assert _worker_loader is not None
    return _history_row(_worker_loader, path)


def _history_rows(
    paths: list[Path], checklist: Path | None, dirs: Sequence[Path] | None
) -> list[_Row]:
    # Reading and scoring is CPU-bound (a network's 1,000 new files: ~4 s on one core).
    rows = map_in_workers(_worker_row, paths, initializer=_start_worker, initargs=(checklist, dirs))
    if rows is not None:
        return rows
    loader = Loader(checklist, dirs)
    return [_history_row(loader, path) for path in paths]


def history(folder: Path) -> list[OrganizationHistory]:
    """Every assessment under ``folder`` grouped by organization, newest first."""
    return list(load_history(folder).organizations)
