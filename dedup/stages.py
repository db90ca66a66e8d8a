"""The local deduplication engine: four stages, each persisted in a work folder (``pipeline.work_folder``:
one per input and settings) so that an interrupted run resumes where it stopped (a stage's files are
written to a temporary name and renamed when whole).

1. ``signatures``: read the input in batches; per batch write ``work/batches/NNNNN.parquet`` with the
   documents' index, id, shingle hashes and LSH band keys (MinHash, ``minhash.py``).
2. ``candidates``: documents sharing a band key (in a giant bucket, the members and its anchors:
   ``minhash.py``); ``work/candidates.parquet`` (pairs of indexes).
3. ``verified``: exact Jaccard of each candidate pair's shingle sets (a compiled merge of sorted sets);
   the pairs at or above the threshold, ``work/verified.parquet``.
4. ``clusters``: connected components of the verified pairs (scipy's sparse graph routine, linear in
   documents + pairs); a cluster is named after its first document in input order.

Then ``outputs.py`` writes the sharded results. Every work file is documented in the README (Safety,
"Resume").
"""

import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq

from wirecopy.core.components import smallest_in_component

from .minhash import MinHashParams, as_lists, band_keys, bucket_pairs, jaccard, shingle_hashes, signatures
from .readers import Document

Progress = Callable[[str, int], None]  # (stage, units done since last call; 0 when the stage starts)
Stage = tuple[str, Callable[[], Path]]  # (name, run or resume it; returns its work file)
LaterStages = Callable[[Path, MinHashParams, int], list[Stage]]  # (work, params, documents) -> stages 2-4


def atomic_parquet(frame: pl.DataFrame, path: Path, compression: str = "zstd") -> None:
    """Write ``frame`` to ``path`` under a temporary name and rename it when whole (the Spark engine
    writes its stages through this too, so both engines' files are byte-identical)."""
    temporary = path.with_name(f".{path.name}.partial")
    frame.write_parquet(temporary, compression=compression, statistics=False)
    os.replace(temporary, path)


HashBatch = Callable[[Path, int, list[str], list[str], MinHashParams], None]  # (file, first doc, ids, texts, params)


def hash_batch(path: Path, offset: int, ids: list[str], texts: list[str], params: MinHashParams) -> None:
    """Stage 1 for one batch (run in a worker thread, or a Spark task): shingles, signatures and band keys, written."""
    values, offsets = shingle_hashes(texts, params.ngram)
    keys = band_keys(signatures(values, offsets, params), params)
    atomic_parquet(pl.DataFrame({
        "doc": pl.Series(np.arange(offset, offset + len(ids), dtype=np.int64)),
        "id": ids,
        "shingles": as_lists(values, offsets),
        "keys": as_lists(keys.ravel(), np.arange(0, keys.size + 1, params.bands, dtype=np.int64)),
    }), path, compression="uncompressed")  # hashes do not compress: zstd saved 10 % of the bytes for 2x the time


def signature_stage(batches: Iterable[list[Document]], work: Path, params: MinHashParams, clean: Callable[[str], str] | None, progress: Progress, workers: int = 1, hasher: HashBatch = hash_batch) -> int:
    """Stage 1; returns the number of documents. Batches already on disk are skipped (resume).

    The reader runs here; batches are hashed by ``workers`` threads (at most ``workers`` + 1 batches in
    flight, so memory stays bounded), each writing its own file, so the result does not depend on which
    worker did what. Threads suffice: the compiled kernels and polars release the GIL, so only reading
    (and normalising the ~1 % of texts that ``minhash.shingle_hashes`` cannot read raw) is serial, and
    nothing is copied or started per worker. ``hasher`` is ``hash_batch`` or something that has it run
    elsewhere (the Spark engine's executors)."""
    folder = work / "batches"
    folder.mkdir(parents=True, exist_ok=True)
    offset = 0
    with ThreadPoolExecutor(workers) as pool:
        in_flight: deque[tuple[Future | None, int]] = deque()
        for number, batch in enumerate(batches):
            path = folder / f"{number:05d}.parquet"
            job = None
            if not path.exists():
                job = pool.submit(hasher, path, offset, [d.id for d in batch], [clean(d.text) if clean else d.text for d in batch], params)
            in_flight.append((job, len(batch)))
            offset += len(batch)
            while len(in_flight) > workers:
                _finish(in_flight.popleft(), progress)
        while in_flight:
            _finish(in_flight.popleft(), progress)
    return offset


def _finish(entry: tuple[Future | None, int], progress: Progress) -> None:
    job, size = entry
    if job is not None:
        job.result()  # re-raises a worker's error here
    progress("signatures", size)


