"""An editing session: one assessment and its checklist, changed answer by answer.

This is the domain logic behind the terminal UI, kept free of any UI library so that it
can be tested (and scripted) on its own. Every change bumps ``revision``; a save records
the revision it wrote, so the UI knows whether anything is still unsaved. A save that
fails leaves the changes in memory (``error`` says why) until a later save, a save
elsewhere or a reload.

Saving is split in three steps so that the slow part can run off the UI thread:
``prepare_save`` (cheap, on the caller's thread) copies what is to be written,
``SaveJob.run`` writes it (any thread), and ``finish_save`` records the outcome (the
caller's thread again). ``save`` does all three at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from readiness import storage
from readiness.loading import Problem, load_pair
from readiness.model import (
    CONFIDENCES,
    STATUSES,
    Answer,
    Assessment,
    Checklist,
    Item,
    Level,
    Organization,
)
from readiness.scoring import Gap, Scores, gaps, score
from readiness.storage import ConflictError, SaveError

TextField = Literal["note", "evidence", "action", "owner"]
TEXT_FIELDS: tuple[TextField, ...] = get_args(TextField)
"""Free-text fields of an answer."""

DEFAULT_FOLDER = Path("assessments")


def slugify(text: str) -> str:
    """``Beirut Migrant Desk`` -> ``beirut-migrant-desk``; accents dropped, never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].strip("-") or "assessment"


