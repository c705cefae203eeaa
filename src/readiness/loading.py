"""TOML files -> model objects, with every problem reported as a row, never a traceback.

Reading a file goes through four gates, each stopping at the first one that fails:
1. the bytes (missing path, directory, too large, empty, binary, not UTF-8),
2. TOML syntax (with the line the parser names),
3. the JSON Schema shipped in ``readiness/schemas`` (key path of each violation),
4. the rules a schema cannot express (unique ids, references, dates, scale values).
Errors raise :class:`LoadError` carrying all the problems found at that gate; warnings
(unknown keys in assessments, answers to items the checklist no longer has, a version
mismatch) are returned beside the loaded object.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from readiness.model import (
    ASSESSMENT_FORMAT,
    CHECKLIST_FORMAT,
    NOT_APPLICABLE,
    UNKNOWN,
    Actor,
    Answer,
    Assessment,
    Checklist,
    Item,
    Organization,
    OutOfScope,
    Phase,
    Ref,
    Scale,
    ScaleLevel,
    Section,
    Source,
)

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Files larger than this are refused before parsing (documented in docs/formats.md)."""

ENV_CHECKLISTS = "READINESS_CHECKLISTS"

Kind = Literal["checklist", "assessment"]
FORMATS: dict[str, Kind] = {CHECKLIST_FORMAT: "checklist", ASSESSMENT_FORMAT: "assessment"}

ANSWER_KEYS = (
    "level",
    "note",
    "evidence",
    "confidence",
    "owner",
    "due",
    "action",
    "status",
    "carried_over",
    "updated",
)
_ANSWER_KEY_SET = frozenset(ANSWER_KEYS)
ASSESSMENT_KEYS = (
    "format",
    "checklist",
    "checklist_version",
    "title",
    "date",
    "assessors",
    "organization",
    "answers",
)
ORGANIZATION_KEYS = ("name", "role", "country")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a warning) in one file."""

    path: str
    message: str
    key: str | None = None
    """Where in the file, as a key path: ``answers.stock-water.level``, ``items[3].weight``."""
    line: int | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "key": self.key,
            "severity": self.severity,
            "message": self.message,
        }


class LoadError(Exception):
    """A file could not be used; ``problems`` says every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --------------------------------------------------------------------------- bytes, TOML


@dataclass(frozen=True, slots=True)
class RawFile:
    path: Path
    text: str
    data: dict[str, Any]
    fingerprint: str
    checked: Kind | None = None
    """Set when a file with these bytes passed every check of this kind before (cache)."""


def fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def read_toml(path: Path) -> RawFile:
    """Read and parse a TOML file, or raise LoadError with one clear problem."""
    raw = _read_toml(path, parse=True)
    assert raw is not None
    return raw


def _read_toml(path: Path, *, parse: bool) -> RawFile | None:
    """:func:`read_toml`; with ``parse=False``, None for a file the cache does not have."""
    name = str(path)

    def fail(message: str, line: int | None = None) -> LoadError:
        return LoadError([Problem(name, message, line=line)])

    try:
        if path.is_dir():
            raise fail(
                f"is a directory; expected a .toml file (for every file in it: {path}/*.toml)"
            )
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A pipe or a device would block or never end (/dev/zero): refused before opening.
            raise fail("is not a regular file; expected a .toml file")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise fail(
                f"file is {size / 1024 / 1024:.1f} MiB; files over "
                f"{MAX_FILE_BYTES // 1024 // 1024} MiB are refused"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail("no such file") from None
    except PermissionError:
        raise fail("permission denied") from None
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror or exc}") from None
    if not raw.strip():
        raise fail("file is empty; expected a readiness checklist or assessment in TOML")
    if b"\x00" in raw:
        raise fail("looks like a binary file (contains NUL bytes); expected TOML text")
    try:
        # A byte-order mark (Windows editors write one) is not part of the TOML.
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise fail(f"is not valid UTF-8 text (byte 0x{raw[exc.start]:02x})", bad_line) from None
    print_ = fingerprint(raw)
    head = text[:4096]
    for kind in FORMATS.values():
        if kind in head:  # the format tag names the kind; a cheap filter before the lookup
            data = _checked_data(print_, kind)
            if data is not None:
                return RawFile(path, text, data, print_, kind)
    if not parse:
        return None
    try:
        # tomli is the parser the standard library's tomllib was copied from, with the same
        # results and messages; its wheels are compiled (mypyc), which parses our files about
        # 3.5x faster than pure-Python tomllib (docs/performance.md). Imported only here: not
        # needed when the cache answers.
        import tomli

        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        message, line = _split_toml_error(str(exc))
        raise fail(f"TOML syntax error: {message}", line) from None
    except RecursionError:
        raise fail("nested too deeply to be a readiness file") from None
    return RawFile(path, text, data, print_)


_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")


