"""Dedup inputs: the streaming readers (txt, JSONL, Parquet; fail / skip policy) and `wirecopy synth`."""

import filecmp
import json
import tempfile
from pathlib import Path

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import REPO
from wirecopy.cli import app
from wirecopy.core.errors import InputError
from wirecopy.dedup.minhash import MinHashParams
from wirecopy.dedup.pipeline import deduplicate
from wirecopy.dedup.readers import Document, DocumentBatch, batched, read_batches, read_documents


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("Text of a\u00a0“quoted”.", encoding="utf-8")
    (root / "b.jsonl").write_text('{"id": "b1", "text": "one", "outlet": "X"}\n\n{"id": 7, "text": "two"}\n', encoding="utf-8")
    pq.write_table(pa.table({"id": ["p1", "p2"], "text": ["three", "four"], "lang": ["en", "fr"]}), root / "c.parquet")
    return root


def test_reads_every_input_type_in_a_fixed_order_with_metadata(mixed):
    documents = list(read_documents(mixed, batch_rows=1))
    assert documents == [
        Document("b1", "one", '{"outlet": "X"}'),
        Document("7", "two", None),
        Document("p1", "three", '{"lang": "en"}'),
        Document("p2", "four", '{"lang": "fr"}'),
        Document("sub/a", "Text of a\u00a0“quoted”.", None),
    ]