def candidate_stage(work: Path, params: MinHashParams) -> Path:
    """Stage 2: every pair of documents that share a band key, once (a < b); in a bucket of more than
    ``params.bucket_limit`` documents, only the pairs with its ``params.anchors`` smallest documents.
    One band at a time: sort the documents by key, and walk the runs of equal keys."""
    path = work / "candidates.parquet"
    if not path.exists():
        values, offsets = _batch_lists(work, "keys")
        keys = values.reshape(len(offsets) - 1, params.bands)
        pairs = np.concatenate([bucket_pairs(keys[:, band], params.bucket_limit, params.anchors) for band in range(params.bands)])
        codes = np.sort(pairs[:, 0] * len(keys) + pairs[:, 1])  # one code per pair (np.unique is 50x slower here)
        codes = codes[np.concatenate([[True], codes[1:] != codes[:-1]])] if len(codes) else codes
        atomic_parquet(pl.DataFrame({"a": codes // len(keys), "b": codes % len(keys)}), path)
    return path


def verified_stage(work: Path, params: MinHashParams) -> Path:
    """Stage 3: exact Jaccard of each candidate pair; keep those at or above the threshold. The shingle
    sets of all documents are held once, flat (8 bytes a shingle)."""
    path = work / "verified.parquet"
    if not path.exists():
        values, offsets = _batch_lists(work, "shingles")
        pairs = pl.read_parquet(work / "candidates.parquet")
        similarity = jaccard(values, offsets, pairs["a"].to_numpy(), pairs["b"].to_numpy())
        atomic_parquet(pairs.with_columns(jaccard=similarity).filter(pl.col("jaccard") >= params.threshold), path)
    return path


def _batch_lists(work: Path, column: str) -> tuple[np.ndarray, np.ndarray]:
    """A list column of every batch (``keys`` or ``shingles``), flat and indexed by document number,
    after checking that the documents are numbered 0..n-1 in file order. Read a batch at a time, so
    only one batch's list column is held beside the flat values (reading all at once: 4.0 GiB peak at
    1M instead of 3.5)."""
    values, lengths, expected = [], [], 0
    for batch in sorted((work / "batches").glob("*.parquet")):
        table = pq.read_table(batch, columns=["doc", column])  # Arrow's buffers as numpy without copies (polars' explode copied: 1.6x slower)
        if not np.array_equal(table["doc"].to_numpy(), np.arange(expected, expected + table.num_rows)):
            raise RuntimeError(f"{batch}: documents are not numbered {expected}.. in file order")
        expected += table.num_rows
        lists = table[column].combine_chunks()
        values.append(lists.flatten().to_numpy())
        lengths.append(np.diff(lists.offsets.to_numpy()))
    offsets = np.zeros(expected + 1, dtype=np.int64)
    np.cumsum(np.concatenate(lengths) if lengths else [], out=offsets[1:])
    return (np.concatenate(values) if values else np.zeros(0, np.uint64)), offsets


def cluster_stage(work: Path, documents: int) -> Path:
    """Stage 4: connected components; each document's cluster is the smallest document index in it."""
    path = work / "clusters.parquet"
    if not path.exists():
        pairs = pl.read_parquet(work / "verified.parquet", columns=["a", "b"])
        clusters = smallest_in_component(documents, pairs["a"].to_numpy(), pairs["b"].to_numpy())
        atomic_parquet(pl.DataFrame({"doc": np.arange(documents, dtype=np.int64), "cluster": clusters}), path)
    return path


def local_stages(work: Path, params: MinHashParams, documents: int) -> list[Stage]:
    """Stages 2-4 on this machine (polars and scipy); ``spark_engine.py`` has the distributed ones."""
    return [
        ("candidates", lambda: candidate_stage(work, params)),
        ("verified", lambda: verified_stage(work, params)),
        ("clusters", lambda: cluster_stage(work, documents)),
    ]


def run_stages(batches: Iterable[list[Document]], work: Path, params: MinHashParams, clean: Callable[[str], str] | None, progress: Progress, later_stages: LaterStages = local_stages, workers: int = 1, hasher: HashBatch = hash_batch) -> int:
    """Run (or resume) all stages in ``work``; returns the number of documents. The caller keys ``work``
    on everything the stages' files depend on (``pipeline.work_folder``), so whatever is there is reused."""
    work.mkdir(parents=True, exist_ok=True)
    progress("signatures", 0)  # each stage reports 0 when it starts, so that its rate and time count from there
    documents = signature_stage(batches, work, params, clean, progress, workers, hasher)
    for name, stage in later_stages(work, params, documents):
        progress(name, 0)
        stage()
        progress(name, 1)
    return documents
