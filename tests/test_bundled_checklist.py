"""The bundled checklist: valid, cited, coherent for every kind of organization."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from readiness.cli import app
from readiness.loading import bundled_checklists_dir, load_checklist
from readiness.model import Checklist

ROOT = Path(__file__).parent.parent
BUNDLED = ROOT / "checklists" / "migrants-in-crisis.toml"


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist(BUNDLED)


def test_the_bundled_checklist_is_found_where_the_package_looks(checklist: Checklist) -> None:
    assert (bundled_checklists_dir() / "migrants-in-crisis.toml").exists()
    assert (checklist.id, checklist.version) == ("migrants-in-crisis", "1.0.0")


def test_the_phases_are_pre_crisis_emergency_post_crisis_in_order(checklist: Checklist) -> None:
    assert [p.id for p in checklist.phases] == ["pre-crisis", "emergency", "post-crisis"]


def test_the_scale_runs_from_not_in_place_to_tested(checklist: Checklist) -> None:
    assert checklist.scale.values == (0, 1, 2, 3, 4)
    assert checklist.scale.label(0) == "Not in place"
    assert checklist.scale.label(4) == "Fully in place and tested"
    assert all(level.description for level in checklist.scale.levels)
    assert checklist.scale.allow_not_applicable and checklist.scale.allow_unknown


def test_every_item_cites_a_known_source(checklist: Checklist) -> None:
    sources = set(checklist.source_by_id)
    for item in checklist.items:
        assert item.refs, item.id
        assert all(ref.source in sources and ref.section for ref in item.refs), item.id


def test_ids_are_unique_slugs_prefixed_by_their_phase(checklist: Checklist) -> None:
    ids = [item.id for item in checklist.items]
    assert len(ids) == len(set(ids))
    prefix = {"pre-crisis": "pre-", "emergency": "emergency-", "post-crisis": "post-"}
    for item in checklist.items:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", item.id)
        assert item.id.startswith(prefix[checklist.phase_of(item).id]), item.id


def test_no_two_items_ask_the_same_question(checklist: Checklist) -> None:
    prompts = Counter(" ".join(item.prompt.lower().split()) for item in checklist.items)
    assert [p for p, n in prompts.items() if n > 1] == []


def test_every_prompt_is_one_question(checklist: Checklist) -> None:
    for item in checklist.items:
        assert item.prompt.endswith("?"), item.id
        assert item.prompt.count("?") == 1, item.id
        assert "and/or" not in item.prompt, item.id


def test_every_item_explains_why_and_what_shows_it(checklist: Checklist) -> None:
    for item in checklist.items:
        assert item.guidance and item.evidence, item.id
        assert 1 <= item.weight <= 3


def test_every_phase_has_items_for_every_actor_that_has_any(checklist: Checklist) -> None:
    for actor in checklist.actors:
        per_phase = Counter(
            checklist.phase_of(i).id for i in checklist.items if i.applies_to(actor.id)
        )
        assert all(per_phase[p.id] >= 3 for p in checklist.phases), (actor.id, per_phase)


def test_the_role_filter_leaves_each_actor_a_real_subset(checklist: Checklist) -> None:
    total = len(checklist.items)
    for actor in checklist.actors:
        mine = sum(1 for i in checklist.items if i.applies_to(actor.id))
        assert 20 <= mine < total * 0.7, (actor.id, mine)


def test_the_expected_kinds_of_organization_are_actors(checklist: Checklist) -> None:
    assert set(checklist.actor_by_id) == {
        "civil-society",
        "diaspora",
        "local-authority",
        "country-of-origin",
        "country-of-destination",
        "international-organization",
        "donor",
        "private-sector",
    }


def test_the_cross_cutting_challenges_are_tagged(checklist: Checklist) -> None:
    tagged = [i for i in checklist.items if "cross-cutting" in i.tags]
    assert len(tagged) >= 11
    assert {checklist.phase_of(i).id for i in tagged} == {"pre-crisis", "emergency", "post-crisis"}


def test_every_working_group_of_the_micic_consultation_is_cited(checklist: Checklist) -> None:
    sections = {r.section for i in checklist.items for r in i.refs if r.source == "micic-cso-2016"}
    for part in ("III Pre-crisis", "IV Emergency", "V Post-crisis"):
        for group in ("WG I,", "WG II,", "WG III,"):
            assert any(s and s.startswith(part) and group in s for s in sections), (part, group)


def test_left_out_recommendations_carry_a_reason(checklist: Checklist) -> None:
    assert checklist.out_of_scope
    for entry in checklist.out_of_scope:
        assert entry.reason.strip() and entry.summary.strip()


def test_the_committed_traceability_table_is_up_to_date() -> None:
    result = CliRunner().invoke(app, ["trace", str(BUNDLED)])
    assert result.exit_code == 0, result.output
    committed = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    assert result.stdout == committed, "docs/sources.md is stale: run `make docs`"
