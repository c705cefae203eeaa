"""The ``readiness`` command's entry point.

It imports the CLI itself so that a Ctrl-C pressed while Python is still loading the
modules ends the command as a Ctrl-C at any later moment does: exit code 130, no
traceback. (Typer turns a Ctrl-C during a command into the same exit.)
"""


def main() -> None:
    """Run the CLI; Ctrl-C at any moment, even during start-up, exits 130 quietly."""
    try:
        from readiness.cli import main as run

        run()
    except KeyboardInterrupt:
        raise SystemExit(130) from None
