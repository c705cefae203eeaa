"""readiness: how ready is an organization to protect migrants caught in a crisis?

The package is a plain-Python core (model, loading, storage, scoring, compare, report)
with two thin faces over it: a Typer CLI (``readiness.cli``) and a Textual UI
(``readiness.tui``), which is imported only by the commands that open it.
"""

__version__ = "0.1.0"
