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
import pyarrow as pa
import pyarrow.parquet as pq

from wirecopy.core.components import smallest_in_component

from .minhash import MinHashParams, band_keys, bucket_pairs, jaccard_in_parts, shingle_hashes, signatures
from .readers import Document, DocumentBatch

Progress = Callable[[str, int], None]  # (stage, units done since last call; 0 when the stage starts)
Stage = tuple[str, Callable[[], Path]]  # (name, run or resume it; returns its work file)
LaterStages = Callable[[Path, MinHashParams, int], list[Stage]]  # (work, params, documents) -> stages 2-4


def atomic_parquet(frame: pl.DataFrame, path: Path, compression: str = "zstd") -> None:
    """Write ``frame`` to ``path`` under a temporary name and rename it when whole; as one chunk, so that
    the row groups, and the bytes, do not depend on how the frame happened to be built."""
    temporary = path.with_name(f".{path.name}.partial")
    frame.rechunk().write_parquet(temporary, compression=compression, statistics=False)
    os.replace(temporary, path)


HashBatch = Callable[[Path, int, "list[str] | pa.Array", "list[str] | pa.Array", MinHashParams], object]  # (file, first doc, ids, texts, params)

# Stage 1's shingle sets and band keys, kept in memory for stages 2 and 3 of the same local run (which
# then need not read them back: 1.3 GB of Parquet lists at 1M documents, 5 s of the 9 s verification),
# per work folder and batch file: {work: {batch file: (first doc, {"shingles" | "keys": (values, lengths)})}}.
# Only ``run_stages`` with the local stages fills it, up to KEEP_BYTES; the batches beyond, or on disk
# from an earlier (resumed) run, are read back from their files as before.
_KEPT: dict[Path, dict[Path, tuple[int, dict[str, tuple[np.ndarray, np.ndarray]]]]] = {}
KEEP_BYTES = 2 * 2**30


