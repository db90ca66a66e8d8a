"""``wirecopy synth``: write a synthetic near-duplicate corpus with gold clusters, at any size.

The rows come from the seeded generator of the ``dedup_synthetic`` config (``synthetic.py``) over the real
news sentences of ``external/`` (ECB+ and Wikinews), so a corpus of a million documents has the same
families, transformations and boilerplate as the released ``dedup_synthetic`` config. The corpus is
written as Parquet shards that the dedup readers (columns ``id`` and ``text``) and
``load_dataset("parquet", ...)`` read; the gold is in the same rows (``cluster_id``, ``base_id``,
``transformations``, ``boilerplate_spans``).
"""

import itertools
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from wirecopy.core.outputs import replace_folder

from .arrow_types import arrow_schema
from .synthetic import sentence_pool, stream

SHARD_ROWS = 100_000


def corpus_schema() -> pa.Schema:
    """The released ``dedup_synthetic`` rows (``schema/``) as a corpus: ``doc_id`` named ``id``, the way
    the dedup readers and every dedup tool name it, and ``id``, ``text`` first."""
    row = arrow_schema("dedup_synthetic")
    rest = [field for field in row if field.name not in ("doc_id", "text")]
    return pa.schema([row.field("doc_id").with_name("id"), row.field("text"), *rest])


CORPUS = "synthetic corpus"  # the kind of output in core.outputs' marker


def write_corpus(external: Path, n: int, seed: int, out: Path) -> list[Path]:
    """Generate ``n`` rows with ``seed`` from the sentence pool of ``external`` and write them under
    ``out`` as ``part-XXXXX.parquet`` shards of ``SHARD_ROWS`` rows, streaming (memory does not grow with
    n); ``out`` is replaced only when complete, and only if an earlier ``write_corpus`` wrote it."""
    pool = sentence_pool(Path(external))
    schema = corpus_schema()

    def fill(staging: Path) -> None:
        rows = ({"id": r["doc_id"], **{k: r[k] for k in schema.names if k != "id"}} for r in stream(pool, n=n, seed=seed))
        for number in itertools.count():
            shard = list(itertools.islice(rows, SHARD_ROWS))
            if shard or number == 0:  # an empty corpus is one empty shard
                pq.write_table(pa.Table.from_pylist(shard, schema=schema), staging / f"part-{number:05d}.parquet", compression="zstd")
            if len(shard) < SHARD_ROWS:
                break

    out = replace_folder(out, CORPUS, fill, [external])
    return sorted(out.glob("part-*.parquet"))
