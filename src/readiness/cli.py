"""The ``readiness`` command: parses arguments, calls the core, prints.

Start-up cost matters (people run ``readiness --help`` and scripts call it thousands of
times), so this module imports only Typer and the core at import time: Rich renderers are
imported inside the commands that print with Rich, jsonschema only by commands that
validate, and Textual only inside the commands that open the terminal UI.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from readiness import __version__
from readiness.loading import LoadError, Problem

if TYPE_CHECKING:
    from rich.console import Console

    from readiness.model import Assessment, Checklist

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2

app = typer.Typer(
    name="readiness",
    help=(
        "How ready is your organization to protect migrants caught in a crisis? "
        "Answer a checklist in the terminal, score it, list the gaps, plan, and compare "
        "assessments over time. Run with no command to open the terminal UI."
    ),
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(StrEnum):
    text = "text"
    json = "json"


class TableFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"


# --------------------------------------------------------------------------- output helpers


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    # Everything printed is built as Text; a str is never read as markup or emoji codes
    # (which also spares importing Rich's emoji table).
    made = Console(stderr=stderr, highlight=False, soft_wrap=False, markup=False, emoji=False)
    # Reports are laid out for 80 columns or more (narrower, the terminal wraps their lines
    # rather than Rich hiding names and scores), and no wider than 1,000 (COLUMNS=99999999
    # ran out of memory).
    made.width = max(MIN_WIDTH, min(made.width, MAX_WIDTH))
    return made


MIN_WIDTH, MAX_WIDTH = 80, 1000


def print_json(data: Any) -> None:
    from readiness.report.data import json_text

    write_stdout(json_text(data))


def write_stdout(text: str) -> None:
    """JSON, CSV and Markdown go out as UTF-8 whatever the locale says: they are files'
    contents, and a character the terminal's encoding lacks must not break them."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or (sys.stdout.encoding or "").lower().replace("-", "") == "utf8":
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def report_problems(problems: list[Problem]) -> None:
    """Problems go to stderr (so --format json output stays clean), one per line."""
    from rich.text import Text

    from readiness.textsafe import clean

    err = console(stderr=True)
    for problem in problems:
        style = "red" if problem.severity == "error" else "yellow"
        label = "error" if problem.severity == "error" else "warning"
        line = Text()
        line.append(f"{label}: ", style=f"bold {style}")
        line.append(clean(str(problem), single_line=True))
        # One problem, one line (scripts read stderr line by line): the terminal wraps it.
        err.print(line, soft_wrap=True)


def _say(label: str, style: str, message: str) -> None:
    from rich.text import Text

    from readiness.textsafe import clean

    # Messages quote file content and arguments: no escape sequence reaches the terminal.
    text = Text(f"{label}: ", style=f"bold {style}") + Text(clean(message))
    console(stderr=True).print(text, soft_wrap=True)


def warn(message: str) -> None:
    """One warning on stderr; the command goes on."""
    _say("warning", "yellow", message)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """One error on stderr, then exit with ``code``."""
    _say("error", "red", message)
    raise typer.Exit(code)


def write_output(text: str, out: Path | None, inputs: Sequence[Path] = ()) -> None:
    """A report to stdout, or to ``out``: atomically when it is a regular file (or new),
    straight into anything else (``/dev/stdout``, a pipe). Refused (exit 2, one line) when
    ``out`` is one of the ``inputs`` or cannot be written."""
    from readiness.textsafe import clean

    if out is None:
        write_stdout(text)
        return
    shown = clean(str(out), single_line=True)
    try:
        for source in inputs:
            if out.exists() and source.exists() and out.samefile(source):
                fail(f"{shown}: is one of the files read; choose another output file")
        if out.exists() and not out.is_file():
            if out.is_dir():
                fail(f"{shown}: is a folder; give a file name")
            with out.open("w", encoding="utf-8") as handle:  # a device or a pipe
                handle.write(text)
            return
        from readiness.storage import write_atomic

        write_atomic(out, text.encode("utf-8"), backup=False)
    except OSError as exc:
        fail(f"{shown}: cannot write: {exc.strerror or exc}")
    console(stderr=True).print(f"wrote {shown}", markup=False)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the core's errors into one message per problem and exit code 2."""
    try:
        yield
    except LoadError as exc:
        report_problems(exc.problems)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except Exception as exc:
        from readiness.storage import SaveError  # only commands that save need storage

        if isinstance(exc, SaveError):
            fail(str(exc))
        raise


