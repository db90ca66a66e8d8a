"""The local deduplication engine: four stages, each persisted in a work folder (``pipeline.work_folder``:
one per input and settings) so that an interrupted run resumes where it stopped (a stage's files are
written to a temporary name and renamed when whole).

1. ``signatures``: read the input in batches; per batch, shingle hashes and LSH band keys (MinHash,
   ``minhash.py``); ``work/batches/NNNNN.parquet`` holds the documents' index and id. The hashes stay
   in memory for stages 2 and 3 (``Held``) and are written (``work/hashes/NNNNN.parquet``) only when
   they do not fit: on this machine writing 1.55 GB of them cost 4 s of CPU, more than computing them
   again. A run resumed before stage 3 hashes again the batches that its predecessor held.
2. ``candidates``: documents sharing a band key (in a giant bucket, the members and its anchors:
   ``minhash.py``); ``work/candidates.parquet`` (pairs of indexes).
3. ``verified``: exact Jaccard of each candidate pair's shingle sets (a compiled merge of sorted sets);
   the pairs at or above the threshold, ``work/verified.parquet``.
4. ``clusters``: connected components of the verified pairs (scipy's sparse graph routine, linear in
   documents + pairs); a cluster is named after its first document in input order.

Then ``outputs.py`` writes the sharded results. Every work file is documented in the README (Safety,
"Resume").
"""

import functools
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from wirecopy.core.components import smallest_in_component

from .minhash import MinHashParams, band_candidates, band_keys, jaccard_in_parts, shingle_hashes, signatures, sorted_union
from .readers import Document, DocumentBatch

Progress = Callable[[str, int], None]  # (stage, units done since last call; 0 when the stage starts)
Stage = tuple[str, Callable[[], Path]]  # (name, run or resume it; returns its work file)


def atomic_parquet(frame: pl.DataFrame, path: Path, compression: str = "zstd") -> None:
    """Write ``frame`` to ``path`` under a temporary name and rename it when whole; as one chunk, so that
    the row groups, and the bytes, do not depend on how the frame happened to be built."""
    temporary = path.with_name(f".{path.name}.partial")
    frame.rechunk().write_parquet(temporary, compression=compression, statistics=False)
    os.replace(temporary, path)


KEEP_BYTES = 2 * 2**30  # the shingle sets and keys of 1.4M documents of 1 KB; beyond, they are written


class Held:
    """What stage 1 of this run holds in memory for stages 2 and 3 (which then need not read it back),
    per batch number: (first document, {"shingles" | "keys": (values, offsets)}), up to ``budget`` bytes
    in all (1.55 GB at 1M documents). Workers call ``hold`` from their threads; a batch that does not fit
    is written (``hashes/NNNNN.parquet``) and read back."""

    def __init__(self, budget: int | None = None):
        self.budget, self.used, self.lists = KEEP_BYTES if budget is None else budget, 0, {}
        self.lock = threading.Lock()

    def hold(self, number: int, first: int, columns: dict[str, tuple[np.ndarray, np.ndarray]]) -> bool:
        size = sum(a.nbytes for lists in columns.values() for a in lists)
        with self.lock:
            if self.used + size > self.budget:
                return False
            self.used += size
            for column, lists in columns.items():
                self.lists[number, column] = (first, lists)
            return True

    def take(self, number: int, column: str) -> tuple[int, tuple[np.ndarray, np.ndarray]] | None:
        """The held lists (let go here: the caller owns them now), or None."""
        return self.lists.pop((number, column), None)