def hash_batch(path: Path, offset: int, ids: "list[str] | pa.Array", texts: "list[str] | pa.Array", params: MinHashParams) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Stage 1 for one batch (run in a worker thread, or a Spark task): shingles, signatures and band
    keys, written; returns the list columns written, flat (values, offsets). ``ids`` and ``texts`` are
    lists or Arrow string arrays (``readers.DocumentBatch``: read in place)."""
    values, offsets = shingle_hashes(texts, params.ngram)
    keys = band_keys(signatures(values, offsets, params), params)
    key_offsets = np.arange(0, keys.size + 1, params.bands, dtype=np.int64)
    table = pa.table({
        "doc": pa.array(np.arange(offset, offset + len(ids), dtype=np.int64)),
        "id": pa.array(ids, pa.large_string()) if isinstance(ids, list) else ids.cast(pa.large_string()),
        "shingles": pa.LargeListArray.from_arrays(pa.array(offsets), pa.array(values)),
        "keys": pa.LargeListArray.from_arrays(pa.array(key_offsets), pa.array(keys.ravel())),
    })
    # Straight from the arrays (no polars frame, no copy), one row group; hashes neither compress (zstd
    # saved 10 % of the bytes for 2x the time) nor repeat (a dictionary is tried, then dropped): 35 % less
    # CPU than polars' writer, most of it the kernel's.
    temporary = path.with_name(f".{path.name}.partial")
    pq.write_table(table, temporary, compression="none", use_dictionary=False, write_statistics=False, row_group_size=max(1, len(ids)))
    os.replace(temporary, path)
    return {"shingles": (values, offsets), "keys": (keys.ravel(), key_offsets)}


def signature_stage(batches: Iterable[list[Document] | DocumentBatch], work: Path, params: MinHashParams, clean: Callable[[str], str] | None, progress: Progress, workers: int = 1, hasher: HashBatch = hash_batch) -> int:
    """Stage 1; returns the number of documents. Batches already on disk are skipped (resume).

    The reader runs here; batches are hashed by ``workers`` threads (at most ``workers`` + 1 batches in
    flight, so memory stays bounded), each writing its own file, so the result does not depend on which
    worker did what. Threads suffice: the compiled kernels and polars release the GIL, so only reading
    (and normalising the ~1 % of texts that ``minhash.shingle_hashes`` cannot read raw) is serial, and
    nothing is copied or started per worker. ``hasher`` is ``hash_batch`` or something that has it run
    elsewhere (the Spark engine's executors). A ``DocumentBatch`` goes to the hasher as Arrow arrays."""
    folder = work / "batches"
    folder.mkdir(parents=True, exist_ok=True)
    kept = _KEPT.get(work)
    offset = 0
    with ThreadPoolExecutor(workers) as pool:
        in_flight: deque[tuple[Future | None, int, Path, int]] = deque()
        for number, batch in enumerate(batches):
            path = folder / f"{number:05d}.parquet"
            job = None
            if not path.exists():
                if isinstance(batch, DocumentBatch):
                    ids, texts = batch.ids, (pa.array([clean(t) for t in batch.texts.to_pylist()], pa.large_string()) if clean else batch.texts)
                else:
                    ids, texts = [d.id for d in batch], [clean(d.text) if clean else d.text for d in batch]
                job = pool.submit(hasher, path, offset, ids, texts, params)
            in_flight.append((job, len(batch), path, offset))
            offset += len(batch)
            while len(in_flight) > workers:
                _finish(in_flight.popleft(), progress, kept)
        while in_flight:
            _finish(in_flight.popleft(), progress, kept)
    return offset


def _finish(entry: tuple[Future | None, int, Path, int], progress: Progress, kept: dict | None) -> None:
    job, size, path, offset = entry
    if job is not None:
        columns = job.result()  # re-raises a worker's error here
        if kept is not None and isinstance(columns, dict):
            held = sum(a.nbytes for _, parts in kept.values() for pair in parts.values() for a in pair)
            if held + sum(a.nbytes for pair in columns.values() for a in pair) <= KEEP_BYTES:
                kept[path] = (offset, columns)
    progress("signatures", size)


def candidate_stage(work: Path, params: MinHashParams) -> Path:
    """Stage 2: every pair of documents that share a band key, once (a < b); in a bucket of more than
    ``params.bucket_limit`` documents, only the pairs with its ``params.anchors`` smallest documents.
    One band at a time (bands in parallel threads: numpy's sort and the compiled walk release the GIL):
    sort the documents by key, and walk the runs of equal keys."""
    path = work / "candidates.parquet"
    if not path.exists():
        values, offsets = _batch_lists(work, "keys")
        keys = values.reshape(len(offsets) - 1, params.bands)
        n = len(keys)

        def codes_of(band: int) -> np.ndarray:
            pairs = bucket_pairs(np.ascontiguousarray(keys[:, band]), params.bucket_limit, params.anchors)
            return np.sort(pairs[:, 0] * n + pairs[:, 1])  # one code per pair (np.unique is 50x slower here)

        with ThreadPoolExecutor(_threads()) as pool:
            per_band = list(pool.map(codes_of, range(params.bands)))
        del values, keys
        codes = np.concatenate(per_band) if per_band else np.zeros(0, np.int64)
        del per_band
        codes.sort(kind="stable")  # a merge of the bands' sorted runs (timsort finds them)
        codes = codes[np.concatenate([[True], codes[1:] != codes[:-1]])] if len(codes) else codes
        atomic_parquet(pl.DataFrame({"a": codes // n, "b": codes % n}), path)
    return path


def _threads() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def verified_stage(work: Path, params: MinHashParams) -> Path:
    """Stage 3: exact Jaccard of each candidate pair; keep those at or above the threshold. The shingle
    sets of all documents are held once (8 bytes a shingle), a batch's flat arrays each, as stage 1
    kept them or as read back."""
    path = work / "verified.parquet"
    if not path.exists():
        parts = _batch_parts(work, "shingles")
        pairs = pl.read_parquet(work / "candidates.parquet")
        similarity = jaccard_in_parts(parts, pairs["a"].to_numpy(), pairs["b"].to_numpy(), params.threshold)  # below it: -1, dropped
        del parts
        atomic_parquet(pairs.with_columns(jaccard=similarity).filter(pl.col("jaccard") >= params.threshold), path)
    return path


def _batch_parts(work: Path, column: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """A list column of every batch (``keys`` or ``shingles``) as flat (values, offsets) per batch, in
    document order, after checking that the documents are numbered 0..n-1 in file order. Batches that
    this run kept in memory (``_KEPT``) are taken from there (and let go there); the others are read
    back, a batch at a time."""
    kept = _KEPT.get(work, {})
    parts, expected = [], 0
    for batch in sorted((work / "batches").glob("*.parquet")):
        if batch in kept and column in kept[batch][1]:
            first, columns = kept[batch]
            if first != expected:
                raise RuntimeError(f"{batch}: documents are not numbered {expected}.. in file order")
            parts.append(columns.pop(column))
            expected += len(parts[-1][1]) - 1
            continue
        table = pq.read_table(batch, columns=["doc", column])  # Arrow's buffers as numpy without copies (polars' explode copied: 1.6x slower)
        if not np.array_equal(table["doc"].to_numpy(), np.arange(expected, expected + table.num_rows)):
            raise RuntimeError(f"{batch}: documents are not numbered {expected}.. in file order")
        expected += table.num_rows
        lists = table[column].combine_chunks()
        offsets = lists.offsets.to_numpy()
        parts.append((lists.flatten().to_numpy(), (offsets - offsets[0]).astype(np.int64)))
    return parts


def _batch_lists(work: Path, column: str) -> tuple[np.ndarray, np.ndarray]:
    """``_batch_parts`` as one flat (values, offsets) indexed by document number; the flat values are
    filled part by part, each part let go once copied (reading all at once: 4.0 GiB peak at 1M instead
    of 3.5)."""
    parts = _batch_parts(work, column)
    offsets = np.zeros(sum(len(o) - 1 for _, o in parts) + 1, dtype=np.int64)
    np.cumsum(np.concatenate([np.diff(o) for _, o in parts]) if parts else [], out=offsets[1:])
    values, at = np.empty(offsets[-1], dtype=np.uint64), 0
    for number in range(len(parts)):
        (part, _), parts[number] = parts[number], None
        values[at : at + len(part)] = part
        at += len(part)
        del part
    return values, offsets


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


def run_stages(batches: Iterable[list[Document] | DocumentBatch], work: Path, params: MinHashParams, clean: Callable[[str], str] | None, progress: Progress, later_stages: LaterStages = local_stages, workers: int = 1, hasher: HashBatch = hash_batch) -> int:
    """Run (or resume) all stages in ``work``; returns the number of documents. The caller keys ``work``
    on everything the stages' files depend on (``pipeline.work_folder``), so whatever is there is reused.
    With the local stages, stage 1's lists are kept in memory for stages 2 and 3 (``_KEPT``)."""
    work.mkdir(parents=True, exist_ok=True)
    if later_stages is local_stages:
        _KEPT[work] = {}
    try:
        progress("signatures", 0)  # each stage reports 0 when it starts, so that its rate and time count from there
        documents = signature_stage(batches, work, params, clean, progress, workers, hasher)
        for name, stage in later_stages(work, params, documents):
            progress(name, 0)
            stage()
            progress(name, 1)
    finally:
        _KEPT.pop(work, None)
    return documents
