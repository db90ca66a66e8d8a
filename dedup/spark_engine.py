"""The Spark engine of ``wirecopy dedup`` (``--engine spark``): the local engine's stages as Spark jobs in
which the executors read, check, hash and write; the driver only plans the work (the sorted list of input
files, cut into splits), renames finished stages and collects small aggregates (documents per split,
newlines per JSONL range, whether the components are stars). ``outputs.py`` reads the partitioned stage
results (and the rejected records, which the executors write to ``rejected/`` in input order) and writes
files byte-identical to the local engine's.

- ``records`` (stage 1a): one Spark task per split (consecutive input files packed up to
  ``SPLIT_BYTES``, or a piece of a larger Parquet or JSONL file: ``plan_splits``) reads its files
  with ``readers.py``'s own code (the same rules and messages: ids, UTF-8, JSON, empty text, damaged
  Parquet) and writes one row per record or problem: its position (split, sequence number in the
  split: file order, then record order), its id and whether it is valid, never its text. Duplicate ids are then found by a group-by over these rows
  (an id's first valid record in position order is kept, the later ones are rejected as duplicates,
  as ``readers.read_documents`` does it in one pass), and the number of kept documents per split gives
  each split its first document number (a prefix sum over splits on the driver).
- ``batches`` (stage 1b): one task per split reads its files again, keeps the documents that the
  records stage kept, numbers them from the split's first number (so the numbering is the local
  engine's: file order, then record order) and hashes them in batches of ``batch_size`` with
  ``stages.hash_batch``, which writes ``batches/SPLIT-CHUNK.parquet``. Texts are never shuffled nor
  sent to the driver; reading twice costs less than moving them (parsing is cheap next to hashing).
- ``candidates``: band keys exploded to (doc, band, key) rows, self-joined on (band, key), pairs a < b,
  distinct; in a bucket over the limit only its anchors (ranked by a window over the bucket) join the members.
- ``verified``: both sides' shingle arrays joined in; Jaccard with the local engine's formula.
- ``clusters``: connected components by alternating large-star and small-star (Kiveris et al. 2014,
  "Connected Components in MapReduce and Beyond"), DataFrame joins and aggregates only; no machine
  holds the whole graph. Labels are each component's smallest document index, as locally.

Every stage is a folder of Parquet files written by the executors into ``.NAME.partial`` and renamed by
the driver when the job has succeeded, so a killed run leaves no stage that a resumed run would trust.
The work folder (and the input) must be on storage that the driver and the executors all see under
the same path (a local path for ``local[*]``, a shared file system on a cluster). Its files differ from
the local engine's (folders of parts, signed longs), so the engine is part of the resume key.
"""

import os
import shutil
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from wirecopy.core.errors import InputError

from . import readers
from .minhash import MinHashParams
from .readers import ID_FIELD, InputFiles, Rejected
from .stages import Progress, hash_batch

try:
    from pyspark.sql import Column, DataFrame, SparkSession, Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ImportError as missing:  # an optional extra: `pip install 'wirecopy[spark]'`
    raise ImportError("the spark engine needs pyspark: pip install 'wirecopy[spark]'") from missing

with warnings.catch_warnings():
    # pyspark imports this module on its first Python-to-JVM call, to check for pandas, and warns that
    # pandas 3 is not fully supported; this engine never goes through pandas (results come back as Arrow).
    warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
    import pyspark.testing.utils  # noqa: F401


@contextmanager
def spark_session(master: str | None) -> Iterator[SparkSession]:
    """The session already active in this process (a notebook's, a test's) as is, or a new one that is
    stopped afterwards. ``master=None`` leaves the master to spark-submit, or ``local[*]``. Executors
    hash batches with this package: unless ``PYSPARK_PYTHON`` names their interpreter, a local master
    runs them with this one (on a cluster, install wirecopy there and set ``PYSPARK_PYTHON`` or
    spark-submit's ``spark.pyspark.python``)."""
    active = SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    builder = SparkSession.builder.appName("wirecopy-dedup").config("spark.ui.showConsoleProgress", "false")  # it would garble the CLI's progress bars
    if master:
        builder = builder.master(master)
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # started by spark-submit, which sets the master and the workers' Python
    this_python = not os.environ.get("PYSPARK_PYTHON") and (master.startswith("local") if master else not submitted)
    if this_python:
        os.environ["PYSPARK_PYTHON"] = sys.executable  # pyspark reads it (and only it) when the context starts
    try:
        spark = builder.getOrCreate()
    finally:
        if this_python:
            del os.environ["PYSPARK_PYTHON"]
    try:
        yield spark
    finally:
        spark.stop()


