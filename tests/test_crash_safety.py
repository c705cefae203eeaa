"""Crash safety of saving: SIGKILL at random moments never leaves a broken file.

A forked child saves a 1,000-answer assessment in a loop through ``readiness.storage``,
each save a new version (every note says which). The parent kills it with SIGKILL after a
random delay, hundreds of times, and each time checks that the file on disk is, byte for
byte, one complete version the child wrote (the old or a newer one), never a mix or a
truncation, and that the ``.bak`` beside it is a complete earlier version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from readiness.loading import fingerprint, load_assessment
from readiness.model import Answer, Assessment, Organization
from readiness.storage import SaveError, dumps, save_assessment

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")

KILLS = 300
ANSWERS = 1_000
KILL_LOOP_ANSWERS = 200
"""Smaller in the kill loop so that hundreds of kills stay within seconds."""
SEED = 20240607


def versioned(assessment: Assessment, version: int) -> Assessment:
    """The assessment with every note naming ``version``: a mixed file would show two.
    Path and fingerprint are copied, so it saves over the file ``assessment`` came from."""
    answers = {
        item_id: dataclasses.replace(answer, note=f"version {version} of {item_id}. " + "x" * 40)
        for item_id, answer in assessment.answers.items()
    }
    return dataclasses.replace(assessment, answers=answers)


def make_assessment(path: Path, answers: int = ANSWERS) -> Assessment:
    assessment = Assessment(
        checklist="bench",
        checklist_version="1.0.0",
        title="Crash test",
        date=dt.date(2025, 1, 1),
        organization=Organization(name="Desk", role="ngo"),
        answers={f"item-{n:05d}": Answer(level=n % 5) for n in range(answers)},
        path=path,
    )
    save_assessment(versioned(assessment, 0), path=path)
    return assessment


def version_on_disk(path: Path) -> int:
    """The version a file holds, after checking it is exactly what that save wrote."""
    on_disk, _ = load_assessment(path)
    notes = {answer.note.split(" of ")[0] for answer in on_disk.answers.values() if answer.note}
    assert len(on_disk.answers) in (ANSWERS, KILL_LOOP_ANSWERS)
    assert len(notes) == 1, f"a mix of versions: {sorted(notes)[:3]}"
    version = int(notes.pop().removeprefix("version "))
    expected = dumps(versioned(on_disk, version)).encode("utf-8")
    assert path.read_bytes() == expected
    return version


def save_forever(assessment: Assessment, start: int, done: int) -> None:
    """The child: save new versions until killed, writing a byte to ``done`` after each
    save. Never returns."""
    try:
        version = start
        while True:
            version += 1
            new = versioned(assessment, version)  # same path and fingerprint
            save_assessment(new)
            assessment.fingerprint = new.fingerprint
            os.write(done, b".")
    except BaseException as exc:  # pragma: no cover - only seen if the test fails
        sys.stderr.write(f"child failed: {exc!r}\n")
        os._exit(1)


@pytest.mark.slow
def test_a_save_killed_at_random_moments_leaves_a_complete_old_or_new_version(
    tmp_path: Path,
) -> None:
    path = tmp_path / "desk.toml"
    make_assessment(path, KILL_LOOP_ANSWERS)
    current, _ = load_assessment(path)
    rng = random.Random(SEED)
    version = version_on_disk(path)
    # Kill timing relative to this machine's speed, so that a busy machine still sees kills
    # between saves and in the middle of one: wait for 0-2 finished saves (the child says
    # so through a pipe), then up to 1.5 saves' time more.
    started = time.perf_counter()
    for n in range(5):
        save_assessment(versioned(current, version), path=tmp_path / f"calibrate-{n}.toml")
    window = 1.5 * (time.perf_counter() - started) / 5
    advanced = mid_write = 0
    for _ in range(KILLS):
        current.fingerprint = fingerprint(path.read_bytes())
        done_r, done_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child process
            os.close(done_r)
            save_forever(current, version, done_w)
        os.close(done_w)
        for _ in range(rng.randint(0, 2)):
            ready, _, _ = select.select([done_r], [], [], 30)
            assert ready, "the child saved nothing for 30 s"
            assert os.read(done_r, 1) == b".", "the child stopped by itself: it must have failed"
        time.sleep(rng.uniform(0.0, window))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(done_r)
        assert os.WIFSIGNALED(status), "the child stopped by itself: it must have failed"
        strays = list(tmp_path.glob(".desk.toml.*.tmp"))
        mid_write += bool(strays)
        for stray in strays:
            stray.unlink()  # left by a kill between mkstemp and os.replace
        now = version_on_disk(path)
        assert now >= version, "a kill brought back an older version"
        advanced += now > version
        version = now
        backup = path.with_name("desk.toml.bak")
        if backup.exists():
            backup_copy = tmp_path / "bak-check.toml"
            backup_copy.write_bytes(backup.read_bytes())
            assert version_on_disk(backup_copy) <= version
    print(f"{KILLS} kills: {advanced} after a newer save, {mid_write} in the middle of one")
    # The kills must have landed both between saves and in the middle of writing.
    assert advanced > KILLS // 4
    assert mid_write > 0


def test_a_save_that_fails_to_serialise_never_truncates_the_file(tmp_path: Path) -> None:
    path = tmp_path / "desk.toml"
    make_assessment(path)
    assessment, _ = load_assessment(path)
    before = path.read_bytes()
    bad_answer = dataclasses.replace(
        assessment.answers["item-00001"], extra={"unserialisable": object()}
    )
    assessment.answers["item-00001"] = bad_answer
    with pytest.raises(SaveError):
        save_assessment(assessment)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_a_save_that_fails_while_writing_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "desk.toml"
    make_assessment(path)
    assessment, _ = load_assessment(path)
    before = path.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(SaveError, match="No space left"):
        save_assessment(versioned(assessment, 7))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_each_save_keeps_the_previous_version_as_bak(tmp_path: Path) -> None:
    path = tmp_path / "desk.toml"
    make_assessment(path)
    for version in (1, 2, 3):
        assessment, _ = load_assessment(path)
        previous = path.read_bytes()
        save_assessment(versioned(assessment, version))
        assert path.with_name("desk.toml.bak").read_bytes() == previous
        assert version_on_disk(path) == version
