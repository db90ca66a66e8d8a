"""The runner: pairs every task with the systems of its kind, scores them, writes the results. It
knows no kind: each task's kind (``task.kind``, ``kinds/``) supplies systems, inputs and evaluation.

Writes ``results/<task>.json`` (scores, system parameters, dataset and library versions, no
timestamps, so a rerun gives identical files) and ``results/results.md``, the table that README.md
and the dataset card embed between results markers (``builders.card.embed``).
"""

import json
from collections.abc import Iterator
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

from wirecopy.builders.documents import read_text
from wirecopy.builders.arrow_types import SPLITS
from wirecopy.core.errors import InputError
from wirecopy.core.layout import shard_path
from wirecopy.core.outputs import atomic_write_text, check_replaceable

from .pairs import PairScores
from .task import Task, TaskData
from .tasks import TASKS

RESULTS_FORMAT = 1
LIBRARIES = ("wirecopy", "datasets", "pyarrow", "polars", "scikit-learn", "rensa", "rapidfuzz", "bm25s", "model2vec", "trafilatura", "justext", "numpy")


def select(tasks: list[str] | None = None, systems: list[str] | None = None) -> dict[str, list[str]]:
    """The systems to run on each task: all tasks and all systems unless narrowed; a task none of whose
    systems is chosen is left out. Raises ``InputError`` naming the option and any unknown task or system."""
    unknown_tasks = sorted(set(tasks or []) - set(TASKS))
    if unknown_tasks:
        raise InputError("--task", "-", "-", f"unknown task(s) {unknown_tasks}; choose from {sorted(TASKS)}")
    chosen = {name: TASKS[name] for name in TASKS if not tasks or name in tasks}
    offered = {system for task in chosen.values() for system in task.kind.systems}
    unknown_systems = sorted(set(systems or []) - offered)
    reasons = {name: reason for task in chosen.values() for name, reason in task.kind.skipped.items() if name in unknown_systems}
    if reasons:
        name = min(reasons)
        raise InputError("--system", "-", "-", f"{name} cannot run here: {reasons[name]}")
    if unknown_systems:
        raise InputError("--system", "-", "-", f"unknown system(s) {unknown_systems} for task(s) {sorted(chosen)}; choose from {sorted(offered)}")
    runs = {name: [s for s in task.kind.systems if not systems or s in systems] for name, task in chosen.items()}
    return {name: names for name, names in runs.items() if names}


def release_has(dataset: Path, config: str) -> bool:
    """Whether the release in ``dataset`` holds ``config`` (every one of its shards)."""
    return all((Path(dataset) / shard_path(config, split)).is_file() for split in SPLITS[config])


def plan(task: Task, systems: list[str] | None = None) -> list[tuple[str, str]]:
    """(system, input variant) runs of a task, all systems of its kind unless ``systems`` narrows them."""
    names = [name for name in task.kind.systems if not systems or name in systems]
    return [(name, variant) for name in names for variant in task.variants]


def predictions(task: Task, data: TaskData, systems: list[str] | None = None) -> Iterator[tuple[str, str, object]]:
    """(system, input variant, prediction) for each run of ``plan``; each input variant is computed once."""
    inputs: dict[str, dict[str, object]] = {}
    for system, variant in plan(task, systems):
        if variant not in inputs:
            inputs[variant] = task.kind.inputs(data, variant)
        yield system, variant, task.kind.predict(system, inputs[variant])


def tuned_thresholds(task: Task, dataset: Path, systems: list[str] | None = None) -> dict[tuple[str, str], float | None]:
    """For a pairwise task with a validation split: each run's threshold of best pairwise F1 there."""
    if not task.kind.pairwise or "validation" not in task.splits:
        return {}
    validation = task.load(dataset, "validation")
    return {(system, variant): task.kind.tuned_threshold(validation, prediction) for system, variant, prediction in predictions(task, validation, systems)}


