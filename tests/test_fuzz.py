"""Fuzzing both loaders: whatever the bytes, the only exception is LoadError.

Four generators, each with its number of examples recorded in ``settings``:
arbitrary bytes; arbitrary TOML documents carrying either format tag; the mini checklist
and assessment with one value replaced, removed or added (these reach the semantic
checks); and a differential check that the fast schema checker never calls valid what
jsonschema rejects (it decides when jsonschema is skipped).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import itertools
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness import loading
from readiness.loading import LoadError, load_assessment, load_checklist, load_pair, read_toml
from readiness.model import ASSESSMENT_FORMAT, CHECKLIST_FORMAT
from readiness.validation import validate_paths

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini-checklist.toml"
CHECKLIST_DATA = tomllib.loads(MINI.read_text(encoding="utf-8"))
ASSESSMENT_DATA = tomllib.loads((DATA / "mini-assessment.toml").read_text(encoding="utf-8"))

BYTES_EXAMPLES = 300
DOCUMENT_EXAMPLES = 300
MUTATION_EXAMPLES = 400
DIFFERENTIAL_EXAMPLES = 500

FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

_counter = itertools.count()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(autouse=True)
def _private_cache(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINESS_CACHE_DIR", str(folder / "cache"))


def write(folder: Path, content: bytes) -> Path:
    path = folder / f"doc-{next(_counter)}.toml"
    path.write_bytes(content)
    return path


def load_every_way(path: Path) -> None:
    """Every entry point that reads a file; only LoadError may come out."""
    for load in (read_toml, load_checklist, load_assessment):
        try:
            load(path)
        except LoadError as exc:
            assert exc.problems and all(p.path == str(path) for p in exc.problems[:1])
    with contextlib.suppress(LoadError):
        load_pair(path, MINI)
    reports = validate_paths([path], MINI)
    assert len(reports) == 1


# --------------------------------------------------------------------------- strategies

keys = st.text(min_size=1, max_size=12)
scalars = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=20,
)
documents = st.builds(
    lambda tag, body: {**body, "format": tag} if tag else body,
    st.sampled_from([CHECKLIST_FORMAT, ASSESSMENT_FORMAT, None, "readiness-checklist/2"]),
    st.dictionaries(keys, values, max_size=8),
)


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths_of(child, (*prefix, key))
    elif isinstance(value, list):
        for n, child in enumerate(value):
            yield from paths_of(child, (*prefix, n))


@st.composite
def mutated(draw: st.DrawFn, original: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(original)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        where = draw(st.sampled_from([p for p in paths_of(doc) if p]))
        parent = doc
        for part in where[:-1]:
            parent = parent[part]
        last = where[-1]
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "remove":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(keys)] = draw(values)
        else:
            parent[last] = draw(values)
    return doc


# --------------------------------------------------------------------------- properties


@settings(FUZZ, max_examples=BYTES_EXAMPLES)
@given(content=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_arbitrary_bytes_raise_nothing_but_load_error(folder: Path, content: bytes) -> None:
    load_every_way(write(folder, content))


@settings(FUZZ, max_examples=DOCUMENT_EXAMPLES)
@given(document=documents)
def test_arbitrary_toml_documents_raise_nothing_but_load_error(
    folder: Path, document: dict[str, Any]
) -> None:
    load_every_way(write(folder, tomli_w.dumps(document).encode("utf-8")))


@settings(FUZZ, max_examples=MUTATION_EXAMPLES)
@given(document=st.one_of(mutated(CHECKLIST_DATA), mutated(ASSESSMENT_DATA)))
def test_mutated_mini_files_raise_nothing_but_load_error(
    folder: Path, document: dict[str, Any]
) -> None:
    try:
        content = tomli_w.dumps(document).encode("utf-8")
    except (TypeError, ValueError):
        return  # not expressible in TOML (e.g. a removed list item left a gap)
    load_every_way(write(folder, content))


def jsonschema_accepts(data: dict[str, Any], kind: loading.Kind) -> bool:
    validator = loading._validator(kind)
    return not any(validator.iter_errors(loading.to_json_compatible(data)))


@settings(FUZZ, max_examples=DIFFERENTIAL_EXAMPLES)
@given(
    case=st.one_of(
        mutated(CHECKLIST_DATA).map(lambda d: (d, "checklist")),
        mutated(ASSESSMENT_DATA).map(lambda d: (d, "assessment")),
        documents.map(lambda d: (d, "assessment")),
    )
)
def test_the_fast_schema_check_never_accepts_what_jsonschema_rejects(
    case: tuple[dict[str, Any], loading.Kind],
) -> None:
    data, kind = case
    if loading.is_schema_valid(data, kind):
        assert jsonschema_accepts(data, kind)


def test_the_fast_schema_check_accepts_the_valid_mini_files() -> None:
    # Otherwise it would never skip jsonschema, and the differential test above is vacuous.
    assert loading.is_schema_valid(CHECKLIST_DATA, "checklist")
    assert loading.is_schema_valid(ASSESSMENT_DATA, "assessment")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("answers", "hotline", "level"), 2.0),  # an integer to JSON Schema, not to us
        (("answers", "hotline", "level"), True),
        (("date",), "2025-02-30"),
        (("answers", "hotline", "updated"), dt.time(9, 30)),
        (("organization", "name"), "   "),
    ],
)
def test_the_fast_schema_check_agrees_with_jsonschema_on_edge_values(
    path: tuple[str, ...], value: Any
) -> None:
    data = copy.deepcopy(ASSESSMENT_DATA)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    if loading.is_schema_valid(data, "assessment"):
        assert jsonschema_accepts(data, "assessment")


# --------------------------------------------------------------------------- the checked-file cache

CACHE_EXAMPLES = 200


@settings(FUZZ, max_examples=CACHE_EXAMPLES)
@given(document=documents)
def test_the_cache_gives_back_exactly_the_data_tomllib_parsed(document: dict[str, Any]) -> None:
    parsed = tomllib.loads(tomli_w.dumps(document))
    again = loading._decode(loading._encode(parsed))
    # repr: same types too (date vs datetime, tz offsets), and nan equals nan.
    assert repr(again) == repr(parsed)


def test_a_valid_file_read_again_comes_from_the_cache_with_the_same_result(
    folder: Path,
) -> None:
    path = write(folder, (DATA / "mini-assessment.toml").read_bytes())
    first, _, first_warnings = load_pair(path, MINI)
    raw = read_toml(path)
    assert raw.checked == "assessment"
    second, _, second_warnings = load_pair(path, MINI)
    assert (second.answers, second.organization) == (first.answers, first.organization)
    assert second_warnings == first_warnings


def test_an_invalid_file_is_never_cached(folder: Path) -> None:
    path = write(folder, (DATA / "bad" / "assessment-bad-enum.toml").read_bytes())
    for _ in range(2):
        with pytest.raises(LoadError):
            load_assessment(path)
        assert read_toml(path).checked is None