@pytest.mark.parametrize(
    "name, content, record, field, reason",
    [
        ("x.jsonl", b'{"text": "no id"}\n', "line 1", "id", "missing"),
        ("x.jsonl", b'{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "line 2", "id", "duplicate id 'a'"),
        ("x.jsonl", b'{"id": "a", "text": "  \\n "}\n', "line 1", "text", "empty"),
        ("x.jsonl", b'{"id": "a"}\n', "line 1", "text", "missing"),
        ("x.jsonl", b'{"id": [1], "text": "x"}\n', "line 1", "id", "not a string or integer"),
        ("x.jsonl", b'{"id": "a", "text": "caf\xe9"}\n', "line 1", "-", "not valid UTF-8 at byte 24"),
        ("x.jsonl", b"{oops\n", "line 1", "-", "not JSON"),
        ("x.txt", b"caf\xe9", "x", "text", "not valid UTF-8 at byte 3"),
        ("x.txt", b"   ", "x", "text", "empty"),
    ],
)
def test_a_bad_record_fails_with_file_record_and_field_or_is_skipped_and_reported(tmp_path, name, content, record, field, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as failure:
        list(read_documents(tmp_path))
    assert (failure.value.file, failure.value.record, failure.value.field) == (str(path), record, field)
    assert reason in failure.value.message
    rejected = []
    kept = list(read_documents(tmp_path, on_error="skip", rejected=rejected))
    assert [(r.record, r.field) for r in rejected] == [(record, field)]
    assert len(kept) + len(rejected) >= 1


def test_a_parquet_file_without_a_text_column_is_refused(tmp_path):
    pq.write_table(pa.table({"id": ["a"], "body": ["x"]}), tmp_path / "x.parquet")
    with pytest.raises(InputError, match="missing column"):
        list(read_documents(tmp_path))


def test_the_id_is_read_from_the_id_field_in_jsonl_and_parquet_and_txt_files_keep_their_names(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("text of a", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"doc_id": "b1", "id": 5, "text": "one"}\n{"doc_id": 7, "text": "two"}\n', encoding="utf-8")
    pq.write_table(pa.table({"doc_id": ["p1", "p2"], "text": ["three", "four"], "lang": ["en", "fr"]}), tmp_path / "c.parquet")
    documents = list(read_documents(tmp_path, id_field="doc_id", batch_rows=1))
    assert documents == [
        Document("b1", "one", '{"id": 5}'),  # another field called id is metadata like any other
        Document("7", "two", None),
        Document("p1", "three", '{"lang": "en"}'),
        Document("p2", "four", '{"lang": "fr"}'),
        Document("sub/a", "text of a", None),
    ]
    batches = list(read_batches(tmp_path, 2, id_field="doc_id"))
    assert [list(b) for b in batches] == list(batched(read_documents(tmp_path, id_field="doc_id", metadata=False), 2))


@pytest.mark.parametrize(
    "name, rows, id_field, reason",
    [
        ("x.parquet", {"doc_id": ["a"], "text": ["x"]}, "id", "missing column (the file has 'doc_id': use --id-field doc_id)"),
        ("x.parquet", {"id": ["a"], "text": ["x"]}, "doc_id", "missing column (the file has 'id': use --id-field id)"),
        ("x.parquet", {"key": ["a"], "text": ["x"]}, "id", "missing column"),
        ("x.parquet", {"key": ["a"], "text": ["x"]}, "key2", "missing column"),
        ("x.jsonl", {"doc_id": "a", "text": "x"}, "id", "missing (the record has 'doc_id': use --id-field doc_id)"),
        ("x.jsonl", {"id": "a", "text": "x"}, "doc_id", "missing (the record has 'id': use --id-field id)"),
        ("x.jsonl", {"text": "x"}, "doc_id", "missing"),
    ],
)
def test_a_missing_id_field_is_one_error_naming_the_file_and_the_field_and_the_id_field_there_is(tmp_path, name, rows, id_field, reason):
    path = tmp_path / name
    if name.endswith(".parquet"):
        pq.write_table(pa.table(rows), path)
    else:
        path.write_text(json.dumps(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as failure:
        list(read_batches(tmp_path, 10, id_field=id_field))
    assert (failure.value.file, failure.value.field, failure.value.message) == (str(path), id_field, reason)
    assert str(failure.value) == f"{path}: {'' if name.endswith('.parquet') else 'record line 1: '}field {id_field}: {reason}"
    if "use --id-field" in reason:
        suggested = reason.rsplit(" ", 1)[-1].rstrip(")")
        assert [d.id for d in read_documents(tmp_path, id_field=suggested)] == ["a"]


def test_problems_with_the_id_name_the_id_field(tmp_path):
    (tmp_path / "x.jsonl").write_text('{"doc_id": "a", "text": "x"}\n{"doc_id": "a", "text": "y"}\n{"doc_id": [1], "text": "z"}\n{"doc_id": null, "text": "w"}\n', encoding="utf-8")
    rejected = []
    assert [d.id for d in read_documents(tmp_path, on_error="skip", rejected=rejected, id_field="doc_id")] == ["a"]
    assert [(r.record, r.field, r.reason) for r in rejected] == [
        ("line 2", "doc_id", "duplicate id 'a'"), ("line 3", "doc_id", "not a string or integer: [1]"), ("line 4", "doc_id", "missing")]


@pytest.mark.parametrize("id_field", ["text", ""])
def test_the_id_field_cannot_be_the_text_or_empty(tmp_path, id_field):
    source = tmp_path / "x.jsonl"
    source.write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="id_field must name a field other than 'text'"):
        list(read_documents(source, id_field=id_field))
    with pytest.raises(ValueError, match="id_field must name a field other than 'text'"):
        deduplicate(source, tmp_path / "out", MinHashParams(), id_field=id_field)
    assert not (tmp_path / "out").exists()


def test_an_empty_or_missing_input_is_refused(tmp_path):
    with pytest.raises(InputError, match="no input files"):
        list(read_documents(tmp_path))
    with pytest.raises(InputError, match="no such file or folder"):
        list(read_documents(tmp_path / "nope"))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(0, 40), size=st.integers(1, 9))
def test_batches_keep_every_document_in_order(n, size):
    documents = [Document(str(i), "t") for i in range(n)]
    batches = list(batched(iter(documents), size))
    assert [d for batch in batches for d in batch] == documents
    assert all(len(b) == size for b in batches[:-1]) and all(0 < len(b) <= size for b in batches)


def test_synth_is_deterministic_and_readable(tmp_path):
    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(app, ["synth", "--n", "500", "--seed", "3", "--out", str(tmp_path / name), "--external", str(REPO / "external")])
        assert result.exit_code == 0, result.output
    assert filecmp.cmp(tmp_path / "a" / "part-00000.parquet", tmp_path / "b" / "part-00000.parquet", shallow=False)
    documents = list(read_documents(tmp_path / "a", id_field="doc_id"))  # the release's dedup_synthetic columns
    assert len(documents) == 500 and len({d.id for d in documents}) == 500
    assert set(json.loads(documents[0].metadata)) == {"cluster_id", "base_id", "transformations", "boilerplate_spans"}
    with tempfile.TemporaryDirectory() as cache:
        loaded = datasets.load_dataset("parquet", data_files=str(tmp_path / "a" / "*.parquet"), split="train", cache_dir=cache)
    assert loaded.num_rows == 500 and loaded[0]["doc_id"] == documents[0].id


@pytest.mark.parametrize("batch_rows, size", [(1, 2), (3, 2), (10, 4), (10, 100)])
def test_column_batches_are_the_documents_and_problems_of_the_record_path(tmp_path, batch_rows, size):
    # Clean Parquet record batches are checked column-wise; a batch with any problem is read row by row.
    pq.write_table(pa.table({"id": ["a", "b", "c", "d", "e"], "text": ["one", "two", "three", "four", "five"]}), tmp_path / "1.parquet")
    pq.write_table(pa.table({"id": [1, 2, 3, -4], "text": ["x y", "z", "w", "v"]}), tmp_path / "2.parquet")
    pq.write_table(pa.table({"id": ["f", "a", "g", "h", " \u3000", "i"], "text": ["t", "dup", "\u2028 ", None, "blank id", "ok"]}), tmp_path / "3.parquet")
    (tmp_path / "4.jsonl").write_text('{"id": "j", "text": "json"}\n{"id": "f", "text": "dup"}\n', encoding="utf-8")
    expected_rejected: list = []
    expected = list(batched(read_documents(tmp_path, on_error="skip", rejected=expected_rejected, batch_rows=batch_rows, metadata=False), size))
    rejected: list = []
    batches = list(read_batches(tmp_path, size, on_error="skip", rejected=rejected, batch_rows=batch_rows))
    assert all(isinstance(b, DocumentBatch) and b.ids.type == pa.large_string() and b.texts.type == pa.large_string() for b in batches)
    assert [list(b) for b in batches] == expected and rejected == expected_rejected
    assert [r.record for r in rejected] == ["row 2", "row 3", "row 4", "row 5", "line 2"]
    with pytest.raises(InputError) as failure:
        list(read_batches(tmp_path, size, batch_rows=batch_rows))
    assert (failure.value.record, failure.value.field) == ("row 2", "id")
