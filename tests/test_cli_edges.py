"""Where the CLI meets the operating system: output files that are inputs, folders, devices
or pipes; a reader that stops early; a full disk; a terminal without UTF-8; pipes and devices
given as input; Ctrl-C while workers run; damaged cache entries. Each must end with one clear
line and the right exit code, and never harm a file."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from readiness.cli import app

ROOT = Path(__file__).parent.parent
READINESS = Path(sys.executable).parent / "readiness"
EXAMPLES = sorted((ROOT / "assessments").glob("*.toml"))
runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def real(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(READINESS), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "desk.toml"
    shutil.copy(EXAMPLES[0], target)
    return target


# --------------------------------------------------------------------------- --output


@pytest.mark.parametrize("command", ["plan", "compare"])
def test_an_output_file_that_is_an_input_is_refused_and_left_alone(
    command: str, example: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.toml"
    shutil.copy(EXAMPLES[1], other)
    before = example.read_bytes()
    inputs = [example] if command == "plan" else [other, example]
    code, _, err = run(command, *inputs, "-o", example)
    assert code == 2
    assert f"{example}: is one of the files read" in err
    assert example.read_bytes() == before
    assert not (tmp_path / "desk.toml.bak").exists()


def test_trace_refuses_to_write_over_its_checklist(tmp_path: Path) -> None:
    checklist = tmp_path / "list.toml"
    shutil.copy(ROOT / "checklists" / "migrants-in-crisis.toml", checklist)
    before = checklist.read_bytes()
    code, _, err = run("trace", checklist, "-o", checklist)
    assert code == 2 and "is one of the files read" in err
    assert checklist.read_bytes() == before


@pytest.mark.parametrize(
    ("where", "says"),
    [("folder", "is a folder"), ("missing/plan.md", "cannot write: No such file or directory")],
)
def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(
    where: str, says: str, example: Path, tmp_path: Path
) -> None:
    (tmp_path / "folder").mkdir()
    out = tmp_path / where
    code, _, err = run("plan", example, "-o", out)
    assert code == 2
    assert err.strip() == f"error: {out}: {says}" or f"{out}: {says}" in err
    assert len(err.strip().splitlines()) == 1


def test_an_output_that_is_a_pipe_is_written_into_not_replaced(
    example: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, _, _ = run("plan", example, "-o", fifo)
    reader.join(timeout=10)
    assert code == 0
    assert received and received[0].startswith(b"# Readiness plan")
    assert fifo.is_fifo()  # still the pipe, not a regular file put in its place


# --------------------------------------------------------------------------- stdout


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; '{READINESS}' show migrants-in-crisis | head -1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout.strip().startswith("Protecting migrants")
    assert done.stderr == ""  # no traceback, no "Broken pipe" message
    # Ended by SIGPIPE, as cat or grep are (128 + 13), not exit 1 ("a check failed").
    assert done.returncode == 128 + signal.SIGPIPE


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_on_stdout_is_one_line_and_exit_2(example: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [str(READINESS), "plan", str(example)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr.strip() == "error: cannot write the output: No space left on device"


def test_a_closed_stdout_is_one_line_and_exit_2(example: Path) -> None:
    done = subprocess.run(
        f"'{READINESS}' score '{example}' >&-",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "standard output is closed" in done.stderr and "Traceback" not in done.stderr


def test_a_terminal_without_utf8_gets_text_and_json_stays_utf8(example: Path) -> None:
    example.write_text(
        example.read_text(encoding="utf-8").replace("Beirut Migrant Desk", "Bé"), "utf-8"
    )
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    text = real("score", example, env=env)
    assert text.returncode == 0 and "Traceback" not in text.stderr
    assert "B? " in text.stdout  # what the terminal cannot show becomes "?"
    raw = subprocess.run(
        [str(READINESS), "score", str(example), "-f", "json"],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert raw.returncode == 0
    import json

    assert json.loads(raw.stdout.decode("utf-8"))["assessment"]["organization"]["name"] == "Bé"


# --------------------------------------------------------------------------- input


def test_a_pipe_given_as_a_file_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.toml"
    os.mkfifo(fifo)
    done = real("validate", fifo)  # would wait for a writer for ever if it were opened
    assert done.returncode == 2
    assert f"{fifo}: is not a regular file" in done.stderr


def test_a_file_starting_with_a_byte_order_mark_is_read(example: Path) -> None:
    example.write_bytes(b"\xef\xbb\xbf" + example.read_bytes())
    code, _, err = run("validate", example)
    assert code == 0, err


def test_a_damaged_cache_entry_is_never_trusted(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import marshal

    cache = tmp_path / "cache"
    monkeypatch.setenv("READINESS_CACHE_DIR", str(cache))
    code, expected, _ = run("score", example, "-f", "json")
    assert code == 0
    entries = sorted(cache.glob("*/*.marshal"))
    assert len(entries) == 2  # the assessment and its checklist
    for entry in entries:
        # Damage that still reads as valid data: every answered level in the entry moved
        # by one, behind the digest of the original bytes.
        digest, payload = entry.read_bytes()[:16], entry.read_bytes()[16:]
        data, dates = marshal.loads(payload)
        for answer in data.get("answers", {}).values():
            if isinstance(answer.get("level"), int):
                answer["level"] = 3 - answer["level"] if answer["level"] <= 3 else 0
        entry.write_bytes(digest + marshal.dumps((data, dates)))
    code, again, _ = run("score", example, "-f", "json")
    assert code == 0
    assert again == expected


def test_escape_sequences_from_a_file_never_reach_the_terminal(
    example: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.toml"
    text = EXAMPLES[1].read_text(encoding="utf-8")
    name = text.split('name = "', 1)[1].split('"', 1)[0]
    other.write_text(text.replace(name, "Evil \\u001b]0;pwned\\u0007\\u001b[2J Org"), "utf-8")
    code, _, err = run("compare", example, other)
    assert code == 2 and "different organizations" in err
    assert "\x1b" not in err and "\x07" not in err


# --------------------------------------------------------------------------- Ctrl-C


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups (POSIX)")
def test_ctrl_c_while_workers_read_ends_everything_cleanly(tmp_path: Path) -> None:
    many = tmp_path / "many"
    many.mkdir()
    text = EXAMPLES[0].read_text(encoding="utf-8")
    for n in range(300):  # enough for worker processes (from 200 files)
        (many / f"a{n:03}.toml").write_text(text.replace("Beirut", f"Beirut {n}"), "utf-8")
    cache = tmp_path / "cache"
    env = {**os.environ, "READINESS_CACHE_DIR": str(cache)}
    # During start-up (imports), while workers read, and late: a clean end whenever it lands.
    for delay in (0.25, 0.5, 0.8, 1.2):
        shutil.rmtree(cache, ignore_errors=True)
        process = subprocess.Popen(
            [str(READINESS), "validate", *sorted(many.glob("*.toml"))],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
        _, err = process.communicate(timeout=30)
        # 130 as Typer ends on Ctrl-C; -SIGINT only if it lands after the work is done, while
        # Python shuts down (it restores the default handler then): also silent.
        assert process.returncode in (0, 130, -signal.SIGINT), err
        assert err == "" or process.returncode == 0, err
        assert "Traceback" not in err
        time.sleep(0.2)
        group = subprocess.run(
            ["pgrep", "-g", str(process.pid)], capture_output=True, text=True, check=False
        )
        assert group.stdout.split() == [], "a worker outlived the command"
        assert list(cache.glob("*/.*.tmp")) == []


# --------------------------------------------------------------------------- small contracts


def test_fail_under_compares_the_score_as_shown(example: Path) -> None:
    from readiness.loading import load_pair
    from readiness.scoring import score

    overall = score(*load_pair(example)[:2]).overall
    assert overall is not None
    shown = round(overall, 1)
    # A threshold between the exact score and the shown one: the shown one decides.
    threshold = (overall + shown) / 2 if overall != shown else shown + 0.04
    code, _, _ = run("score", example, "--fail-under", f"{threshold:.4f}")
    assert code == (1 if shown < round(threshold, 4) else 0)
    for bad in ("nan", "150", "-1"):
        code, _, _ = run("score", example, "--fail-under", bad)
        assert code == 2, bad


@pytest.mark.parametrize("columns", ["40", "99999999999"])
def test_odd_terminal_widths_still_show_every_name_and_number(
    columns: str, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    code, out, _ = run("score", example)
    assert code == 0
    assert "Pre-crisis" in out and "42.1" in out
    assert max(len(line) for line in out.splitlines()) <= 1000


def test_usage_lines_name_the_arguments_in_capitals() -> None:
    for command, name in (("score", "ASSESSMENT"), ("validate", "FILES"), ("history", "FOLDER")):
        _, out, _ = run(command, "--help")
        usage = next(line for line in out.splitlines() if line.strip().startswith("Usage:"))
        assert name in usage, usage


def test_a_file_named_twice_is_compared_once_with_a_warning(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("compare", example, f"./{example.name}")
    assert code == 2
    assert "desk.toml is given more than once" in err
    assert "at least two different assessment files" in err
    later = tmp_path / "later.toml"
    shutil.copy(EXAMPLES[1], later)
    code, out, err = run("compare", example, later, example, "--format", "json", "--force")
    assert code == 0, err
    assert err.count("given more than once") == 1
    assert len(json.loads(out)["assessments"]) == 2


def test_checklists_at_80_columns_shows_each_id_whole_and_why_a_file_is_not_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("READINESS_CHECKLISTS", raising=False)
    (tmp_path / "checklists").mkdir()
    shutil.copy(EXAMPLES[0], tmp_path / "checklists" / "desk.toml")  # an assessment
    code, out, _ = run("checklists")
    assert code == 0
    assert "migrants-in-crisis " in out  # the id `readiness show ID` takes, never cut
    monkeypatch.setenv("COLUMNS", "200")  # no cell wraps
    code, out, _ = run("checklists")
    assert "format: is an assessment file; expected a checklist" in out
    # The file is named relative to here; the problem does not repeat its path.
    assert "checklists/desk.toml" in out
    assert str(tmp_path) not in out


def test_score_at_80_columns_gives_the_bars_room_to_the_section_names(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    _, wide, _ = run("score", example)
    assert "Partnerships built before a crisis hits" in wide
    assert "██" in wide.split("Phase / section", 1)[1]  # bars in the table
    monkeypatch.setenv("COLUMNS", "80")
    _, narrow, _ = run("score", example)
    table = narrow.split("Phase / section", 1)[1]
    assert "Partnerships built before" in table  # was cut to "Partnerships …" with bars
    assert "█" not in table
    assert max(len(line) for line in narrow.splitlines()) <= 80


def test_compare_at_80_columns_keeps_each_line_indented_under_its_heading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from readiness.report.compare_render import HEADINGS

    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run("compare", *EXAMPLES)
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    first = next(n for n, line in enumerate(lines) if line.startswith("Improved ("))
    moved = lines[first:]
    # Item lines never wrap back to column 0: only the headings start there.
    for line in moved:
        if line and not line[0].isspace():
            assert any(line.startswith(f"{heading} (") for heading in HEADINGS.values()), line
    assert any(line.startswith("  pre-partnerships-") and "→" in line for line in moved)
    # The files compared are listed indented too, however long their paths.
    head = lines[: lines.index("")]
    assert all(line.startswith("  ") for line in head[1:] if "assessments" in line)


def test_gaps_at_80_columns_show_each_item_id_whole_on_its_own_line(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readiness.loading import load_pair
    from readiness.scoring import gaps, score

    assessment, checklist, _ = load_pair(example)
    top = gaps(assessment, checklist, score(assessment, checklist))[:5]
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run("gaps", example, "--top", "5")
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    for n, gap in enumerate(top, 1):
        assert f"{n}. {gap.item.id}" in lines  # whole, where it was folded mid-word
        assert f"target {gap.target} · weight {gap.weight} · priority {gap.priority}" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    monkeypatch.setenv("COLUMNS", "160")
    _, wide, _ = run("gaps", example, "--top", "5")
    assert "Prio" in wide and all(gap.item.id in wide for gap in top)  # the table
