"""Shared fixtures: small checklist and assessment files, copied into a temp folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Keep the developer's own checklist folders and cache out of the tests."""
    monkeypatch.delenv("READINESS_CHECKLISTS", raising=False)
    monkeypatch.setenv("READINESS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")


@pytest.fixture
def mini_checklist(tmp_path: Path) -> Path:
    target = tmp_path / "checklists" / "mini.toml"
    target.parent.mkdir()
    shutil.copy(DATA / "mini-checklist.toml", target)
    return target


@pytest.fixture
def mini_assessment(tmp_path: Path, mini_checklist: Path) -> Path:
    target = tmp_path / "assessments" / "desk-2025.toml"
    target.parent.mkdir()
    shutil.copy(DATA / "mini-assessment.toml", target)
    return target


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run with the temp folder as the working directory (./checklists, ./assessments)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