@contextmanager
def many_objects() -> Iterator[None]:
    """Pause Python's cycle collector while a command builds many small objects (hundreds
    of assessments: ~300 answers and item results each). The collector would walk every
    live object again and again: 40% of ``compare`` over 1,000 files. What is built here
    forms no cycles, so reference counting still frees everything (mypy does the same)."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_assessment_pair(
    path: Path, checklist: Path | None, *, quiet: bool = False
) -> tuple[Assessment, Checklist]:
    from readiness.loading import load_pair

    assessment, found, warnings = load_pair(path, checklist)
    if warnings and not quiet:
        report_problems(warnings)
    return assessment, found


def resolve_checklist_arg(spec: str) -> Checklist:
    """A checklist given as a file path or as an id found in the search folders."""
    from readiness.loading import checklist_dirs, find_checklist, load_checklist

    candidate = Path(spec)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in spec:
        return load_checklist(candidate)
    found = find_checklist(spec)
    if found is None:
        where = ", ".join(str(d) for d in checklist_dirs())
        raise LoadError([Problem(spec, f"no checklist with this id or path (looked in {where})")])
    return load_checklist(found)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"readiness {__version__}")
        raise typer.Exit()


# --------------------------------------------------------------------------- root


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Open the terminal UI when no command is given."""
    if ctx.invoked_subcommand is None:
        open_tui(lambda tui: tui.run_start(Path("assessments")))


def open_tui(run: Callable[[Any], int | None]) -> None:
    """Refuse without a terminal, then import Textual (only here) and run the UI."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail(
            "the terminal UI needs an interactive terminal (stdin and stdout are not a TTY). "
            "For scripts use `readiness score`, `gaps`, `plan` or `validate`; "
            "see `readiness --help`."
        )
    import readiness.tui as tui  # the only place the CLI imports Textual

    code = run(tui)
    if code:
        raise typer.Exit(code)


# --------------------------------------------------------------------------- validate


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="FILES", help="Checklist or assessment files (.toml).", parser=Path),
    ],
    checklist: Annotated[
        Path | None,
        typer.Option(
            "--checklist", "-c", help="Check assessments against this checklist file.", parser=Path
        ),
    ] = None,
    output: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings as errors (exit 2).")
    ] = False,
) -> None:
    """Check checklist and assessment files: format, schema, references, scale values.

    Exit code 0 when every file is valid, 2 when any has an error (or a warning with
    --strict). Every problem names the file and the place in it.
    """
    from readiness.validation import validate_paths

    with many_objects():
        reports = validate_paths(paths, checklist)
    failed = [r for r in reports if not r.ok or (strict and r.warnings)]
    if output is Format.json:
        print_json(
            {
                "ok": not failed,
                "files": [
                    {
                        "path": str(r.path),
                        "kind": r.kind,
                        "ok": r.ok and not (strict and r.warnings),
                        "checklist": r.checklist,
                        "errors": len(r.errors),
                        "warnings": len(r.warnings),
                        "problems": [p.as_dict() for p in r.problems],
                    }
                    for r in reports
                ],
            }
        )
    else:
        from readiness.report.terminal import render_validation

        report_problems([p for r in reports for p in r.problems])
        render_validation(console(stderr=bool(failed)), reports)
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


# --------------------------------------------------------------------------- checklists


@app.command("checklists")
def list_checklists(
    output: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """List the checklists readiness can find: READINESS_CHECKLISTS folders, ./checklists,
    then the bundled ones (first match wins)."""
    from readiness.catalog import discover

    with user_errors():
        found = discover()
    if output is Format.json:
        print_json({"checklists": [entry.as_dict() for entry in found]})
        return
    from readiness.report.terminal import render_checklists

    render_checklists(console(), found)


@app.command()
def show(
    checklist: Annotated[
        str, typer.Argument(metavar="CHECKLIST", help="A checklist id or a path to a .toml file.")
    ],
    role: Annotated[
        str | None, typer.Option("--role", "-r", help="Only items for this actor id.")
    ] = None,
    output: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """Print a checklist's phases, sections and items."""
    with user_errors():
        found = resolve_checklist_arg(checklist)
    if role is not None and found.actors and role not in found.actor_by_id:
        fail(f"unknown role '{role}': expected one of {', '.join(found.actor_by_id)}")
    if output is Format.json:
        from readiness.report.data import checklist_data

        print_json(checklist_data(found, role))
        return
    from readiness.report.terminal import render_checklist

    render_checklist(console(), found, role)


@app.command()
def trace(
    checklist: Annotated[
        str, typer.Argument(metavar="CHECKLIST", help="A checklist id or path.")
    ] = "migrants-in-crisis",
    out: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout.", parser=Path),
    ] = None,
) -> None:
    """Write the traceability table (source section -> item ids, and what was left out)
    as Markdown. docs/sources.md is generated with this command."""
    from readiness.report.markdown import traceability

    with user_errors():
        found = resolve_checklist_arg(checklist)
        text = traceability(found)
    write_output(text, out, [found.path] if found.path else [])


