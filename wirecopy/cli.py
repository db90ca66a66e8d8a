"""The ``wirecopy`` command: argument parsing only; the work is done by library functions."""

from pathlib import Path

import typer

from wirecopy import __version__
from wirecopy.builders.errors import BuildError
from wirecopy.builders.pipeline import build as build_release
from wirecopy.builders.validate import validate_release

app = typer.Typer(
    help=f"wirecopy {__version__}: build, check and benchmark the news-reuse dataset.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


@app.command()
def build(
    seeds: Path = typer.Option(Path("seeds"), help="Folder of seed texts (*.txt), their YAML sidecars and corpus.yaml."),
    out: Path = typer.Option(Path("dataset"), help="Release folder to (re)write; replaced only after a successful build."),
) -> None:
    """Build the Parquet + Hugging Face release from the seeds and their annotations."""
    try:
        counts = build_release(seeds, out)
    except BuildError as error:
        _fail(str(error))
    typer.echo(f"built {out}: " + ", ".join(f"{config} {rows} rows" for config, rows in counts.items()))


@app.command()
def validate(dataset: Path = typer.Argument(Path("dataset"), help="Release folder to check.")) -> None:
    """Check a built release: shard schemas, rows, spans, card metadata and checksums."""
    if not dataset.is_dir():
        _fail(f"{dataset}: not a folder")
    problems = validate_release(dataset)
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"{dataset}: valid")
