"""Two writers on one assessment file: the second is refused, nothing is lost."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from readiness.loading import load_assessment, load_pair
from readiness.model import Answer, Assessment
from readiness.storage import ConflictError, save_assessment

DATA = Path(__file__).parent / "data"
SAVED, REFUSED, FAILED = 0, 3, 4
ROUNDS = 25


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    path = tmp_path / "desk.toml"
    shutil.copy(DATA / "mini-assessment.toml", path)
    return path


def with_note(assessment: Assessment, item_id: str, note: str) -> Assessment:
    answers = dict(assessment.answers)
    answers[item_id] = dataclasses.replace(answers.get(item_id, Answer()), note=note)
    return dataclasses.replace(assessment, answers=answers)


def test_the_second_of_two_writers_is_refused_and_the_first_ones_answer_is_kept(
    desk: Path,
) -> None:
    first, _ = load_assessment(desk)
    second, _ = load_assessment(desk)
    save_assessment(with_note(first, "hotline", "written by the first"))
    before = desk.read_bytes()
    late = with_note(second, "lessons", "written by the second")
    with pytest.raises(ConflictError, match="changed on disk since it was opened"):
        save_assessment(late)
    assert desk.read_bytes() == before
    on_disk, _ = load_assessment(desk)
    assert on_disk.answers["hotline"].note == "written by the first"
    # Nothing lost: the refused writer still holds its edit and can save it elsewhere.
    assert late.answers["lessons"].note == "written by the second"
    copy = save_assessment(late, path=desk.with_name("desk-mine.toml"))
    assert load_assessment(copy)[0].answers["lessons"].note == "written by the second"


def test_a_refused_writer_can_reload_and_then_save_both_edits(desk: Path) -> None:
    first, _ = load_assessment(desk)
    second, _ = load_assessment(desk)
    save_assessment(with_note(first, "hotline", "first"))
    with pytest.raises(ConflictError):
        save_assessment(with_note(second, "lessons", "second"))
    reloaded, checklist, _ = load_pair(desk, DATA / "mini-checklist.toml")
    save_assessment(with_note(reloaded, "lessons", "second"), checklist)
    on_disk, _ = load_assessment(desk)
    assert (on_disk.answers["hotline"].note, on_disk.answers["lessons"].note) == (
        "first",
        "second",
    )


def test_saving_a_new_file_over_one_that_appeared_meanwhile_is_refused(desk: Path) -> None:
    assessment, _ = load_assessment(desk)
    target = desk.with_name("new.toml")
    target.write_text("# someone else's file\n", encoding="utf-8")
    with pytest.raises(ConflictError, match="already exists"):
        save_assessment(assessment, path=target)
    assert target.read_text(encoding="utf-8") == "# someone else's file\n"


def writer(assessment: Assessment, item_id: str, note: str, go: int) -> None:
    """A child process: wait for the start signal, save once, exit with the outcome."""
    code = FAILED
    try:
        os.read(go, 1)
        save_assessment(with_note(assessment, item_id, note))
        code = SAVED
    except ConflictError:
        code = REFUSED
    finally:
        os._exit(code)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")
def test_two_processes_saving_the_same_file_at_once_never_both_win(desk: Path) -> None:
    for round_ in range(ROUNDS):
        # A new note each round: saving bytes identical to the file's is not a conflict.
        notes = {
            item_id: f"saved by {item_id} in round {round_}" for item_id in ("hotline", "lessons")
        }
        assessment, _ = load_assessment(desk)
        go_read, go_write = os.pipe()
        pids = {}
        for item_id in ("hotline", "lessons"):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child process
                writer(assessment, item_id, notes[item_id], go_read)
            pids[pid] = item_id
        os.write(go_write, b"gg")  # release both writers together
        outcomes = {}
        for pid, item_id in pids.items():
            _, status = os.waitpid(pid, 0)
            outcomes[item_id] = os.waitstatus_to_exitcode(status)
        os.close(go_read)
        os.close(go_write)
        assert sorted(outcomes.values()) == [SAVED, REFUSED], outcomes
        winner = next(i for i, code in outcomes.items() if code == SAVED)
        loser = next(i for i, code in outcomes.items() if code == REFUSED)
        on_disk, _ = load_assessment(desk)
        assert on_disk.answers[winner].note == notes[winner]
        assert on_disk.answers[loser].note != notes[loser]
