"""``readiness validate``: check many files of either kind, collecting every problem.

Checklists needed by assessments are loaded once per run, so validating a folder of a
network's 1,000 assessment files costs one checklist load, not 1,000.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from readiness.loading import (
    Loader,
    LoadError,
    Problem,
    RawFile,
    assessment_from_raw,
    assessment_problems,
    checklist_from_raw,
    detect_kind,
    read_many,
)
from readiness.model import CHECKLIST_FORMAT


@dataclass
class FileReport:
    """The outcome of checking one file."""

    path: Path
    kind: str | None = None
    problems: list[Problem] = field(default_factory=list)
    checklist: str | None = None
    """For an assessment: the checklist file it was checked against."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_paths(paths: Iterable[Path], checklist: Path | None = None) -> list[FileReport]:
    """Check every path. Checklists come first, so an assessment validated beside its
    checklist (``readiness validate my-list.toml answers.toml``) is checked against it."""
    cache = Loader(checklist)
    paths = list(paths)
    raws = dict(enumerate(read_many(paths)))
    reports: dict[int, FileReport] = {}
    for n, raw in raws.items():
        if isinstance(raw, RawFile) and raw.data.get("format") == CHECKLIST_FORMAT:
            reports[n] = _validate_one(paths[n], raw, cache)
    for n, raw in raws.items():
        if n not in reports:
            reports[n] = _validate_one(paths[n], raw, cache)
    return [reports[n] for n in range(len(paths))]


def _validate_one(path: Path, raw: RawFile | LoadError, cache: Loader) -> FileReport:
    report = FileReport(path)
    try:
        if isinstance(raw, LoadError):
            raise raw
        report.kind = detect_kind(raw)
        if report.kind == "checklist":
            cache.offer(checklist_from_raw(raw))
            return report
        assessment, warnings = assessment_from_raw(raw)
        report.problems += warnings
        found = cache.checklist_for(assessment)
        report.checklist = str(found.path)
        report.problems += assessment_problems(assessment, found, raw.text)
    except LoadError as exc:
        report.problems += exc.problems
        if exc.problems and exc.problems[0].path != str(path):
            report.problems.insert(
                0,
                Problem(
                    str(path), f"its checklist {exc.problems[0].path} has problems", "checklist"
                ),
            )
    return report
