"""readiness compare: hand-computed scores, deltas and item changes on tests/data/compare.

The desk's three assessments (role ngo; items scored L/4, weights in the checklists):

=========  ==========  ==========  ==========  =====
           2023 (1.0)  2024 (1.0)  2025 (2.0)  delta
=========  ==========  ==========  ==========  =====
pre-crisis 1.75/5=35.0 2.25/5=45.0 2.75/5=55.0 +20.0
emergency  3/4=75.0    3.5/4=87.5  4.25/5=85.0 +10.0
post       .75/2=37.5  .75/2=37.5  .25/1=25.0  -12.5
overall    49.17       56.67       55.0        +5.8 (55.0 - 49.2)
coverage   8/9         9/9         9/9
=========  ==========  ==========  ==========  =====

Only the items both versions have (no old-radio, no sms-alerts): pre-crisis 1.25/4,
1.5/4, 2.5/4 -> overall 47.92, 54.17, 57.5 (delta +9.6).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from readiness.compare import (
    CHANGES,
    MOVED,
    CompareError,
    Comparison,
    compare,
)
from readiness.loading import Loader
from readiness.model import Assessment, Checklist, Organization
from readiness.report.compare_render import (
    comparison_csv,
    comparison_data,
    comparison_markdown,
    render_comparison,
    sparkline,
)
from readiness.report.tabular import csv_cell

DATA = Path(__file__).parent / "data" / "compare"
CHECKLISTS = DATA / "checklists"
ASSESSMENTS = DATA / "assessments"
ROOT = Path(__file__).parent.parent

DESK = ["desk-2025.toml", "desk-2023.toml", "desk-2024.toml"]  # deliberately not by date


def load(*names: str) -> list[tuple[Assessment, Checklist]]:
    loader = Loader(dirs=[CHECKLISTS])
    return [loader.load(ASSESSMENTS / name)[:2] for name in names]


@pytest.fixture
def desk() -> Comparison:
    return compare(load(*DESK))


def rounded(values: tuple[float | None, ...]) -> list[float | None]:
    return [None if v is None else round(v, 2) for v in values]


# --------------------------------------------------------------------------- core


def test_assessments_are_ordered_by_date_whatever_the_order_given(desk: Comparison) -> None:
    assert [e.date.year for e in desk.entries] == [2023, 2024, 2025]
    assert [e.checklist.version for e in desk.entries] == ["1.0.0", "1.0.0", "2.0.0"]


def test_overall_scores_and_deltas_match_the_hand_computation(desk: Comparison) -> None:
    assert rounded(desk.overall.values) == [49.17, 56.67, 55.0]
    assert desk.overall.delta == pytest.approx(55.0 - 147.5 / 3)
    assert rounded(desk.overall.steps) == [7.5, -1.67]
    assert rounded(desk.coverage.values) == [0.89, 1.0, 1.0]


def test_phase_and_section_scores_match_the_hand_computation(desk: Comparison) -> None:
    phases = {p.id: p for p in desk.phases}
    assert list(phases) == ["pre-crisis", "emergency", "post-crisis"]
    assert phases["pre-crisis"].scores.values == (35.0, 45.0, 55.0)
    assert phases["pre-crisis"].scores.delta == pytest.approx(20.0)
    assert phases["emergency"].scores.values == (75.0, 87.5, 85.0)
    assert phases["emergency"].scores.steps == (12.5, -2.5)
    assert phases["post-crisis"].scores.delta == -12.5
    sections = {s.id: s for s in phases["pre-crisis"].sections}
    assert rounded(sections["pre-plans"].scores.values) == [16.67, 33.33, 66.67]
    assert sections["pre-contacts"].scores.values == (62.5, 62.5, 37.5)
    assert sections["pre-contacts"].scores.delta == -25.0


def test_shared_scores_count_only_items_every_version_has(desk: Comparison) -> None:
    assert desk.shared_items == 9
    assert rounded(desk.shared.values) == [47.92, 54.17, 57.5]


def test_every_item_gets_a_change_from_the_vocabulary(desk: Comparison) -> None:
    changes = {row.item: row.change for row in desk.items}
    assert changes == {
        "plan": "improved",
        "drill": "improved",  # unknown (scores 0) -> 2
        "contacts": "regressed",
        "sms-alerts": "added",
        "hotline": "unchanged",
        "shelter": "newly-answered",
        "transport": "left-n-a",
        "lessons": "became-n-a",
        "debrief": "stuck-gap",
        "old-radio": "removed",
        "evac-fund": "orphaned",
    }
    assert set(changes.values()) <= set(CHANGES)
    assert set(MOVED) <= set(CHANGES)


def test_items_for_another_role_are_left_out(desk: Comparison) -> None:
    assert "docs" not in {row.item for row in desk.items}


def test_item_levels_are_oldest_first_with_na_unknown_and_none(desk: Comparison) -> None:
    rows = {row.item: row for row in desk.items}
    assert rows["drill"].levels == ("unknown", "unknown", 2)
    assert rows["transport"].levels == ("n/a", "n/a", 2)
    assert rows["shelter"].levels == (None, 2, 3)
    assert rows["old-radio"].levels == (2, 3, None)
    assert rows["old-radio"].present == (True, True, False)
    assert rows["evac-fund"].levels == (None, 2, None)
    assert rows["evac-fund"].prompt is None


def test_steps_give_the_change_between_neighbours(desk: Comparison) -> None:
    rows = {row.item: row for row in desk.items}
    assert rows["drill"].steps == ("stuck-gap", "improved")
    assert rows["transport"].steps == ("still-n-a", "left-n-a")
    assert rows["sms-alerts"].steps == ("absent", "added")
    assert rows["old-radio"].steps == ("improved", "removed")
    assert rows["contacts"].steps == ("regressed", "stuck-gap")


def test_items_added_and_removed_between_versions_are_listed(desk: Comparison) -> None:
    assert len(desk.versions) == 1
    diff = desk.versions[0]
    assert (diff.before, diff.after) == ("1.0.0", "2.0.0")
    assert diff.added == ("sms-alerts",)
    assert diff.removed == ("old-radio",)


def test_moved_lists_only_changes_that_have_items_in_vocabulary_order(desk: Comparison) -> None:
    moved = desk.moved()
    assert list(moved) == [
        "improved",
        "regressed",
        "newly-answered",
        "became-n-a",
        "left-n-a",
        "stuck-gap",
        "added",
        "removed",
        "orphaned",
    ]
    assert [row.item for row in moved["improved"]] == ["plan", "drill"]


def test_fewer_than_two_assessments_are_refused_even_with_force() -> None:
    with pytest.raises(CompareError) as caught:
        compare(load("desk-2023.toml"), force=True)
    assert caught.value.reason == "too-few"


def test_a_different_role_is_refused_unless_forced() -> None:
    pairs = load("desk-2025.toml", "ministry-2024.toml")
    with pytest.raises(CompareError) as caught:
        compare(pairs)
    assert caught.value.reason == "role"
    assert "--force" in str(caught.value)
    forced = compare(pairs, force=True)
    assert forced.forced and "different roles" in forced.forced[0]
    assert "docs" in {row.item for row in forced.items}  # applies to the ministry


def test_a_different_checklist_is_refused_unless_forced() -> None:
    loader = Loader(dirs=[CHECKLISTS])
    pairs = [loader.load(ASSESSMENTS / n)[:2] for n in ("desk-2023.toml", "other-2024.toml")]
    with pytest.raises(CompareError) as caught:
        compare(pairs)
    assert caught.value.reason == "checklist"
    assert len(compare(pairs, force=True).entries) == 2


def test_a_different_organization_is_refused_but_case_and_spacing_do_not_count() -> None:
    pairs = load("desk-2023.toml", "desk-2024.toml")
    other, checklist = pairs[1]
    renamed = Assessment(
        other.checklist,
        other.checklist_version,
        other.title,
        other.date,
        Organization("Another Desk", "ngo"),
        answers=other.answers,
    )
    with pytest.raises(CompareError) as caught:
        compare([pairs[0], (renamed, checklist)])
    assert caught.value.reason == "organization"
    # desk-2025 spells the name "beirut  migrant desk": the same organization.
    assert len(compare(load("desk-2023.toml", "desk-2025.toml")).entries) == 2


def test_the_loader_reads_each_checklist_version_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import readiness.loading as module

    calls: list[Path] = []
    real = module.load_checklist

    def counting(path: Path) -> Checklist:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(module, "load_checklist", counting)
    load(*DESK)
    assert sorted(p.name for p in calls) == ["cmp-v1.toml", "cmp-v2.toml"]


# --------------------------------------------------------------------------- renderers


def test_json_has_the_documented_keys_and_rounded_numbers(desk: Comparison) -> None:
    data = comparison_data(desk)
    assert [a["date"] for a in data["assessments"]] == ["2023-03-01", "2024-03-01", "2025-03-01"]
    first = data["assessments"][0]
    assert {"path", "date", "title", "overall", "coverage"} <= set(first)
    assert first["overall"] == 49.2 and first["coverage"] == 0.889
    assert data["overall"] == {"scores": [49.2, 56.7, 55.0], "delta": 5.8, "steps": [7.5, -1.7]}
    phase = data["phases"][0]
    assert (phase["id"], phase["title"], phase["scores"], phase["delta"]) == (
        "pre-crisis",
        "Pre-crisis",
        [35.0, 45.0, 55.0],
        20.0,
    )
    assert phase["sections"][0] == {
        "id": "pre-plans",
        "title": "Plans",
        "scores": [16.7, 33.3, 66.7],
        "delta": 50.0,
        "steps": [16.6, 33.4],
    }
    items = {i["item"]: i for i in data["items"]}
    assert items["drill"]["levels"] == ["unknown", "unknown", 2]
    assert items["shelter"]["levels"] == [None, 2, 3]
    assert items["lessons"]["change"] == "became-n-a"
    assert data["versions"] == [
        {"from": "1.0.0", "to": "2.0.0", "added": ["sms-alerts"], "removed": ["old-radio"]}
    ]
    assert data["shared"]["delta"] == 9.6
    json.dumps(data)  # serialisable as it is


def test_csv_is_the_per_item_table_with_formula_cells_guarded(desk: Comparison) -> None:
    rows = list(csv.DictReader(io.StringIO(comparison_csv(desk))))
    assert [r["item"] for r in rows][:3] == ["plan", "drill", "contacts"]
    drill = rows[1]
    assert (drill["level 2023-03-01"], drill["level 2025-03-01"], drill["change"]) == (
        "unknown",
        "2",
        "improved",
    )
    assert rows[5]["level 2023-03-01"] == ""  # shelter: no level
    for formula in ("=1+1", "+A1", "-2", "@SUM(A1)"):
        assert csv_cell(formula) == "'" + formula
    assert csv_cell("n/a") == "n/a"


def test_markdown_is_a_progress_report_with_a_table_per_phase(desk: Comparison) -> None:
    text = comparison_markdown(desk)
    assert text.startswith("## Progress report: beirut migrant desk\n")
    assert "| **Overall** | 49.2 | 56.7 | 55.0 | +5.8 |" in text
    assert "| Pre-crisis | 35.0 | 45.0 | 55.0 | +20.0 |" in text
    assert "### Post-crisis" in text and "| Learning | 37.5 | 37.5 | 25.0 | -12.5 |" in text
    assert "Have you tested the plan in a drill? \\[x\\] yes" in text


def test_sparkline_spans_zero_to_one_hundred() -> None:
    assert sparkline([0.0, 50.0, 100.0, None]) == "▁▅█ "


def test_rich_output_shows_checklist_text_literally(desk: Comparison) -> None:
    from rich.console import Console

    console = Console(record=True, width=120, file=io.StringIO(), color_system=None)
    render_comparison(console, desk)
    text = console.export_text()
    assert "Self-assessment 2025 [draft]" in text  # not eaten as markup
    assert "[x] yes" in text
    assert "+5.8" in text and "stuck gaps" in text


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    from readiness.cli_compare import compare as compare_command
    from readiness.cli_compare import history as history_command

    monkeypatch.setenv("READINESS_CHECKLISTS", str(CHECKLISTS))
    app = typer.Typer()
    app.command("compare")(compare_command)
    app.command("history")(history_command)
    return app


def run(app: typer.Typer, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def paths(*names: str) -> list[str]:
    return [str(ASSESSMENTS / n) for n in names]


def test_cli_json_output_parses_and_keeps_stdout_clean(cli: typer.Typer) -> None:
    code, out, err = run(cli, "compare", *paths(*DESK), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["overall"]["delta"] == 5.8
    assert "evac-fund" in err  # the warning goes to stderr


def test_cli_csv_output_parses(cli: typer.Typer) -> None:
    code, out, _ = run(cli, "compare", *paths("desk-2023.toml", "desk-2025.toml"), "-f", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["item"]: r["change"] for r in rows}["debrief"] == "stuck-gap"


def test_cli_writes_markdown_to_a_file(cli: typer.Typer, tmp_path: Path) -> None:
    target = tmp_path / "progress.md"
    code, out, _ = run(cli, "compare", *paths(*DESK), "-f", "markdown", "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("## Progress report")


def test_cli_refuses_another_role_with_exit_2_unless_forced(cli: typer.Typer) -> None:
    code, out, err = run(cli, "compare", *paths("desk-2025.toml", "ministry-2024.toml"))
    assert code == 2 and out == ""
    assert "different roles" in err
    code, _, _ = run(cli, "compare", *paths("desk-2025.toml", "ministry-2024.toml"), "--force")
    assert code == 0


def test_cli_refuses_another_checklist_with_exit_2(cli: typer.Typer) -> None:
    code, _, err = run(cli, "compare", *paths("desk-2025.toml", "other-2024.toml"))
    assert code == 2 and "different checklists" in err


def test_cli_needs_two_files(cli: typer.Typer) -> None:
    code, _, err = run(cli, "compare", *paths("desk-2025.toml"))
    assert code == 2 and "at least two" in err


def test_cli_reports_a_broken_file_with_exit_2(cli: typer.Typer, tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("format = \n", encoding="utf-8")
    code, _, err = run(cli, "compare", *paths("desk-2025.toml"), str(broken))
    assert code == 2 and "TOML syntax error" in err


def test_cli_reports_every_broken_file_not_only_the_first(cli: typer.Typer, tmp_path: Path) -> None:
    syntax = tmp_path / "syntax.toml"
    syntax.write_text("format = \n", encoding="utf-8")
    level = tmp_path / "level.toml"
    text = (ASSESSMENTS / "desk-2025.toml").read_text(encoding="utf-8")
    level.write_text(text.replace("level = ", 'level = "high" # ', 1), encoding="utf-8")
    code, out, err = run(cli, "compare", str(syntax), *paths("desk-2025.toml"), str(level))
    assert code == 2 and out == ""
    assert f"{syntax}:1" in err and "TOML syntax error" in err
    assert f"{level}:" in err and ".level" in err
    assert "Traceback" not in err


def test_cli_with_checklist_scores_everything_against_that_file(cli: typer.Typer) -> None:
    args = [*paths("desk-2023.toml", "desk-2025.toml"), "-c", str(CHECKLISTS / "cmp-v2.toml")]
    code, out, _ = run(cli, "compare", *args, "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["versions"] == []  # one checklist: nothing added or removed
    # 2023 scored on 2.0.0: old-radio's answer is orphaned, sms-alerts unanswered.
    assert {i["item"]: i["change"] for i in data["items"]}["old-radio"] == "orphaned"


def test_readiness_compare_runs_as_a_real_process(tmp_path: Path) -> None:
    for name in DESK:
        shutil.copy(ASSESSMENTS / name, tmp_path / name)
    exe = Path(sys.executable).parent / "readiness"  # the installed entry point
    command = [str(exe), "compare", *DESK, "--format", "json"]
    env = {**os.environ, "READINESS_CHECKLISTS": str(CHECKLISTS), "NO_COLOR": "1"}
    done = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["overall"]["scores"] == [49.2, 56.7, 55.0]
