"""The Spark engine of `wirecopy dedup` against the local engine, which is its specification: identical
work files and outputs on a synthetic corpus, and the distributed connected components against the local
(scipy) stage on a hand-made graph. Spark runs as local[2] in one session for the module."""

import filecmp
import json
import os
import shutil
import sys

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from conftest import REPO, work_of
from wirecopy.builders.synthetic_corpus import write_corpus
from wirecopy.cli import app
from wirecopy.dedup.minhash import MinHashParams
from wirecopy.dedup.pipeline import deduplicate
from wirecopy.dedup.stages import cluster_stage

SAME_WORK_FILES = ("batches/00000.parquet", "candidates.parquet", "verified.parquet", "clusters.parquet")
SAME_FILES = ("clusters/part-00000.parquet", "pairs/part-00000.parquet", "summary.json", "README.md")


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="the spark engine is an optional extra: pip install 'wirecopy[spark]'")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("pyspark needs a Java runtime (17+)")
    from pyspark.sql import SparkSession

    import wirecopy.dedup.spark_engine  # noqa: F401  (first: it silences pyspark's pandas 3 warning, which the session start would raise)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPARK_LOCAL_IP", "127.0.0.1")  # a sandbox's hostname need not resolve
        patch.setenv("PYSPARK_PYTHON", sys.executable)  # executors hash batches with this environment's wirecopy
        session = (
            SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")  # tiny data: more partitions only add tasks
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1")  # short jobs: the quick JIT tier saves ~10 s of warm-up
            .getOrCreate()
        )
    yield session  # the engine uses this active session rather than starting its own
    session.stop()


@pytest.mark.slow
@pytest.mark.spark
def test_local_and_spark_engines_write_identical_files(spark, tmp_path):
    corpus = write_corpus(REPO / "external", 1000, 11, tmp_path / "in")[0].parent
    params = MinHashParams(bucket_limit=4)  # low, so that buckets over the limit (anchors) occur too
    local = deduplicate(corpus, tmp_path / "local", params, batch_size=400)
    distributed = deduplicate(corpus, tmp_path / "spark", params, batch_size=400, engine="spark")
    assert local == distributed
    assert local["candidate_pairs"] < deduplicate(corpus, tmp_path / "unlimited", MinHashParams(bucket_limit=10**6), batch_size=400)["candidate_pairs"]
    assert local["verified_pairs"] > 500 and local["largest_cluster"] > 2  # components beyond single pairs
    for name in SAME_FILES:
        assert filecmp.cmp(tmp_path / "local" / name, tmp_path / "spark" / name, shallow=False), name
    for name in SAME_WORK_FILES:
        assert filecmp.cmp(work_of(tmp_path / "local") / name, work_of(tmp_path / "spark") / name, shallow=False), name


@pytest.mark.slow
@pytest.mark.spark
def test_distributed_connected_components_match_the_local_stage(spark, tmp_path):
    from wirecopy.dedup.spark_engine import connected_components

    hand_made = [
        (3, 4), (0, 1), (2, 3), (1, 2),  # a chain given out of order
        (9, 10), (8, 9), (7, 8), (10, 9),  # a chain, one edge twice
        (20, 13), (20, 14), (20, 15), (12, 20),  # a star whose centre is not the smallest
        (16, 16), (18, 17),  # a self-loop (an isolated node) and a pair written backwards
    ]  # 5, 6, 11, 19 and 21-29 isolated
    random_graph = np.random.default_rng(3).integers(30, 130, size=(80, 2)).tolist()  # long paths of mixed labels
    documents = 140
    pl.DataFrame(hand_made + random_graph, schema={"a": pl.Int64, "b": pl.Int64}, orient="row").write_parquet(tmp_path / "verified.parquet")
    expected = pl.read_parquet(cluster_stage(tmp_path, documents))
    components = connected_components(spark.read.parquet(str(tmp_path / "verified.parquet")), spark.range(documents).withColumnRenamed("id", "doc"))
    assert pl.from_arrow(components.toArrow()).sort("doc").equals(expected)
    assert expected["cluster"][:21].to_list() == [0] * 5 + [5, 6] + [7] * 4 + [11] + [12] * 4 + [16, 17, 17, 19, 12]


def _copies(folder):
    folder.mkdir()
    lines = [
        {"id": "1", "text": "Xi will visit Moscow next week, sources said."}, {"id": "2", "text": "Xi will visit Moscow next week, sources said!"},
        {"id": "3", "text": "!!!"}, {"id": "4", "text": "..."},  # no words: two empty shingle sets, Jaccard 1 by definition
    ]
    (folder / "a.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.spark
def test_the_cli_runs_the_spark_engine(spark, tmp_path):
    source = _copies(tmp_path / "in")
    result = CliRunner().invoke(app, ["dedup", str(source), "--out", str(tmp_path / "spark"), "--engine", "spark", "--master", "local[2]"])
    assert result.exit_code == 0, result.output
    assert "4 documents -> 2 clusters (2 duplicates, 0 rejected, 0 files skipped)" in result.output
    assert pl.read_parquet(tmp_path / "spark" / "pairs" / "*.parquet")["jaccard"].to_list() == [1.0, 1.0]
    assert CliRunner().invoke(app, ["dedup", str(source), "--out", str(tmp_path / "local")]).exit_code == 0
    for name in SAME_FILES:
        assert filecmp.cmp(tmp_path / "local" / name, tmp_path / "spark" / name, shallow=False), name


def test_the_cli_says_in_one_line_when_pyspark_is_missing(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # makes `from pyspark.sql import ...` fail
    monkeypatch.delitem(sys.modules, "wirecopy.dedup.spark_engine", raising=False)
    result = CliRunner().invoke(app, ["dedup", str(_copies(tmp_path / "in")), "--out", str(tmp_path / "out"), "--engine", "spark"])
    assert result.exit_code == 1 and result.output.strip() == "error: --engine spark: the spark engine needs pyspark: pip install 'wirecopy[spark]'"
