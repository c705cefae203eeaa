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
