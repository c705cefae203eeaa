"""The checklists readiness can find, for ``readiness checklists`` and the new-assessment form."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readiness.loading import (
    ENV_CHECKLISTS,
    LoadError,
    Problem,
    bundled_checklists_dir,
    checklist_dirs,
    iter_checklist_files,
    load_checklist,
)
from readiness.model import Checklist


@dataclass(frozen=True)
class CatalogEntry:
    path: Path
    origin: str
    """Which search folder it came from: "READINESS_CHECKLISTS", "./checklists" or "bundled"."""
    checklist: Checklist | None
    problem: Problem | None = None
    """Why it could not be loaded (then ``checklist`` is None)."""
    shadowed: bool = False
    """Another file earlier in the search order has the same id and version."""

    def as_dict(self) -> dict[str, Any]:
        c = self.checklist
        return {
            "id": c.id if c else None,
            "version": c.version if c else None,
            "title": c.title if c else None,
            "path": str(self.path),
            "origin": self.origin,
            "items": len(c.items) if c else None,
            "items_per_phase": (
                {p.id: sum(1 for i in c.items if c.phase_of(i).id == p.id) for p in c.phases}
                if c
                else None
            ),
            "shadowed": self.shadowed,
            "problem": None if self.problem is None else str(self.problem),
        }


def _origin(folder: Path, cwd: Path) -> str:
    resolved = folder.resolve()
    if resolved == bundled_checklists_dir().resolve():
        return "bundled"
    if resolved == (cwd / "checklists").resolve():
        return "./checklists"
    env = [Path(p).resolve() for p in os.environ.get(ENV_CHECKLISTS, "").split(os.pathsep) if p]
    return ENV_CHECKLISTS if resolved in env else str(folder)


def discover(cwd: Path | None = None) -> list[CatalogEntry]:
    """Every checklist file in the search folders, in search order."""
    here = cwd or Path.cwd()
    entries: list[CatalogEntry] = []
    seen: set[tuple[str, str]] = set()
    for folder in checklist_dirs(here):
        origin = _origin(folder, here)
        for path in iter_checklist_files([folder]):
            try:
                checklist = load_checklist(path)
            except LoadError as exc:
                entries.append(CatalogEntry(path, origin, None, exc.problems[0]))
                continue
            key = (checklist.id, checklist.version)
            entries.append(CatalogEntry(path, origin, checklist, shadowed=key in seen))
            seen.add(key)
    return entries
