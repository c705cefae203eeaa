"""Start-up cost guards: what a fresh interpreter imports for each kind of command.

Textual is imported only by the commands that open the terminal UI, and jsonschema only
when a file fails the fast schema check (its messages come from jsonschema). Each case
runs in a new interpreter, since the test process itself has imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MINI = str(DATA / "mini-checklist.toml")
ASSESSMENT = str(DATA / "mini-assessment.toml")
HEAVY = ("textual", "jsonschema")

RUN_CLI = """
import json, sys
from readiness.entry import main
sys.argv = ["readiness", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
loaded = [name for name in {heavy!r} if name in sys.modules]
sys.stdout.write("\\nLOADED=" + json.dumps(loaded) + "\\n")
"""


def loaded_after(*args: str, tmp_path: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", RUN_CLI.format(heavy=HEAVY), json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        env={"PATH": "", "READINESS_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"},
    )
    assert "Traceback" not in result.stderr, result.stderr
    marker = [line for line in result.stdout.splitlines() if line.startswith("LOADED=")]
    assert marker, result.stdout + result.stderr
    loaded: list[str] = json.loads(marker[-1].removeprefix("LOADED="))
    return loaded


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("score", "--help")])
def test_help_and_version_import_neither_textual_nor_jsonschema(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    assert loaded_after(*args, tmp_path=tmp_path) == []


def test_importing_the_core_modules_imports_neither_textual_nor_jsonschema() -> None:
    code = (
        "import sys, readiness.cli, readiness.loading, readiness.scoring, readiness.storage, "
        "readiness.validation; "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "args",
    [
        ("score", ASSESSMENT, "-c", MINI),
        ("gaps", ASSESSMENT, "-c", MINI, "--format", "csv"),
        ("plan", ASSESSMENT, "-c", MINI),
        ("show", MINI),
        ("trace", MINI),
        ("validate", MINI, ASSESSMENT),
        ("checklists",),
    ],
    ids=lambda a: a[0],
)
def test_non_tui_commands_on_valid_files_never_import_textual_or_jsonschema(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    # jsonschema here would mean the fast schema check no longer covers our schemas:
    # every command would pay ~60 ms more (see docs/performance.md).
    assert loaded_after(*args, tmp_path=tmp_path) == []


def test_a_schema_violation_still_gets_jsonschemas_message_without_textual(
    tmp_path: Path,
) -> None:
    bad = DATA / "bad" / "assessment-bad-enum.toml"
    assert loaded_after("validate", str(bad), "-c", MINI, tmp_path=tmp_path) == ["jsonschema"]
