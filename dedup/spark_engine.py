"""The Spark engine of ``wirecopy dedup`` (``--engine spark``): the local engine's stages 2-4 as Spark
jobs, writing the same work files with the same content, so ``outputs.py`` gives byte-identical results
from either engine (and a run started on one engine resumes on the other).

- Stage 1 (signatures): the driver streams the input through the readers (which check every record in
  order), and each batch is hashed by ``stages.hash_batch`` in a Spark task on an executor, which writes
  ``work/batches/NNNNN.parquet``; the later stages read them back.
- Candidates: band keys exploded to (doc, band, key) rows, self-joined on (band, key), pairs a < b, distinct;
  in a bucket over the limit only its anchors (ranked by a window over the bucket) join the members.
- Verified: both sides' shingle arrays joined in; Jaccard with the local engine's formula.
- Clusters: connected components by alternating large-star and small-star (Kiveris et al. 2014,
  "Connected Components in MapReduce and Beyond"), DataFrame joins and aggregates only; no machine
  holds the whole graph. Labels are each component's smallest document index, as locally.

The three stage results are collected to the driver (Arrow) and written as one file each through
``stages.atomic_parquet``: fine for outputs of the sizes this project runs (pairs, not documents). On a
cluster they would be written by the executors as partitioned Parquet instead. The work folder must be
on storage that the driver and the executors both see (a local path for ``local[*]``, a shared file
system on a cluster).
"""

import os
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from .minhash import MinHashParams
from .readers import Document
from .stages import HashBatch, LaterStages, Progress, Stage, atomic_parquet, hash_batch, run_stages

try:
    from pyspark.sql import Column, DataFrame, SparkSession, Window
    from pyspark.sql import functions as F
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
    return spark.read.parquet(str(work / "batches")).select("doc", _signed("shingles"), _signed("keys"))


def _persist(frame_of: Callable[[], DataFrame], order: list[str], path: Path) -> Path:
    """Compute a stage's result unless it is already on disk (resume), and write it sorted by ``order``.
    The driver sorts what it collects anyway: a Spark ``orderBy`` would run the whole plan twice (once to
    sample the sort's ranges)."""
    if not path.exists():
        atomic_parquet(pl.from_arrow(frame_of().toArrow()).sort(order), path)
    return path


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


def spark_stages(spark: SparkSession) -> LaterStages:
    """Stages 2-4 in Spark, in the shape ``stages.run_stages`` takes (Spark counts the documents itself)."""
    def stages(work: Path, params: MinHashParams, documents: int) -> list[Stage]:
        def read(name: str) -> DataFrame:
            return spark.read.parquet(str(work / name))

        def batches() -> DataFrame:
            return read_batches(spark, work)

        return [
            ("candidates", lambda: _persist(lambda: candidates(batches(), params), ["a", "b"], work / "candidates.parquet")),
            ("verified", lambda: _persist(lambda: verified(read("candidates.parquet"), batches(), params.threshold), ["a", "b"], work / "verified.parquet")),
            ("clusters", lambda: _persist(lambda: connected_components(read("verified.parquet"), batches().select("doc")), ["doc"], work / "clusters.parquet")),
        ]
    return stages


def on_executors(spark: SparkSession) -> HashBatch:
    """``stages.hash_batch`` as a one-task Spark job: the batch travels in the task, and the executor
    writes the batch file (so the work folder must be on storage that the executors see)."""
    def hash_on_an_executor(*arguments) -> None:
        spark.sparkContext.parallelize([arguments], 1).foreach(lambda batch: hash_batch(*batch))
    return hash_on_an_executor


def run_stages_spark(batches: Iterable[list[Document]], work: Path, params: MinHashParams, clean: Callable[[str], str] | None, progress: Progress, master: str | None = None, workers: int = 1) -> int:
    """``stages.run_stages`` on Spark; returns the number of documents. The driver reads and checks the
    input (in order: ids must be unique) and keeps as many batches in flight as the cluster has cores
    (at least ``workers``), each hashed by an executor."""
    with spark_session(master) as spark:
        in_flight = max(workers, spark.sparkContext.defaultParallelism)
        return run_stages(batches, work, params, clean, progress, spark_stages(spark), in_flight, on_executors(spark))