def _signed(column: str) -> Column:
    """An array of Parquet unsigned 64-bit values (Spark reads them as ``decimal(20,0)``) as signed longs,
    reinterpreted in two's complement like numpy's ``view(np.int64)``: one-to-one, so equality, grouping
    and intersections are unchanged, and Spark intersects primitive longs instead of Decimal objects
    (the test corpus's verification: 9 s -> 3 s with a cold JIT, the same once it is warm)."""
    return F.expr(f"transform({column}, x -> CAST(IF(x >= 9223372036854775808BD, x - 18446744073709551616BD, x) AS BIGINT))").alias(column)


def read_batches(spark: SparkSession, work: Path) -> DataFrame:
    """Stage 1's documents: ``doc``, and ``shingles`` and band ``keys`` as arrays of longs."""
    return spark.read.parquet(_uri(work / "batches")).select("doc", _signed("shingles"), _signed("keys"))


def candidates(batches: DataFrame, params: MinHashParams) -> DataFrame:
    """Every pair (a < b) of documents sharing a key in the same band, once; in a bucket of more than
    ``params.bucket_limit`` documents only the pairs with its ``params.anchors`` smallest documents."""
    keyed = batches.select("doc", F.posexplode("keys").alias("band", "key"))
    bucket = Window.partitionBy("band", "key")
    partners = (
        keyed.withColumn("size", F.count("*").over(bucket)).withColumn("rank", F.row_number().over(bucket.orderBy("doc")))
        .where((F.col("size") <= params.bucket_limit) | (F.col("rank") <= params.anchors)).select("doc", "band", "key")
    )
    left, right = partners.alias("left"), keyed.alias("right")
    return (
        left.join(right, on=["band", "key"]).where(F.col("left.doc") < F.col("right.doc"))
        .select(F.col("left.doc").alias("a"), F.col("right.doc").alias("b")).distinct()
    )


def jaccard(a: Column, b: Column) -> Column:
    """``minhash.jaccard`` in Spark SQL: common / (|a| + |b| - common) as a float64 division of the same
    integers (so the same double), 1.0 for two empty sets."""
    common = F.size(F.array_intersect(a, b))
    union = F.size(a) + F.size(b) - common
    return F.when(union > 0, common.cast("double") / union.cast("double")).otherwise(F.lit(1.0))


def verified(pairs: DataFrame, batches: DataFrame, threshold: float) -> DataFrame:
    """The pairs whose exact shingle Jaccard is at least ``threshold``."""
    shingles = batches.select("doc", "shingles")
    return (
        pairs.join(shingles.withColumnsRenamed({"doc": "a", "shingles": "sa"}), on="a")
        .join(shingles.withColumnsRenamed({"doc": "b", "shingles": "sb"}), on="b")
        .select("a", "b", jaccard(F.col("sa"), F.col("sb")).alias("jaccard"))
        .where(F.col("jaccard") >= threshold)
    )


def _large_star(edges: DataFrame) -> DataFrame:
    """Each node links its larger neighbours to the smallest node of its neighbourhood, itself included.
    (It may give an edge twice; ``_small_star``, which always follows, returns distinct edges.)"""
    both = edges.select(F.col("node").alias("u"), F.col("parent").alias("v")).unionByName(edges.select(F.col("parent").alias("u"), F.col("node").alias("v")))
    smallest = F.least(F.col("u"), F.min("v").over(Window.partitionBy("u")))  # over all neighbours: Spark filters after a window unless the filter is on its partition key
    return both.withColumn("m", smallest).where(F.col("v") > F.col("u")).select(F.col("v").alias("node"), F.col("m").alias("parent"))


def _small_star(edges: DataFrame) -> DataFrame:
    """Each node links itself and its smaller neighbours (its parents) to the smallest of them."""
    with_smallest = edges.withColumn("m", F.min("parent").over(Window.partitionBy("node")))
    relinked = with_smallest.select(F.col("parent").alias("node"), F.col("m").alias("parent")).where(F.col("node") != F.col("parent"))
    return relinked.unionByName(with_smallest.select("node", F.col("m").alias("parent"))).distinct()


