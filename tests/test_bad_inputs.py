"""The bad-input corpus (tests/data/bad/, one file per failure kind) through the real CLI.

Every bad file must give exit code 2, one message naming the file and the place in it (a
line, or a key path such as ``answers.hotline.level``), no traceback, and commands that
write (``plan -o``, ``trace -o``) must leave an existing output file as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from readiness.cli import app
from readiness.loading import MAX_FILE_BYTES

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"
MINI = DATA / "mini-checklist.toml"
READINESS = Path(sys.executable).parent / "readiness"
runner = CliRunner()

# file -> where its problem must be named: a line number or a key path / phrase.
ASSESSMENTS: dict[str, int | str] = {
    "assessment-syntax-error.toml": 5,
    "assessment-duplicate-table.toml": 39,
    "assessment-wrong-type.toml": "answers.hotline.level",
    "assessment-wrong-type-table.toml": "answers",
    "assessment-missing-key.toml": "missing required key 'title'",
    "assessment-unknown-role.toml": "organization.role",
    "assessment-unknown-checklist.toml": "checklist",
    "assessment-out-of-scale.toml": "answers.hotline.level",
    "assessment-negative-level.toml": "answers.hotline.level",
    "assessment-string-date.toml": "date",
    "assessment-string-due.toml": "answers.plan-written.due",
    "assessment-bad-enum.toml": "answers.hotline.confidence",
    "assessment-bad-item-id.toml": "answers",
    "assessment-wrong-format-tag.toml": "format",
    "assessment-no-format-tag.toml": "format",
    "assessment-date-as-text.toml": 5,  # a fuzzing find: dates passed the schema as text
}
CHECKLISTS: dict[str, int | str] = {
    "checklist-syntax-error.toml": 6,
    "checklist-duplicate-ids.toml": "items[1].id",
    "checklist-unknown-section.toml": "items[0].section",
    "checklist-unknown-source.toml": "items[3].refs[0].source",
    "checklist-unknown-key.toml": "items[1]",
    "checklist-wrong-type.toml": "items[3].weight",
    "checklist-missing-key.toml": "missing required key 'items'",
    "checklist-bad-target.toml": "scale.target",
    "checklist-dependency-cycle.toml": "items[0].depends_on",
    "checklist-wrong-format-tag.toml": "format",
    "checklist-date-as-id.toml": "phases[1].id",  # a fuzzing find: crashed with TypeError
}
ANY_KIND: dict[str, int | str] = {
    "empty.toml": "file is empty",
    "whitespace-only.toml": "file is empty",
    "binary.toml": "binary file",
    "non-utf8.toml": 10,
    "deeply-nested.toml": "nested too deeply",
}
# Commands that read one assessment, with the checklist named explicitly.
ASSESSMENT_COMMANDS = (["score"], ["gaps"], ["gaps", "--format", "csv"], ["plan"])
CHECKLIST_COMMANDS = (["show"], ["trace"])


def flat(text: str) -> str:
    """Rich wraps long lines at the console width; compare on single-spaced text."""
    return " ".join(text.split())


def invoke(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "is a assessment" not in output  # regression: the article was wrong
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, flat(result.stderr)


def assert_named(err: str, name: str, place: int | str) -> None:
    where = f"bad/{name}"
    assert where in err, err
    if isinstance(place, int):
        assert f"{where}:{place}:" in err, err
    else:
        assert place in err, err


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The corpus copied to a temp folder that is the working directory (short paths)."""
    shutil.copytree(BAD, tmp_path / "bad")
    shutil.copy(MINI, tmp_path / "mini.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def existing_output(corpus: Path) -> Path:
    out = corpus / "out.md"
    out.write_text("# a file the user already had\n", encoding="utf-8")
    return out


def test_the_corpus_has_one_file_per_failure_kind_and_every_file_is_listed() -> None:
    listed = set(ASSESSMENTS) | set(CHECKLISTS) | set(ANY_KIND)
    assert listed == {p.name for p in BAD.iterdir()}
    assert len(listed) >= 30


@pytest.mark.parametrize(("name", "place"), sorted(ASSESSMENTS.items()))
def test_validate_names_file_and_place_of_each_bad_assessment(
    corpus: Path, name: str, place: int | str
) -> None:
    code, err = invoke("validate", f"bad/{name}", "--checklist", "mini.toml")
    assert code == 2
    assert_named(err, name, place)


@pytest.mark.parametrize(("name", "place"), sorted(CHECKLISTS.items()))
def test_validate_names_file_and_place_of_each_bad_checklist(
    corpus: Path, name: str, place: int | str
) -> None:
    code, err = invoke("validate", f"bad/{name}")
    assert code == 2
    # validate takes the file for what its format tag says: an assessment missing keys.
    wrong_tag = name == "checklist-wrong-format-tag.toml"
    assert_named(err, name, "missing required key 'checklist'" if wrong_tag else place)


@pytest.mark.parametrize(("name", "place"), sorted(ANY_KIND.items()))
def test_validate_names_file_and_place_of_each_unreadable_file(
    corpus: Path, name: str, place: int | str
) -> None:
    code, err = invoke("validate", f"bad/{name}")
    assert code == 2
    assert_named(err, name, place)


@pytest.mark.parametrize("command", ASSESSMENT_COMMANDS, ids=" ".join)
@pytest.mark.parametrize(
    ("name", "place"), sorted({**ASSESSMENTS, **ANY_KIND}.items()), ids=lambda v: str(v)
)
def test_commands_reading_an_assessment_refuse_each_bad_one_with_exit_2(
    corpus: Path, command: list[str], name: str, place: int | str
) -> None:
    code, err = invoke(*command, f"bad/{name}", "--checklist", "mini.toml")
    assert code == 2
    assert_named(err, name, place)


@pytest.mark.parametrize("command", CHECKLIST_COMMANDS, ids=" ".join)
@pytest.mark.parametrize(
    ("name", "place"), sorted({**CHECKLISTS, **ANY_KIND}.items()), ids=lambda v: str(v)
)
def test_commands_reading_a_checklist_refuse_each_bad_one_with_exit_2(
    corpus: Path, command: list[str], name: str, place: int | str
) -> None:
    code, err = invoke(*command, f"bad/{name}")
    assert code == 2
    assert_named(err, name, place)


@pytest.mark.parametrize("name", sorted({**ASSESSMENTS, **ANY_KIND}))
def test_plan_with_output_leaves_the_existing_file_unchanged_on_bad_input(
    existing_output: Path, name: str
) -> None:
    before = existing_output.read_bytes()
    code, _ = invoke("plan", f"bad/{name}", "--checklist", "mini.toml", "-o", existing_output)
    assert code == 2
    assert existing_output.read_bytes() == before
    assert not list(existing_output.parent.glob(".*.tmp"))


@pytest.mark.parametrize("name", sorted({**CHECKLISTS, **ANY_KIND}))
def test_trace_with_output_leaves_the_existing_file_unchanged_on_bad_input(
    existing_output: Path, name: str
) -> None:
    before = existing_output.read_bytes()
    code, _ = invoke("trace", f"bad/{name}", "-o", existing_output)
    assert code == 2
    assert existing_output.read_bytes() == before


def test_a_bad_checklist_named_for_an_assessment_is_reported_with_its_own_place(
    corpus: Path,
) -> None:
    assessment = DATA / "mini-assessment.toml"
    code, err = invoke("score", assessment, "--checklist", "bad/checklist-wrong-type.toml")
    assert code == 2
    assert_named(err, "checklist-wrong-type.toml", "items[3].weight")


def test_validate_reports_every_bad_file_of_a_folder_in_one_run(corpus: Path) -> None:
    names = sorted(ANY_KIND) + sorted(CHECKLISTS)
    code, err = invoke("validate", *(f"bad/{n}" for n in names))
    assert code == 2
    for name in names:
        assert f"bad/{name}" in err


def test_a_missing_path_and_a_directory_are_named_with_exit_2(corpus: Path) -> None:
    code, err = invoke("validate", "bad/no-such-file.toml", "bad")
    assert code == 2
    assert "bad/no-such-file.toml: no such file" in err
    assert "bad: is a directory" in err
    code, err = invoke("score", "bad", "--checklist", "mini.toml")
    assert code == 2
    assert "is a directory" in err


# --------------------------------------------------------------------------- resource limits


def huge_file(folder: Path, size: int) -> Path:
    """A sparse file just over the limit: costs no disk, and must be refused unread."""
    path = folder / "huge.toml"
    with path.open("wb") as handle:
        handle.write(b'format = "readiness-assessment/1"\n# ')
        handle.truncate(size)
    return path


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(corpus: Path) -> None:
    path = huge_file(corpus, MAX_FILE_BYTES + 1)
    for command in (["validate"], ["score", "--checklist", "mini.toml"], ["show"]):
        code, err = invoke(*command[:1], path.name, *command[1:])
        assert code == 2
        assert "huge.toml: file is 16.0 MiB; files over 16 MiB are refused" in err


def test_a_file_exactly_at_the_size_limit_is_read(corpus: Path) -> None:
    path = huge_file(corpus, MAX_FILE_BYTES)
    code, err = invoke("validate", path.name)
    assert code == 2
    assert "refused" not in err  # read and parsed: it is a NUL-padded, i.e. binary, file
    assert "binary" in err


# --------------------------------------------------------------------------- real processes


def run_readiness(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [str(READINESS), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_real_process_reports_each_bad_file_of_the_corpus_without_traceback(
    corpus: Path,
) -> None:
    names = sorted(ASSESSMENTS)
    result = run_readiness("validate", *(f"bad/{n}" for n in names), "-c", "mini.toml", cwd=corpus)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    err = flat(result.stderr)
    for name, place in ASSESSMENTS.items():
        assert_named(err, name, place)


@pytest.mark.parametrize(
    "args",
    [
        ("score", "bad/assessment-string-date.toml", "-c", "mini.toml"),
        ("plan", "bad/binary.toml", "-c", "mini.toml", "-o", "out.md"),
        ("trace", "bad/deeply-nested.toml", "-o", "out.md"),
        ("show", "bad/non-utf8.toml"),
    ],
    ids=lambda a: a[0],
)
def test_a_real_process_exits_2_and_writes_nothing_on_bad_input(
    existing_output: Path, args: tuple[str, ...]
) -> None:
    before = existing_output.read_bytes()
    result = run_readiness(*args, cwd=existing_output.parent)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{args[1]}" in flat(result.stderr)
    assert existing_output.read_bytes() == before
