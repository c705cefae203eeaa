"""The commands that open the terminal UI: ``readiness new`` and ``readiness answer``.

``readiness.cli`` registers these functions (``app.command()(new)``); they import the CLI
helpers lazily, inside the functions, so that importing this module costs nothing and
cannot form an import cycle. Textual itself is imported only by ``open_tui``, after the
TTY check, except for ``new --no-open``, which never touches the UI and works in scripts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer


def answer(
    assessment: Annotated[
        Path,
        typer.Argument(
            metavar="ASSESSMENT", help="The assessment file (.toml) to answer.", parser=Path
        ),
    ],
    checklist: Annotated[
        Path | None,
        typer.Option(
            "--checklist",
            "-c",
            help="The checklist file, when it is not found by its id.",
            parser=Path,
        ),
    ] = None,
) -> None:
    """Open an assessment in the terminal UI to answer it. Every change is saved at once."""
    from readiness.cli import load_assessment_pair, open_tui, user_errors

    with user_errors():
        load_assessment_pair(assessment, checklist)
    open_tui(lambda tui: tui.run_answer(assessment, checklist))


def new(
    checklist: Annotated[
        str, typer.Option("--checklist", "-c", help="Checklist id or path to a .toml file.")
    ] = "migrants-in-crisis",
    org: Annotated[
        str | None, typer.Option("--org", help="Name of the organization assessed.")
    ] = None,
    role: Annotated[
        str | None,
        typer.Option("--role", help="Kind of organization: an actor id of the checklist."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title of the assessment.")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Date of the assessment, YYYY-MM-DD (today).")
    ] = None,
    assessor: Annotated[
        list[str] | None,
        typer.Option("--assessor", help="A person taking part (repeat the option for each)."),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Start from this earlier assessment's answers, marked as carried over "
            "until confirmed.",
            parser=Path,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to create (default: assessments/<organization>-<date>.toml).",
            parser=Path,
        ),
    ] = None,
    no_open: Annotated[
        bool,
        typer.Option(
            "--no-open",
            help="Create the file without opening the terminal UI (for scripts); "
            "needs --org, and --role when the checklist has several roles.",
        ),
    ] = False,
) -> None:
    """Start a new assessment: opens the form in the terminal UI, prefilled with the options
    given; with --no-open, creates the file directly and prints its path."""
    from readiness.cli import fail, resolve_checklist_arg, user_errors

    with user_errors():
        found = resolve_checklist_arg(checklist)
    when: dt.date | None = None
    if date is not None:
        from readiness.session import parse_date

        try:
            when = parse_date(date)
        except ValueError as exc:
            fail(f"--date: {exc}")
    if not no_open:
        from readiness.cli import open_tui

        prefill = {
            "checklist": str(found.path) if found.path else checklist,
            "org": org,
            "role": role,
            "title": title,
            "date": when,
            "assessors": assessor or [],
            "from_previous": previous,
            "output": output,
        }
        open_tui(lambda tui: tui.run_new(**{k: v for k, v in prefill.items() if v}))
        return
    _create(found, org, role, title, when, assessor or [], previous, output)


def _create(
    checklist: object,
    org: str | None,
    role: str | None,
    title: str | None,
    when: dt.date | None,
    assessors: list[str],
    previous: Path | None,
    output: Path | None,
) -> None:
    """``new --no-open``: build, save (never over an existing file), print the path."""
    from readiness.cli import console, fail, user_errors
    from readiness.loading import load_assessment
    from readiness.model import Checklist
    from readiness.session import Session, new_assessment

    assert isinstance(checklist, Checklist)
    if not org:
        fail("--no-open needs --org NAME (the organization assessed)")
    if role is None:
        if len(checklist.actors) == 1:
            role = checklist.actors[0].id
        elif checklist.actors:
            roles = ", ".join(checklist.actor_by_id)
            fail(f"--no-open needs --role: one of {roles}")
        else:
            role = "any"
    earlier = None
    if previous is not None:
        with user_errors():
            earlier, _ = load_assessment(previous)
        if earlier.checklist != checklist.id:
            fail(f"{previous} answers checklist '{earlier.checklist}', not '{checklist.id}'")
    try:
        assessment = new_assessment(
            checklist,
            organization=org,
            role=role,
            date=when or dt.date.today(),
            title=title,
            assessors=assessors,
            from_previous=earlier,
            path=output,
        )
    except ValueError as exc:
        fail(str(exc))
    with user_errors():
        written = Session.create(assessment, checklist).save()
    console().print(str(written), markup=False, highlight=False)
