"""The one place that writes assessment files.

A save never leaves a half-written file: the whole document is serialised first, then
written to a temporary file in the same folder, flushed, fsynced and moved over the old
file with ``os.replace``. The previous version is kept as ``<name>.toml.bak``. A save
refuses to overwrite a file that changed on disk since it was read (another person, a
``git pull``): the caller decides whether to reload or save elsewhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomli_w

from readiness.loading import fingerprint
from readiness.model import ASSESSMENT_FORMAT, Answer, Assessment, Checklist

try:  # POSIX advisory locks; on other systems two writers rely on the fingerprint alone.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class SaveError(Exception):
    """The assessment could not be written; the file on disk is unchanged."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class ConflictError(SaveError):
    """The file changed on disk since it was read; nothing was written."""


def answer_table(answer: Answer) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for key in ("level", "note", "evidence", "confidence", "owner", "due", "action", "status"):
        value = getattr(answer, key)
        if value is not None and value != "":
            table[key] = value
    if answer.carried_over:
        table["carried_over"] = True
    if answer.updated is not None:
        table["updated"] = answer.updated
    table.update(answer.extra)
    return table


def to_document(assessment: Assessment, checklist: Checklist | None = None) -> dict[str, Any]:
    """The assessment as a TOML-ready dict with a fixed key order: answers in checklist order,
    answers to ids the checklist does not have after them in their original order."""
    doc: dict[str, Any] = {
        "format": ASSESSMENT_FORMAT,
        "checklist": assessment.checklist,
        "checklist_version": assessment.checklist_version,
        "title": assessment.title,
        "date": assessment.date,
    }
    if assessment.assessors:
        doc["assessors"] = list(assessment.assessors)
    doc.update(assessment.extra)
    org = assessment.organization
    organization: dict[str, Any] = {"name": org.name, "role": org.role}
    if org.country:
        organization["country"] = org.country
    organization.update(org.extra)
    doc["organization"] = organization
    order = [i.id for i in checklist.ordered_items] if checklist else []
    known = [i for i in order if i in assessment.answers]
    known_ids = set(known)  # built once: inside the comprehension it made saving quadratic
    rest = [i for i in assessment.answers if i not in known_ids]
    answers = {}
    for item_id in known + rest:
        table = answer_table(assessment.answers[item_id])
        if table:
            answers[item_id] = table
    doc["answers"] = answers
    return doc


def dumps(assessment: Assessment, checklist: Checklist | None = None) -> str:
    header = (
        "# readiness assessment: edit with `readiness answer`, check with `readiness validate`.\n"
    )
    doc = to_document(assessment, checklist)
    # Multi-line strings read best in diffs, but TOML turns a "\r\n" inside one into "\n":
    # a document holding a carriage return is written with escaped strings instead.
    return header + tomli_w.dumps(doc, multiline_strings=not _has_carriage_return(doc))


def _has_carriage_return(value: Any) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_has_carriage_return(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_carriage_return(v) for v in value)
    return False


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the current file while checking and replacing it."""
    if fcntl is None or not path.exists():
        yield
        return
    with path.open("rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def current_fingerprint(path: Path) -> str | None:
    try:
        return fingerprint(path.read_bytes())
    except FileNotFoundError:
        return None


def write_atomic(path: Path, data: bytes, *, backup: bool = True) -> None:
    """Write ``data`` to ``path`` so that a crash at any moment leaves the old or the new
    file complete, never a mix. Keeps the replaced version as ``path + '.bak'``."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        if backup and path.exists():
            _keep_backup(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(folder)


def _keep_backup(path: Path) -> None:
    # A hard link costs no copy: after the replace, the old inode lives on as the .bak.
    bak = path.with_name(path.name + ".bak")
    link_tmp = path.with_name(f".{path.name}.bak.tmp")
    with contextlib.suppress(FileNotFoundError):
        link_tmp.unlink()
    try:
        os.link(path, link_tmp)
    except OSError:
        return  # no hard links here (some network shares): skip the backup, not the save
    os.replace(link_tmp, bak)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def save_assessment(
    assessment: Assessment,
    checklist: Checklist | None = None,
    path: Path | None = None,
    *,
    force: bool = False,
) -> Path:
    """Save atomically to ``path`` (default: where it was read from).

    Refuses with ConflictError when the file on disk is not the one the assessment was read
    from (``assessment.fingerprint``), unless ``force``. Updates the fingerprint on success.
    """
    target = path or assessment.path
    if target is None:
        raise SaveError(Path("?"), "no file name to save to")
    # Serialise before touching the disk: a failure here leaves the file as it was.
    try:
        data = dumps(assessment, checklist).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise SaveError(target, f"cannot be written as TOML: {exc}") from exc
    same_file = assessment.path is not None and _same(target, assessment.path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _locked(target):
            on_disk = current_fingerprint(target)
            expected = assessment.fingerprint if same_file else None
            if not force and on_disk is not None and on_disk != expected:
                if same_file:
                    raise ConflictError(target, "changed on disk since it was opened")
                raise ConflictError(target, "already exists")
            write_atomic(target, data)
    except SaveError:
        raise
    except OSError as exc:
        raise SaveError(target, exc.strerror or str(exc)) from exc
    assessment.path = target
    assessment.fingerprint = fingerprint(data)
    return target


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def now() -> dt.datetime:
    """Answer timestamps: UTC, to the second, so files diff cleanly in git."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
