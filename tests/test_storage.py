"""Saving assessments: deterministic, atomic, lossless, and refusing to clobber changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.loading import load_assessment, load_checklist, load_pair
from readiness.model import Answer
from readiness.storage import ConflictError, SaveError, dumps, save_assessment


def test_a_round_trip_changes_nothing_a_user_wrote(
    mini_assessment: Path, mini_checklist: Path
) -> None:
    before, checklist, _ = load_pair(mini_assessment, mini_checklist)
    save_assessment(before, checklist)
    after, _ = load_assessment(mini_assessment)
    assert after.answers == before.answers
    assert (after.title, after.date, after.assessors) == (
        before.title,
        before.date,
        before.assessors,
    )
    assert after.organization == before.organization


def test_saving_twice_writes_the_same_bytes(mini_assessment: Path, mini_checklist: Path) -> None:
    assessment, checklist, _ = load_pair(mini_assessment, mini_checklist)
    save_assessment(assessment, checklist)
    first = mini_assessment.read_bytes()
    save_assessment(assessment, checklist)
    assert mini_assessment.read_bytes() == first


def test_answers_are_written_in_checklist_order_with_unknown_ids_last(
    mini_assessment: Path, mini_checklist: Path
) -> None:
    assessment, checklist, _ = load_pair(mini_assessment, mini_checklist)
    assessment.answers = dict(reversed(list(assessment.answers.items())))
    text = dumps(assessment, checklist)
    order = [line for line in text.splitlines() if line.startswith("[answers.")]
    assert order == [
        "[answers.plan-written]",
        "[answers.plan-tested]",
        "[answers.hotline]",
        "[answers.lessons]",
        "[answers.retired-item]",
    ]


def test_answers_to_removed_items_and_unknown_keys_survive_a_save(
    tmp_path: Path, mini_assessment: Path, mini_checklist: Path
) -> None:
    text = mini_assessment.read_text(encoding="utf-8").replace(
        "[answers.hotline]", "[answers.hotline]\nreviewer = 'Ali'"
    )
    mini_assessment.write_text("custom = 1\n" + text, encoding="utf-8")
    assessment, checklist, _ = load_pair(mini_assessment, mini_checklist)
    save_assessment(assessment, checklist)
    saved, warnings = load_assessment(mini_assessment)
    assert (
        saved.answers["retired-item"].note == "Answer to an item a later checklist version removed."
    )
    assert saved.answers["hotline"].extra == {"reviewer": "Ali"}
    assert saved.extra == {"custom": 1}
    assert {w.key for w in warnings} == {"custom", "answers.hotline.reviewer"}


def test_the_previous_version_is_kept_as_a_backup(
    mini_assessment: Path, mini_checklist: Path
) -> None:
    original = mini_assessment.read_bytes()
    assessment, checklist, _ = load_pair(mini_assessment, mini_checklist)
    assessment.answers["hotline"] = replace(assessment.answers["hotline"], level=1)
    save_assessment(assessment, checklist)
    assert mini_assessment.with_name(mini_assessment.name + ".bak").read_bytes() == original
    assert load_assessment(mini_assessment)[0].answers["hotline"].level == 1


def test_a_file_changed_on_disk_since_it_was_read_is_not_overwritten(
    mini_assessment: Path, mini_checklist: Path
) -> None:
    assessment, checklist, _ = load_pair(mini_assessment, mini_checklist)
    theirs = mini_assessment.read_text(encoding="utf-8").replace("level = 4", "level = 3")
    mini_assessment.write_text(theirs, encoding="utf-8")
    assessment.answers["lessons"] = replace(assessment.answers["lessons"], level=2)
    with pytest.raises(ConflictError):
        save_assessment(assessment, checklist)
    assert mini_assessment.read_text(encoding="utf-8") == theirs
    elsewhere = mini_assessment.with_name("mine.toml")
    save_assessment(assessment, checklist, elsewhere)
    assert load_assessment(elsewhere)[0].answers["lessons"].level == 2


def test_a_save_that_cannot_be_serialised_leaves_the_file_untouched(
    mini_assessment: Path, mini_checklist: Path
) -> None:
    original = mini_assessment.read_bytes()
    assessment, checklist, _ = load_pair(mini_assessment, mini_checklist)
    assessment.extra["broken"] = object()
    with pytest.raises(SaveError):
        save_assessment(assessment, checklist)
    assert mini_assessment.read_bytes() == original
    assert not [p for p in mini_assessment.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_folder_that_cannot_be_written_is_a_save_error_not_a_crash(
    tmp_path: Path, mini_assessment: Path, mini_checklist: Path
) -> None:
    # A file where the folder should be fails for root too (CI runs as root).
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("in the way")
    assessment, checklist, _ = load_pair(mini_assessment, mini_checklist)
    with pytest.raises(SaveError):
        save_assessment(assessment, checklist, blocker / "desk.toml")
    assert blocker.read_text() == "in the way"
    assert load_assessment(mini_assessment)[0].answers == assessment.answers


any_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=any_text, owner=any_text, action=any_text)
def test_any_note_text_survives_a_round_trip(
    tmp_path: Path, note: str, owner: str, action: str
) -> None:
    checklist = load_checklist(Path(__file__).parent / "data" / "mini-checklist.toml")
    source = Path(__file__).parent / "data" / "mini-assessment.toml"
    assessment, _ = load_assessment(source)
    assessment.path = tmp_path / "round-trip.toml"
    assessment.fingerprint = None
    if assessment.path.exists():
        assessment.path.unlink()
    answer = Answer(
        level=2,
        note=note,
        owner=owner,
        action=action,
        due=dt.date(2026, 1, 31),
        updated=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
    )
    assessment.answers["hotline"] = answer
    save_assessment(assessment, checklist)
    saved, _ = load_assessment(assessment.path)
    expected = replace(answer, note=note or None, owner=owner or None, action=action or None)
    assert saved.answers["hotline"] == expected
