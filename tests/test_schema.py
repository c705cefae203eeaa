"""The shipped JSON Schemas are valid schemas and work with standard clients."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from readiness.loading import schema_path

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


@pytest.mark.parametrize("kind", ["checklist", "assessment"])
def test_the_shipped_schema_is_a_valid_draft_2020_12_schema(kind: str) -> None:
    schema = json.loads(schema_path(kind).read_text(encoding="utf-8"))  # type: ignore[arg-type]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schemas_are_inside_the_installed_package() -> None:
    assert "readiness" in schema_path("checklist").parts  # type: ignore[arg-type]


def run_check_jsonschema(kind: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--schemafile", str(schema_path(kind)), str(path)],  # type: ignore[arg-type]
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("checklist", DATA / "mini-checklist.toml"),
        ("assessment", DATA / "mini-assessment.toml"),
        *[("checklist", p) for p in sorted((ROOT / "checklists").glob("*.toml"))],
        *[("assessment", p) for p in sorted((ROOT / "assessments").glob("*.toml"))],
    ],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_check_jsonschema_accepts_the_example_files(kind: str, path: Path) -> None:
    result = run_check_jsonschema(kind, path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("kind", "fixture", "old", "new"),
    [
        ("checklist", "mini-checklist.toml", "weight = 2", 'weight = "two"'),
        ("checklist", "mini-checklist.toml", 'id = "hotline"', 'id = "Hot Line"'),
        ("checklist", "mini-checklist.toml", "weight = 2", "weight = 2\nwieght = 1"),
        ("assessment", "mini-assessment.toml", "level = 4", 'level = "high"'),
        ("assessment", "mini-assessment.toml", 'confidence = "tested"', 'confidence = "sure"'),
        ("assessment", "mini-assessment.toml", "due = 2025-06-30", 'due = "next spring"'),
    ],
)
def test_check_jsonschema_rejects_broken_files(
    tmp_path: Path, kind: str, fixture: str, old: str, new: str
) -> None:
    text = (DATA / fixture).read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / fixture
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_check_jsonschema(kind, broken)
    assert result.returncode == 1, result.stdout + result.stderr


def load_generator() -> object:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "compile_schemas", ROOT / "tools" / "compile_schemas.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("kind", ["checklist", "assessment"])
def test_the_generated_fast_validators_match_the_schemas(kind: str) -> None:
    generator = load_generator()
    committed = generator.target(kind).read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert committed == generator.generate(kind), "stale: run `make schemas`"  # type: ignore[attr-defined]


# The fast validators are generated from an equivalent form of the schemas (definitions
# inlined, a oneOf of disjoint types as anyOf). They must accept exactly what the schemas do.

LEVELS = [0, 1, 4, 99, -1, "n/a", "unknown", "N/A", "", True, False, 2.0, 2.5, [1], {"a": 1}]


@pytest.mark.parametrize("level", LEVELS, ids=repr)
def test_the_fast_check_of_a_level_agrees_with_jsonschema_both_ways(level: object) -> None:
    import tomllib

    from readiness import loading

    data = tomllib.loads((DATA / "mini-assessment.toml").read_text(encoding="utf-8"))
    next(iter(data["answers"].values()))["level"] = level
    schema = json.loads(schema_path("assessment").read_text(encoding="utf-8"))  # type: ignore[arg-type]
    expected = not any(Draft202012Validator(schema).iter_errors(loading.to_json_compatible(data)))
    assert loading.is_schema_valid(data, "assessment") is expected


def test_only_a_one_of_whose_branches_cannot_overlap_becomes_any_of() -> None:
    generator = load_generator()
    convert = generator.disjoint_one_of_as_any_of  # type: ignore[attr-defined]
    disjoint = {"oneOf": [{"type": "integer"}, {"enum": ["n/a", "unknown"]}]}
    assert convert(disjoint) == {"anyOf": disjoint["oneOf"]}
    for overlapping in (
        [{"type": "integer"}, {"type": "number"}],  # 1 is both
        [{"type": "string"}, {"enum": ["n/a"]}],
        [{"type": "integer", "minimum": 0}, {"maximum": 3}],  # says no type: could be any
    ):
        assert convert({"oneOf": overlapping}) == {"oneOf": overlapping}


def test_inlining_definitions_keeps_every_rule_and_drops_only_annotations() -> None:
    generator = load_generator()
    schema = {
        "$defs": {"slug": {"type": "string", "pattern": "^[a-z]+$"}},
        "properties": {
            "id": {"$ref": "#/$defs/slug", "description": "said once"},
            "short": {"$ref": "#/$defs/slug", "maxLength": 3},  # a rule beside: both apply
        },
    }
    inlined = generator.inline_local_refs(schema, schema["$defs"])  # type: ignore[attr-defined]
    slug = {"type": "string", "pattern": "^[a-z]+$"}
    assert inlined == {
        "properties": {"id": slug, "short": {"allOf": [slug, {"maxLength": 3}]}},
    }


def test_the_fast_check_never_changes_the_data_it_checks() -> None:
    # fastjsonschema fills in defaults unless told not to; the loader caches the same copy.
    import copy
    import tomllib

    from readiness import loading

    data = tomllib.loads((DATA / "mini-checklist.toml").read_text(encoding="utf-8"))
    for item in data["items"]:
        item.pop("weight", None)  # the schema's default is 1
    data["scale"].pop("allow_unknown", None)
    view = loading.to_json_compatible(data)
    before = copy.deepcopy(view)
    assert loading._passes_schema(view, "checklist")
    assert view == before
