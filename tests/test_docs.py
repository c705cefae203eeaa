"""The docs are tested with the code: commands documented, examples valid, links alive."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from readiness.cli import app
from readiness.loading import LoadError, assessment_from_raw, checklist_from_raw, read_toml

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"


def command_names() -> list[str]:
    group = get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return sorted(group.commands)


@pytest.mark.parametrize("name", command_names())
def test_every_command_is_documented_with_help_text(name: str) -> None:
    group = get_command(app)
    command = group.commands[name]  # type: ignore[attr-defined]
    assert command.help and len(command.help) > 20
    assert re.search(rf"`readiness {name}\b", (DOCS / "cli.md").read_text(encoding="utf-8"))


def test_the_readme_quick_start_is_the_two_make_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [
        line.split("#")[0].strip() for line in quick.splitlines() if line.startswith("make ")
    ]
    assert commands == ["make run", "make test"]


def test_readme_commands_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    used = set(re.findall(r"^readiness (\w+)", readme, flags=re.MULTILINE))
    assert used and used <= set(command_names())


def test_links_in_the_readme_point_to_files() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        assert (ROOT / target).exists(), target


@pytest.mark.parametrize("doc", ["formats.md", "checklist-authoring.md"])
def test_toml_examples_in_the_docs_are_valid(tmp_path: Path, doc: str) -> None:
    text = (DOCS / doc).read_text(encoding="utf-8")
    # Fragments illustrate one table; the complete examples carry a format tag.
    blocks = [b for b in re.findall(r"```toml\n(.*?)```", text, flags=re.DOTALL) if "format =" in b]
    assert blocks
    for n, block in enumerate(blocks):
        path = tmp_path / f"example-{n}.toml"
        path.write_text(block, encoding="utf-8")
        raw = read_toml(path)
        try:
            if raw.data.get("format") == "readiness-checklist/1":
                checklist_from_raw(raw)
            else:
                assessment_from_raw(raw)
        except LoadError as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"{doc} example {n}: {exc}")