def _are_stars(edges: DataFrame) -> bool:
    """Whether every node hangs from exactly one parent that hangs from none (one aggregate over nodes
    and parents). Then each star is a whole component (both steps keep components) and its centre,
    smaller than its leaves, the component's minimum."""
    roles = edges.select(F.col("node").alias("id"), F.lit(1).alias("parents"), F.lit(False).alias("is_parent")).unionByName(
        edges.select(F.col("parent").alias("id"), F.lit(0).alias("parents"), F.lit(True).alias("is_parent")))
    per_id = roles.groupBy("id").agg(F.sum("parents").alias("parents"), F.max("is_parent").alias("is_parent"))
    return per_id.where((F.col("parents") > 1) | ((F.col("parents") == 1) & F.col("is_parent"))).isEmpty()


def connected_components(pairs: DataFrame, docs: DataFrame) -> DataFrame:
    """``doc``, ``cluster`` (the smallest doc of its component) for every doc of ``docs``, given the
    undirected edges ``pairs`` (a, b). Every edge points from a node to a smaller parent; large-star then
    small-star rounds repeat until the edges are stars around each component's minimum (O(log^2 n)
    rounds, in practice a handful). Each round is checkpointed so that the plan does not grow with the
    rounds; local checkpoints live on the executors, which is enough unless executors are lost mid-run."""
    edges = pairs.select(F.greatest("a", "b").alias("node"), F.least("a", "b").alias("parent")).where(F.col("node") != F.col("parent")).distinct().localCheckpoint()
    while not _are_stars(edges):
        edges = _small_star(_large_star(edges)).localCheckpoint()
    return (
        docs.join(edges, docs["doc"] == edges["node"], how="left")
        .select("doc", F.coalesce(F.col("parent"), F.col("doc")).alias("cluster"))
    )




# --- Splits: the unit of reading ------------------------------------------------------------------

SPLIT_BYTES = 64 << 20  # input bytes per split at most (one Spark task reads a split), as Spark's own files.maxPartitionBytes
MIN_SPLIT_BYTES = 4 << 20  # and at least (unless the input is smaller), as Spark's files.openCostInBytes
SPLIT_FILES = 1_000  # files per split at most (a folder of many small .txt files)
_BATCH_ROWS = 10_000  # Parquet rows per read, as read_documents reads them (a damaged file's "after row N" counts in these)
_SEQ_BITS = 32  # a record's position: split << 32 | sequence number in the split

Piece = tuple[str, int, int | None, int]  # (file, start, end or None: to the end, first line); Parquet files are cut in rows, JSONL in bytes


