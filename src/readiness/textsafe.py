"""Making text from files safe to show: no terminal control sequences, no markup surprises.

User and checklist text is always rendered as plain text (``rich.text.Text``, Textual
``Content``), never as markup; this module removes what a terminal would act on.
"""

from __future__ import annotations

import re

# ANSI CSI / OSC / other ESC sequences, then any remaining C0/C1 control character
# except tab and newline.
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional overrides can make text read differently from what it is.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def clean(text: str, *, single_line: bool = False) -> str:
    """Text with terminal escape sequences and control characters removed.

    Bidi override characters are shown as visible placeholders; with ``single_line``,
    newlines and tabs become spaces.
    """
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _BIDI.sub("\ufffd", text)
    if single_line:
        text = " ".join(text.split())
    return text


def shorten(text: str, width: int) -> str:
    """One line at most ``width`` terminal cells wide, with an ellipsis when cut (a Chinese
    or Japanese character takes two cells)."""
    from rich.cells import cell_len, set_cell_size

    line = clean(text, single_line=True)
    if cell_len(line) <= width:
        return line
    return set_cell_size(line, max(width - 1, 0)).rstrip() + "…"
