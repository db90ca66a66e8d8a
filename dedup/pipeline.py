"""``wirecopy dedup``: readers -> (optional boilerplate removal) -> staged MinHash engine -> outputs."""

import json
from itertools import chain
from pathlib import Path

from wirecopy.benchmarks.boilerplate_systems import without_line_rule_boilerplate
from wirecopy.builders.errors import BuildError

from .minhash import MinHashParams
from .outputs import write_outputs
from .readers import Rejected, batched, input_fingerprint, read_documents
from .stages import Progress, run_stages

BOILERPLATE = ("keep", "rules")
ENGINES = ("local", "spark")


def deduplicate(source: Path, out: Path, params: MinHashParams, on_error: str = "fail", boilerplate: str = "keep", batch_size: int = 5_000, progress: Progress = lambda stage, n: None, engine: str = "local", master: str | None = None, workers: int = 1) -> dict:
    """Deduplicate every document under ``source`` into ``out`` (resuming from ``out/work``); returns the summary.

    Bad records stop the run (``on_error="fail"``) or are listed in ``out/rejected.jsonl`` (``"skip"``).
    ``engine="spark"`` runs the candidate, verification and clustering stages on Spark (``master``: a
    Spark master URL; None leaves it to spark-submit, or ``local[*]``); the results are the same files.
    """
    if boilerplate not in BOILERPLATE:
        raise ValueError(f"boilerplate must be one of {BOILERPLATE}")
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}")
    out = Path(out)
    rejected: list[Rejected] = []
    documents = read_documents(source, on_error=on_error, rejected=rejected, metadata=False)  # the results do not carry it
    first = next(documents, None)
    if first is None:
        _write_rejected(out, rejected)
        raise BuildError(str(source), "-", "-", f"no documents to deduplicate ({len(rejected)} rejected: see {out / 'rejected.jsonl'})")
    documents = chain([first], documents)
    # Shared page furniture would otherwise make unrelated articles look alike.
    clean = without_line_rule_boilerplate if boilerplate == "rules" else None
    if engine == "spark":
        from .spark_engine import run_stages_spark  # pyspark is an optional extra

        run_stages_spark(batched(documents, batch_size), out / "work", params, clean, progress, master, input_fingerprint(source), workers)
    else:
        run_stages(batched(documents, batch_size), out / "work", params, clean, progress, input_fingerprint=input_fingerprint(source), workers=workers)
    summary = write_outputs(out / "work", out, {**params.as_dict(), "boilerplate": boilerplate})
    _write_rejected(out, rejected)
    summary["rejected"] = len(rejected)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def _write_rejected(out: Path, rejected: list[Rejected]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "rejected.jsonl").open("w", encoding="utf-8") as stream:
        for problem in rejected:
            stream.write(json.dumps(problem.__dict__) + "\n")
