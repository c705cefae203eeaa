"""CSV and Markdown building blocks shared by every export.

Text from files is shown literally: Markdown punctuation is escaped, control characters
are removed, and CSV cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from readiness.textsafe import clean

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: ``=SUM(A1)`` becomes ``'=SUM(A1)``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # numbers stay numbers, negative ones included
    text = clean(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


def md(text: str | None) -> str:
    """Inline Markdown text shown literally (one line)."""
    return _MD_SPECIAL.sub(r"\\\1", clean(text or "", single_line=True))


def md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        lines.append("| " + " | ".join("" if v is None else str(v) for v in row) + " |")
    return "\n".join(lines) + "\n"
