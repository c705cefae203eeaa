"""A network's weakest points: newest assessment per member, spreads, items most lack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from readiness.cli import app
from readiness.loading import Loader
from readiness.network import summarize

DATA = Path(__file__).parent / "data" / "compare"
FILES = sorted((DATA / "assessments").glob("*.toml"))


@pytest.fixture
def network_pairs() -> list[tuple[object, object]]:
    loader = Loader(dirs=[DATA / "checklists"])
    return [loader.load(path)[:2] for path in FILES]


def test_each_member_counts_once_with_its_newest_assessment(network_pairs: list) -> None:  # type: ignore[type-arg]
    network = summarize(network_pairs)
    chosen = [
        (m.assessment.organization.name, m.assessment.date.isoformat()) for m in network.members
    ]
    # desk-2023/2024/2025 are one organization (names differ only in case and spacing)
    assert chosen == [("beirut  migrant desk", "2025-03-01"), ("Consular Affairs", "2024-06-01")]
    assert [a.checklist for a in network.skipped] == ["other"]


def test_phase_scores_spread_across_members(network_pairs: list) -> None:  # type: ignore[type-arg]
    network = summarize(network_pairs)
    # desk 2025: pre 55.0, emergency 85.0, post 25.0, overall 55.0
    # ministry 2024: pre 25.0, emergency 37.5, post 0.0, overall 62.5/3 = 20.83
    assert network.overall.mean == pytest.approx((55.0 + 62.5 / 3) / 2)
    assert (network.overall.lowest, network.overall.highest) == (pytest.approx(62.5 / 3), 55.0)
    spreads = {p.id: (p.spread.mean, p.spread.lowest, p.spread.highest) for p in network.phases}
    assert spreads == {
        "pre-crisis": (40.0, 25.0, 55.0),
        "emergency": (61.25, 37.5, 85.0),
        "post-crisis": (12.5, 0.0, 25.0),
    }


def test_items_most_members_lack_come_first(network_pairs: list) -> None:  # type: ignore[type-arg]
    network = summarize(network_pairs)
    shares = [row.share for row in network.items]
    assert shares == sorted(shares, reverse=True)
    by_id = {row.item.id: row for row in network.items}
    assert (by_id["drill"].gaps, by_id["drill"].applies) == (2, 2)
    assert (by_id["plan"].gaps, by_id["plan"].applies) == (1, 2)
    assert (by_id["hotline"].gaps, by_id["hotline"].applies) == (0, 1)  # ngo only, met


def test_cli_network_json_and_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINESS_CHECKLISTS", str(DATA / "checklists"))
    runner = CliRunner()
    result = runner.invoke(app, ["network", str(DATA / "assessments"), "-f", "json", "--top", "3"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert data["overall"]["members"] == 2 and data["overall"]["mean"] == 37.9
    assert [p["mean"] for p in data["phases"]] == [40.0, 61.2, 12.5]
    assert len(data["items"]) == 3 and data["items"][0]["share"] == 1.0
    assert data["skipped"] == [str(DATA / "assessments" / "other-2024.toml")]
    text = runner.invoke(app, ["network", str(DATA / "assessments")])
    assert text.exit_code == 0
    assert "Where the network is weakest" in text.stdout
    assert "40.0" in text.stdout


def test_cli_network_of_a_missing_folder_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["network", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "no such folder" in result.stderr
