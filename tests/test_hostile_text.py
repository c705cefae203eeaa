"""Hostile text in notes and checklist prompts is shown literally, never acted on.

Rich markup, ANSI escape sequences, control characters, right-to-left and very long text
go into a checklist's prompts and an assessment's notes, names and owners; ``score``,
``gaps`` and ``show`` (Rich), ``plan`` and ``gaps --format markdown`` (Markdown) and
``gaps --format csv`` must show them as text: markup brackets printed, escapes and
control characters removed, bidi overrides made visible, and no CSV cell that a
spreadsheet would run as a formula. (The TUI side is tested with the TUI.)
"""

from __future__ import annotations

import copy
import csv
import io
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from typer.testing import CliRunner

from readiness.cli import app
from readiness.report.tabular import csv_cell

DATA = Path(__file__).parent / "data"
runner = CliRunner()

MARKUP = "[bold]loud[/bold] [/] [link=http://evil.example]click[/link] [red"
MD_LINK = "[click me](http://evil.example) <script>alert(1)</script> | cell | `code`"
ANSI = "\x1b[31mred\x1b[0m \x1b]8;;http://evil.example\x07osc-link\x1b]8;;\x07 \x1b[2J"
CONTROL = "bell\x07 back\x08space del\x7f csi\x9b end"
RTL = "مساعدة \u202egnirts desrever\u202c עזרה"
LONG = "very long text " * 700
FORMULAS = ('=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1:A9)")
TERMINAL_ACTIONS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def write_toml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(tomli_w.dumps(data, multiline_strings=False), encoding="utf-8")
    return path


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    checklist = tomllib.loads((DATA / "mini-checklist.toml").read_text(encoding="utf-8"))
    checklist = copy.deepcopy(checklist)
    prompts = {
        "plan-written": f"{FORMULAS[0]} {MARKUP}",
        "plan-tested": f"{FORMULAS[1]} {ANSI} {CONTROL}",
        "partners-listed": f"{FORMULAS[2]} {RTL} {MD_LINK}",
        "lessons": LONG,
    }
    for item in checklist["items"]:
        item["prompt"] = prompts.get(item["id"], item["prompt"])
        item["guidance"] = f"{MARKUP} {ANSI}"
    checklist["sections"][0]["title"] = f"Plans {MARKUP}"
    assessment = tomllib.loads((DATA / "mini-assessment.toml").read_text(encoding="utf-8"))
    assessment["organization"]["name"] = f"Desk [bold]x[/bold] {ANSI}"
    assessment["title"] = f"Review {MARKUP} {RTL}"
    answer = assessment["answers"]["plan-written"]
    answer.update(note=f"{MARKUP} {ANSI} {MD_LINK}", action=f"{CONTROL} {RTL}")
    answer.update(owner=FORMULAS[3], evidence=LONG)
    assessment["answers"]["plan-tested"].update(owner=FORMULAS[0], note=LONG)
    return (
        write_toml(tmp_path / "hostile-checklist.toml", checklist),
        write_toml(tmp_path / "hostile-assessment.toml", assessment),
    )


def run(*args: str | Path) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_nothing_a_terminal_acts_on(text: str) -> None:
    found = TERMINAL_ACTIONS.findall(text)
    assert not found, f"control characters in the output: {found[:5]}"


@pytest.mark.parametrize(
    "command",
    [["score"], ["score", "--by-tag"], ["gaps"]],
    ids=" ".join,
)
def test_rich_output_of_an_assessment_shows_hostile_text_literally(
    hostile: tuple[Path, Path], command: list[str]
) -> None:
    checklist, assessment = hostile
    out = run(*command, assessment, "--checklist", checklist)
    assert_nothing_a_terminal_acts_on(out)
    text = flat(out)
    if command[0] == "score":
        assert "Desk [bold]x[/bold]" in text
    else:
        assert "[bold]loud[/bold]" in text
        assert "[/]" in text
        assert "red" in text and "\x1b" not in out


@pytest.mark.parametrize("width", [50, 200], ids=["list", "table"])
def test_gaps_show_hostile_prompts_literally_as_a_list_and_as_a_table(
    hostile: tuple[Path, Path], width: int
) -> None:
    # Narrow terminals get the gaps as a list, wide ones as a table: both must show the
    # text as text.
    import io

    from rich.console import Console

    from readiness.loading import load_pair
    from readiness.report.terminal import render_gaps
    from readiness.scoring import gaps, score

    checklist, assessment = hostile
    answers, found_checklist, _ = load_pair(assessment, checklist)
    found = gaps(answers, found_checklist, score(answers, found_checklist))
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, markup=False, emoji=False)
    render_gaps(console, found_checklist, found, len(found))
    out = buffer.getvalue()
    assert ("Prio" in out) is (width == 200)  # the layout this case is about
    assert_nothing_a_terminal_acts_on(out)
    text = flat(out)
    assert "[bold]loud[/bold]" in text and "[/]" in text
    assert "[link=http://evil.example]click[/link]" in text


