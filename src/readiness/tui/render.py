"""Plain-text building blocks shared by the screens: scores, bars, bands, safe user text.

Everything that comes from a file (checklist prompts, notes, names) goes through
:func:`plain`, which removes control characters and returns a ``rich.text.Text`` that is
never parsed as markup: a note ``[bold]x[/bold]`` shows its brackets.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from readiness.model import NOT_APPLICABLE, UNKNOWN, Answer, Level
from readiness.report.text import band_name as band_name
from readiness.report.text import band_style as band_style
from readiness.report.text import bar as bar
from readiness.report.text import plain as plain
from readiness.scoring import Tally
from readiness.textsafe import shorten


def short(text: str | None, width: int, style: str = "") -> Text:
    return Text(shorten(text or "", width), style=style)


def score_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def scored(value: float | None, *, with_band: bool = False) -> Text:
    """A score coloured by its band, e.g. ``52 Getting ready``."""
    out = Text(score_text(value), style=f"bold {band_style(value)}")
    if with_band:
        out.append(f" {band_name(value)}", style=band_style(value))
    return out


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


class RenderOnce:
    """A Rich renderable (a Table) drawn once per width, then repeated.

    A Static measures its content's height by rendering it, renders it again to draw it,
    and again after each layout: opening the summary drew its table three times (10 ms
    each at 120 columns). The segments are kept per width and options (not per height:
    for renderables whose output does not depend on the height they are given, as a Table's
    does not). The renderable must not change afterwards.
    """

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        self._segments: dict[tuple[object, ...], list[Segment]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (
            options.min_width,
            options.max_width,
            options.justify,
            options.overflow,
            options.no_wrap,
            options.highlight,
            options.markup,
            options.is_terminal,
            options.encoding,
        )
        segments = self._segments.get(key)
        if segments is None:
            segments = self._segments[key] = list(console.render(self.renderable, options))
        return segments

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)
