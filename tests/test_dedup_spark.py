"""The Spark engine of `wirecopy dedup` against the local engine, which is its specification: identical
outputs (and work files of the same content) on a synthetic corpus in several files and splits, the same
rejected records and errors on bad input, nothing but small aggregates collected to the driver (which
reads no record), and the distributed connected components against the local (scipy) stage on a
hand-made graph. Spark runs as local[2] in one session for the module."""

import filecmp
import json
import os
import shutil
import sys
from contextlib import contextmanager

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import REPO, work_of
from wirecopy.builders.synthetic_corpus import write_corpus
from wirecopy.cli import app
from wirecopy.dedup.minhash import MinHashParams
from wirecopy.dedup.pipeline import deduplicate
from wirecopy.dedup import stages
from wirecopy.dedup.stages import cluster_stage

# Spark's stage results are folders of parts; its batches hold the hashes that the local engine writes
# apart (``hashes/``, when they do not fit in memory: this test gives it no memory for them).
SAME_WORK = {"batches": ("batches", "doc"), "hashes": ("batches", "doc"), "candidates.parquet": ("candidates.parquet", ["a", "b"]), "verified.parquet": ("verified.parquet", ["a", "b"]), "clusters.parquet": ("clusters.parquet", "doc")}
SAME_FILES = ("clusters/part-00000.parquet", "pairs/part-00000.parquet", "summary.json", "README.md", "rejected.jsonl")
SMALL = 40  # rows: more than the splits' counts and the test's rejected records, fewer than documents, pairs or clusters


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
            .config("spark.sql.shuffle.partitions", "3")  # several parts per stage; more only add tasks on tiny data
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1")  # short jobs: the quick JIT tier saves ~10 s of warm-up
            .getOrCreate()
        )
    yield session  # the engine uses this active session rather than starting its own
    session.stop()


@pytest.fixture
def small_splits(monkeypatch):
    """Splits of ~60 kB, so that a test corpus is read by several tasks (and its Parquet files cut in row ranges)."""
    from wirecopy.dedup import spark_engine

    monkeypatch.setattr(spark_engine, "SPLIT_BYTES", 60_000)
    monkeypatch.setattr(spark_engine, "MIN_SPLIT_BYTES", 1)


@contextmanager
def driver_reads_nothing():
    """Fails the test if the driver reads a record or collects more than ``SMALL`` rows (documents,
    pairs, clusters); yields the row counts collected. Executors are other processes: these patches
    do not reach them."""
    from pyspark import RDD
    from pyspark.sql import DataFrame

    from wirecopy.dedup import readers

    collected = []

    def spied(method):
        def checked(self, *arguments, **options):
            result = method(self, *arguments, **options)
            rows = result.num_rows if hasattr(result, "num_rows") else len(result)
            collected.append(rows)
            assert rows <= SMALL, f"{method.__name__} brought {rows} rows to the driver"
            return result
        return checked

    with pytest.MonkeyPatch.context() as patch:
        for owner, name in ((DataFrame, "collect"), (DataFrame, "toArrow"), (DataFrame, "toPandas"), (RDD, "collect")):
            patch.setattr(owner, name, spied(getattr(owner, name)))
        patch.setattr(DataFrame, "toLocalIterator", lambda *_, **__: pytest.fail("toLocalIterator on the driver"))
        for name in ("_records", "read_documents", "read_batches"):
            patch.setattr(readers, name, lambda *_, **__: pytest.fail("the driver read the input"))
        yield collected


def _in_files(corpus, folder):
    """``corpus`` (one Parquet file) as several inputs: Parquet files of several row groups, and JSONL,
    their ids in ``doc_id`` (as `wirecopy synth` and the release name them)."""
    import pyarrow.parquet as pq

    folder.mkdir()
    table = pq.read_table(corpus).select(["doc_id", "text"])
    cuts = [0, 150, 420, 700, 1000]
    for number, (start, end) in enumerate(zip(cuts, cuts[1:])):
        part = table.slice(start, end - start)
        if number == 2:
            (folder / f"{number}.jsonl").write_text("".join(json.dumps(row) + "\n" for row in part.to_pylist()), encoding="utf-8")
        else:
            pq.write_table(part, folder / f"{number}.parquet", row_group_size=64)
    return folder


