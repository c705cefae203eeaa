"""Loading and checking files: every failure kind names the file and the place in it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from readiness.loading import (
    LoadError,
    Problem,
    find_checklist,
    load_assessment,
    load_checklist,
    load_pair,
    read_toml,
)

DATA = Path(__file__).parent / "data"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def checklist_text(**replace: str) -> str:
    text = (DATA / "mini-checklist.toml").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def assessment_text(old: str = "", new: str = "") -> str:
    text = (DATA / "mini-assessment.toml").read_text(encoding="utf-8")
    if old:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def only_problem(exc: pytest.ExceptionInfo[LoadError]) -> Problem:
    assert len(exc.value.problems) == 1, exc.value.problems
    return exc.value.problems[0]


def test_the_mini_fixture_loads_with_all_its_parts() -> None:
    checklist = load_checklist(DATA / "mini-checklist.toml")
    assert [p.id for p in checklist.phases] == ["pre-crisis", "emergency", "post-crisis"]
    assert checklist.item_by_id["plan-tested"].depends_on == ("plan-written",)
    assert checklist.item_by_id["plan-tested"].target == 4
    assert checklist.item_by_id["lessons"].weight == 1
    assert checklist.scale.maximum == 4


def test_a_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.toml", 'format = "readiness-checklist/1"\nid = "x\n')
    with pytest.raises(LoadError) as exc:
        load_checklist(path)
    problem = only_problem(exc)
    assert problem.path == str(path)
    assert problem.line == 2
    assert "TOML syntax error" in problem.message


def test_a_wrong_type_names_the_key_path_and_what_was_expected(tmp_path: Path) -> None:
    path = write(tmp_path, "c.toml", checklist_text(**{"weight = 2": 'weight = "high"'}))
    with pytest.raises(LoadError) as exc:
        load_checklist(path)
    problem = only_problem(exc)
    assert problem.key == "items[0].weight"
    assert "expected an integer" in problem.message
    assert problem.line is not None
    assert path.read_text(encoding="utf-8").splitlines()[problem.line - 1].startswith("weight")


def test_a_missing_key_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "c.toml", checklist_text(**{'title = "Mini checklist"\n': ""}))
    with pytest.raises(LoadError) as exc:
        load_checklist(path)
    assert "missing required key 'title'" in only_problem(exc).message


def test_an_unknown_key_in_a_checklist_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "c.toml", checklist_text(**{"weight = 2": "weight = 2\nwieght = 3"}))
    with pytest.raises(LoadError) as exc:
        load_checklist(path)
    problem = only_problem(exc)
    assert problem.key == "items[0]"
    assert "wieght" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "key", "fragment"),
    [
        ('phase = "emergency"', 'phase = "acute"', "sections[2].phase", "unknown phase 'acute'"),
        (
            'section = "emergency-help"',
            'section = "nowhere"',
            "items[3].section",
            "unknown section 'nowhere'",
        ),
        ('actors = ["ngo"]', 'actors = ["ngoo"]', "items[2].actors", "unknown actor 'ngoo'"),
        (
            'refs = [{ source = "doc", section = "IV" }]',
            'refs = [{ source = "book", section = "IV" }]',
            "items[3].refs[0].source",
            "unknown source 'book'",
        ),
        (
            'depends_on = ["plan-written"]',
            'depends_on = ["plan-writen"]',
            "items[1].depends_on",
            "unknown item 'plan-writen'",
        ),
        ("target = 4", "target = 7", "items[1].target", "not a level of the scale"),
    ],
)
def test_unknown_references_are_named(
    tmp_path: Path, old: str, new: str, key: str, fragment: str
) -> None:
    path = write(tmp_path, "c.toml", checklist_text(**{old: new}))
    with pytest.raises(LoadError) as exc:
        load_checklist(path)
    problem = only_problem(exc)
    assert problem.key == key
    assert fragment in problem.message
    assert problem.line is not None


def test_duplicate_item_ids_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "c.toml", checklist_text(**{'id = "hotline"': 'id = "lessons"'}))
    with pytest.raises(LoadError) as exc:
        load_checklist(path)
    problem = only_problem(exc)
    assert problem.key == "items[5].id"
    assert "duplicate id 'lessons'" in problem.message


def test_a_dependency_cycle_is_an_error(tmp_path: Path) -> None:
    old = 'weight = 2\ntags = ["planning"]'
    new = 'weight = 2\ndepends_on = ["plan-tested"]\ntags = ["planning"]'
    text = checklist_text(**{old: new})
    path = write(tmp_path, "c.toml", text)
    with pytest.raises(LoadError) as exc:
        load_checklist(path)
    assert "cycle" in only_problem(exc).message


def test_a_checklist_without_items_is_an_error(tmp_path: Path) -> None:
    text = checklist_text()
    text = text[: text.index("[[items]]")]
    path = write(tmp_path, "c.toml", text)
    with pytest.raises(LoadError) as exc:
        load_checklist(path)
    assert "missing required key 'items'" in only_problem(exc).message


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "file is empty"),
        (b"  \n\n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        (b'title = "caf\xe9"\n', "not valid UTF-8"),
    ],
)
def test_empty_binary_and_non_utf8_files_get_one_clear_message(
    tmp_path: Path, content: bytes, fragment: str
) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(content)
    with pytest.raises(LoadError) as exc:
        read_toml(path)
    problem = only_problem(exc)
    assert fragment in problem.message
    assert problem.path == str(path)


def test_a_missing_path_and_a_directory_are_named(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as missing:
        read_toml(tmp_path / "nope.toml")
    assert "no such file" in only_problem(missing).message
    with pytest.raises(LoadError) as folder:
        read_toml(tmp_path)
    assert "is a directory" in only_problem(folder).message


def test_an_unknown_format_tag_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "a.toml", assessment_text("readiness-assessment/1", "readiness/9"))
    with pytest.raises(LoadError) as exc:
        load_assessment(path)
    problem = only_problem(exc)
    assert problem.key == "format"
    assert problem.line == 1


def test_a_date_written_as_words_is_an_error_with_its_key(tmp_path: Path) -> None:
    path = write(tmp_path, "a.toml", assessment_text("due = 2025-06-30", 'due = "next spring"'))
    with pytest.raises(LoadError) as exc:
        load_assessment(path)
    problem = only_problem(exc)
    assert problem.key == "answers.plan-written.due"
    assert "TOML date" in problem.message


def test_a_date_in_quotes_is_an_error_even_when_well_formed(tmp_path: Path) -> None:
    path = write(tmp_path, "a.toml", assessment_text("date = 2025-03-01", 'date = "2025-03-01"'))
    with pytest.raises(LoadError) as exc:
        load_assessment(path)
    assert only_problem(exc).key == "date"


def test_a_level_of_the_wrong_type_names_the_answer(tmp_path: Path) -> None:
    path = write(tmp_path, "a.toml", assessment_text('level = "unknown"', 'level = "maybe"'))
    with pytest.raises(LoadError) as exc:
        load_assessment(path)
    problem = only_problem(exc)
    assert problem.key == "answers.plan-tested.level"
    assert problem.line is not None
    assert path.read_text(encoding="utf-8").splitlines()[problem.line - 1] == 'level = "maybe"'


def test_a_level_outside_the_scale_is_an_error(tmp_path: Path, mini_checklist: Path) -> None:
    path = write(tmp_path, "a.toml", assessment_text("level = 4", "level = 5"))
    with pytest.raises(LoadError) as exc:
        load_pair(path, mini_checklist)
    problem = only_problem(exc)
    assert problem.key == "answers.hotline.level"
    assert "not on the scale" in problem.message


def test_a_role_that_is_not_an_actor_is_an_error(tmp_path: Path, mini_checklist: Path) -> None:
    path = write(tmp_path, "a.toml", assessment_text('role = "ngo"', 'role = "embassy"'))
    with pytest.raises(LoadError) as exc:
        load_pair(path, mini_checklist)
    problem = only_problem(exc)
    assert problem.key == "organization.role"
    assert "ngo, ministry" in problem.message


def test_unknown_keys_in_an_assessment_are_kept_with_a_warning(
    tmp_path: Path, mini_checklist: Path
) -> None:
    path = write(
        tmp_path,
        "a.toml",
        assessment_text("[answers.hotline]", "[answers.hotline]\nreviewer = 'Ali'"),
    )
    assessment, _, warnings = load_pair(path, mini_checklist)
    assert assessment.answers["hotline"].extra == {"reviewer": "Ali"}
    assert any(w.key == "answers.hotline.reviewer" and w.severity == "warning" for w in warnings)


def test_answers_to_items_the_checklist_does_not_have_are_kept_with_a_warning(
    mini_assessment: Path, mini_checklist: Path
) -> None:
    assessment, _, warnings = load_pair(mini_assessment, mini_checklist)
    assert assessment.answers["retired-item"].level == 3
    assert [w.key for w in warnings] == ["answers.retired-item"]


def test_a_version_mismatch_is_a_warning_not_an_error(tmp_path: Path, mini_checklist: Path) -> None:
    path = write(
        tmp_path,
        "a.toml",
        assessment_text('checklist_version = "1.2.0"', 'checklist_version = "1.0.0"'),
    )
    _, _, warnings = load_pair(path, mini_checklist)
    assert any(w.key == "checklist_version" and "1.0.0" in w.message for w in warnings)


def test_a_named_checklist_with_another_id_is_an_error(
    tmp_path: Path, mini_checklist: Path
) -> None:
    path = write(tmp_path, "a.toml", assessment_text('checklist = "mini"', 'checklist = "other"'))
    with pytest.raises(LoadError) as exc:
        load_pair(path, mini_checklist)
    problem = only_problem(exc)
    assert problem.key == "checklist"
    assert "'other'" in problem.message


def test_the_checklist_is_found_by_id_in_the_env_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_assessment: Path, mini_checklist: Path
) -> None:
    elsewhere = tmp_path / "shared-lists"
    elsewhere.mkdir()
    shutil.move(mini_checklist, elsewhere / "renamed.toml")
    monkeypatch.setenv("READINESS_CHECKLISTS", str(elsewhere))
    assert find_checklist("mini") == elsewhere / "renamed.toml"
    _, checklist, _ = load_pair(mini_assessment)
    assert checklist.path == elsewhere / "renamed.toml"


def test_a_checklist_that_cannot_be_found_says_where_it_looked(
    in_tmp: Path, mini_assessment: Path, mini_checklist: Path
) -> None:
    mini_checklist.unlink()
    with pytest.raises(LoadError) as exc:
        load_pair(mini_assessment)
    problem = only_problem(exc)
    assert problem.key == "checklist"
    assert "not found" in problem.message
    assert "--checklist" in problem.message


def test_several_problems_in_one_file_are_all_reported(tmp_path: Path) -> None:
    text = checklist_text(**{"weight = 2": 'weight = "high"', "weight = 3": "weight = 9"})
    path = write(tmp_path, "c.toml", text)
    with pytest.raises(LoadError) as exc:
        load_checklist(path)
    keys = [p.key for p in exc.value.problems]
    assert keys == ["items[0].weight", "items[3].weight"]


def test_every_answer_key_reaches_the_answer_whether_read_or_cached(
    tmp_path: Path, mini_checklist: Path
) -> None:
    # Answers are built straight from their tables (Answer(**table)): each documented key
    # must land in its field, on the first read and on the cached second read alike.
    import dataclasses
    import datetime as dt

    from readiness.loading import ANSWER_KEYS
    from readiness.model import Answer

    assert set(ANSWER_KEYS) == {f.name for f in dataclasses.fields(Answer)} - {"extra"}
    table = (
        "[answers.hotline]\nlevel = 2\nnote = 'n'\nevidence = 'e'\nconfidence = 'tested'\n"
        "owner = 'o'\ndue = 2026-05-01\naction = 'a'\nstatus = 'ongoing'\n"
        "carried_over = true\nupdated = 2026-03-01T09:30:00Z\nreviewer = 'Ali'"
    )
    old = '[answers.hotline]\nlevel = 4\nconfidence = "tested"\n'
    old += 'evidence = "Hotline log from the 2024 evacuation"'
    path = write(tmp_path, "a.toml", assessment_text(old, table))
    for _ in range(2):
        assessment, _, _ = load_pair(path, mini_checklist)
        answer = assessment.answers["hotline"]
        assert (answer.level, answer.note, answer.evidence, answer.confidence) == (
            2,
            "n",
            "e",
            "tested",
        )
        assert (answer.owner, answer.due, answer.action, answer.status) == (
            "o",
            dt.date(2026, 5, 1),
            "a",
            "ongoing",
        )
        assert answer.carried_over is True
        assert answer.updated == dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
        assert answer.extra == {"reviewer": "Ali"}


def test_many_files_read_by_worker_processes_give_what_reading_them_here_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Speed is measured in benchmarks/; this pins that the workers (used from
    # PARALLEL_FROM files on) give the same files, in order, with the same problems.
    from readiness import workers
    from readiness.loading import Loader, RawFile, read_many

    (tmp_path / "list.toml").write_text(checklist_text(), encoding="utf-8")
    files = [tmp_path / "list.toml", tmp_path / "missing.toml"]
    for n in range(6):
        files.append(write(tmp_path, f"a{n}.toml", assessment_text()))
    files.append(write(tmp_path, "syntax.toml", "format = \n"))
    files.append(write(tmp_path, "level.toml", assessment_text("level = 2", 'level = "two"')))
    files.append(write(tmp_path, "unknown-key.toml", assessment_text() + "\nlegacy = 1\n"))

    def outcome(got: RawFile | LoadError) -> object:
        if isinstance(got, LoadError):
            return got.problems
        try:
            return Loader(tmp_path / "list.toml").load(got.path, got)
        except LoadError as exc:
            return exc.problems

    monkeypatch.setenv("READINESS_CACHE_DIR", "")  # every file read and checked in full
    here = [outcome(got) for got in read_many(files)]
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    assert workers.worker_count(len(files)) == 2
    together = read_many(files)
    assert [outcome(got) for got in together] == here
    checked = [got for got in together if isinstance(got, RawFile) and got.checked]
    assert len(checked) == 7  # the valid assessments came back checked: not checked again
    assert isinstance(here[1], list) and "no such file" in here[1][0].message
    # With a cache that has some of the files: those are read here, the rest by workers,
    # and everything comes back in order.
    monkeypatch.setenv("READINESS_CACHE_DIR", str(tmp_path / "cache"))
    read_many(files[2:5])
    assert [outcome(got) for got in read_many(files)] == here
    assert [p.key for p in here[-2]] == ["answers.plan-written.level"]  # type: ignore[union-attr]
