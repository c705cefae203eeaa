"""readiness history: every assessment in a folder, grouped by organization, newest first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from readiness.compare import load_history

DATA = Path(__file__).parent / "data" / "compare"
CHECKLISTS = DATA / "checklists"
ASSESSMENTS = DATA / "assessments"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "assessments"
    shutil.copytree(ASSESSMENTS, target)
    (target / "broken.toml").write_text("format = \n", encoding="utf-8")
    (target / "notes.toml").write_text('format = "readiness-assessment/1"\n', encoding="utf-8")
    shutil.copy(CHECKLISTS / "other.toml", target / "a-checklist.toml")  # ignored
    return target


def test_history_groups_by_organization_newest_first(folder: Path) -> None:
    found = load_history(folder, dirs=[CHECKLISTS])
    assert [o.name for o in found.organizations] == ["beirut migrant desk", "Consular Affairs"]
    desk = found.organizations[0]
    assert [(e.date.isoformat(), e.checklist) for e in desk.entries] == [
        ("2025-03-01", "cmp"),
        ("2024-05-01", "other"),
        ("2024-03-01", "cmp"),
        ("2023-03-01", "cmp"),
    ]
    assert [None if e.overall is None else round(e.overall, 2) for e in desk.entries] == [
        55.0,
        100.0,
        56.67,
        49.17,
    ]
    assert round(desk.entries[-1].coverage or 0, 3) == 0.889


def test_the_trend_never_mixes_checklists(folder: Path) -> None:
    desk = load_history(folder, dirs=[CHECKLISTS]).organizations[0]
    assert [round(v or 0, 2) for v in desk.trend] == [49.17, 56.67, 55.0]
    assert desk.delta == pytest.approx(55.0 - 170 / 3)
    assert desk.direction == "down"
    ministry = load_history(folder, dirs=[CHECKLISTS]).organizations[1]
    assert ministry.direction == "new" and ministry.delta is None
    assert round(ministry.entries[0].overall or 0, 2) == 20.83  # (25 + 37.5 + 0) / 3


def test_files_that_fail_are_skipped_and_reported(folder: Path) -> None:
    found = load_history(folder, dirs=[CHECKLISTS])
    assert {Path(p.path).name for p in found.problems} == {"broken.toml", "notes.toml"}
    assert found.skipped == 2


def test_a_missing_checklist_is_a_problem_reported_for_each_file(tmp_path: Path) -> None:
    shutil.copytree(ASSESSMENTS, tmp_path / "a")
    found = load_history(tmp_path / "a", dirs=[tmp_path])  # no checklists there
    assert found.organizations == ()
    assert found.skipped == 5


def test_a_large_folder_read_by_worker_processes_gives_the_same_history(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Speed is measured in benchmarks/, not here; this pins that the parallel path
    # (used from PARALLEL_FROM files on) agrees with the in-process one.
    from readiness import workers

    alone = load_history(folder, dirs=[CHECKLISTS])
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    assert workers.worker_count(len(list(folder.rglob("*.toml")))) == 2
    together = load_history(folder, dirs=[CHECKLISTS])
    assert together.organizations == alone.organizations
    assert {p.path for p in together.problems} == {p.path for p in alone.problems}


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    from readiness.cli_compare import compare, history

    monkeypatch.setenv("READINESS_CHECKLISTS", str(CHECKLISTS))
    app = typer.Typer()
    app.command("history")(history)
    app.command("compare")(compare)
    return app


def test_cli_history_json(cli: typer.Typer, folder: Path) -> None:
    result = CliRunner().invoke(cli, ["history", str(folder), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    desk = data["organizations"][0]
    assert desk["trend"] == [49.2, 56.7, 55.0]
    assert desk["direction"] == "down" and desk["delta"] == -1.7
    assert desk["assessments"][0]["date"] == "2025-03-01"
    assert desk["assessments"][0]["coverage"] == 1.0
    assert {Path(p["path"]).name for p in data["problems"]} == {"broken.toml", "notes.toml"}
    # Skipped files are warnings on stderr (the command went on), as in `network`.
    assert any(
        line.startswith("warning: ") and "broken.toml" in line
        for line in result.stderr.splitlines()
    ), result.stderr


def test_cli_history_text_defaults_to_assessments(
    cli: typer.Typer, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder.parent)
    result = CliRunner().invoke(cli, ["history"])
    assert result.exit_code == 0
    assert "Consular Affairs" in result.stdout and "49.2" in result.stdout


def test_cli_history_of_a_missing_folder_exits_2(cli: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["history", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "no such folder" in result.stderr
