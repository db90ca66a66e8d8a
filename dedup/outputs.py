"""The results of a dedup run, as a folder ``load_dataset`` reads: sharded Parquet plus a card.

- ``clusters/part-NNNNN.parquet``: ``id``, ``cluster_id`` (the id of the cluster's first document in
  input order), ``cluster_size``, ``keep`` (true for that first document: the one to keep when
  deduplicating);
- ``pairs/part-NNNNN.parquet``: the verified duplicate pairs ``id_a``, ``id_b``, ``jaccard``;
- ``summary.json``: counts, parameters, and the files under the input that were not read
  (``skipped_files``); ``rejected.jsonl``: the bad records left out (``--on-error skip``);
  ``README.md``: the card with both configs.
"""

import json
from collections.abc import Iterable
from pathlib import Path

import polars as pl
import yaml

from .readers import Rejected

SHARD_ROWS = 250_000


def _write_shards(frame: pl.DataFrame, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    shards = max(1, -(-frame.height // SHARD_ROWS))
    for number in range(shards):
        # One chunk and a fixed row-group size: polars otherwise cuts row groups where the frame's chunks
        # happen to end, which varies between runs, and the same results would not be the same bytes.
        shard = frame.slice(number * SHARD_ROWS, SHARD_ROWS).rechunk()
        shard.write_parquet(folder / f"part-{number:05d}.parquet", compression="zstd", statistics=False, row_group_size=SHARD_ROWS)
    return shards


def _write_rejected(path: Path, rejected: Iterable[Rejected]) -> int:
    """One JSON line per problem, streamed (the Spark engine's come from storage); returns how many."""
    count = 0
    with path.open("w", encoding="utf-8") as stream:
        for count, problem in enumerate(rejected, start=1):
            stream.write(json.dumps(problem.__dict__) + "\n")
    return count


def write_outputs(work: Path, out: Path, parameters: dict, rejected: Iterable[Rejected], skipped: list[Rejected]) -> dict:
    """Join the stages' indexes back to ids and write the (empty, staging) result folder ``out``;
    returns the summary."""
    ids = pl.scan_parquet(work / "batches" / "*.parquet").select("doc", "id")
    clusters = (
        pl.scan_parquet(work / "clusters.parquet").join(ids, on="doc")
        .join(ids.rename({"doc": "cluster", "id": "cluster_id"}), on="cluster")
        .with_columns(cluster_size=pl.len().over("cluster"), keep=pl.col("doc") == pl.col("cluster"))
        .sort("doc").select("id", "cluster_id", pl.col("cluster_size").cast(pl.Int64), "keep").collect()
    )
    pairs = (
        pl.scan_parquet(work / "verified.parquet")
        .join(ids.rename({"doc": "a", "id": "id_a"}), on="a").join(ids.rename({"doc": "b", "id": "id_b"}), on="b")
        .sort("a", "b").select("id_a", "id_b", "jaccard").collect()
    )
    candidates = pl.scan_parquet(work / "candidates.parquet").select(pl.len()).collect().item()
    summary = {
        "documents": clusters.height,
        "clusters": int(clusters["keep"].sum()),
        "duplicates_removed": int(clusters.height - clusters["keep"].sum()),
        "largest_cluster": int(clusters["cluster_size"].max() or 0),
        "candidate_pairs": candidates,
        "verified_pairs": pairs.height,
        "rejected": _write_rejected(out / "rejected.jsonl", rejected),
        "skipped_files": [{"file": file.file, "reason": file.reason} for file in skipped],
        "parameters": parameters,
    }
    _write_shards(clusters, out / "clusters")
    _write_shards(pairs, out / "pairs")
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(_card(summary), encoding="utf-8")
    return summary


def _card(summary: dict) -> str:
    configs = [
        {"config_name": "clusters", "data_files": [{"split": "train", "path": "clusters/part-*.parquet"}], "default": True},
        {"config_name": "pairs", "data_files": [{"split": "train", "path": "pairs/part-*.parquet"}]},
    ]
    return (
        f"---\n{yaml.safe_dump({'configs': configs}, sort_keys=False)}---\n\n# wirecopy dedup results\n\n"
        f"{summary['documents']} documents in {summary['clusters']} clusters ({summary['duplicates_removed']} duplicates); "
        f"{summary['verified_pairs']} verified pairs out of {summary['candidate_pairs']} LSH candidates. "
        f"Parameters: `{json.dumps(summary['parameters'], sort_keys=True)}`.\n"
    )
