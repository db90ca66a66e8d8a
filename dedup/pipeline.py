"""``wirecopy dedup``: readers -> (optional boilerplate removal) -> staged MinHash engine -> outputs.

Resume state lives beside the results, in ``.OUT.work/KEY/``, where KEY is a hash of everything the
stages' files depend on (the input folder and the input files' names, sizes and modification times,
the id field, every parameter, the batch size, the error policy, the work format and wirecopy's version): a rerun with the same KEY reuses what is there, any
other run computes afresh in its own folder, so stale stages are never mixed in. The results are
published into ``OUT`` in one swap (``core/outputs.py``) only when complete, so a failed or killed run
leaves the previous results (and their resume state) as they were; after a successful run the work
folders of other settings are removed.
"""

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib.metadata import version
from itertools import chain
from pathlib import Path

from wirecopy.core.errors import InputError
from wirecopy.core.line_rules import without_line_rule_boilerplate
from wirecopy.core.outputs import atomic_write_text, check_replaceable, held, in_use, made_parents, replace_folder

from .minhash import MinHashParams
from .outputs import write_outputs
from .readers import ID_FIELD, ON_ERROR, Rejected, check_id_field, input_files, input_fingerprint, no_documents, read_batches
from .stages import Progress, run_stages

BOILERPLATE = ("keep", "rules")
ENGINES = ("local", "spark")
RESULTS = "dedup results"  # the kind of output in core.outputs' marker
WORK_FORMAT = 4  # bump when a work file's content or layout changes: older work folders are not reused
MAX_BATCH_SIZE = 1_000_000


def work_root(out: Path) -> Path:
    return out.parent / f".{out.name}.work"


def work_folder(out: Path, settings: dict) -> Path:
    """The work folder of a run into ``out`` with these ``settings`` (its resume key)."""
    key = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]
    return work_root(out) / key


def check_options(on_error: str, boilerplate: str, engine: str, batch_size: int, workers: int, id_field: str = ID_FIELD) -> None:
    """The options that ``MinHashParams`` does not hold (the CLI checks them first, naming the option)."""
    for name, value, allowed in (("on_error", on_error, ON_ERROR), ("boilerplate", boilerplate, BOILERPLATE), ("engine", engine, ENGINES)):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, not {value!r}")
    if not 1 <= batch_size <= MAX_BATCH_SIZE or workers < 1:
        raise ValueError(f"batch_size must be in 1..{MAX_BATCH_SIZE:,} and workers >= 1")
    check_id_field(id_field)


def deduplicate(source: Path, out: Path, params: MinHashParams, on_error: str = "fail", boilerplate: str = "keep", batch_size: int = 5_000, progress: Progress = lambda stage, n: None, engine: str = "local", master: str | None = None, workers: int = 1, id_field: str = ID_FIELD) -> dict:
    """Deduplicate every document under ``source`` into ``out`` (resuming a killed run); returns the summary.

    A ``.jsonl`` or ``.parquet`` record's id is its ``id_field`` (a ``.txt`` file's, its path); the
    results call it ``id`` whatever the input named it (the summary's parameters say which field it
    was), so that every run's results have the same columns.
    Bad records stop the run (``on_error="fail"``) or are listed in ``out/rejected.jsonl`` (``"skip"``);
    files that are not inputs are listed in the summary. ``engine="spark"`` runs the stages on Spark
    (``master``: a Spark master URL; None leaves it to spark-submit, or ``local[*]``); the results are
    the same files. ``out`` is replaced only when it holds results of an earlier run (``core/outputs.py``).
    """
    check_options(on_error, boilerplate, engine, batch_size, workers, id_field)
    source = Path(source)
    out = check_replaceable(out, RESULTS, [source])
    if source.is_dir() and out.is_relative_to(source.resolve()):
        raise InputError(str(out), "-", "-", f"is inside the input folder {source}; the next run would read these results as input")
    files = input_files(source)
    settings = {"format": WORK_FORMAT, "wirecopy": version("wirecopy"), "input": input_fingerprint(files), "id_field": id_field, **params.as_dict(), "boilerplate": boilerplate, "batch_size": batch_size, "on_error": on_error, **({"engine": "spark"} if engine == "spark" else {})}  # Spark's work files are folders of parts
    work = work_folder(out, settings)
    if work_root(out).is_symlink() or (work_root(out).exists() and not work_root(out).is_dir()):
        raise InputError(str(work_root(out)), "-", "-", "is not a folder of dedup's resume state (a link or a file); move it away")
    with made_parents(out), _working_in(work):
        atomic_write_text(work / "settings.json", json.dumps(settings, indent=2, sort_keys=True) + "\n")
        # Shared page furniture would otherwise make unrelated articles look alike.
        clean = without_line_rule_boilerplate if boilerplate == "rules" else None
        if engine == "spark":
            from .spark_engine import deduplicate_spark  # pyspark is an optional extra; its executors read the input

            rejected = deduplicate_spark(source, files, work, params, on_error, clean, batch_size, progress, master, id_field=id_field)
        else:
            rejected: list[Rejected] = []
            documents = read_batches(files, batch_size, on_error=on_error, rejected=rejected, id_field=id_field)  # Arrow columns, no metadata: the results do not carry it
            first = next(documents, None)
            if first is None:
                raise no_documents(source, len(rejected), rejected[0] if rejected else None)
            run_stages(chain([first], documents), work, params, clean, progress, workers=workers)
        summary: dict = {}
        parameters = {**params.as_dict(), "boilerplate": boilerplate, "id_field": id_field}  # the summary says which field the results' ids came from
        replace_folder(out, RESULTS, lambda staging: summary.update(write_outputs(work, staging, parameters, rejected, files.skipped)), [source])
    _remove_other_work(out, keep=work)
    return summary


@contextmanager
def _working_in(work: Path) -> Iterator[None]:
    """Hold ``work`` for this run. If the run stops on bad input, the folder is removed when this run
    made it: a fixed input is another input (another key), so it would be of no use."""
    created = not work.exists()
    work.mkdir(parents=True, exist_ok=True)
    try:
        with held(work):
            yield
    except InputError:
        if created:
            shutil.rmtree(work, ignore_errors=True)
            with suppress(OSError):
                work.parent.rmdir()  # only when no other run's folder is there
        raise


def _is_work_folder(folder: Path) -> bool:
    """Whether ``folder`` is a work folder dedup made: a 16-hex-digit key with its settings.json."""
    if not (re.fullmatch(r"[0-9a-f]{16}", folder.name) and folder.is_dir() and not folder.is_symlink()):
        return False
    try:
        settings = json.loads((folder / "settings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(settings, dict) and {"format", "input"} <= set(settings)


def _remove_other_work(out: Path, keep: Path) -> None:
    """Work folders of earlier runs into ``out`` with other settings; nothing else that is there, and
    never one a live run holds."""
    for folder in sorted(work_root(out).iterdir()):
        if folder != keep and _is_work_folder(folder) and not in_use(folder):
            shutil.rmtree(folder)
