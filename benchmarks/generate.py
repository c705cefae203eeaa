"""Synthetic checklists and assessments in readiness's own formats, for ``make bench``.

Deterministic (fixed seeds), written under ``benchmarks/.data/`` (git-ignored). Checklists
have 100, 300, 1,000 and 5,000 items; assessment sets have 1, 100, 1,000 and 10,000 files
answering the 300-item checklist, and one assessment answers each checklist size. Run
``python benchmarks/generate.py [--quick]`` to build them (``--quick`` skips the
10,000-file set); files that already exist are kept, so a second run costs nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import tomli_w

DATA = Path(__file__).resolve().parent / ".data"
CHECKLIST_SIZES = (100, 300, 1_000, 5_000)
ASSESSMENT_COUNTS = (1, 100, 1_000, 10_000)
ASSESSED_SIZE = 300
"""The assessment sets answer the 300-item checklist (the size the targets name)."""
CHECKLIST_ID = "bench"
PHASES = ("pre-crisis", "emergency", "post-crisis")
ACTORS = ("ngo", "ministry", "employer")
WORDS = [
    "plan",
    "contact",
    "list",
    "hotline",
    "shelter",
    "consulate",
    "partner",
    "drill",
    "budget",
    "staff",
    "transport",
    "evacuation",
    "record",
    "lesson",
    "water",
    "food",
    "health",
    "document",
    "language",
]


def checklist_path(items: int) -> Path:
    return DATA / f"checklist-{items}.toml"


def assessments_dir(count: int) -> Path:
    return DATA / f"assessments-{count}"


def assessment_path(items: int) -> Path:
    """One assessment answering the ``items``-item checklist (for growth across sizes)."""
    return DATA / f"assessment-for-{items}.toml"


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def checklist_document(items: int, seed: int = 7) -> dict[str, object]:
    rng = random.Random(seed + items)
    sections_per_phase = max(1, items // 30)
    sections = [
        {"id": f"{phase}-s{n:03d}", "phase": phase, "title": f"{phase} section {n}"}
        for phase in PHASES
        for n in range(sections_per_phase)
    ]
    item_rows = []
    for n in range(items):
        section = sections[n * len(sections) // items]
        row: dict[str, object] = {
            "id": f"item-{n:05d}",
            "section": section["id"],
            "prompt": sentence(rng, 10) + "?",
            "guidance": sentence(rng, 20),
            "weight": rng.randint(1, 3),
            "tags": [rng.choice(("planning", "children", "health", "legal"))],
            "practices": [sentence(rng, 8)],
            "evidence": [sentence(rng, 6)],
            "refs": [{"source": "doc", "section": f"{rng.randint(1, 12)}"}],
        }
        if rng.random() < 0.3:
            row["actors"] = [rng.choice(ACTORS)]
        if n > 0 and rng.random() < 0.1:
            row["depends_on"] = [f"item-{rng.randrange(n):05d}"]
        item_rows.append(row)
    return {
        "format": "readiness-checklist/1",
        "id": CHECKLIST_ID,
        "version": "1.0.0",
        "title": f"Synthetic checklist with {items} items",
        "language": "en",
        "sources": [{"id": "doc", "title": "A source document", "year": 2016}],
        "scale": {
            "target": 3,
            "allow_not_applicable": True,
            "allow_unknown": True,
            "levels": [{"value": v, "label": f"Level {v}"} for v in range(5)],
        },
        "actors": [{"id": a, "label": a.title()} for a in ACTORS],
        "phases": [{"id": p, "title": p.title()} for p in PHASES],
        "sections": sections,
        "items": item_rows,
    }


def assessment_document(items: int, n: int, seed: int = 11) -> dict[str, object]:
    rng = random.Random(seed * 100_003 + n)
    answers: dict[str, dict[str, object]] = {}
    for i in range(items):
        roll = rng.random()
        if roll < 0.1:
            continue  # unanswered
        answer: dict[str, object] = {
            "level": "n/a" if roll < 0.13 else "unknown" if roll < 0.16 else rng.randint(0, 4)
        }
        if rng.random() < 0.3:
            answer["note"] = sentence(rng, 12)
            answer["confidence"] = rng.choice(("asserted", "documented", "tested"))
        if rng.random() < 0.1:
            answer["owner"] = rng.choice(("Rania", "Sami", "Ana"))
            answer["due"] = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
            answer["status"] = rng.choice(("not-started", "ongoing", "delayed", "done"))
        answers[f"item-{i:05d}"] = answer
    year = 2016 + n % 10
    return {
        "format": "readiness-assessment/1",
        "checklist": CHECKLIST_ID,
        "checklist_version": "1.0.0",
        "title": f"Self-assessment {year} of organization {n}",
        "date": dt.date(year, 1 + n % 12, 1 + n % 28),
        "assessors": ["Rania"],
        # 100 organizations with one assessment a year: what `history` groups and trends.
        "organization": {"name": f"Organization {n % 100}", "role": "ngo", "country": "LB"},
        "answers": answers,
    }


def write(path: Path, document: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(document), encoding="utf-8")


def generate(
    checklist_sizes: tuple[int, ...] = CHECKLIST_SIZES,
    assessment_counts: tuple[int, ...] = ASSESSMENT_COUNTS,
) -> None:
    for items in checklist_sizes:
        if not checklist_path(items).exists():
            write(checklist_path(items), checklist_document(items))
    for items in checklist_sizes:
        if not assessment_path(items).exists():
            write(assessment_path(items), assessment_document(items, 0))
    for count in assessment_counts:
        folder = assessments_dir(count)
        for n in range(count):
            path = folder / f"assessment-{n:05d}.toml"
            if not path.exists():
                write(path, assessment_document(ASSESSED_SIZE, n))


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    generate(assessment_counts=ASSESSMENT_COUNTS[:3] if quick else ASSESSMENT_COUNTS)
    print(f"synthetic data in {DATA}")