def read_many(paths: Sequence[Path]) -> list[RawFile | LoadError]:
    """:func:`read_toml` of every path, in order, each result a file or why it could not be
    read. Files the cache has are read here (~0.4 ms each). Hundreds of others go to worker
    processes (readiness.workers), which also run each assessment's own checks, so that
    this process only builds objects: the parse and checks are ~3 ms a file, sending a
    checked file back ~0.4 ms."""
    from readiness.workers import map_in_workers

    cached = [_read_cached(path) for path in paths]
    new = [path for path, got in zip(paths, cached, strict=True) if got is None]
    parsed = map_in_workers(_read_and_check, new)
    if parsed is None:
        parsed = [_read(path) for path in new]
    rest = iter(parsed)
    done = [next(rest) if got is None else got for got in cached]
    return [LoadError(got) if isinstance(got, list) else got for got in done]


def _read(path: Path) -> RawFile | list[Problem]:
    try:
        return read_toml(path)
    except LoadError as exc:  # problems, not the error: an exception's own fields do not pickle
        return exc.problems


def _read_cached(path: Path) -> RawFile | list[Problem] | None:
    """The file if the cache has it, its problems if it cannot be read, else None."""
    try:
        return _read_toml(path, parse=False)
    except LoadError as exc:
        return exc.problems


def _read_and_check(path: Path) -> RawFile | list[Problem]:
    raw = _read(path)
    if not isinstance(raw, RawFile) or raw.checked or raw.data.get("format") != ASSESSMENT_FORMAT:
        return raw
    # A faulty file goes back unmarked: its checks run again where they are reported.
    return raw if _own_assessment_problems(raw) else replace(raw, checked="assessment")


def _split_toml_error(message: str) -> tuple[str, int | None]:
    match = _AT_LINE.search(message)
    if match:
        return f"{message[: match.start()]} (column {match.group(2)})", int(match.group(1))
    match = _AT_END.search(message)
    if match:
        return f"{message[: match.start()]} at the end of the file", None
    return message, None


# --------------------------------------------------------------------------- JSON Schema


def schema_path(kind: Kind) -> Path:
    # The package is always installed as files (hatch wheel, editable checkout), so no
    # importlib.resources here: it costs ~4 ms of start-up for every command.
    return Path(__file__).parent / "schemas" / f"{kind}.schema.json"


@cache
def _validator(kind: Kind) -> Draft202012Validator:
    # jsonschema costs ~80 ms to import; only commands that validate pay for it.
    from jsonschema import Draft202012Validator, FormatChecker

    schema = json.loads(schema_path(kind).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker(formats=("date",)))


# A fast path before jsonschema. jsonschema costs ~60 ms to import and ~0.5 ms per answer
# to run (profiled: 80% of `readiness validate` over 1,000 files, half of `readiness
# score`). Almost every file people feed us is valid, so we first ask validators generated
# ahead of time from the same schema files by fastjsonschema (tools/compile_schemas.py,
# `make schemas`); only when they say "invalid" does jsonschema run, to write the messages
# exactly as before. tests/test_fuzz.py checks the two agree on generated documents.


def is_schema_valid(data: Any, kind: Kind) -> bool:
    """True when ``data`` (TOML data) passes the JSON Schema of ``kind``."""
    return _passes_schema(json_view(data).data, kind)


def _passes_schema(view: Any, kind: Kind) -> bool:
    import importlib

    generated = importlib.import_module(f"readiness.schemas._{kind}_check")
    try:
        generated.validate(view)  # generated with use_default=False: it never changes view
    except (generated.JsonSchemaValueException, RecursionError):
        return False
    return True


@dataclass(frozen=True, slots=True)
class JsonView:
    """TOML data as JSON Schema clients (check-jsonschema) see it, and where its dates are.

    One walk over a file's data serves the schema check, the stray-date check and the cache
    entry (each used to walk it on its own: a third of the time to read a new file)."""

    data: Any
    """A copy of the data with TOML dates and times as ISO strings."""
    dates: list[tuple[tuple[str | int, ...], DateKind]]
    """Where the dates were, in document order, and what each was."""


DateKind = Literal["datetime", "date", "time"]
_PLAIN = frozenset({str, int, bool, float})


def json_view(data: Any) -> JsonView:
    dates: list[tuple[tuple[str | int, ...], DateKind]] = []
    path: list[str | int] = []

    def copy(value: Any) -> Any:
        kind = type(value)
        if kind is dict:
            out = {}
            for key, child in value.items():
                if type(child) in _PLAIN:
                    out[key] = child
                else:
                    path.append(key)
                    out[key] = copy(child)
                    path.pop()
            return out
        if kind is list:
            items = []
            for n, child in enumerate(value):
                if type(child) in _PLAIN:
                    items.append(child)
                else:
                    path.append(n)
                    items.append(copy(child))
                    path.pop()
            return items
        if isinstance(value, dt.datetime):
            dates.append((tuple(path), "datetime"))
        elif isinstance(value, dt.date):
            dates.append((tuple(path), "date"))
        elif isinstance(value, dt.time):
            dates.append((tuple(path), "time"))
        else:
            return value
        return value.isoformat()

    return JsonView(copy(data), dates)


def to_json_compatible(value: Any) -> Any:
    """TOML dates and times as ISO strings, as JSON Schema clients (check-jsonschema) see them."""
    return json_view(value).data