def hashed(texts: "list[str] | pa.Array", params: MinHashParams) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Stage 1's lists of a batch's documents, flat (values, offsets): ``shingles`` and LSH band ``keys``."""
    values, offsets = shingle_hashes(texts, params.ngram)
    keys = band_keys(signatures(values, offsets, params), params)
    return {"shingles": (values, offsets), "keys": (keys.ravel(), np.arange(0, keys.size + 1, params.bands, dtype=np.int64))}


def write_batch(path: Path, first: int, columns: dict) -> None:
    """A batch's work file: ``doc`` (numbered from ``first``), then ``columns`` (an ``id`` list or Arrow
    string array, and flat lists as (values, offsets)), under a temporary name renamed when whole.
    Straight from the arrays (no polars frame, no copy), one row group; hashes neither compress (zstd
    saved 10 % of the bytes for 2x the time) nor repeat (a dictionary is tried, then dropped): 35 % less
    CPU than polars' writer, most of it the kernel's."""
    arrays = {}
    for name, column in columns.items():
        if isinstance(column, tuple):
            arrays[name] = pa.LargeListArray.from_arrays(pa.array(column[1]), pa.array(column[0]))
        else:
            arrays[name] = pa.array(column, pa.large_string()) if isinstance(column, list) else column.cast(pa.large_string())
    rows = len(next(iter(arrays.values())))
    table = pa.table({"doc": pa.array(np.arange(first, first + rows, dtype=np.int64)), **arrays})
    temporary = path.with_name(f".{path.name}.partial")
    pq.write_table(table, temporary, compression="none", use_dictionary=False, write_statistics=False, row_group_size=max(1, rows))
    os.replace(temporary, path)


def hash_batch(path: Path, first: int, ids: "list[str] | pa.Array", texts: "list[str] | pa.Array", params: MinHashParams) -> None:
    """Stage 1 for one batch as the Spark engine's executors run it: one file with ``doc``, ``id``,
    ``shingles`` and ``keys``. ``ids`` and ``texts`` are lists or Arrow string arrays."""
    write_batch(path, first, {"id": ids, **hashed(texts, params)})


def _hash_local(work: Path, number: int, first: int, ids: "list[str] | pa.Array", texts: "list[str] | pa.Array", params: MinHashParams, held: Held, numbered: bool) -> None:
    """Stage 1 for one batch of the local engine (in a worker thread): its shingle sets and band keys
    are held in memory, or written to ``hashes/NNNNN.parquet`` when they do not fit; then, unless the
    batch is ``numbered`` already, its file ``batches/NNNNN.parquet`` (``doc``, ``id``), which marks it done."""
    columns = hashed(texts, params)
    if not held.hold(number, first, columns):
        write_batch(work / "hashes" / f"{number:05d}.parquet", first, columns)
    if not numbered:
        write_batch(work / "batches" / f"{number:05d}.parquet", first, {"id": ids})


def signature_stage(batches: Iterable[list[Document] | DocumentBatch], work: Path, params: MinHashParams, clean: Callable[[str], str] | None, progress: Progress, held: Held, workers: int = 1) -> int:
    """Stage 1; returns the number of documents. Batches already done are skipped (resume), unless
    stage 3 is still to run and the run that hashed them held their hashes in memory (not written):
    those are hashed again.

    The reader runs here; batches are hashed by ``workers`` threads (at most ``workers`` + 1 batches in
    flight, so memory stays bounded), each writing its own files, so the result does not depend on which
    worker did what. Threads suffice: the compiled kernels and Arrow's writer release the GIL, so only
    reading (and normalising the ~1 % of texts that ``minhash.shingle_hashes`` cannot read raw) is
    serial, and nothing is copied or started per worker. A ``DocumentBatch`` is hashed as Arrow arrays."""
    for folder in ("batches", "hashes"):
        (work / folder).mkdir(parents=True, exist_ok=True)
    hashes_needed = not (work / "verified.parquet").exists()
    offset = 0
    with ThreadPoolExecutor(workers) as pool:
        in_flight: deque[tuple[Future | None, int]] = deque()
        for number, batch in enumerate(batches):
            numbered = (work / "batches" / f"{number:05d}.parquet").exists()
            job = None
            if not numbered or (hashes_needed and not (work / "hashes" / f"{number:05d}.parquet").exists()):
                if isinstance(batch, DocumentBatch):
                    ids, texts = batch.ids, (pa.array([clean(t) for t in batch.texts.to_pylist()], pa.large_string()) if clean else batch.texts)
                else:
                    ids, texts = [d.id for d in batch], [clean(d.text) if clean else d.text for d in batch]
                job = pool.submit(_hash_local, work, number, offset, ids, texts, params, held, numbered)
            in_flight.append((job, len(batch)))
            offset += len(batch)
            while len(in_flight) > workers:
                _finish(*in_flight.popleft(), progress)
        while in_flight:
            _finish(*in_flight.popleft(), progress)
    return offset


def _finish(job: Future | None, size: int, progress: Progress) -> None:
    if job is not None:
        job.result()  # re-raises a worker's error here
    progress("signatures", size)


def candidate_stage(work: Path, params: MinHashParams, held: Held) -> Path:
    """Stage 2: every pair of documents that share a band key, once (a < b); in a bucket of more than
    ``params.bucket_limit`` documents, only the pairs with its ``params.anchors`` smallest documents.
    One band at a time (bands in parallel threads: numpy's sort and the compiled walk release the GIL):
    gather the band's keys, sort the documents by key, and walk the runs of equal keys; each thread
    merges its bands' pairs into one sorted set as it goes (``minhash.band_candidates``)."""
    path = work / "candidates.parquet"
    if not path.exists():
        parts = [values.reshape(-1, params.bands) for values, _ in _batch_parts(work, "keys", held)]  # documents x bands, a batch each
        n, threads = sum(len(part) for part in parts), _threads()

        def codes_of(bands: range) -> np.ndarray:
            # One buffer of keys reused from band to band: fresh memory costs page faults (a bands x
            # documents array of all keys took 0.5 s at 1M, most of it the kernel's, against 0.05 s).
            keys = np.empty(n, np.uint64)

            def keys_of(band: int) -> np.ndarray:
                return np.concatenate([part[:, band] for part in parts] or [np.zeros(0, np.uint64)], out=keys)

            return band_candidates(keys_of, bands, params.bucket_limit, params.anchors)

        def both(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            out = np.empty(len(a) + len(b), np.int64)
            return out[: sorted_union(a, b, out)]

        with ThreadPoolExecutor(threads) as pool:
            codes = functools.reduce(both, pool.map(codes_of, [range(t, params.bands, threads) for t in range(threads)]))
        del parts
        atomic_parquet(pl.DataFrame({"a": codes // n, "b": codes % n}), path)
    return path


def _threads() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def verified_stage(work: Path, params: MinHashParams, held: Held) -> Path:
    """Stage 3: exact Jaccard of each candidate pair; keep those at or above the threshold. The shingle
    sets of all documents are held once (8 bytes a shingle), a batch's flat arrays each, as stage 1
    held them or as read back from ``hashes/``."""
    path = work / "verified.parquet"
    if not path.exists():
        parts = _batch_parts(work, "shingles", held)
        pairs = pl.read_parquet(work / "candidates.parquet")
        similarity = jaccard_in_parts(parts, pairs["a"].to_numpy(), pairs["b"].to_numpy(), params.threshold)  # below it: -1, dropped
        del parts
        atomic_parquet(pairs.with_columns(jaccard=similarity).filter(pl.col("jaccard") >= params.threshold), path)
    return path


def _batch_parts(work: Path, column: str, held: Held) -> list[tuple[np.ndarray, np.ndarray]]:
    """A list column of every batch (``keys`` or ``shingles``) as flat (values, offsets) per batch, in
    document order, after checking that the documents are numbered 0..n-1 in batch order. Lists held
    in memory are taken from there; the others are read back from ``hashes/``, a batch at a time."""
    parts, expected = [], 0
    for number in range(len(list((work / "batches").glob("*.parquet")))):
        taken = held.take(number, column)
        if taken is None:
            path = work / "hashes" / f"{number:05d}.parquet"
            table = pq.read_table(path, columns=["doc", column])  # Arrow's buffers as numpy without copies (polars' explode copied: 1.6x slower)
            first, lists = int(table["doc"][0].as_py()) if table.num_rows else expected, table[column].combine_chunks()
            if not np.array_equal(table["doc"].to_numpy(), np.arange(first, first + table.num_rows)):
                raise RuntimeError(f"{path}: documents are not numbered consecutively")
            offsets = lists.offsets.to_numpy()
            taken = (first, (lists.flatten().to_numpy(), (offsets - offsets[0]).astype(np.int64)))
        first, part = taken
        if first != expected:
            raise RuntimeError(f"{work / 'hashes'} batch {number}: documents are not numbered {expected}.. in batch order")
        parts.append(part)
        expected += len(part[1]) - 1
    return parts


def cluster_stage(work: Path, documents: int) -> Path:
    """Stage 4: connected components; each document's cluster is the smallest document index in it."""
    path = work / "clusters.parquet"
    if not path.exists():
        pairs = pl.read_parquet(work / "verified.parquet", columns=["a", "b"])
        clusters = smallest_in_component(documents, pairs["a"].to_numpy(), pairs["b"].to_numpy())
        atomic_parquet(pl.DataFrame({"doc": np.arange(documents, dtype=np.int64), "cluster": clusters}), path)
    return path


def run_stages(batches: Iterable[list[Document] | DocumentBatch], work: Path, params: MinHashParams, clean: Callable[[str], str] | None, progress: Progress, workers: int = 1) -> int:
    """Run (or resume) all stages in ``work``; returns the number of documents. The caller keys ``work``
    on everything the stages' files depend on (``pipeline.work_folder``), so whatever is there is reused.
    Stage 1's lists are held in memory for stages 2 and 3 up to ``KEEP_BYTES`` (``Held``)."""
    work.mkdir(parents=True, exist_ok=True)
    held = Held()
    progress("signatures", 0)  # each stage reports 0 when it starts, so that its rate and time count from there
    documents = signature_stage(batches, work, params, clean, progress, held, workers)
    stages: list[Stage] = [
        ("candidates", lambda: candidate_stage(work, params, held)),
        ("verified", lambda: verified_stage(work, params, held)),
        ("clusters", lambda: cluster_stage(work, documents)),
    ]
    for name, stage in stages:
        progress(name, 0)
        stage()
        progress(name, 1)
    return documents