JSONL_LINES = [b'{"id": 1, "text": "a b c"}\n', b'{"id": "x", "text": "' + b"long words " * 20 + b'"}\n', b"\n", b"  \n", b"not json\n", b'{"text": "no id"}\n', b'{"id": 2, "text": "caf\xc3\xa9"}\n', b"[1]\n"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.sampled_from(JSONL_LINES), max_size=25), last=st.sampled_from([b"", b'{"id": 9, "text": "no newline at the end"}', b"broken"]), split_bytes=st.integers(1, 300))
def test_a_jsonl_file_cut_into_byte_ranges_reads_as_the_whole_file(tmp_path, lines, last, split_bytes):
    # Every record once, in order, named by its line in the whole file, wherever the cuts fall (inside
    # a line, on a newline, after the last byte); the newline counts stand in for the executors'.
    pytest.importorskip("pyspark", reason="the spark engine is an optional extra")
    from wirecopy.dedup import readers, spark_engine

    folder = tmp_path / f"in-{abs(hash((tuple(lines), last, split_bytes)))}"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(b"".join(lines) + last)
    (folder / "b.txt").write_text("a text after it", encoding="utf-8")
    files = readers.input_files(folder)
    splits = spark_engine.plan_splits(files, split_bytes)
    cut = spark_engine.cut_jsonl(splits)
    assert len(cut) == (0 if files.read[0].stat().st_size <= split_bytes else -(-files.read[0].stat().st_size // split_bytes))
    numbered = spark_engine.with_first_lines(splits, {piece: spark_engine._newlines(piece) for piece in cut})
    pieces = [item for split in numbered for piece in split for item in spark_engine._piece_items(folder, piece, "id")]
    assert pieces == [item for path in files.read for item in readers._records(path, folder, 10, False)]


@pytest.mark.slow
@pytest.mark.spark
def test_local_and_spark_engines_write_identical_files(spark, tmp_path, small_splits, monkeypatch):
    corpus = _in_files(write_corpus(REPO / "external", 1000, 11, tmp_path / "synth")[0], tmp_path / "in")
    params = MinHashParams(bucket_limit=4)  # low, so that buckets over the limit (anchors) occur too
    monkeypatch.setattr(stages, "KEEP_BYTES", 0)
    local = deduplicate(corpus, tmp_path / "local", params, batch_size=90, id_field="doc_id")
    with driver_reads_nothing() as collected:
        distributed = deduplicate(corpus, tmp_path / "spark", params, batch_size=90, engine="spark", id_field="doc_id")
    assert local == distributed and local["parameters"]["id_field"] == "doc_id"
    assert collected and max(collected) <= SMALL < local["documents"]  # only small aggregates came back
    assert local["candidate_pairs"] < deduplicate(corpus, tmp_path / "unlimited", MinHashParams(bucket_limit=10**6), batch_size=90, id_field="doc_id")["candidate_pairs"]
    assert local["verified_pairs"] > 500 and local["largest_cluster"] > 2  # components beyond single pairs
    for name in SAME_FILES:
        assert filecmp.cmp(tmp_path / "local" / name, tmp_path / "spark" / name, shallow=False), name
    work = work_of(tmp_path / "spark")
    assert len(list((work / "batches").glob("*.parquet"))) > 5  # several splits, some in several batches
    from wirecopy.dedup import readers, spark_engine

    assert len(spark_engine.cut_jsonl(spark_engine.plan_splits(readers.input_files(corpus), spark_engine.SPLIT_BYTES))) > 2  # 2.jsonl read in byte ranges
    for name, (spark_name, order) in SAME_WORK.items():
        parts = list((work / spark_name).glob("*.parquet"))
        assert len(parts) > 1 or name == "candidates.parquet", name  # written by several tasks
        local_file = work_of(tmp_path / "local") / name
        expected = pl.read_parquet(local_file / "*.parquet" if local_file.is_dir() else local_file)
        assert pl.read_parquet(parts).select(expected.columns).sort(order).equals(expected.sort(order)), name


def _bad_input(folder, key="id"):
    """Every kind of problem the readers report, across files and splits, ids (in ``key``) repeated
    across files."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir()
    text = "Xi will visit Moscow next week, sources said."
    (folder / "a.jsonl").write_bytes(b"".join([
        json.dumps({key: 1, "text": text}).encode() + b"\n",
        json.dumps({key: "2", "text": "  "}).encode() + b"\n",  # empty text; id 2 is kept later
        b"\n", b"not json\n", b"[1, 2]\n",
        b'{"%s": "u", "text": "caf\xe9"}\n' % key.encode(),  # not UTF-8
        json.dumps({"text": text}).encode() + b"\n",  # no id
        json.dumps({key: True, "text": text}).encode() + b"\n",
        json.dumps({key: "1", "text": text + "!"}).encode() + b"\n",  # "1" repeats the integer 1
    ]))
    pq.write_table(pa.table({key: ["2", "3", "1", "4", "3"], "text": [text, text + "?", "", text, None]}), folder / "b.parquet", row_group_size=2)
    pq.write_table(pa.table({key: ["5"], "text": [text]}), folder / "c.parquet")
    (folder / "c.parquet").write_bytes((folder / "c.parquet").read_bytes()[:-20])  # damaged footer
    (folder / "d.txt").write_text(text, encoding="utf-8")
    (folder / "e.txt").write_bytes(b"\xff\xfe")
    (folder / "f.jsonl").write_text(json.dumps({key: "d", "text": "other words entirely"}) + "\n" + json.dumps({key: "3", "text": "x"}) + "\n", encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.parametrize("id_field", ["id", "doc_id"])
def test_bad_records_are_rejected_or_stop_the_run_as_the_local_reader_does(spark, tmp_path, monkeypatch, id_field):
    from wirecopy.core.errors import InputError
    from wirecopy.dedup import readers, spark_engine

    monkeypatch.setattr(spark_engine, "SPLIT_BYTES", 100)  # a.jsonl in byte ranges (its bad lines in several), b.parquet in row ranges
    monkeypatch.setattr(spark_engine, "MIN_SPLIT_BYTES", 1)
    source = _bad_input(tmp_path / "in", id_field)
    assert len(spark_engine.cut_jsonl(spark_engine.plan_splits(readers.input_files(source), 100))) >= 3
    local = deduplicate(source, tmp_path / "local", MinHashParams(), on_error="skip", id_field=id_field)
    distributed = deduplicate(source, tmp_path / "spark", MinHashParams(), on_error="skip", engine="spark", id_field=id_field)
    assert local == distributed and local["rejected"] == 13 and local["documents"] == 5
    for name in SAME_FILES:
        assert filecmp.cmp(tmp_path / "local" / name, tmp_path / "spark" / name, shallow=False), name
    rejected = [json.loads(line) for line in (tmp_path / "spark" / "rejected.jsonl").read_text(encoding="utf-8").splitlines()]
    reasons = [problem["reason"] for problem in rejected]
    assert "duplicate id '1'" in reasons and "duplicate id '3'" in reasons and any(r.startswith("not a readable Parquet file") for r in reasons)
    assert {problem["field"] for problem in rejected} == {id_field, "text", "-"}  # id problems name the field the ids are read from
    messages = []
    for engine in ("local", "spark"):  # on_error="fail": the first problem in input order, and no work folder left
        with pytest.raises(InputError) as stopped:
            deduplicate(source, tmp_path / f"{engine}-fail", MinHashParams(), engine=engine, id_field=id_field)
        messages.append(str(stopped.value))
        assert not any((tmp_path / f".{engine}-fail.work").glob("*"))
    assert messages[0] == messages[1] and "line 2" in messages[0] and messages[0].endswith("empty")


@pytest.mark.slow
@pytest.mark.spark
def test_a_killed_stage_is_not_trusted_and_a_rerun_resumes(spark, tmp_path):
    source = _copies(tmp_path / "in")
    first = deduplicate(source, tmp_path / "out", MinHashParams(), engine="spark")
    work = work_of(tmp_path / "out")
    shutil.rmtree(work / "clusters.parquet")
    (work / ".clusters.parquet.partial").mkdir()
    (work / ".clusters.parquet.partial" / "part-00000-junk.parquet").write_bytes(b"half a file")  # what a kill leaves
    records = sorted(p.stat().st_mtime_ns for p in (work / "records").iterdir())
    assert deduplicate(source, tmp_path / "out", MinHashParams(), engine="spark") == first
    assert sorted(p.stat().st_mtime_ns for p in (work / "records").iterdir()) == records  # reused, not rewritten
    assert not (work / ".clusters.parquet.partial").exists() and (work / "clusters.parquet").is_dir()


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
