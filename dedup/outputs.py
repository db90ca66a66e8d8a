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
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import polars as pl
import yaml

from .readers import Rejected

SHARD_ROWS = 250_000


def _write_shards(frame: pl.DataFrame, folder: Path) -> int:
    """``frame`` in shards of ``SHARD_ROWS`` rows, written in parallel threads (polars' writer releases the GIL)."""
    folder.mkdir(parents=True, exist_ok=True)
    shards = max(1, -(-frame.height // SHARD_ROWS))

    def write(number: int) -> None:
        # One chunk and a fixed row-group size: polars otherwise cuts row groups where the frame's chunks
        # happen to end, which varies between runs, and the same results would not be the same bytes.
        shard = frame.slice(number * SHARD_ROWS, SHARD_ROWS).rechunk()
        shard.write_parquet(folder / f"part-{number:05d}.parquet", compression="zstd", statistics=False, row_group_size=SHARD_ROWS)

    with ThreadPoolExecutor(min(shards, os.cpu_count() or 1)) as pool:
        list(pool.map(write, range(shards)))
    return shards


def _write_rejected(path: Path, rejected: Iterable[Rejected]) -> int:
    """One JSON line per problem, streamed (the Spark engine's come from storage); returns how many."""
    count = 0
    with path.open("w", encoding="utf-8") as stream:
        for count, problem in enumerate(rejected, start=1):
            stream.write(json.dumps(problem.__dict__) + "\n")
    return count


def _in_order(frame: pl.DataFrame, key: np.ndarray) -> pl.DataFrame:
    """``frame`` sorted by ``key`` (one integer per row): as it is when already sorted (the local
    engine's work files are; the Spark engine's parts need not be)."""
    return frame if (key[1:] >= key[:-1]).all() else frame[np.argsort(key, kind="stable")]


def write_outputs(work: Path, out: Path, parameters: dict, rejected: Iterable[Rejected], skipped: list[Rejected]) -> dict:
    """Map the stages' document indexes back to ids and write the (empty, staging) result folder ``out``;
    returns the summary. Documents are numbered 0..n-1, so an index is a position in the ids (a gather,
    not a join: half the time at 1M)."""
    ids = pl.read_parquet(work / "batches" / "*.parquet", columns=["doc", "id"])
    ids = _in_order(ids, ids["doc"].to_numpy())
    clusters = pl.read_parquet(work / "clusters.parquet", columns=["doc", "cluster"])
    clusters = _in_order(clusters, clusters["doc"].to_numpy())
    if not (np.array_equal(ids["doc"].to_numpy(), np.arange(ids.height)) and np.array_equal(clusters["doc"].to_numpy(), np.arange(ids.height))):
        raise RuntimeError(f"{work}: the documents of batches/ and clusters.parquet are not numbered 0..n-1")
    names, cluster = ids["id"], clusters["cluster"].to_numpy()
    clusters = pl.DataFrame({"id": names, "cluster_id": names.gather(cluster), "cluster_size": np.bincount(cluster, minlength=len(cluster))[cluster].astype(np.int64), "keep": cluster == np.arange(len(cluster))})
    verified = pl.read_parquet(work / "verified.parquet", columns=["a", "b", "jaccard"])
    verified = _in_order(verified, verified["a"].to_numpy() * ids.height + verified["b"].to_numpy())
    pairs = pl.DataFrame({"id_a": names.gather(verified["a"]), "id_b": names.gather(verified["b"]), "jaccard": verified["jaccard"]})
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