def format_key(parts: Iterable[str | int]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def schema_problems(raw: RawFile, kind: Kind, view: JsonView | None = None) -> list[Problem]:
    data = (view or json_view(raw.data)).data
    if _passes_schema(data, kind):
        return []
    validator = _validator(kind)
    problems = []
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        parts = list(error.absolute_path)
        key = format_key(parts) or None
        message = _schema_message(error, data, parts)
        problems.append(Problem(str(raw.path), message, key, locate(raw.text, parts)))
    return problems


def _describe(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "boolean": "true or false",
    "array": "a list",
    "object": "a table",
    "number": "a number",
}


def _schema_message(error: Any, data: Any, parts: list[str | int]) -> str:
    validator = error.validator
    value = error.instance
    if validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        what = missing[0] if missing else error.message
        return f"missing required key '{what}'"
    if validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message.split("(")[-1])
        return f"unknown key(s) {', '.join(repr(e) for e in extra)} (check the spelling)"
    if validator == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        return f"expected {wanted}, got {_describe(value)}"
    if validator == "const":
        return f"expected {_describe(error.validator_value)}, got {_describe(value)}"
    if validator == "enum":
        choices = ", ".join(_describe(v) for v in error.validator_value)
        return f"expected one of {choices}, got {_describe(value)}"
    if validator == "oneOf" and parts and parts[-1] == "level":
        return f'expected a value of the scale, "n/a" or "unknown", got {_describe(value)}'
    if validator == "pattern":
        if parts and parts[-1] in ("date", "due"):
            return f"expected a TOML date such as 2026-03-01 (no quotes), got {_describe(value)}"
        if parts and parts[-1] == "version":
            return f"expected a semantic version such as 1.0.0, got {_describe(value)}"
        if isinstance(value, str) and not value.strip():
            return "must not be empty"
        return (
            f"{_describe(value)} is not a valid id: use lower-case letters, digits and "
            "single hyphens (e.g. stock-water)"
            if "a-z0-9" in str(error.validator_value)
            else f"{_describe(value)} does not have the expected form"
        )
    if validator == "format":
        return f"expected a TOML date such as 2026-03-01 (no quotes), got {_describe(value)}"
    if validator in ("minimum", "maximum"):
        bound = "at least" if validator == "minimum" else "at most"
        return f"expected {bound} {error.validator_value}, got {_describe(value)}"
    if validator == "minItems":
        count = error.validator_value
        return f"needs at least {count} entr{'y' if count == 1 else 'ies'}"
    if validator == "minLength":
        return "must not be empty"
    if validator == "uniqueItems":
        return f"lists the same value twice: {_describe(value)}"
    return str(error.message)


def _one_per_key(problems: list[Problem]) -> list[Problem]:
    """One message per place: a bad date breaks both the pattern and the format rule."""
    seen: set[str] = set()
    kept = []
    for problem in problems:
        about_value = problem.message.startswith("expected")
        if problem.key is None or not about_value or problem.key not in seen:
            kept.append(problem)
        if problem.key is not None and about_value:
            seen.add(problem.key)
    return kept


