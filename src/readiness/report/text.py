"""Rich ``Text`` building blocks shared by the terminal reports and the terminal UI.

Only ``rich.text`` is imported here: both faces draw the same bars and band colours, and
every piece of file text goes through :func:`plain`, so markup in a note is never parsed.
"""

from __future__ import annotations

from rich.text import Text

from readiness.scoring import band_of
from readiness.textsafe import clean


def plain(text: str | None, style: str = "", *, single_line: bool = False) -> Text:
    """User or checklist text as literal Text (markup never interpreted, controls removed)."""
    return Text(clean(text or "", single_line=single_line), style=style)


def band_name(value: float | None) -> str:
    band = band_of(value)
    return band.name if band else "no score"


def band_style(value: float | None) -> str:
    band = band_of(value)
    return band.style if band else "dim"


def bar(value: float | None, width: int = 20) -> Text:
    """A horizontal bar for a 0-100 score, coloured by band; empty cells stay visible in
    light and dark themes, and a missing score is a dotted line."""
    if value is None:
        return Text("·" * width, style="dim")
    filled = round(max(0.0, min(100.0, value)) * width / 100)
    return Text("█" * filled, style=band_style(value)) + Text("░" * (width - filled), style="dim")
