"""The least any Typer CLI can cost: one command that prints one line.

``benchmarks/run.py`` times ``python benchmarks/floor_app.py`` as the Typer floor.
"""

import typer

app = typer.Typer(add_completion=False)


@app.command()
def main() -> None:
    """Print one line."""
    typer.echo("floor")


if __name__ == "__main__":
    app()
