"""``readiness new`` and ``readiness answer`` as scripts meet them (no terminal here)."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from readiness.cli_tui import answer, new

from .conftest import saved

runner = CliRunner()
cli = typer.Typer()
cli.command()(new)
cli.command()(answer)


def test_new_no_open_creates_the_file_and_prints_its_path(workspace: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "new", "--checklist", "checklists/mini.toml", "--org", "Beirut Migrant Desk",
            "--role", "ngo", "--date", "2026-03-01", "--assessor", "Rania",
            "--assessor", "Sami", "--from", "assessments/beirut-2025.toml", "--no-open",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path == Path("assessments/beirut-migrant-desk-2026-03-01.toml")
    created = saved(path)
    assert created.assessors == ["Rania", "Sami"]
    assert created.answers["hotline"].carried_over
    assert created.answers["retired-item"].level == 3


def test_new_no_open_refuses_to_overwrite_an_existing_file(workspace: Path) -> None:
    target = workspace / "assessments" / "beirut-2025.toml"
    before = target.read_bytes()
    result = runner.invoke(
        cli,
        ["new", "-c", "checklists/mini.toml", "--org", "X", "--role", "ngo",
         "--output", str(target), "--no-open"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert target.read_bytes() == before


def test_new_no_open_without_a_role_names_the_roles_to_choose_from(workspace: Path) -> None:
    result = runner.invoke(cli, ["new", "-c", "checklists/mini.toml", "--org", "X", "--no-open"])
    assert result.exit_code == 2
    assert "ngo, ministry" in result.stderr


def test_new_with_a_bad_date_exits_2(workspace: Path) -> None:
    result = runner.invoke(
        cli, ["new", "-c", "checklists/mini.toml", "--org", "X", "--date", "1/3/26", "--no-open"]
    )
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


def test_answer_and_new_refuse_without_a_terminal(workspace: Path) -> None:
    result = runner.invoke(cli, ["answer", "assessments/beirut-2025.toml"])
    assert result.exit_code == 2
    assert "interactive terminal" in result.stderr
    result = runner.invoke(cli, ["new", "-c", "checklists/mini.toml"])
    assert result.exit_code == 2
    assert "interactive terminal" in result.stderr


def test_answer_reports_a_broken_file_and_exits_2(workspace: Path) -> None:
    broken = workspace / "assessments" / "broken.toml"
    broken.write_text("format = 'readiness-assessment/1'\ntitle = [\n", encoding="utf-8")
    result = runner.invoke(cli, ["answer", str(broken)])
    assert result.exit_code == 2
    assert "TOML syntax error" in result.stderr
