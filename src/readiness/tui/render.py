"""Plain-text building blocks shared by the screens: scores, bars, bands, safe user text.

Everything that comes from a file (checklist prompts, notes, names) goes through
:func:`plain`, which removes control characters and returns a ``rich.text.Text`` that is
never parsed as markup: a note ``[bold]x[/bold]`` shows its brackets.
"""

from __future__ import annotations

from rich.text import Text

from readiness.model import NOT_APPLICABLE, UNKNOWN, Answer, Level
from readiness.scoring import Tally, band_of
from readiness.textsafe import clean, shorten


def plain(text: str | None, style: str = "", *, single_line: bool = False) -> Text:
    """User or checklist text as literal Text (markup never interpreted)."""
    return Text(clean(text or "", single_line=single_line), style=style)


def short(text: str | None, width: int, style: str = "") -> Text:
    return Text(shorten(text or "", width), style=style)


def score_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def band_name(value: float | None) -> str:
    band = band_of(value)
    return band.name if band else "no score"


def band_style(value: float | None) -> str:
    band = band_of(value)
    return band.style if band else "dim"


def scored(value: float | None, *, with_band: bool = False) -> Text:
    """A score coloured by its band, e.g. ``52 Getting ready``."""
    out = Text(score_text(value), style=f"bold {band_style(value)}")
    if with_band:
        out.append(f" {band_name(value)}", style=band_style(value))
    return out


def bar(value: float | None, width: int = 20) -> Text:
    """A horizontal bar for a 0-100 score; empty cells stay visible in light and dark themes."""
    if value is None:
        return Text("·" * width, style="dim")
    filled = round(max(0.0, min(100.0, value)) * width / 100)
    return Text("█" * filled, style=band_style(value)) + Text("░" * (width - filled), style="dim")


def progress(tally: Tally) -> str:
    return f"{tally.answered}/{tally.applicable}"


def level_mark(answer: Answer) -> Text:
    """What the navigation shows before an item: its level, n/a, ? or a dot."""
    level: Level | None = answer.level
    if level is None:
        mark = Text(" · ", style="dim")
    elif level == NOT_APPLICABLE:
        mark = Text("n/a", style="italic")
    elif level == UNKNOWN:
        mark = Text(" ? ", style="bold")
    else:
        mark = Text(f" {level} ", style="bold")
    if answer.carried_over:
        mark = Text("↺", style="bold yellow") + mark
    return mark


def level_word(level: Level | None, labels: dict[int, str]) -> str:
    if level is None:
        return "not answered"
    if level == NOT_APPLICABLE:
        return "n/a"
    if level == UNKNOWN:
        return "unknown"
    return f"{level} {labels.get(int(level), '')}".strip()