# --------------------------------------------------------------------------- line lookup


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the tables of a TOML text start: built in one pass, so that naming the line
    of each of thousands of problems in a file stays linear."""

    lines: list[str]
    headers: list[int]
    """Line indexes of every table header, in order."""
    tables: dict[str, int]
    """``[a.b]`` -> its line index (first occurrence), keys without quotes or spaces."""
    arrays: dict[str, list[int]]
    """``[[a]]`` -> the line index of each of its tables."""


_HEADER = re.compile(r"^\s*(\[\[?)\s*(.*?)\s*\]\]?\s*(#.*)?$")


@lru_cache(maxsize=8)
def _layout(text: str) -> _Layout:
    lines = text.splitlines()
    headers: list[int] = []
    tables: dict[str, int] = {}
    arrays: dict[str, list[int]] = {}
    for n, line in enumerate(lines):
        if not line.lstrip().startswith("["):
            continue
        match = _HEADER.match(line)
        if match is None:
            continue
        headers.append(n)
        name = ".".join(part.strip().strip("\"'") for part in match.group(2).split("."))
        if match.group(1) == "[[":
            arrays.setdefault(name, []).append(n)
        else:
            tables.setdefault(name, n)
    return _Layout(lines, headers, tables, arrays)


def locate(text: str, parts: Sequence[str | int]) -> int | None:
    """Best-effort line number of a key path in TOML text (None when it can't tell)."""
    if not parts:
        return None
    layout = _layout(text)
    first = str(parts[0])
    rest: Sequence[str | int] = parts[1:]
    if len(parts) >= 2 and isinstance(parts[1], int):
        found = layout.arrays.get(first, [])
        if parts[1] >= len(found):
            return None
        start = found[parts[1]]
        rest = parts[2:]
    elif len(parts) >= 2 and first in ("answers", "organization", "scale"):
        name = f"answers.{parts[1]}" if first == "answers" else first
        if name not in layout.tables:
            return None
        start = layout.tables[name]
        rest = parts[2:] if first == "answers" else parts[1:]
    else:
        start = -1  # top-level keys: before the first header
    after = bisect_right(layout.headers, start)
    end = layout.headers[after] if after < len(layout.headers) else len(layout.lines)
    if not rest or isinstance(rest[0], int):
        if start < 0:
            return _find_key(layout.lines, 0, end, first)
        return start + 1
    found_key = _find_key(layout.lines, max(start, 0), end, str(rest[0]))
    return found_key or (start + 1 if start >= 0 else None)


def _find_key(lines: list[str], start: int, end: int, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(\"{re.escape(key)}\"|{re.escape(key)})\s*=")
    for n in range(start, end):
        if pattern.match(lines[n]):
            return n + 1
    return None


# --------------------------------------------------------------------------- kinds


def detect_kind(raw: RawFile) -> Kind:
    tag = raw.data.get("format")
    name = str(raw.path)
    expected = " or ".join(f'"{f}"' for f in FORMATS)
    if tag is None:
        raise LoadError([Problem(name, f"missing key 'format': expected {expected}", "format")])
    kind = FORMATS.get(tag) if isinstance(tag, str) else None
    if kind is None:
        line = locate(raw.text, ["format"])
        raise LoadError(
            [Problem(name, f"unknown format {_describe(tag)}: expected {expected}", "format", line)]
        )
    return kind


def _a(kind: Kind) -> str:
    return f"an {kind}" if kind == "assessment" else f"a {kind}"


def _require_kind(raw: RawFile, kind: Kind) -> None:
    found = detect_kind(raw)
    if found != kind:
        raise LoadError(
            [
                Problem(
                    str(raw.path),
                    f"is {_a(found)} file; expected {_a(kind)}",
                    "format",
                    locate(raw.text, ["format"]),
                )
            ]
        )


# --------------------------------------------------------------------------- checklists


def load_checklist(path: Path) -> Checklist:
    """Load and fully check a checklist file; raise LoadError listing every problem."""
    raw = read_toml(path)
    _require_kind(raw, "checklist")
    return checklist_from_raw(raw)


# Files that passed every check are remembered under the user cache dir, keyed by a hash of
# their bytes (the fingerprint) and of this code, so that the next process reading the same
# bytes skips the TOML parse (tomllib is pure Python: ~7 ms per 300 answers, ~70 ms per
# 300-item checklist) and the checks. Measured: `history`/`compare` over 1,000 assessments
# spent 80% of their time there, `score` a third (docs/performance.md). Only files without
# errors are cached, so problems are always found and reported by the full path, and
# everything that depends on other files (an assessment against its checklist) is checked
# every time. The data is stored with marshal (no code runs on load, unlike pickle), TOML
# dates as tagged tuples. READINESS_CACHE_DIR="" turns the cache off.
ENV_CACHE = "READINESS_CACHE_DIR"
CACHE_ENTRIES = 4000
"""At most this many files are remembered (oldest forgotten first)."""
_cache_writes = 0


def _cache_dir() -> Path | None:
    configured = os.environ.get(ENV_CACHE)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "readiness" / "checked"


@cache
def _cache_salt() -> str:
    from readiness import __version__

    code = os.stat(__file__)
    schemas = "".join(
        schema_path(k).read_text(encoding="utf-8") for k in ("checklist", "assessment")
    )
    return f"{__version__}:{code.st_mtime_ns}:{code.st_size}:{fingerprint(schemas.encode())}"


def _cache_file(print_: str, kind: Kind) -> Path | None:
    folder = _cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(f"{_cache_salt()}:{kind}:{print_}".encode()).hexdigest()
    return folder / key[:2] / f"{key}.marshal"


_UNPACK = {
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
}


def _encode(data: dict[str, Any], view: JsonView | None = None) -> bytes:
    """A checked file's data as a cache entry: what marshal can store, the data with its
    dates as ISO text (the JSON view), and where those dates are, so that loading converts
    only them."""
    import marshal

    view = view or json_view(data)
    payload = marshal.dumps((view.data, view.dates))
    return _entry_digest(payload) + payload


def _entry_digest(payload: bytes) -> bytes:
    # A damaged entry (a flipped bit on disk) can still be valid marshal data, with another
    # level or score in it: entries carry a digest of their bytes and are checked on load.
    return hashlib.blake2b(payload, digest_size=16).digest()


def _decode(entry: bytes) -> Any:
    """What _encode stored, with its dates back (raises ValueError and the like when the
    entry is not one)."""
    import marshal

    digest, payload = entry[:16], entry[16:]
    if _entry_digest(payload) != digest:
        raise ValueError("damaged cache entry")
    data, dates = marshal.loads(payload)
    for path, tag in dates:
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = _UNPACK[tag](parent[path[-1]])
    return data


def _checked_data(print_: str, kind: Kind) -> dict[str, Any] | None:
    """The data of a file with these bytes that passed the checks of ``kind`` before."""
    try:
        entry = _cache_file(print_, kind)
        if entry is None:
            return None
        data = _decode(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError):
        return None  # no entry, or an unreadable one: take the full path
    return data if isinstance(data, dict) else None


def _remember_checked(raw: RawFile, kind: Kind, view: JsonView) -> None:
    global _cache_writes
    try:
        entry = _cache_file(raw.fingerprint, kind)
        if entry is None or entry.exists():
            return
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(_encode(raw.data, view))
            os.replace(tmp, entry)
        finally:
            tmp.unlink(missing_ok=True)  # left only when interrupted before the replace
        _cache_writes += 1
        if _cache_writes % 200 == 1:
            _prune(entry.parent.parent)
    except (OSError, ValueError):
        pass  # a cache that cannot be written only costs time


def _prune(folder: Path) -> None:
    entries = list(folder.glob("*/*.marshal"))
    if len(entries) <= CACHE_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - CACHE_ENTRIES // 2]:
        old.unlink(missing_ok=True)


def checklist_from_raw(raw: RawFile) -> Checklist:
    if raw.checked == "checklist":
        return _build_checklist(raw.data, raw.path)
    view = json_view(raw.data)
    problems = _one_per_key(schema_problems(raw, "checklist", view)) or _stray_dates(raw, [], view)
    if problems:
        raise LoadError(problems)
    checklist = _build_checklist(raw.data, raw.path)
    problems = checklist_problems(checklist, raw)
    if problems:
        raise LoadError(problems)
    _remember_checked(raw, "checklist", view)
    return checklist


def _build_checklist(data: dict[str, Any], path: Path) -> Checklist:
    scale = data["scale"]
    return Checklist(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        description=data.get("description"),
        language=data.get("language"),
        sources=tuple(Source(**s) for s in data.get("sources", [])),
        scale=Scale(
            levels=tuple(ScaleLevel(**level) for level in scale["levels"]),
            target=scale["target"],
            allow_not_applicable=scale.get("allow_not_applicable", True),
            allow_unknown=scale.get("allow_unknown", True),
        ),
        actors=tuple(Actor(**a) for a in data.get("actors", [])),
        phases=tuple(Phase(**p) for p in data["phases"]),
        sections=tuple(Section(**s) for s in data["sections"]),
        items=tuple(_build_item(i) for i in data["items"]),
        out_of_scope=tuple(OutOfScope(**o) for o in data.get("out_of_scope", [])),
        path=path,
    )


def _build_item(data: dict[str, Any]) -> Item:
    return Item(
        id=data["id"],
        section=data["section"],
        prompt=data["prompt"],
        guidance=data.get("guidance"),
        weight=data.get("weight", 1),
        actors=tuple(data.get("actors", ())),
        tags=tuple(data.get("tags", ())),
        practices=tuple(data.get("practices", ())),
        evidence=tuple(data.get("evidence", ())),
        refs=tuple(Ref(**r) for r in data.get("refs", ())),
        target=data.get("target"),
        depends_on=tuple(data.get("depends_on", ())),
    )


def checklist_problems(checklist: Checklist, raw: RawFile) -> list[Problem]:
    """The rules a schema cannot express: unique ids, references, scale values, cycles."""
    name = str(raw.path)
    problems: list[Problem] = []

    def add(parts: list[str | int], message: str) -> None:
        problems.append(Problem(name, message, format_key(parts), locate(raw.text, parts)))

    def unique(kind: str, ids: list[str]) -> set[str]:
        seen: set[str] = set()
        for n, ident in enumerate(ids):
            if ident in seen:
                add([kind, n, "id"], f"duplicate id '{ident}' (ids must be unique in {kind})")
            seen.add(ident)
        return seen

    sources = unique("sources", [s.id for s in checklist.sources])
    actors = unique("actors", [a.id for a in checklist.actors])
    phases = unique("phases", [p.id for p in checklist.phases])
    sections = unique("sections", [s.id for s in checklist.sections])
    items = unique("items", [i.id for i in checklist.items])

    values = [level.value for level in checklist.scale.levels]
    for n, value in enumerate(values):
        if value in values[:n]:
            add(["scale", "levels", n, "value"], f"duplicate scale value {value}")
    if checklist.scale.target not in values:
        add(["scale", "target"], f"target {checklist.scale.target} is not a level of the scale")

    for n, section in enumerate(checklist.sections):
        if section.phase not in phases:
            add(["sections", n, "phase"], f"unknown phase '{section.phase}' {_known(phases)}")
    for n, item in enumerate(checklist.items):
        if item.section not in sections:
            add(["items", n, "section"], f"unknown section '{item.section}' {_known(sections)}")
        for actor in item.actors:
            if actor not in actors:
                add(["items", n, "actors"], f"unknown actor '{actor}' {_known(actors)}")
        for m, ref in enumerate(item.refs):
            if ref.source not in sources:
                add(["items", n, "refs", m, "source"], f"unknown source '{ref.source}'")
        if item.target is not None and item.target not in values:
            add(["items", n, "target"], f"target {item.target} is not a level of the scale")
        for dep in item.depends_on:
            if dep == item.id:
                add(["items", n, "depends_on"], "an item cannot depend on itself")
            elif dep not in items:
                add(["items", n, "depends_on"], f"unknown item '{dep}'")
    for n, entry in enumerate(checklist.out_of_scope):
        if entry.source not in sources:
            add(["out_of_scope", n, "source"], f"unknown source '{entry.source}'")
    if not problems:
        cycle = _dependency_cycle(checklist)
        if cycle:
            index = [i.id for i in checklist.items].index(cycle[0])
            add(["items", index, "depends_on"], f"depends_on forms a cycle: {' -> '.join(cycle)}")
    return problems


def _known(ids: set[str]) -> str:
    listed = sorted(ids)
    if not listed:
        return "(none are defined)"
    shown = ", ".join(listed[:8]) + (", ..." if len(listed) > 8 else "")
    return f"(known: {shown})"


def _dependency_cycle(checklist: Checklist) -> list[str] | None:
    graph = {item.id: item.depends_on for item in checklist.items}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return [*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt]
            if nxt not in state:
                found = visit(nxt, [*trail, nxt])
                if found:
                    return found
        state[node] = 2
        return None

    for item in checklist.items:
        if item.id not in state:
            found = visit(item.id, [item.id])
            if found:
                return found
    return None


# --------------------------------------------------------------------------- assessments


def load_assessment(path: Path) -> tuple[Assessment, list[Problem]]:
    """Load an assessment on its own (without its checklist). Returns it and its warnings."""
    raw = read_toml(path)
    _require_kind(raw, "assessment")
    return assessment_from_raw(raw)


def _own_assessment_problems(raw: RawFile) -> list[Problem]:
    """What is wrong with an assessment file on its own (schema, dates), before it is
    matched to its checklist; a file found faultless is remembered (see the cache)."""
    view = json_view(raw.data)
    problems = _one_per_key(
        schema_problems(raw, "assessment", view) + _assessment_type_problems(raw, view)
    )
    if not problems:
        _remember_checked(raw, "assessment", view)
    return problems


def assessment_from_raw(raw: RawFile) -> tuple[Assessment, list[Problem]]:
    if raw.checked != "assessment":
        problems = _own_assessment_problems(raw)
        if problems:
            raise LoadError(problems)
    data = raw.data
    org = data["organization"]
    answers: dict[str, Answer] = {}
    with_unknown_keys = []
    for item_id, table in data.get("answers", {}).items():
        # The keys are the field names; most answers have no unknown key, and then the table
        # is passed as it is (a third of the cost of picking the fields one by one).
        if table.keys() <= _ANSWER_KEY_SET:
            answers[item_id] = Answer(**table)
        else:
            answers[item_id] = _build_answer(table)
            with_unknown_keys.append(item_id)
    assessment = Assessment(
        checklist=data["checklist"],
        checklist_version=data["checklist_version"],
        title=data["title"],
        date=data["date"],
        organization=Organization(
            name=org["name"],
            role=org["role"],
            country=org.get("country"),
            extra={k: v for k, v in org.items() if k not in ORGANIZATION_KEYS},
        ),
        assessors=list(data.get("assessors", [])),
        answers=answers,
        extra={k: v for k, v in data.items() if k not in ASSESSMENT_KEYS},
        path=raw.path,
        fingerprint=raw.fingerprint,
    )
    return assessment, _unknown_key_warnings(raw, with_unknown_keys)


def _build_answer(table: dict[str, Any]) -> Answer:
    known = {k: v for k, v in table.items() if k in _ANSWER_KEY_SET}
    return Answer(**known, extra={k: v for k, v in table.items() if k not in _ANSWER_KEY_SET})


def _assessment_type_problems(raw: RawFile, view: JsonView) -> list[Problem]:
    """Dates must be real TOML dates: the schema sees strings either way."""
    name = str(raw.path)
    problems = []

    def check(parts: list[str | int], value: Any, want: type) -> None:
        if value is None:
            return
        ok = isinstance(value, want) and (want is dt.datetime or not isinstance(value, dt.datetime))
        if not ok:
            example = "2026-03-01T09:30:00Z" if want is dt.datetime else "2026-03-01"
            kind = "date and time" if want is dt.datetime else "date"
            problems.append(
                Problem(
                    name,
                    f"expected a TOML {kind} such as {example} (no quotes), "
                    f"got {_describe(to_json_compatible(value))}",
                    format_key(parts),
                    locate(raw.text, parts),
                )
            )

    problems += _stray_dates(raw, ASSESSMENT_DATE_KEYS, view)
    check(["date"], raw.data.get("date"), dt.date)
    answers = raw.data.get("answers")
    if isinstance(answers, dict):
        for item_id, table in answers.items():
            if isinstance(table, dict):
                check(["answers", item_id, "due"], table.get("due"), dt.date)
                check(["answers", item_id, "updated"], table.get("updated"), dt.datetime)
    return problems


ASSESSMENT_DATE_KEYS = (("date",), ("answers", "*", "due"), ("answers", "*", "updated"))


def _stray_dates(raw: RawFile, allowed: Sequence[tuple[str, ...]], view: JsonView) -> list[Problem]:
    """TOML dates where text is expected. JSON Schema sees a date as its ISO string, so
    ``id = 2000-01-01`` passes the schema (it matches the slug pattern) but is not text.
    With ``allowed`` places (assessments), keys this version does not know are left alone:
    they are kept as they are."""
    known = {
        (): set(ASSESSMENT_KEYS),
        ("organization",): set(ORGANIZATION_KEYS),
        ("answers", "*"): set(ANSWER_KEYS),
    }
    found: list[Problem] = []
    for parts, _kind in view.dates:
        shape: tuple[str, ...] = ()
        for part in parts:
            if isinstance(part, int):
                continue  # a list keeps the shape of its table
            keys = known.get(shape) if allowed else None
            if keys is not None and part not in keys:
                break
            shape = (*shape, "*" if shape == ("answers",) else part)
        else:
            if shape not in allowed:
                text: Any = view.data
                for part in parts:
                    text = text[part]
                found.append(
                    Problem(
                        str(raw.path),
                        f"expected text in quotes, got the TOML date {text}",
                        format_key(parts),
                        locate(raw.text, parts),
                    )
                )
    return found


def _unknown_key_warnings(raw: RawFile, answers: Sequence[str]) -> list[Problem]:
    """Warnings for the unknown keys at the top, in [organization], and in the answers to
    ``answers`` (the item ids whose tables have some)."""
    name = str(raw.path)
    warnings = []

    def warn(parts: list[str | int]) -> None:
        warnings.append(
            Problem(
                name,
                "unknown key, kept as it is (check the spelling)",
                format_key(parts),
                locate(raw.text, parts),
                "warning",
            )
        )

    for key in raw.data:
        if key not in ASSESSMENT_KEYS:
            warn([key])
    for key in raw.data.get("organization", {}):
        if key not in ORGANIZATION_KEYS:
            warn(["organization", key])
    tables = raw.data.get("answers", {})
    for item_id in answers:
        for key in tables[item_id]:
            if key not in _ANSWER_KEY_SET:
                warn(["answers", item_id, key])
    return warnings


def assessment_problems(
    assessment: Assessment, checklist: Checklist, text: str | None = None
) -> list[Problem]:
    """Check an assessment against its checklist: errors and warnings."""
    name = str(assessment.path)
    lines_of = text if text is not None else _read_text(assessment.path)
    problems: list[Problem] = []

    def add(parts: list[str | int], message: str, severity: Literal["error", "warning"]) -> None:
        line = locate(lines_of, parts) if lines_of else None
        problems.append(Problem(name, message, format_key(parts), line, severity))

    if assessment.checklist != checklist.id:
        add(
            ["checklist"],
            f"answers checklist '{assessment.checklist}' but the checklist given is "
            f"'{checklist.id}' ({checklist.path})",
            "error",
        )
        return problems
    if assessment.checklist_version != checklist.version:
        add(
            ["checklist_version"],
            f"was made with version {assessment.checklist_version}; the checklist found is "
            f"version {checklist.version} (answers are matched by item id)",
            "warning",
        )
    actors = checklist.actor_by_id
    if actors and assessment.organization.role not in actors:
        add(
            ["organization", "role"],
            f"unknown role '{assessment.organization.role}': expected one of the checklist's "
            f"actors ({', '.join(actors)})",
            "error",
        )
    scale = checklist.scale
    scale_values = frozenset(scale.values)
    allowed: set[object] = {None, *scale_values}
    if scale.allow_not_applicable:
        allowed.add(NOT_APPLICABLE)
    if scale.allow_unknown:
        allowed.add(UNKNOWN)
    answers = assessment.answers
    if answers.keys() <= checklist.item_by_id.keys() and all(
        answer.level in allowed for answer in answers.values()
    ):
        return problems  # the usual case, found without building a message per answer
    for item_id, answer in answers.items():
        level = answer.level
        if item_id not in checklist.item_by_id:
            add(
                ["answers", item_id],
                f"checklist {checklist.id} {checklist.version} has no item '{item_id}'; "
                "the answer is kept as it is",
                "warning",
            )
            continue
        if level is None:
            continue
        if isinstance(level, int) and level not in scale_values:
            values = ", ".join(str(v) for v in scale.values)
            add(
                ["answers", item_id, "level"],
                f'level {level} is not on the scale (expected one of {values}, "n/a", "unknown")',
                "error",
            )
        elif level == NOT_APPLICABLE and not scale.allow_not_applicable:
            add(["answers", item_id, "level"], '"n/a" is not allowed by this checklist', "error")
        elif level == UNKNOWN and not scale.allow_unknown:
            add(
                ["answers", item_id, "level"], '"unknown" is not allowed by this checklist', "error"
            )
    return problems


def _read_text(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


# --------------------------------------------------------------------------- finding checklists


def bundled_checklists_dir() -> Path:
    """Checklists shipped with the package (wheel), or the checkout's ``checklists/``."""
    from importlib import resources

    packaged = Path(str(resources.files("readiness"))) / "checklists"
    if packaged.is_dir():
        return packaged
    # An editable install runs from src/; the bundled files are at the top of the checkout.
    return Path(__file__).resolve().parents[2] / "checklists"


def checklist_dirs(cwd: Path | None = None) -> list[Path]:
    """Where checklists are looked for, first match wins: READINESS_CHECKLISTS folders,
    then ./checklists, then the bundled checklists."""
    here = cwd or Path.cwd()
    dirs = [Path(p) for p in os.environ.get(ENV_CHECKLISTS, "").split(os.pathsep) if p]
    dirs += [here / "checklists", bundled_checklists_dir()]
    unique: list[Path] = []
    seen: set[Path] = set()
    for d in dirs:
        resolved = d.resolve()
        if resolved not in seen and d.is_dir():
            seen.add(resolved)
            unique.append(d)
    return unique


@dataclass(frozen=True, slots=True)
class ChecklistInfo:
    """What can be read from a checklist's first lines without parsing it whole."""

    path: Path
    id: str | None
    version: str | None
    title: str | None


_TOP_KEY = re.compile(r'^\s*(id|version|title|format)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(#.*)?$')


def peek_checklist(path: Path) -> ChecklistInfo:
    """Read the top-level id/version/title of a checklist (cheap; not a validation)."""
    found: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for n, line in enumerate(handle):
                if line.lstrip().startswith("[") or n > 200:
                    break
                match = _TOP_KEY.match(line)
                if match:
                    found.setdefault(match.group(1), match.group(2))
    except OSError:
        pass
    return ChecklistInfo(path, found.get("id"), found.get("version"), found.get("title"))


def iter_checklist_files(dirs: Iterable[Path]) -> Iterator[Path]:
    for d in dirs:
        yield from sorted(d.glob("*.toml"))


def find_checklist(
    checklist_id: str, version: str | None = None, dirs: Sequence[Path] | None = None
) -> Path | None:
    """The file of checklist ``checklist_id``: the first one in search order whose version
    matches ``version``, else the first with that id."""
    candidates = [
        info
        for info in (peek_checklist(p) for p in iter_checklist_files(dirs or checklist_dirs()))
        if info.id == checklist_id
    ]
    for info in candidates:
        if info.version == version:
            return info.path
    return candidates[0].path if candidates else None


class Loader:
    """Loads assessment files and their checklists, reading each distinct checklist
    (id + version) once: validating or comparing a network's 1,000 files costs one
    checklist load, not 1,000. ``checklist`` names one checklist file for every assessment;
    otherwise each is found by id (and preferably version) in ``dirs`` (the search folders
    by default)."""

    def __init__(self, checklist: Path | None = None, dirs: Sequence[Path] | None = None) -> None:
        self._explicit = checklist
        self._dirs = dirs
        self._index: dict[str, list[tuple[str | None, Path]]] | None = None
        self._loaded: dict[tuple[str, str], Checklist] = {}
        self._offered: dict[str, Checklist] = {}
        self._failed: set[tuple[str, str]] = set()
        self._explicit_checklist: Checklist | None = None

    def offer(self, checklist: Checklist) -> None:
        """A checklist loaded in the same run (``readiness validate list.toml answers.toml``)
        answers for the assessments of its id."""
        if self._explicit is None:
            self._loaded.setdefault((checklist.id, checklist.version), checklist)
            self._offered.setdefault(checklist.id, checklist)

    def _find(self, checklist_id: str, version: str) -> Path | None:
        if self._index is None:
            self._index = {}
            for path in iter_checklist_files(self._dirs or checklist_dirs()):
                info = peek_checklist(path)
                if info.id:
                    self._index.setdefault(info.id, []).append((info.version, path))
        candidates = self._index.get(checklist_id, [])
        for found_version, path in candidates:
            if found_version == version:
                return path
        return candidates[0][1] if candidates else None

    def checklist_for(self, assessment: Assessment) -> Checklist:
        """The checklist an assessment answers (raises LoadError when it cannot be had)."""
        if self._explicit is not None:
            if self._explicit_checklist is None:
                self._explicit_checklist = load_checklist(self._explicit)
            found = self._explicit_checklist
            if found.id != assessment.checklist:
                raise _checklist_problem(
                    assessment,
                    f"answers checklist '{assessment.checklist}' but {self._explicit} is "
                    f"checklist '{found.id}'",
                )
            return found
        key = (assessment.checklist, assessment.checklist_version)
        if key in self._loaded:
            return self._loaded[key]
        if assessment.checklist in self._offered:
            return self._offered[assessment.checklist]
        path = self._find(*key)
        if path is None:
            where = ", ".join(str(d) for d in (self._dirs or checklist_dirs())) or "nowhere"
            raise _checklist_problem(
                assessment,
                f"checklist '{assessment.checklist}' not found (looked in {where}; "
                f"name it with --checklist or add its folder to {ENV_CHECKLISTS})",
            )
        if key in self._failed:
            # Its own problems were reported with the first assessment that needed it.
            raise _checklist_problem(
                assessment, f"checklist '{assessment.checklist}' ({path}) cannot be loaded"
            )
        try:
            checklist = load_checklist(path)
        except LoadError:
            self._failed.add(key)
            raise
        self._loaded[key] = checklist
        return checklist

    def load(
        self, path: Path, raw: RawFile | None = None
    ) -> tuple[Assessment, Checklist, list[Problem]]:
        """An assessment, its checklist and its warnings; raises LoadError on errors
        (also when ``path`` is a checklist, not an assessment). ``raw``: the file already
        read (:func:`read_many`)."""
        raw = raw or read_toml(path)
        _require_kind(raw, "assessment")
        assessment, warnings = assessment_from_raw(raw)
        checklist = self.checklist_for(assessment)
        problems = assessment_problems(assessment, checklist, raw.text)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise LoadError(errors)
        return assessment, checklist, warnings + problems


def _checklist_problem(assessment: Assessment, message: str) -> LoadError:
    where = locate(_read_text(assessment.path), ["checklist"])
    return LoadError([Problem(str(assessment.path), message, "checklist", where)])


def resolve_checklist(assessment: Assessment, explicit: Path | None = None) -> Checklist:
    """The checklist an assessment answers: ``explicit`` if given, else found by id."""
    return Loader(explicit).checklist_for(assessment)


def load_pair(
    path: Path, checklist_path: Path | None = None
) -> tuple[Assessment, Checklist, list[Problem]]:
    """Load an assessment and its checklist; raise on errors, return the warnings."""
    return Loader(checklist_path).load(path)
