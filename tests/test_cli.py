"""The CLI as a user and a script meet it: exit codes, formats, messages on stderr."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from readiness import __version__
from readiness.cli import app

runner = CliRunner()
ROOT = Path(__file__).parent.parent
READINESS = Path(sys.executable).parent / "readiness"


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_version_prints_the_package_version() -> None:
    code, out, _ = run("--version")
    assert (code, out.strip()) == (0, f"readiness {__version__}")


def test_every_command_has_help_text() -> None:
    _, out, _ = run("--help")
    for command in ("validate", "checklists", "show", "trace", "score", "gaps", "plan"):
        assert command in out
        code, text, _ = run(command, "--help")
        assert code == 0 and "Usage:" in text


# --------------------------------------------------------------------------- validate


def test_validate_accepts_valid_files_with_exit_0(
    mini_checklist: Path, mini_assessment: Path
) -> None:
    code, _, err = run("validate", mini_checklist, mini_assessment)
    assert code == 0
    assert "retired-item" in err  # the warning is shown, not fatal


def test_validate_reports_every_bad_file_and_exits_2(tmp_path: Path, mini_checklist: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    broken = tmp_path / "broken.toml"
    broken.write_text("format = \n")
    code, _, err = run("validate", empty, broken, mini_checklist, tmp_path / "missing.toml")
    assert code == 2
    assert f"{empty}: file is empty" in err
    assert f"{broken}:1:" in err
    assert f"{tmp_path / 'missing.toml'}: no such file" in err


def test_validate_json_lists_problems_per_file(tmp_path: Path, mini_checklist: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text((mini_checklist).read_text().replace("weight = 2", 'weight = "x"'))
    code, out, _ = run("validate", "--format", "json", mini_checklist, bad)
    data = json.loads(out)
    assert code == 2 and data["ok"] is False
    assert [f["ok"] for f in data["files"]] == [True, False]
    assert data["files"][1]["problems"][0]["key"] == "items[0].weight"
    assert data["files"][1]["problems"][0]["line"] > 0


def test_validate_strict_fails_on_warnings(mini_checklist: Path, mini_assessment: Path) -> None:
    code, _, _ = run("validate", "--strict", "-c", mini_checklist, mini_assessment)
    assert code == 2


# --------------------------------------------------------------------------- checklists, show


def test_checklists_lists_the_bundled_one_and_local_ones(
    in_tmp: Path, mini_checklist: Path
) -> None:
    code, out, _ = run("checklists", "--format", "json")
    found = {c["id"]: c for c in json.loads(out)["checklists"]}
    assert code == 0
    assert found["mini"]["origin"] == "./checklists"
    assert found["mini"]["items_per_phase"] == {"pre-crisis": 3, "emergency": 2, "post-crisis": 1}
    assert found["migrants-in-crisis"]["origin"] == "bundled"


def test_show_prints_items_for_one_role(mini_checklist: Path) -> None:
    code, out, _ = run("show", mini_checklist, "--role", "ministry")
    assert code == 0
    assert "Can your consulates issue emergency travel documents?" in out
    assert "Can migrants reach you on a hotline?" not in out


def test_show_refuses_an_unknown_role(mini_checklist: Path) -> None:
    code, _, err = run("show", mini_checklist, "--role", "pirate")
    assert code == 2 and "unknown role 'pirate'" in err


def test_show_finds_the_bundled_checklist_by_id() -> None:
    code, out, _ = run("show", "migrants-in-crisis", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert [p["id"] for p in data["phases"]] == ["pre-crisis", "emergency", "post-crisis"]


# --------------------------------------------------------------------------- score


def test_score_json_has_the_documented_keys_and_values(
    mini_assessment: Path, mini_checklist: Path
) -> None:
    code, out, _ = run("score", mini_assessment, "-c", mini_checklist, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["overall"] == 62.5
    assert data["coverage"] == 0.8
    assert [(p["id"], p["score"]) for p in data["phases"]] == [
        ("pre-crisis", 25.0),
        ("emergency", 100.0),
        ("post-crisis", None),
    ]
    pre = data["phases"][0]
    assert {k: pre[k] for k in ("applicable", "answered", "not_applicable", "unknown")} == {
        "applicable": 3,
        "answered": 2,
        "not_applicable": 0,
        "unknown": 1,
    }
    assert [(s["id"], s["score"]) for s in pre["sections"]] == [
        ("pre-plans", 33.3),
        ("pre-partners", 0.0),
    ]
    assert {lens["tag"] for lens in data["lenses"]} == {"children", "planning"}
    assert data["phases"][1]["confidence"]["tested"] == 1


def test_score_text_shows_bands_and_coverage(mini_assessment: Path, mini_checklist: Path) -> None:
    code, out, _ = run("score", mini_assessment, "-c", mini_checklist, "--by-tag")
    assert code == 0
    assert "62.5" in out and "Getting ready" in out and "Coverage 80%" in out
    assert "children" in out


@pytest.mark.parametrize(("threshold", "expected"), [("60", 0), ("62.5", 0), ("70", 1)])
def test_fail_under_exits_1_below_the_threshold(
    mini_assessment: Path, mini_checklist: Path, threshold: str, expected: int
) -> None:
    code, _, err = run("score", mini_assessment, "-c", mini_checklist, "--fail-under", threshold)
    assert code == expected
    if expected:
        assert "below --fail-under 70" in err


def test_score_of_a_missing_file_exits_2_with_its_name(tmp_path: Path) -> None:
    code, _, err = run("score", tmp_path / "nope.toml")
    assert code == 2 and "nope.toml: no such file" in err


# --------------------------------------------------------------------------- gaps


def test_gaps_json_lists_gaps_in_priority_order(
    mini_assessment: Path, mini_checklist: Path
) -> None:
    code, out, _ = run("gaps", mini_assessment, "-c", mini_checklist, "--format", "json")
    gaps = json.loads(out)["gaps"]
    assert code == 0
    assert [g["item"] for g in gaps] == ["plan-tested", "partners-listed", "plan-written"]
    first = gaps[0]
    assert first["impact"] == {"phase": 25.0, "overall": 12.5}
    assert first["blocked_by"] == ["plan-written"]
    assert (first["level"], first["target"], first["weight"], first["priority"]) == (
        "unknown",
        4,
        1,
        4,
    )
    assert first["phase"] == "pre-crisis" and first["section"] == "pre-plans"
    assert first["prompt"] == "Have you tested the plan in a drill?"


def test_gaps_filters_combine(mini_assessment: Path, mini_checklist: Path) -> None:
    _, out, _ = run(
        "gaps",
        mini_assessment,
        "-c",
        mini_checklist,
        "-f",
        "json",
        "--min-priority",
        "3",
        "--top",
        "1",
    )
    assert [g["item"] for g in json.loads(out)["gaps"]] == ["plan-tested"]
    _, out, _ = run(
        "gaps", mini_assessment, "-c", mini_checklist, "-f", "json", "--phase", "emergency"
    )
    assert json.loads(out)["gaps"] == []


def test_gaps_csv_parses_with_one_row_per_gap(mini_assessment: Path, mini_checklist: Path) -> None:
    code, out, _ = run("gaps", mini_assessment, "-c", mini_checklist, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [r["item"] for r in rows] == ["plan-tested", "partners-listed", "plan-written"]
    assert rows[2]["owner"] == "Rania" and rows[2]["due"] == "2025-06-30"


def test_gaps_markdown_is_a_table(mini_assessment: Path, mini_checklist: Path) -> None:
    _, out, _ = run("gaps", mini_assessment, "-c", mini_checklist, "--format", "markdown")
    lines = out.splitlines()
    assert lines[0].startswith("# Gaps: Beirut Migrant Desk")
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 2 + 3
    assert "`plan-tested`" in table[2]


def test_gaps_refuses_an_unknown_phase(mini_assessment: Path, mini_checklist: Path) -> None:
    code, _, err = run("gaps", mini_assessment, "-c", mini_checklist, "--phase", "during")
    assert code == 2 and "unknown phase 'during'" in err


# --------------------------------------------------------------------------- plan


def test_plan_has_header_first_steps_and_a_section_per_phase_with_gaps(
    mini_assessment: Path, mini_checklist: Path
) -> None:
    code, out, _ = run("plan", mini_assessment, "-c", mini_checklist)
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert code == 0
    assert headings[0] == "# Readiness plan: Beirut Migrant Desk"
    assert "## First steps" in headings
    assert "## Pre-crisis" in headings and "## Emergency" not in headings
    assert "### Actions" in headings
    assert "Draft plan, not yet signed off." in out
    assert "Owner: Rania" in out
    assert "An NGO keeps its plan on paper in every office." in out


def test_plan_redact_leaves_out_what_the_team_wrote(
    mini_assessment: Path, mini_checklist: Path, tmp_path: Path
) -> None:
    target = tmp_path / "plan.md"
    code, _, _ = run("plan", mini_assessment, "-c", mini_checklist, "--redact", "-o", target)
    text = target.read_text(encoding="utf-8")
    assert code == 0
    for secret in ("Draft plan, not yet signed off", "Rania", "Sami", "Get the board to adopt"):
        assert secret not in text
    assert "2025-06-30" in text and "ongoing" in text
    assert "## First steps" in text


# --------------------------------------------------------------------------- TUI entry points


def test_the_tui_refuses_without_a_terminal() -> None:
    code, _, err = run()
    assert code == 2
    assert "interactive terminal" in err


# --------------------------------------------------------------------------- real processes


def test_python_m_readiness_runs_as_a_real_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "readiness", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "Usage:" in result.stdout


def test_the_installed_command_scores_a_file_in_a_real_process(
    mini_assessment: Path, mini_checklist: Path
) -> None:
    result = subprocess.run(
        [str(READINESS), "score", str(mini_assessment), "-c", str(mini_checklist), "-f", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["overall"] == 62.5


def test_a_real_process_without_a_terminal_refuses_the_tui(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(READINESS)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "interactive terminal" in result.stderr
    assert "\x1b[" not in result.stdout


# --------------------------------------------------------------------------- 80 columns

EXAMPLES = sorted((ROOT / "assessments").glob("*.toml"))


def numbers_of(data: object) -> set[str]:
    """Every score in a JSON answer, as the text reports print it (one decimal)."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("score", "overall", "mean") and isinstance(value, float):
                found.add(f"{value:.1f}")
            else:
                found |= numbers_of(value)
    elif isinstance(data, list):
        for value in data:
            found |= numbers_of(value)
    return found


@pytest.mark.parametrize(
    "command",
    [
        ["score", str(EXAMPLES[-1])],
        ["score", str(EXAMPLES[-1]), "--by-tag"],
        ["network", str(ROOT / "assessments")],
        ["compare", *map(str, EXAMPLES)],
        ["history", str(ROOT / "assessments")],
    ],
    ids=["score", "score-by-tag", "network", "compare", "history"],
)
def test_at_80_columns_no_number_is_cut_and_no_line_is_wider(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Piped output and small terminals are 80 columns wide: names give way ("…"), numbers
    # never do.
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    cut_numbers = [line for line in lines if any(f"{d}…" in line for d in "0123456789/")]
    assert not cut_numbers
    cut_bands = [line for line in lines if "Getting" in line and "Getting ready" not in line]
    assert not cut_bands
    if command[0] in ("score", "network"):
        data = json.loads(runner.invoke(app, [*command, "--format", "json"]).stdout)
        shown = set(result.stdout.split())
        assert numbers_of(data["phases"]) <= shown
