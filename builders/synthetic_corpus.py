"""``wirecopy synth``: write a synthetic near-duplicate corpus with gold clusters, at any size.

The rows come from the seeded generator of the ``dedup_synthetic`` config (``synthetic.py``) over the real
news sentences of ``external/`` (ECB+ and Wikinews), so a corpus of a million documents has the same
families, transformations and boilerplate as the released ``dedup_synthetic`` config. The corpus is
written as Parquet shards with that config's columns, names and types (``schema/``: ``doc_id``,
``cluster_id``, ``base_id``, ``transformations``, ``text``, ``boilerplate_spans``), so code that reads
the release reads a corpus of any size alike; ``wirecopy dedup CORPUS --id-field doc_id`` and
``load_dataset("parquet", ...)`` read it, and the gold is in the same rows.
"""

import itertools
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from wirecopy.core.outputs import replace_folder

from .arrow_types import arrow_schema
from .synthetic import sentence_pool, stream

SHARD_ROWS = 100_000
CORPUS = "synthetic corpus"  # the kind of output in core.outputs' marker


def write_corpus(external: Path, n: int, seed: int, out: Path) -> list[Path]:
    """Generate ``n`` rows with ``seed`` from the sentence pool of ``external`` and write them under
    ``out`` as ``part-XXXXX.parquet`` shards of ``SHARD_ROWS`` rows, streaming (memory does not grow with
    n); ``out`` is replaced only when complete, and only if an earlier ``write_corpus`` wrote it."""
    pool = sentence_pool(Path(external))
    schema = arrow_schema("dedup_synthetic")

    def fill(staging: Path) -> None:
        rows = stream(pool, n=n, seed=seed)
        for number in itertools.count():
            shard = list(itertools.islice(rows, SHARD_ROWS))
            if shard or number == 0:  # an empty corpus is one empty shard
                pq.write_table(pa.Table.from_pylist(shard, schema=schema), staging / f"part-{number:05d}.parquet", compression="zstd")
            if len(shard) < SHARD_ROWS:
                break

    out = replace_folder(out, CORPUS, fill, [external])
    return sorted(out.glob("part-*.parquet"))
