"""``wirecopy synth``: write a synthetic near-duplicate corpus with gold clusters, at any size.

The rows come from the benchmark's seeded generator (``benchmarks/synthetic.py``) over the released
articles, so a corpus of a million documents has the same families, transformations and boilerplate
as the released ``dedup_synthetic`` config. The corpus is written as Parquet shards that the dedup
readers (columns ``id`` and ``text``) and ``load_dataset("parquet", ...)`` read; the gold is in the same
rows (``cluster_id``, ``base_id``, ``transformations``, ``boilerplate_spans``).
"""

import itertools
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from wirecopy.benchmarks.synthetic import stream
from wirecopy.builders.card import shard_path
from wirecopy.core.outputs import replace_folder
from wirecopy.core.tables import read_table

SHARD_ROWS = 100_000
SCHEMA = pa.schema([
    ("id", pa.string()),
    ("text", pa.string()),
    ("cluster_id", pa.string()),
    ("base_id", pa.string()),
    ("transformations", pa.list_(pa.string())),
    ("boilerplate_spans", pa.list_(pa.struct([("start", pa.int32()), ("end", pa.int32()), ("text", pa.string()), ("label", pa.string())]))),
])


CORPUS = "synthetic corpus"  # the kind of output in core.outputs' marker


def write_corpus(release: Path, n: int, seed: int, out: Path) -> list[Path]:
    """Generate ``n`` rows with ``seed`` from the articles of ``release`` and write them under ``out``
    as ``part-XXXXX.parquet`` shards of ``SHARD_ROWS`` rows, streaming (memory does not grow with n);
    ``out`` is replaced only when complete, and only if an earlier ``write_corpus`` wrote it."""
    articles = read_table(Path(release) / shard_path("articles")).to_pylist()

    def fill(staging: Path) -> None:
        rows = ({"id": r["doc_id"], **{k: r[k] for k in SCHEMA.names if k != "id"}} for r in stream(articles, n=n, seed=seed))
        for number in itertools.count():
            shard = list(itertools.islice(rows, SHARD_ROWS))
            if shard or number == 0:  # an empty corpus is one empty shard
                pq.write_table(pa.Table.from_pylist(shard, schema=SCHEMA), staging / f"part-{number:05d}.parquet", compression="zstd")
            if len(shard) < SHARD_ROWS:
                break

    out = replace_folder(out, CORPUS, fill, [release])
    return sorted(out.glob("part-*.parquet"))