def test_show_prints_hostile_prompts_and_titles_literally(hostile: tuple[Path, Path]) -> None:
    checklist, _ = hostile
    out = run("show", checklist)
    assert_nothing_a_terminal_acts_on(out)
    text = flat(out)
    assert "[bold]loud[/bold]" in text
    assert "[link=http://evil.example]click[/link]" in text
    assert "مساعدة" in text and "עזרה" in text
    assert "\ufffd" in text  # the right-to-left override made visible, not obeyed
    assert text.count("very long text") > 100  # long text is shown, not dropped


@pytest.mark.parametrize("command", [["plan"], ["gaps", "--format", "markdown"]], ids=" ".join)
def test_markdown_exports_escape_hostile_text(
    hostile: tuple[Path, Path], command: list[str]
) -> None:
    checklist, assessment = hostile
    out = run(*command, assessment, "--checklist", checklist)
    assert_nothing_a_terminal_acts_on(out)
    assert "[bold]loud" not in out  # would be a link reference or raw markup
    assert r"\[bold\]loud\[/bold\]" in out
    assert "<script>" not in out
    assert not re.search(r"(?<!\\)\]\(http", out)  # no live link: the ']' is escaped
    # Table rows keep their column count: a '|' in text cannot add a cell.
    for table in re.findall(r"(?:^\|.*\n)+", out, flags=re.MULTILINE):
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in table.splitlines()}
        assert len(widths) == 1, table


def test_plan_keeps_notes_and_actions_but_shows_them_as_text(
    hostile: tuple[Path, Path],
) -> None:
    checklist, assessment = hostile
    out = run("plan", assessment, "--checklist", checklist)
    assert_nothing_a_terminal_acts_on(out)
    assert r"- Note: \[bold\]loud\[/bold\]" in out
    assert "red" in out and "osc-link" in out  # the text of escape sequences is kept
    assert "עזרה" in out  # the planned action's right-to-left text survives intact


def test_csv_export_neutralises_formulas_and_control_characters(
    hostile: tuple[Path, Path],
) -> None:
    checklist, assessment = hostile
    out = run("gaps", assessment, "--checklist", checklist, "--format", "csv")
    assert_nothing_a_terminal_acts_on(out.replace("\n", " "))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows
    text_columns = ("item", "phase", "section", "prompt", "owner", "status", "blocked_by")
    for row in rows:
        for column in text_columns:
            assert not (row[column] or "").startswith(("=", "+", "-", "@")), row[column]
    prompts = {row["item"]: row["prompt"] for row in rows}
    assert prompts["plan-written"].startswith("'=HYPERLINK(")
    assert prompts["plan-tested"].startswith("'+1+1")
    assert prompts["partners-listed"].startswith("'-2+3")
    owners = {row["item"]: row["owner"] for row in rows}
    assert owners["plan-written"] == "'@SUM(A1:A9)"


@pytest.mark.parametrize("formula", [*FORMULAS, "\t=1+1", "\r=1+1", " =1+1"])
def test_every_formula_start_is_neutralised_in_a_csv_cell(formula: str) -> None:
    cell = csv_cell(formula)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_numbers_stay_numbers_in_csv_even_when_negative() -> None:
    assert csv_cell(-2) == "-2"
    assert csv_cell(1.5) == "1.5"


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("short", 10, "short"),
        ("exactly ten", 11, "exactly ten"),
        ("a little too long", 10, "a little…"),
        ("避難計画と連絡先の一覧を毎年見直していますか", 20, "避難計画と連絡先の…"),  # 2 cells each
        ("مساعدة \u202eمساعدة\u202c", 20, "مساعدة \ufffdمساعدة\ufffd"),
    ],
    ids=["short", "exact", "cut", "wide-characters", "right-to-left"],
)
def test_shortened_text_fits_its_width_in_terminal_cells(
    text: str, width: int, expected: str
) -> None:
    from rich.cells import cell_len

    from readiness.textsafe import shorten

    short = shorten(text, width)
    assert short == expected
    assert cell_len(short) <= width