# --------------------------------------------------------------------------- score, gaps, plan

AssessmentArg = Annotated[
    Path, typer.Argument(metavar="ASSESSMENT", help="An assessment file (.toml).", parser=Path)
]
ChecklistOpt = Annotated[
    Path | None,
    typer.Option(
        "--checklist", "-c", help="The checklist file (default: found by its id).", parser=Path
    ),
]
AllRolesOpt = Annotated[
    bool,
    typer.Option("--all-roles", help="Also count items that apply to other kinds of organization."),
]


@app.command()
def score(
    assessment: AssessmentArg,
    checklist: ChecklistOpt = None,
    output: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    by_tag: Annotated[
        bool, typer.Option("--by-tag", help="Also show the scores through each tag (lenses).")
    ] = False,
    fail_under: Annotated[
        float | None,
        typer.Option(
            "--fail-under",
            min=0,
            max=100,
            help="Exit 1 when the overall score (as shown: one decimal) is below this.",
        ),
    ] = None,
    all_roles: AllRolesOpt = False,
) -> None:
    """Score an assessment: overall, per phase and per section, with bands and coverage.

    The formula is in docs/scoring.md. Exit 1 with --fail-under when the overall score is
    below the threshold (or there is no score).
    """
    from readiness import scoring

    with user_errors():
        found_assessment, found = load_assessment_pair(assessment, checklist)
    scores = scoring.score(found_assessment, found, all_roles=all_roles)
    lenses = scoring.lenses(found_assessment, found) if by_tag or output is Format.json else []
    if output is Format.json:
        from readiness.report.data import assessment_data, lens_data, scores_data

        print_json(
            {
                "assessment": assessment_data(found_assessment, found),
                **scores_data(scores),
                "gaps": len(scoring.gaps(found_assessment, found, scores)),
                "lenses": [lens_data(lens) for lens in lenses],
                "all_roles": all_roles,
            }
        )
    else:
        from readiness.report.terminal import render_scores

        render_scores(console(), found_assessment, found, scores, lenses if by_tag else ())
    # Compared as shown (and as in the JSON): 54.04 does not pass a score printed as 54.0.
    if fail_under is not None and (scores.overall is None or round(scores.overall, 1) < fail_under):
        shown = "no score" if scores.overall is None else f"{scores.overall:.1f}"
        console(stderr=True).print(
            f"overall score {shown} is below --fail-under {fail_under:g}", markup=False
        )
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command()
def gaps(
    assessment: AssessmentArg,
    checklist: ChecklistOpt = None,
    output: Annotated[
        TableFormat, typer.Option("--format", "-f", help="text, json, csv or markdown.")
    ] = TableFormat.text,
    phase: Annotated[
        str | None, typer.Option("--phase", help="Only gaps of this phase id.")
    ] = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="Only the first N gaps.")] = None,
    min_priority: Annotated[
        int | None,
        typer.Option("--min-priority", min=0, help="Only gaps of at least this priority."),
    ] = None,
    all_roles: AllRolesOpt = False,
) -> None:
    """List the gaps, most important first: priority = weight x (target - level).

    Ties are broken by phase order, then checklist order. Each gap shows what the phase
    and overall scores would gain if it reached its target.
    """
    from readiness import scoring

    with user_errors():
        found_assessment, found = load_assessment_pair(assessment, checklist)
    if phase is not None and phase not in found.phase_by_id:
        fail(f"unknown phase '{phase}': expected one of {', '.join(found.phase_by_id)}")
    scores = scoring.score(found_assessment, found, all_roles=all_roles)
    every = scoring.gaps(found_assessment, found, scores)
    selected = [
        g
        for g in every
        if (phase is None or g.phase == phase)
        and (min_priority is None or g.priority >= min_priority)
    ][:top]
    if output is TableFormat.json:
        from readiness.report.data import assessment_data, gap_data

        print_json(
            {
                "assessment": assessment_data(found_assessment, found),
                "total": len(every),
                "gaps": [gap_data(g) for g in selected],
            }
        )
    elif output is TableFormat.csv:
        from readiness.report.tabular import to_csv

        header = [
            "rank", "item", "phase", "section", "level", "target", "weight", "priority",
            "impact_phase", "impact_overall", "blocked_by", "prompt", "owner", "due", "status",
        ]  # fmt: skip
        rows = [
            [
                n,
                g.item.id,
                g.phase,
                g.section,
                g.level,
                g.target,
                g.weight,
                g.priority,
                round(g.impact_phase, 1),
                round(g.impact_overall, 1),
                " ".join(g.blocked_by),
                g.item.prompt,
                g.answer.owner,
                g.answer.due.isoformat() if g.answer.due else None,
                g.answer.status,
            ]
            for n, g in enumerate(selected, 1)
        ]
        write_stdout(to_csv(header, rows))
    elif output is TableFormat.markdown:
        from readiness.report.markdown import gaps_markdown

        write_stdout(gaps_markdown(found_assessment, found, selected))
    else:
        from readiness.report.terminal import render_gaps

        render_gaps(console(), found, selected, len(every))