def run_task(task: Task, dataset: Path, systems: list[str] | None = None) -> dict:
    """Score the chosen (default: all) systems of ``task`` on the test split of the release in
    ``dataset``: at each system's a-priori threshold and, where the task has a validation split, also at
    the threshold tuned there (a second row, ``threshold_source`` says which)."""
    tuned = tuned_thresholds(task, dataset, systems)
    data = task.load(dataset, "test")
    results = []
    for system, variant, prediction in predictions(task, data, systems):
        runs = [("a priori", prediction)]
        if tuned.get((system, variant)) is not None:
            runs.append(("validation", replace(prediction, threshold=tuned[(system, variant)])))
        for source, run in runs:
            entry = {"system": system, "input": variant, "scores": task.kind.evaluate(task, data, run)}
            if isinstance(run, PairScores):
                entry["parameters"] = {**run.parameters, "threshold": run.threshold, "threshold_source": source}
            results.append(entry)
    return {
        "format_version": RESULTS_FORMAT,
        "task": task.name,
        "description": task.description,
        "dataset_version": json.loads((Path(dataset) / "checksums.json").read_text())["version"],
        "configs": list(task.configs),
        "primary_metric": task.primary_metric,
        "library_versions": {name: version(name) for name in LIBRARIES},
        "results": results,
        "skipped": dict(task.kind.skipped),  # the kind's optional systems that cannot run here, and why
    }


def cell_text(value: object) -> str:
    """A metric as the tables print it: three decimals, n/a for an undefined one."""
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def table_columns(result: dict) -> list[str]:
    """The columns of a task's table: its kind's, less those no run has (the JSON has every metric)."""
    return [c for c in TASKS[result["task"]].kind.table_columns if any(c in r["scores"] for r in result["results"])]


def markdown_table(result: dict) -> str:
    task = TASKS[result["task"]]
    columns = table_columns(result)
    header = ["system", "input", *columns]
    lines = [f"**{task.name}** (primary: `{task.primary_metric}`, dataset {result['dataset_version']}): {task.description}", ""]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in result["results"]:
        cells = {c: cell_text(r["scores"].get(c)) for c in columns}
        if r.get("parameters", {}).get("threshold_source") == "validation":
            cells["threshold"] += " (tuned)"
        lines.append("| " + " | ".join([r["system"], r["input"], *cells.values()]) + " |")
    lines += [f"\nNot run: `{name}` ({reason})." for name, reason in result.get("skipped", {}).items()]
    return "\n".join(lines)


def results_markdown(results: list[dict]) -> str:
    """The Markdown tables of several task results, as ``results/results.md`` holds them."""
    return "\n\n".join(markdown_table(r) for r in results) + "\n"


def run_benchmark(dataset: Path, results_dir: Path, tasks: list[str] | None = None, systems: list[str] | None = None, readme: Path | None = None) -> tuple[str, list[Path]]:
    """Run the chosen (default: all) tasks and systems on the release in ``dataset``; returns the table
    and the files written. Only a full run (nothing narrowed) writes: ``results_dir/<task>.json`` and
    ``results.md``, the table in the release's card (and so its manifest), and in ``readme`` when given.
    Raises ``InputError`` for an unknown task or system or a release it may not rewrite, before
    anything runs."""
    from wirecopy.builders.card import embed
    from wirecopy.builders.write import RELEASE, embed_results_in_release

    runs = select(tasks, systems)
    absent = {name: sorted(c for c in TASKS[name].configs if not release_has(dataset, c)) for name in runs}
    if tasks and any(absent[name] for name in runs):
        name = next(name for name in runs if absent[name])
        raise InputError("--task", "-", "-", f"{name} needs config(s) {absent[name]}, which the release in {dataset} does not hold")
    runs = {name: chosen for name, chosen in runs.items() if not absent[name]}  # a project's release may hold only its annotated configs
    full_run = not tasks and not systems
    if full_run:
        check_replaceable(dataset, RELEASE)  # its card gets the new table: refuse now, not after the run
    outcomes = [run_task(TASKS[name], dataset, chosen) for name, chosen in runs.items()]
    if not full_run:
        return results_markdown(outcomes), []
    table = write_results(outcomes, results_dir)
    written = [results_dir / f"{outcome['task']}.json" for outcome in outcomes] + [results_dir / "results.md"]
    embed_results_in_release(dataset, table)
    written.append(Path(dataset) / "README.md")
    if readme is not None:
        atomic_write_text(readme, embed(read_text(readme), table))
        written.append(readme)
    return table, written


def write_results(results: list[dict], results_dir: Path) -> str:
    """Write one JSON per task and the combined Markdown table (each file replaced in one rename); return the table."""
    results_dir.mkdir(parents=True, exist_ok=True)
    for result in results:
        atomic_write_text(results_dir / f"{result['task']}.json", json.dumps(result, indent=2) + "\n")
    table = results_markdown(results)
    atomic_write_text(results_dir / "results.md", table)
    return table
