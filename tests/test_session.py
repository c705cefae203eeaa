"""The editing session behind the terminal UI: changes, saving, conflicts, new assessments."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.loading import load_checklist, load_pair
from readiness.model import NOT_APPLICABLE, Assessment
from readiness.session import Session, new_assessment, parse_date, propose_path, slugify
from readiness.storage import ConflictError, SaveError

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    checklist = tmp_path / "mini.toml"
    assessment = tmp_path / "beirut.toml"
    shutil.copy(DATA / "mini-checklist.toml", checklist)
    shutil.copy(DATA / "mini-assessment.toml", assessment)
    return assessment, checklist


@pytest.fixture
def session(files: tuple[Path, Path]) -> Session:
    assessment, checklist = files
    opened = Session.open(assessment, checklist)
    opened.clock = lambda: NOW
    return opened


def on_disk(session: Session) -> Assessment:
    assert session.path is not None
    assessment, _, _ = load_pair(session.path, session.checklist_path)
    return assessment


def test_setting_a_level_stamps_the_time_and_saving_writes_it(session: Session) -> None:
    session.set_level("partners-listed", 3)
    assert session.dirty
    session.save()
    assert not session.dirty
    answer = on_disk(session).answers["partners-listed"]
    assert (answer.level, answer.updated) == (3, NOW)


def test_a_level_off_the_scale_is_refused(session: Session) -> None:
    with pytest.raises(ValueError):
        session.set_level("hotline", 7)
    with pytest.raises(ValueError):
        session.set_level("hotline", True)
    assert not session.dirty


def test_text_fields_are_set_and_blank_text_removes_them(session: Session) -> None:
    session.set_text("plan-written", "note", "[bold]x[/bold]")
    session.set_text("plan-written", "owner", "   ")
    session.save()
    answer = on_disk(session).answers["plan-written"]
    assert answer.note == "[bold]x[/bold]"
    assert answer.owner is None
    assert answer.level == 2  # untouched


def test_a_due_date_must_be_a_real_yyyy_mm_dd_date(session: Session) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        session.set_due("plan-written", "30/06/2026")
    with pytest.raises(ValueError, match="real date"):
        session.set_due("plan-written", "2026-02-30")
    session.set_due("plan-written", "2026-09-01")
    assert session.answer("plan-written").due == dt.date(2026, 9, 1)
    session.set_due("plan-written", "")
    assert session.answer("plan-written").due is None


def test_confidence_and_status_take_only_their_known_values(session: Session) -> None:
    session.set_confidence("hotline", "documented")
    session.set_status("hotline", "delayed")
    with pytest.raises(ValueError):
        session.set_status("hotline", "finished")
    assert session.answer("hotline").status == "delayed"
    assert session.answer("hotline").confidence == "documented"


def test_confirming_or_answering_clears_carried_over_but_editing_a_note_does_not(
    session: Session,
) -> None:
    for item_id in ("hotline", "plan-tested", "plan-written"):
        session.assessment.answers[item_id] = session.answer(item_id).__class__(
            **{**_fields(session.answer(item_id)), "carried_over": True}
        )
    assert session.confirm("hotline")
    assert not session.confirm("hotline")  # nothing left to confirm
    session.set_level("plan-tested", 1)
    session.set_text("plan-written", "note", "still a draft")
    assert not session.answer("hotline").carried_over
    assert not session.answer("plan-tested").carried_over
    assert session.answer("plan-written").carried_over


def _fields(answer: object) -> dict[str, object]:
    from dataclasses import fields

    return {f.name: getattr(answer, f.name) for f in fields(answer)}  # type: ignore[arg-type]


def test_a_file_changed_on_disk_is_not_overwritten(session: Session) -> None:
    assert session.path is not None
    theirs = session.path.read_text(encoding="utf-8") + "\n# theirs\n"
    session.path.write_text(theirs, encoding="utf-8")
    session.set_level("partners-listed", 2)
    with pytest.raises(ConflictError):
        session.save()
    assert session.conflict and session.dirty
    assert session.path.read_text(encoding="utf-8") == theirs
    assert session.answer("partners-listed").level == 2


def test_save_as_writes_elsewhere_and_keeps_editing_that_file(
    session: Session, tmp_path: Path
) -> None:
    session.set_level("partners-listed", 2)
    target = tmp_path / "mine.toml"
    session.save_as(target)
    assert session.path == target and not session.dirty
    with pytest.raises(ConflictError, match="already exists"):
        session.save_as(target)
    session.set_level("partners-listed", 4)
    session.save()
    assert on_disk(session).answers["partners-listed"].level == 4


def test_reload_drops_unsaved_changes_and_clears_the_error(session: Session) -> None:
    assert session.path is not None
    session.path.write_text(
        session.path.read_text(encoding="utf-8") + "\n[answers.partners-listed]\nlevel = 1\n",
        encoding="utf-8",
    )
    session.set_level("partners-listed", 4)
    with pytest.raises(ConflictError):
        session.save()
    session.reload()
    assert session.error is None and not session.dirty
    assert session.answer("partners-listed").level == 1


def test_a_failed_save_keeps_the_changes_in_memory(session: Session, tmp_path: Path) -> None:
    session.set_level("partners-listed", 3)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(SaveError):
        session.save_as(blocked / "x.toml")
    assert session.error is not None
    assert session.dirty
    assert session.answer("partners-listed").level == 3


def test_a_save_job_can_run_apart_from_later_changes(session: Session) -> None:
    session.set_level("partners-listed", 1)
    job = session.prepare_save()
    session.set_level("partners-listed", 2)  # made while the job is writing
    job.run()
    session.finish_save(job)
    assert session.dirty  # the second change is not in the file yet
    assert on_disk(session).answers["partners-listed"].level == 1
    session.save()
    assert on_disk(session).answers["partners-listed"].level == 2


def test_answers_to_unknown_ids_survive_a_save(session: Session) -> None:
    session.set_level("lessons", NOT_APPLICABLE)
    session.save()
    assert on_disk(session).answers["retired-item"].level == 3


def test_navigation_helpers_follow_reading_order_and_the_role(session: Session) -> None:
    first = session.first_unanswered()
    assert first is not None and first.id == "partners-listed"
    assert [i.id for i in session.items()] == [
        "plan-written", "plan-tested", "partners-listed", "hotline", "lessons",
    ]  # fmt: skip
    assert "travel-documents" in [i.id for i in session.items(all_roles=True)]
    after = session.next_unanswered("partners-listed")
    assert after is not None and after.id == "partners-listed"  # wraps to itself
    assert [i.id for i in session.search("HOTLINE")] == ["hotline"]
    assert session.search("  ") == []


def test_the_proposed_path_is_the_organization_slug_and_the_date() -> None:
    day = dt.date(2026, 3, 1)
    assert propose_path("Beirut Migrant Desk", day) == Path(
        "assessments/beirut-migrant-desk-2026-03-01.toml"
    )
    assert slugify("Ça Va — Association!") == "ca-va-association"
    assert slugify("???") == "assessment"


def test_parse_date_accepts_only_iso_dates() -> None:
    assert parse_date(" 2026-03-01 ") == dt.date(2026, 3, 1)
    with pytest.raises(ValueError):
        parse_date("2026-3-1")


def test_new_assessment_from_previous_carries_every_answer_over(files: tuple[Path, Path]) -> None:
    assessment_path, checklist_path = files
    checklist = load_checklist(checklist_path)
    previous, _, _ = load_pair(assessment_path, checklist_path)
    fresh = new_assessment(
        checklist,
        organization=" Beirut Migrant Desk ",
        role="ngo",
        date=dt.date(2026, 3, 1),
        assessors=["Rania", " "],
        from_previous=previous,
        folder=assessment_path.parent,
    )
    assert fresh.path == assessment_path.parent / "beirut-migrant-desk-2026-03-01.toml"
    assert fresh.title == "Self-assessment 2026"
    assert fresh.assessors == ["Rania"]
    assert fresh.checklist_version == checklist.version
    assert set(fresh.answers) == set(previous.answers)  # retired-item kept too
    assert all(a.carried_over for a in fresh.answers.values())
    assert fresh.answers["plan-written"].note == previous.answers["plan-written"].note
    assert not previous.answers["plan-written"].carried_over  # the original is untouched
    session = Session.create(fresh, checklist)
    assert session.dirty and session.is_new
    session.save()
    assert on_disk(session).answers["hotline"].carried_over


def test_a_new_assessment_never_overwrites_an_existing_file(files: tuple[Path, Path]) -> None:
    assessment_path, checklist_path = files
    checklist = load_checklist(checklist_path)
    fresh = new_assessment(
        checklist, organization="X", role="ngo", date=dt.date(2026, 3, 1), path=assessment_path
    )
    before = assessment_path.read_bytes()
    with pytest.raises(ConflictError, match="already exists"):
        Session.create(fresh, checklist).save()
    assert assessment_path.read_bytes() == before


def test_new_assessment_refuses_an_unknown_role_or_an_empty_name(
    files: tuple[Path, Path],
) -> None:
    checklist = load_checklist(files[1])
    with pytest.raises(ValueError, match="unknown role"):
        new_assessment(checklist, organization="X", role="nobody", date=dt.date(2026, 1, 1))
    with pytest.raises(ValueError, match="name"):
        new_assessment(checklist, organization=" ", role="ngo", date=dt.date(2026, 1, 1))


def test_the_session_module_does_not_import_textual() -> None:
    code = "import readiness.session, sys; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
