"""The scoring formula (docs/scoring.md) on hand-computed fixtures, and its properties."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.loading import load_checklist, load_pair
from readiness.model import Answer, Assessment, Checklist, Organization
from readiness.scoring import band_of, gaps, lenses, score

DATA = Path(__file__).parent / "data"
CHECKLIST = load_checklist(DATA / "mini-checklist.toml")


def fixture_pair() -> tuple[Assessment, Checklist]:
    assessment, checklist, _ = load_pair(
        DATA / "mini-assessment.toml", DATA / "mini-checklist.toml"
    )
    return assessment, checklist


def blank(role: str = "ngo", **answers: Answer) -> Assessment:
    return Assessment(
        checklist="mini",
        checklist_version="1.2.0",
        title="t",
        date=dt.date(2026, 1, 1),
        organization=Organization("Org", role),
        answers=dict(answers),
    )


def test_the_fixture_scores_as_computed_by_hand() -> None:
    # pre-crisis: plan-written 2/4 (w2), plan-tested unknown (w1), partners-listed unanswered (w1)
    #   = 100 * (2 * 0.5) / 4 = 25.0; emergency: hotline 4/4 = 100; post-crisis: only n/a = None
    scores = score(*fixture_pair())
    assert [p.tally.score for p in scores.phases] == [25.0, 100.0, None]
    assert scores.overall == pytest.approx(62.5)
    assert scores.coverage == pytest.approx(4 / 5)
    pre = scores.phase("pre-crisis")
    assert [s.tally.score for s in pre.sections] == [pytest.approx(100 / 3), 0.0]
    assert (pre.tally.unknown, pre.tally.unanswered, pre.tally.answered) == (1, 1, 2)


def test_items_for_other_roles_are_left_out_unless_asked_for() -> None:
    assessment, checklist = fixture_pair()
    scores = score(assessment, checklist)
    assert "travel-documents" not in {r.item.id for r in scores.results}
    everything = score(assessment, checklist, all_roles=True)
    assert "travel-documents" in {r.item.id for r in everything.results}
    # emergency now holds hotline (w3, 4/4) and travel-documents (w3, unanswered): 50
    assert everything.phase("emergency").tally.score == pytest.approx(50.0)


def test_a_ministry_sees_only_its_items_and_the_shared_ones() -> None:
    scores = score(blank("ministry"), CHECKLIST)
    assert {r.item.id for r in scores.results} == {
        "plan-written",
        "plan-tested",
        "travel-documents",
        "lessons",
    }


def test_a_section_with_no_counting_item_has_no_score_not_zero() -> None:
    scores = score(blank("ministry"), CHECKLIST)
    partners = scores.phase("pre-crisis").sections[1]
    assert partners.tally.applicable == 0
    assert partners.tally.score is None


def test_the_overall_score_is_the_mean_of_the_phase_scores_that_exist() -> None:
    assessment = blank(
        **{
            "plan-written": Answer(level=4),
            "hotline": Answer(level=0),
            "lessons": Answer(level="n/a"),
        }
    )
    scores = score(assessment, CHECKLIST)
    # pre: 100*(2*1)/4 = 50; emergency: 0; post: None -> overall 25
    assert [p.tally.score for p in scores.phases] == [50.0, 0.0, None]
    assert scores.overall == 25.0


def test_nothing_answered_scores_zero_with_no_coverage() -> None:
    scores = score(blank(), CHECKLIST)
    assert scores.overall == 0.0
    assert scores.coverage == 0.0


def test_gaps_are_ordered_by_priority_with_their_impact() -> None:
    found = gaps(*fixture_pair())
    assert [(g.item.id, g.priority) for g in found] == [
        ("plan-tested", 4),  # weight 1 x (target 4 - 0)
        ("partners-listed", 3),  # weight 1 x (3 - 0)
        ("plan-written", 2),  # weight 2 x (3 - 2)
    ]
    first = found[0]
    assert first.impact_phase == pytest.approx(25.0)  # 100 * 1 * 4/4 / 4
    assert first.impact_overall == pytest.approx(12.5)  # two phases have a score
    assert first.blocked_by == ("plan-written",)
    assert first.level == "unknown" and first.effective_level == 0


def test_fixing_a_gap_gains_exactly_its_impact() -> None:
    assessment, checklist = fixture_pair()
    before = score(assessment, checklist)
    for gap in gaps(assessment, checklist):
        fixed = replace(
            assessment, answers={**assessment.answers, gap.item.id: Answer(level=gap.target)}
        )
        after = score(fixed, checklist)
        gained = after.phase(gap.phase).tally.score - before.phase(gap.phase).tally.score  # type: ignore[operator]
        assert gained == pytest.approx(gap.impact_phase)
        assert after.overall - before.overall == pytest.approx(gap.impact_overall)  # type: ignore[operator]


def test_n_a_items_are_never_gaps() -> None:
    assert "lessons" not in {g.item.id for g in gaps(*fixture_pair())}


def test_lenses_score_the_items_carrying_a_tag() -> None:
    found = {lens.tag: lens.scores for lens in lenses(*fixture_pair())}
    # children: partners-listed (pre, unanswered) and hotline (emergency, 4)
    assert found["children"].phase("pre-crisis").tally.score == 0.0
    assert found["children"].phase("emergency").tally.score == 100.0
    assert found["children"].overall == 50.0
    # planning: plan-written 2/4 (w2) and partners-listed 0 (w1) -> 100*1/3
    assert found["planning"].overall == pytest.approx(100 / 3)


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (None, None),
        (0.0, "Not ready"),
        (39.9, "Not ready"),
        (40.0, "Getting ready"),
        (69.9, "Getting ready"),
        (70.0, "Ready"),
        (100.0, "Ready"),
    ],
)
def test_bands_split_scores_at_40_and_70(value: float | None, name: str | None) -> None:
    band = band_of(value)
    assert (band.name if band else None) == name


# --------------------------------------------------------------------------- properties

ITEM_IDS = [item.id for item in CHECKLIST.items]
levels = st.one_of(st.none(), st.sampled_from([0, 1, 2, 3, 4, "n/a", "unknown"]))
answer_sets = st.fixed_dictionaries({i: levels for i in ITEM_IDS})
roles = st.sampled_from(["ngo", "ministry"])


def make(role: str, chosen: dict[str, object]) -> Assessment:
    return blank(role, **{k: Answer(level=v) for k, v in chosen.items() if v is not None})  # type: ignore[arg-type]


def all_scores(assessment: Assessment) -> list[float | None]:
    scores = score(assessment, CHECKLIST)
    values: list[float | None] = [scores.overall]
    for phase in scores.phases:
        values.append(phase.tally.score)
        values.extend(s.tally.score for s in phase.sections)
    return values


@settings(max_examples=300, deadline=None)
@given(role=roles, chosen=answer_sets)
def test_every_score_is_between_0_and_100_or_none(role: str, chosen: dict[str, object]) -> None:
    for value in all_scores(make(role, chosen)):
        assert value is None or 0.0 <= value <= 100.0


@settings(max_examples=300, deadline=None)
@given(role=roles, chosen=answer_sets, item=st.sampled_from(ITEM_IDS), data=st.data())
def test_raising_one_answer_never_lowers_any_score(
    role: str, chosen: dict[str, object], item: str, data: st.DataObject
) -> None:
    current = chosen[item]
    floor = current if isinstance(current, int) else 0
    if current == "n/a":
        return  # leaving n/a changes the denominator: not a raise
    higher = data.draw(st.integers(min_value=floor, max_value=4))
    before = all_scores(make(role, chosen))
    after = all_scores(make(role, {**chosen, item: higher}))
    for old, new in zip(before, after, strict=True):
        if old is not None:
            assert new is not None and new >= old - 1e-9


@settings(max_examples=300, deadline=None)
@given(role=roles, chosen=answer_sets, item=st.sampled_from(ITEM_IDS))
def test_marking_an_item_n_a_removes_it_from_every_denominator(
    role: str, chosen: dict[str, object], item: str
) -> None:
    scores = score(make(role, {**chosen, item: "n/a"}), CHECKLIST)
    assert all(r.item.id != item or not r.counts for r in scores.results)
    without = [i for i in ITEM_IDS if i != item]
    reference = score(
        make(role, {k: chosen[k] for k in without}),
        replace(CHECKLIST, items=tuple(i for i in CHECKLIST.items if i.id != item)),
    )
    assert [p.tally.score for p in scores.phases] == [p.tally.score for p in reference.phases]
    assert scores.overall == reference.overall


@settings(max_examples=300, deadline=None)
@given(role=roles, chosen=answer_sets, item=st.sampled_from(ITEM_IDS))
def test_unknown_and_unanswered_score_the_same(
    role: str, chosen: dict[str, object], item: str
) -> None:
    unknown = all_scores(make(role, {**chosen, item: "unknown"}))
    unanswered = all_scores(make(role, {**chosen, item: None}))
    assert unknown == unanswered


@settings(max_examples=200, deadline=None)
@given(role=roles, chosen=answer_sets, seed=st.randoms())
def test_gap_order_does_not_depend_on_answer_order(
    role: str, chosen: dict[str, object], seed: object
) -> None:
    items = list(chosen.items())
    seed.shuffle(items)  # type: ignore[attr-defined]
    first = [g.item.id for g in gaps(make(role, chosen), CHECKLIST)]
    second = [g.item.id for g in gaps(make(role, dict(items)), CHECKLIST)]
    assert first == second
    priorities = [g.priority for g in gaps(make(role, chosen), CHECKLIST)]
    assert priorities == sorted(priorities, reverse=True)