def propose_path(organization: str, date: dt.date, folder: Path = DEFAULT_FOLDER) -> Path:
    """Where a new assessment goes: ``<folder>/<organization-slug>-<date>.toml``."""
    return folder / f"{slugify(organization)}-{date.isoformat()}.toml"


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD date; raises ValueError with a message fit to show a person."""
    value = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"'{value}' is not a date: write it as YYYY-MM-DD, e.g. 2026-03-01")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a real date (check the month and the day)") from None


def new_assessment(
    checklist: Checklist,
    *,
    organization: str,
    role: str,
    date: dt.date,
    title: str | None = None,
    assessors: Sequence[str] = (),
    country: str | None = None,
    from_previous: Assessment | None = None,
    path: Path | None = None,
    folder: Path = DEFAULT_FOLDER,
) -> Assessment:
    """A new assessment of ``checklist``, not yet saved.

    With ``from_previous``, every answer of the earlier assessment is copied and marked
    ``carried_over`` until this year's team confirms or changes it; answers to ids the
    checklist no longer has are copied too (they are never dropped). The path is
    ``path`` or the one :func:`propose_path` gives.
    """
    name = organization.strip()
    if not name:
        raise ValueError("the organization needs a name")
    if checklist.actors and role not in checklist.actor_by_id:
        known = ", ".join(checklist.actor_by_id)
        raise ValueError(f"unknown role '{role}': expected one of {known}")
    answers: dict[str, Answer] = {}
    if from_previous is not None:
        for item_id, answer in from_previous.answers.items():
            answers[item_id] = dataclasses.replace(
                answer, carried_over=True, extra=dict(answer.extra)
            )
    return Assessment(
        checklist=checklist.id,
        checklist_version=checklist.version,
        title=(title or "").strip() or f"Self-assessment {date.year}",
        date=date,
        organization=Organization(name=name, role=role, country=country or None),
        assessors=[a.strip() for a in assessors if a.strip()],
        answers=answers,
        path=path or propose_path(name, date, folder),
        fingerprint=None,
    )


@dataclass
class SaveJob:
    """A copy of the assessment taken at ``revision``, ready to be written from any thread."""

    snapshot: Assessment
    checklist: Checklist
    revision: int
    path: Path | None = None
    must_be_new: bool = False
    recreated: bool = False
    """Set by :meth:`run`: the file it was read from had gone from disk (deleted, or moved
    away) and was written again, so the answers are kept; the user should hear of it."""

    def run(self) -> Path:
        """Write the copy atomically; raises SaveError (or ConflictError)."""
        target = self.path or self.snapshot.path
        if self.must_be_new and target is not None and target.exists():
            raise ConflictError(target, "already exists; choose another file name")
        self.recreated = (
            self.path is None
            and target is not None
            and self.snapshot.fingerprint is not None
            and not target.exists()
        )
        return storage.save_assessment(self.snapshot, self.checklist, self.path)


@dataclass
class Session:
    """One assessment being answered; the single owner of its in-memory state."""

    assessment: Assessment
    checklist: Checklist
    warnings: list[Problem] = field(default_factory=list)
    checklist_path: Path | None = None
    """The checklist file given explicitly (kept for reloads)."""
    clock: Callable[[], dt.datetime] = storage.now
    revision: int = 0
    """Bumped by every change."""
    saved_revision: int = 0
    """The revision the file on disk holds."""
    error: SaveError | None = None
    """Why the last save failed, or None."""

    @classmethod
    def open(cls, path: Path, checklist_path: Path | None = None) -> Session:
        """Load an assessment and its checklist (raises LoadError)."""
        assessment, checklist, warnings = load_pair(path, checklist_path)
        return cls(assessment, checklist, warnings, checklist_path)

    @classmethod
    def create(cls, assessment: Assessment, checklist: Checklist) -> Session:
        """A session for a new, never saved assessment: unsaved until the first save."""
        # The checklist file is remembered so a reload finds the same one.
        session = cls(assessment, checklist, checklist_path=checklist.path)
        session.revision = 1
        return session

    # ----------------------------------------------------------------- state

    @property
    def path(self) -> Path | None:
        return self.assessment.path

    @property
    def dirty(self) -> bool:
        """Changes in memory that the file does not have yet."""
        return self.revision != self.saved_revision

    @property
    def conflict(self) -> bool:
        """The last save was refused because the file changed on disk."""
        return isinstance(self.error, ConflictError)

    @property
    def is_new(self) -> bool:
        """Never written: the file must not exist yet."""
        return self.assessment.fingerprint is None

    def answer(self, item_id: str) -> Answer:
        return self.assessment.answer(item_id)

    def applies(self, item: Item) -> bool:
        return item.applies_to(self.assessment.organization.role)

    # ----------------------------------------------------------------- changes

    def _put(self, item_id: str, answer: Answer) -> Answer:
        if answer == self.answer(item_id) and item_id in self.assessment.answers:
            return answer
        self.assessment.answers[item_id] = answer
        self.revision += 1
        self._scores = None
        return answer

    def levels(self) -> tuple[Level, ...]:
        """Every level an answer may take with this checklist."""
        scale = self.checklist.scale
        extra: list[Level] = []
        if scale.allow_not_applicable:
            extra.append("n/a")
        if scale.allow_unknown:
            extra.append("unknown")
        return (*scale.values, *extra)

    def set_level(self, item_id: str, level: Level) -> Answer:
        """Answer an item. Setting a level (even the same one) confirms a carried-over answer."""
        if level not in self.levels() or isinstance(level, bool):
            raise ValueError(f"{level!r} is not an answer this checklist allows")
        current = self.answer(item_id)
        return self._put(
            item_id,
            dataclasses.replace(current, level=level, carried_over=False, updated=self.clock()),
        )

    def confirm(self, item_id: str) -> bool:
        """Confirm a carried-over answer as still true; False when there was nothing to confirm."""
        current = self.answer(item_id)
        if not current.carried_over:
            return False
        self._put(item_id, dataclasses.replace(current, carried_over=False, updated=self.clock()))
        return True

    def set_text(self, item_id: str, name: TextField, value: str | None) -> Answer:
        """Set a free-text field; blank text removes it. Does not confirm a carried-over level:
        the level is what the team must look at again."""
        if name not in TEXT_FIELDS:
            raise ValueError(f"unknown text field {name!r}")
        text = value if value and value.strip() else None
        current = self.answer(item_id)
        if getattr(current, name) == text:
            return current
        changed: Answer
        if name == "note":
            changed = dataclasses.replace(current, note=text, updated=self.clock())
        elif name == "evidence":
            changed = dataclasses.replace(current, evidence=text, updated=self.clock())
        elif name == "action":
            changed = dataclasses.replace(current, action=text, updated=self.clock())
        else:
            changed = dataclasses.replace(current, owner=text, updated=self.clock())
        return self._put(item_id, changed)

    def set_due(self, item_id: str, value: dt.date | str | None) -> Answer:
        """Set the due date from a date or YYYY-MM-DD text (blank clears it); ValueError if bad."""
        text = value.strip() if isinstance(value, str) else None
        due = parse_date(text) if text else (value if isinstance(value, dt.date) else None)
        current = self.answer(item_id)
        if current.due == due:
            return current
        return self._put(item_id, dataclasses.replace(current, due=due, updated=self.clock()))

    def set_confidence(self, item_id: str, value: str | None) -> Answer:
        if value is not None and value not in CONFIDENCES:
            raise ValueError(f"confidence must be one of {', '.join(CONFIDENCES)}")
        current = self.answer(item_id)
        if current.confidence == value:
            return current
        return self._put(
            item_id,
            dataclasses.replace(current, confidence=value, updated=self.clock()),
        )

    def set_status(self, item_id: str, value: str | None) -> Answer:
        if value is not None and value not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        current = self.answer(item_id)
        if current.status == value:
            return current
        return self._put(
            item_id,
            dataclasses.replace(current, status=value, updated=self.clock()),
        )

    # ----------------------------------------------------------------- reading

    _scores: Scores | None = field(default=None, init=False, repr=False)

    def scores(self) -> Scores:
        """Scores of the current answers (cached until the next change)."""
        if self._scores is None:
            self._scores = score(self.assessment, self.checklist)
        return self._scores

    def gaps(self) -> list[Gap]:
        return gaps(self.assessment, self.checklist, self.scores())

    def items(self, *, all_roles: bool = False) -> list[Item]:
        """Items in reading order: those for the organization's role, or all."""
        return [i for i in self.checklist.ordered_items if all_roles or self.applies(i)]

    def first_unanswered(self) -> Item | None:
        """The first applicable item without a level (the first item when all are answered)."""
        items = self.items()
        for item in items:
            if not self.answer(item.id).is_answered:
                return item
        return items[0] if items else None

    def next_unanswered(
        self, after: str | None, *, backwards: bool = False, wrap: bool = True
    ) -> Item | None:
        """The next (or previous) applicable unanswered item after item ``after``."""
        items = self.items()
        if backwards:
            items.reverse()
        ids = [i.id for i in items]
        start = ids.index(after) + 1 if after in ids else 0
        order = items[start:] + (items[:start] if wrap else [])
        return next((i for i in order if not self.answer(i.id).is_answered), None)

    def search(self, text: str, *, all_roles: bool = False) -> list[Item]:
        """Items whose prompt, id or guidance contains ``text`` (case-insensitive)."""
        needle = text.strip().casefold()
        if not needle:
            return []
        return [
            i
            for i in self.items(all_roles=all_roles)
            if needle in i.prompt.casefold()
            or needle in i.id.casefold()
            or needle in (i.guidance or "").casefold()
        ]

    # ----------------------------------------------------------------- saving

    def prepare_save(self, path: Path | None = None) -> SaveJob:
        """Copy what is to be written (cheap; call it where the session is changed)."""
        snapshot = dataclasses.replace(
            self.assessment,
            answers=dict(self.assessment.answers),
            assessors=list(self.assessment.assessors),
        )
        must_be_new = path is not None or self.is_new
        return SaveJob(snapshot, self.checklist, self.revision, path, must_be_new)

    def finish_save(self, job: SaveJob, error: SaveError | None = None) -> None:
        """Record how a job went. On success the session takes the new path and fingerprint."""
        if error is not None:
            self.error = error
            return
        self.error = None
        self.assessment.path = job.snapshot.path
        self.assessment.fingerprint = job.snapshot.fingerprint
        self.saved_revision = job.revision

    def save(self, path: Path | None = None) -> Path:
        """Save now (to ``path`` for a save elsewhere). Raises SaveError; the changes stay."""
        job = self.prepare_save(path)
        try:
            written = job.run()
        except SaveError as exc:
            self.finish_save(job, exc)
            raise
        self.finish_save(job)
        return written

    def save_as(self, path: Path) -> Path:
        """Save to a new file (refuses an existing one) and keep editing that file."""
        return self.save(path)

    def reload(self) -> None:
        """Read the file again, dropping unsaved changes (after a conflict, say)."""
        if self.assessment.path is None:
            raise SaveError(Path("?"), "never saved: nothing to reload")
        assessment, checklist, warnings = load_pair(self.assessment.path, self.checklist_path)
        self.assessment, self.checklist, self.warnings = assessment, checklist, warnings
        self.revision += 1
        self.saved_revision = self.revision
        self.error = None
        self._scores = None


def carried_over_ids(assessment: Assessment, ids: Iterable[str] | None = None) -> list[str]:
    """Ids of answers still marked as carried over (in ``ids`` order when given)."""
    keys = list(ids) if ids is not None else list(assessment.answers)
    return [k for k in keys if assessment.answer(k).carried_over]
