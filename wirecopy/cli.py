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
    results: Path = typer.Option(Path("results/results.md"), help="Benchmark table to embed in the card, when it exists (written by `wirecopy bench`)."),
) -> None:
    """Build the Parquet + Hugging Face release from the seeds and their annotations."""
    try:
        counts = build_release(seeds, out, results_table=results)
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


@app.command()
def explore(
    dataset: Path = typer.Option(Path("dataset"), help="Release folder to show."),
    results: Path = typer.Option(Path("results"), help="Benchmark results folder (written by `wirecopy bench`)."),
    out: Path = typer.Option(Path("site"), help="Folder to (re)write the static site into; replaced only once the site is complete."),
    task: list[str] = typer.Option(None, "--task", help="Draw curves and heatmaps for this pair task only (repeatable; they re-run its baselines). Default: all."),
) -> None:
    """Write a static HTML explorer of the release and the benchmark results (open OUT/index.html; no server needed)."""
    from wirecopy.benchmarks.tasks import TASKS
    from wirecopy.explorer.site import build_site

    unknown = sorted(set(task or []) - set(TASKS))
    if unknown:
        _fail(f"unknown task(s) {unknown}; choose from {sorted(TASKS)}")
    try:
        pages = build_site(dataset, results, out, plot_tasks=task or None)
    except BuildError as error:
        _fail(str(error))
    typer.echo(f"wrote {len(pages)} pages to {out}/; open {out / 'index.html'}")


def _require_release(dataset: Path) -> None:
    if not (dataset / "checksums.json").is_file():
        _fail(f"{dataset}: not a built release (no checksums.json); run `wirecopy build` first")


bench_app = typer.Typer(help="Benchmark tasks and baselines: run them, list them, score your own predictions.", pretty_exceptions_enable=False)
app.add_typer(bench_app, name="bench")


@bench_app.callback(invoke_without_command=True)
def bench(
    context: typer.Context,
    task: list[str] = typer.Option(None, "--task", help="Run only this task (repeatable). Default: all."),
    system: list[str] = typer.Option(None, "--system", help="Run only this system (repeatable). Default: all of the task's kind."),
    dataset: Path = typer.Option(Path("dataset"), help="Release folder to benchmark."),
    results: Path = typer.Option(Path("results"), help="Where a full run writes <task>.json and results.md."),
    readme: Path = typer.Option(Path("README.md"), help="README whose results section a full run replaces (skipped if missing)."),
) -> None:
    """Run every task with every baseline; a full run also embeds the table in README.md and the card."""
    if context.invoked_subcommand is not None:
        return
    import time

    from wirecopy.benchmarks.runner import results_markdown, run_task, select, write_results
    from wirecopy.benchmarks.tasks import TASKS
    from wirecopy.builders.card import embed_results
    from wirecopy.builders.write import embed_results_in_release

    try:
        runs = select(task, system)
    except KeyError as error:
        _fail(error.args[0])
    _require_release(dataset)
    started = time.perf_counter()
    outcomes = [run_task(TASKS[name], dataset, systems) for name, systems in runs.items()]
    full_run = not task and not system
    if full_run:
        table = write_results(outcomes, results)
        if readme.exists():
            readme.write_text(embed_results(readme.read_text(encoding="utf-8"), table), encoding="utf-8")
        embed_results_in_release(dataset, table)
    else:
        table = results_markdown(outcomes)
    typer.echo(table)
    typer.echo(f"benchmark finished in {time.perf_counter() - started:.1f} s" + (f"; results in {results}/" if full_run else " (partial run: nothing written)"))


@bench_app.command("list")
def bench_list() -> None:
    """List the tasks (kind, primary metric) and the systems that run on each."""
    from wirecopy.benchmarks.runner import SYSTEMS_BY_KIND
    from wirecopy.benchmarks.tasks import TASKS

    for task in TASKS.values():
        typer.echo(f"{task.name} [{task.kind}] primary={task.primary_metric}: {task.description}")
        typer.echo(f"    systems: {', '.join(SYSTEMS_BY_KIND[task.kind])}")


@bench_app.command("score")
def bench_score(
    task: str = typer.Option(..., "--task", help="Task to score against."),
    predictions: Path = typer.Option(..., "--predictions", help="JSONL file; format in `wirecopy bench score --help` and the README."),
    threshold: float = typer.Option(0.5, help="Pair tasks: scores at or above this are decided as matches."),
    dataset: Path = typer.Option(Path("dataset"), help="Release folder."),
) -> None:
    """Score your own system's predictions with the same code as the baselines.

    Pair tasks: one JSON object per line, {"id_a": ..., "id_b": ..., "score": float}.
    boilerplate_detection: {"article_id": ..., "spans": [[start, end], ...]}.
    """
    import json

    from wirecopy.benchmarks.predictions import read_pair_predictions, read_span_predictions
    from wirecopy.benchmarks.runner import evaluate
    from wirecopy.benchmarks.tasks import TASKS

    if task not in TASKS:
        _fail(f"unknown task {task!r}; choose from {sorted(TASKS)}")
    _require_release(dataset)
    chosen = TASKS[task]
    data = chosen.load(dataset)
    try:
        prediction = read_span_predictions(predictions, chosen, data) if chosen.kind == "spans" else read_pair_predictions(predictions, chosen, data, threshold)
    except BuildError as error:
        _fail(str(error))
    typer.echo(json.dumps({"task": task, "scores": evaluate(chosen, data, prediction)}, indent=2))