def split_size(files: InputFiles, parallelism: int) -> int:
    """Spark's rule for file splits: the input spread over the cores, within [MIN_SPLIT_BYTES, SPLIT_BYTES]."""
    total = sum(path.stat().st_size for path in files.read)
    return min(SPLIT_BYTES, max(MIN_SPLIT_BYTES, -(-total // max(1, parallelism))))


def plan_splits(files: InputFiles, split_bytes: int = SPLIT_BYTES, split_files: int = SPLIT_FILES) -> list[list[Piece]]:
    """The input files (in their fixed order) as consecutive splits of about ``split_bytes`` bytes and at
    most ``split_files`` files: small files are packed together, a larger Parquet file is cut into row
    ranges (each task decodes the rows before its range and skips them: cheap next to hashing), a larger
    ``.jsonl`` file into byte ranges (a line belongs to the range its first byte is in, as in Hadoop's
    text splits; ``number_lines`` then gives each range its first line number), and a ``.txt`` file
    (one document) is never cut."""
    splits: list[list[Piece]] = []
    size = split_bytes  # start a new split
    for path in files.read:
        length = path.stat().st_size
        kind = path.suffix.lower()
        if length > split_bytes and kind == ".parquet" and (rows := _parquet_rows(path)):
            step = max(1, -(-rows * split_bytes // length))
            splits.extend([(str(path), start, start + step if start + step < rows else None, 1)] for start in range(0, rows, step))
            size = split_bytes
            continue
        if length > split_bytes and kind == ".jsonl":
            splits.extend([(str(path), start, start + split_bytes if start + split_bytes < length else None, 1)] for start in range(0, length, split_bytes))
            size = split_bytes
            continue
        if not splits or size + length > split_bytes or len(splits[-1]) >= split_files:
            splits.append([])
            size = 0
        splits[-1].append((str(path), 0, None, 1))
        size += length
    return splits


def _newlines(piece: Piece) -> int:
    """The newlines in a JSONL piece's bytes (on an executor)."""
    name, start, end, _ = piece
    count = 0
    with open(name, "rb") as stream:
        stream.seek(start)
        left = end - start if end is not None else None
        while left is None or left > 0:
            chunk = stream.read(1 << 20 if left is None else min(1 << 20, left))
            if not chunk:
                break
            count += chunk.count(b"\n")
            left = None if left is None else left - len(chunk)
    return count


def number_lines(context, splits: list[list[Piece]]) -> list[list[Piece]]:
    """``splits`` with each JSONL byte range's first line number, from the newlines that the executors
    count in every range (one count per range comes back to the driver)."""
    cut = cut_jsonl(splits)
    counts = context.parallelize(cut, len(cut)).map(_newlines).collect() if cut else []
    return with_first_lines(splits, dict(zip(cut, counts)))


def cut_jsonl(splits: list[list[Piece]]) -> list[Piece]:
    """The pieces of ``splits`` that are byte ranges of a JSONL file, in file order and byte order."""
    return [piece for split in splits for piece in split if piece[0].lower().endswith(".jsonl") and (piece[1] or piece[2] is not None)]


def with_first_lines(splits: list[list[Piece]], newlines: dict[Piece, int]) -> list[list[Piece]]:
    """Each cut JSONL piece's first line: 1 + the ``newlines`` of the pieces of its file before it (so
    that its records are named as the local reader names them)."""
    first, seen = {}, {}
    for piece, count in newlines.items():  # in file order, then byte order
        first[piece] = 1 + seen.get(piece[0], 0)
        seen[piece[0]] = seen.get(piece[0], 0) + count
    return [[(*piece[:3], first.get(piece, piece[3])) for piece in split] for split in splits]


def _parquet_rows(path: Path) -> int | None:
    """The row count in a Parquet file's footer, or None when unreadable (the readers then report it)."""
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows
    except Exception:  # noqa: BLE001 (any damage: the file is then read whole, and rejected as the local reader does)
        return None


def _piece_items(root: Path, piece: Piece, id_field: str) -> Iterator[tuple[str, dict | Rejected]]:
    """``readers._records`` of one piece: a whole file, the lines of a JSONL file that start in its byte
    range, or the rows ``start <= row < end`` of a Parquet file (a problem with the whole file is
    reported by its first piece; a damage after row N by the piece that holds row N + 1, so by one
    piece only)."""
    name, start, end, first_line = piece
    if start == 0 and end is None:
        yield from readers._records(Path(name), root, _BATCH_ROWS, False, id_field=id_field)
        return
    if name.lower().endswith(".jsonl"):
        yield from readers.jsonl_records(Path(name), False, id_field, start, end, first_line)
        return
    number = 0  # rows seen
    for record, value in readers._records(Path(name), root, _BATCH_ROWS, False, id_field=id_field):
        if isinstance(value, Rejected) and not record.startswith("row "):
            damaged_after = number if record.startswith("after row ") else 0
            if start <= damaged_after and (end is None or damaged_after < end):
                yield record, value
            return
        if end is not None and number >= end:
            return
        if number >= start:
            yield record, value
        number += 1


def _split_items(root: str, pieces: list[Piece], id_field: str) -> Iterator[tuple[int, str, str, str | None, bool, dict | Rejected]]:
    """(sequence number, file, record, id or None, valid, the record's value or its problem) for every
    record and problem of one split, in reading order, checked by ``readers.py``'s own rules except the
    duplicate ids (a global question). ``valid``: a usable id and text; a record with a usable id and a
    bad text keeps its id, because a duplicate id is reported before a bad text."""
    number = 0
    for piece in pieces:
        name = piece[0]
        path = Path(name)
        for record, value in _piece_items(Path(root), piece, id_field):
            if isinstance(value, Rejected):
                yield number, name, record, None, False, value
            else:
                problem = readers._problem(path, record, value, set(), id_field)
                if problem is None:
                    yield number, name, record, str(value["id"]), True, value
                elif problem.field == id_field:
                    yield number, name, record, None, False, problem
                else:
                    yield number, name, record, str(value["id"]), False, problem
            number += 1
            if number >> _SEQ_BITS:
                raise ValueError(f"split of {name}: more than 2^{_SEQ_BITS} records")


RECORDS = T.StructType([
    T.StructField("split", T.IntegerType(), False), T.StructField("seq", T.LongType(), False),
    T.StructField("file", T.StringType(), False), T.StructField("record", T.StringType(), False),
    T.StructField("key", T.StringType(), True), T.StructField("valid", T.BooleanType(), False),
    T.StructField("problem_file", T.StringType(), True), T.StructField("field", T.StringType(), True), T.StructField("reason", T.StringType(), True),
])


def _record_rows(root: str, id_field: str, splits: Iterator[tuple[int, list[str]]]) -> Iterator[tuple]:
    """Stage 1a on an executor: the rows of ``RECORDS`` for its splits (no texts)."""
    for split, paths in splits:
        for seq, name, record, key, valid, value in _split_items(root, paths, id_field):
            problem = value if isinstance(value, Rejected) else None
            yield (split, seq, name, record, key, valid, problem and problem.file, problem and problem.field, problem and problem.reason)


def _hash_split(root: str, id_field: str, folder: str, width: int, first: dict[int, int], batch_size: int, params: MinHashParams, clean: Callable[[str], str] | None, item: tuple) -> tuple[int, int]:
    """Stage 1b on an executor: the kept documents of one split, numbered from the split's first
    number, hashed and written in batches of ``batch_size`` (``stages.hash_batch``); returns (split,
    documents) so the driver can check that the input did not change between the two reads."""
    split, (paths, duplicates) = item
    [paths] = list(paths)
    duplicates = set(duplicates)
    offset, chunk, ids, texts = first.get(split, 0), 0, [], []

    def flush() -> None:
        nonlocal offset, chunk, ids, texts
        hash_batch(Path(folder) / f"{split:0{width}d}-{chunk:06d}.parquet", offset, ids, texts, params)
        offset, chunk, ids, texts = offset + len(ids), chunk + 1, [], []

    for seq, _, _, _, valid, value in _split_items(root, paths, id_field):
        if valid and seq not in duplicates:
            ids.append(str(value["id"]))
            texts.append(clean(value["text"]) if clean else value["text"])
            if len(ids) == batch_size:
                flush()
    if ids:
        flush()
    return split, offset - first.get(split, 0)


# --- Stages written by the executors ----------------------------------------------------------------

def _uri(path: Path) -> str:
    """A local path as a file: URI (a bare path would be on the cluster's default file system, HDFS say)."""
    return path.resolve().as_uri()


def _staged(path: Path) -> Path:
    """``.NAME.partial`` beside ``path``, emptied of what a killed run left there."""
    staged = path.with_name(f".{path.name}.partial")
    if staged.exists():
        shutil.rmtree(staged)
    return staged


def _publish(staged: Path, path: Path) -> Path:
    """Rename a finished stage into place. Hadoop's ``_SUCCESS`` and ``.crc`` files go first (names
    only: polars refuses a folder with other files beside its Parquet parts, and the rename marks success)."""
    for extra in staged.iterdir():
        if extra.name == "_SUCCESS" or (extra.name.startswith(".") and extra.name.endswith(".crc")):
            extra.unlink()
    os.replace(staged, path)
    return path


def _write_stage(frame_of: Callable[[], DataFrame], path: Path) -> Path:
    """A stage's result as Parquet parts written by the executors (unless already there: resume)."""
    if not path.exists():
        staged = _staged(path)
        frame_of().write.parquet(_uri(staged))
        _publish(staged, path)
    return path


def _fates(spark: SparkSession, work: Path) -> DataFrame:
    """Every record's fate: ``kept`` (a document), or a problem; ``duplicate`` when an earlier record
    (in position order) with the same id was kept. An id's kept record is its first valid one, found by
    a distributed group-by over the ids that occur more than once."""
    records = spark.read.parquet(_uri(work / "records")).withColumn("pos", F.shiftleft(F.col("split").cast("long"), _SEQ_BITS) + F.col("seq"))
    repeated = (
        records.where(F.col("key").isNotNull()).groupBy("key")
        .agg(F.count("*").alias("n"), F.min(F.when(F.col("valid"), F.col("pos"))).alias("first"))
        .where(F.col("n") > 1).select("key", "first")
    )
    duplicate = F.coalesce(F.col("pos") > F.col("first"), F.lit(False))
    return records.join(repeated, on="key", how="left").withColumn("duplicate", duplicate).withColumn("kept", F.col("valid") & ~F.col("duplicate"))


def _problem_of(row, id_field: str) -> Rejected:
    if row["duplicate"]:
        return Rejected(row["file"], row["record"], id_field, f"duplicate id {row['key']!r}")  # _problem's message
    return Rejected(row["problem_file"] or row["file"], row["record"], row["field"], row["reason"])


class StoredRejected:
    """The rejected records as the executors wrote them, sorted by position (``work/rejected``), read
    back in input order a record batch at a time when ``rejected.jsonl`` is written: never all on the
    driver at once."""

    def __init__(self, folder: Path, id_field: str):
        self.folder, self.id_field = folder, id_field

    def __iter__(self) -> Iterator[Rejected]:
        import pyarrow.parquet as pq

        last = -1
        for part in sorted(self.folder.glob("*.parquet")):  # a sorted write's parts hold consecutive ranges, in name order
            for batch in pq.ParquetFile(part).iter_batches(batch_size=10_000):
                for row in batch.to_pylist():
                    if row["pos"] <= last:
                        raise RuntimeError(f"{part}: rejected records out of input order")
                    last = row["pos"]
                    yield _problem_of(row, self.id_field)


def deduplicate_spark(source: Path, files: InputFiles, work: Path, params: MinHashParams, on_error: str, clean: Callable[[str], str] | None, batch_size: int, progress: Progress, master: str | None = None, split_bytes: int | None = None, id_field: str = ID_FIELD) -> Iterable[Rejected]:
    """Run (or resume) every stage in ``work`` on Spark, the records' ids read from ``id_field``
    (``readers.py``); returns the rejected records in input order
    (``on_error="skip"``), or raises the first problem as ``readers.read_documents`` would
    (``on_error="fail"``), as it does when no document is left. Only small aggregates come back to the
    driver: counts (per split, per JSONL range) and the first problem; the rejected records are written
    by the executors (``StoredRejected``)."""
    with spark_session(master) as spark:
        context = spark.sparkContext
        splits = number_lines(context, plan_splits(files, split_bytes or split_size(files, context.defaultParallelism)))
        root = str(files.root)
        progress("records", 0)
        _write_stage(lambda: spark.createDataFrame(
            context.parallelize(list(enumerate(splits)), len(splits)).mapPartitions(lambda part: _record_rows(root, id_field, part)), RECORDS), work / "records")
        fates = _fates(spark, work).cache()  # ids and positions only: read by the next three queries
        try:
            problems = fates.where(~F.col("kept")).orderBy("pos")
            if on_error == "fail":
                first = problems.limit(1).collect()
                if first:
                    problem = _problem_of(first[0], id_field)
                    raise InputError(problem.file, problem.record, problem.field, problem.reason)
                rejected = []
            else:
                _write_stage(lambda: problems.select("pos", "file", "record", "key", "duplicate", "problem_file", "field", "reason"), work / "rejected")
                rejected = StoredRejected(work / "rejected", id_field)
            per_split = {row["split"]: row["count"] for row in fates.where(F.col("kept")).groupBy("split").count().collect()}  # one row per split
            if not per_split:
                first = problems.limit(1).collect()
                raise readers.no_documents(source, problems.count(), _problem_of(first[0], id_field) if first else None)
            duplicates = fates.where(F.col("valid") & F.col("duplicate")).select("split", "seq").rdd.map(tuple)
            progress("records", 1)

            progress("signatures", 0)
            starts, documents = {}, 0  # each split's first document number
            for split in range(len(splits)):
                starts[split] = documents
                documents += per_split.get(split, 0)
            if not (work / "batches").exists():
                staged = _staged(work / "batches")
                staged.mkdir()
                arguments = (root, id_field, str(staged), max(6, len(str(len(splits) - 1))), starts, batch_size, params, clean)
                jobs = context.parallelize([(split, paths) for split, paths in enumerate(splits)], len(splits)).cogroup(duplicates, len(splits))
                hashed = dict(jobs.map(lambda item: _hash_split(*arguments, item)).collect())  # one (split, count) per split
                changed = [splits[s][0][0] for s in range(len(splits)) if hashed.get(s, 0) != per_split.get(s, 0)]
                if changed:
                    raise InputError(changed[0], "-", "-", "changed while it was being read (documents differ between the two reads); run again")
                _publish(staged, work / "batches")
            progress("signatures", documents)
        finally:
            fates.unpersist()

        def batches() -> DataFrame:
            return read_batches(spark, work)

        def read(name: str) -> DataFrame:
            return spark.read.parquet(_uri(work / name))

        for name, frame in (
            ("candidates.parquet", lambda: candidates(batches(), params)),
            ("verified.parquet", lambda: verified(read("candidates.parquet"), batches(), params.threshold)),
            ("clusters.parquet", lambda: connected_components(read("verified.parquet"), batches().select("doc"))),
        ):
            stage = name.removesuffix(".parquet")
            progress(stage, 0)
            _write_stage(frame, work / name)
            progress(stage, 1)
        return rejected