@app.command()
def plan(
    assessment: AssessmentArg,
    checklist: ChecklistOpt = None,
    out: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the Markdown to this file.", parser=Path),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Leave out notes, evidence, owners, planned actions and assessor names, "
            "so the summary can be shared outside the organization.",
        ),
    ] = False,
    first_steps: Annotated[
        int, typer.Option("--first-steps", min=1, help="How many top gaps to list first.")
    ] = 5,
    all_roles: AllRolesOpt = False,
) -> None:
    """Write the gap summary for a planning meeting as Markdown (stdout or -o FILE)."""
    from readiness import scoring
    from readiness.report.markdown import plan_markdown

    with user_errors():
        found_assessment, found = load_assessment_pair(assessment, checklist)
        scores = scoring.score(found_assessment, found, all_roles=all_roles)
        text = plan_markdown(
            found_assessment,
            found,
            scores,
            scoring.gaps(found_assessment, found, scores),
            redact=redact,
            first_steps=first_steps,
        )
    write_output(text, out, [assessment, *([found.path] if found.path else [])])


@app.command()
def network(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="FOLDER",
            help="A folder of members' assessment files (searched recursively).",
            parser=Path,
        ),
    ] = Path("assessments"),
    checklist: ChecklistOpt = None,
    output: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    top: Annotated[int, typer.Option("--top", min=1, help="How many weakest items to list.")] = 10,
) -> None:
    """Where a network of organizations is weakest: the newest assessment of each member,
    scores per phase and section across members, and the items most members lack.

    Files that cannot be used are reported on stderr and left out.
    """
    from readiness.compare import assessment_files
    from readiness.loading import Loader, detect_kind, read_many
    from readiness.network import summarize

    if not folder.is_dir():
        fail(f"{folder}: no such folder")
    loader = Loader(checklist)
    pairs = []
    problems: list[Problem] = []
    with many_objects():
        paths = assessment_files(folder)
        for path, raw in zip(paths, read_many(paths), strict=True):
            try:
                if isinstance(raw, LoadError):
                    raise raw
                if detect_kind(raw) != "assessment":
                    continue
                found_assessment, found, _ = loader.load(path, raw)
            except LoadError as exc:
                problems.extend(exc.problems)
                continue
            pairs.append((found_assessment, found))
        if problems:
            report_problems([replace(p, severity="warning") for p in problems])
        if not pairs:
            fail(f"{folder}: no usable assessment files")
        summary = summarize(pairs)
    if output is Format.json:
        from readiness.report.data import network_data

        print_json(network_data(summary, top))
        return
    from readiness.report.terminal import render_network

    render_network(console(), summary, top)


_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EBADF, errno.EIO, errno.EPIPE}


def main() -> None:
    """Console-script entry point."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        # `readiness show ... | head`: end quietly when the reader goes, as cat or grep do.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if sys.stdout is None or sys.stderr is None:
        message = "error: standard output is closed (use >/dev/null to discard the output)\n"
        if sys.stderr is not None:
            sys.stderr.write(message)
        raise SystemExit(EXIT_BAD_INPUT)
    for stream in (sys.stdout, sys.stderr):
        # A terminal whose encoding lacks a character (PYTHONIOENCODING=ascii) gets "?".
        with suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
    try:
        try:
            app()
        finally:
            sys.stdout.flush()
    except OSError as exc:
        if exc.errno not in _WRITE_ERRORS:
            raise
        # Writing the output failed (a full disk, a closed descriptor). Point stdout at
        # /dev/null so that the flush at exit does not fail again.
        with suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.stderr.write(f"error: cannot write the output: {exc.strerror or exc}\n")
        raise SystemExit(EXIT_BAD_INPUT) from None


# Commands defined in their own modules; imported here (after the helpers above exist,
# since those modules use them) so that `app` carries every command.
from readiness.cli_compare import compare, history  # noqa: E402

app.command()(compare)
app.command()(history)

from readiness.cli_tui import answer, new  # noqa: E402

app.command()(new)
app.command()(answer)
