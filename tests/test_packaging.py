"""The wheel carries what an installed readiness needs: checklists and schemas."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_contains_the_bundled_checklists(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for checklist in (ROOT / "checklists").glob("*.toml"):
        assert f"readiness/checklists/{checklist.name}" in names


def test_the_wheel_contains_the_schemas_and_the_console_script(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "readiness/schemas/checklist.schema.json" in names
    assert "readiness/schemas/assessment.schema.json" in names
    assert "readiness/tui/app.tcss" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "readiness = readiness.entry:main" in wheel.read(entry_points).decode()
