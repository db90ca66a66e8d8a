"""What the safety rules allow (the bad-input suite checks what they refuse): replacing wirecopy's own
outputs, recovering from a killed swap, leaving a live run's folders alone, resuming only what matches."""

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from conftest import REPO, snapshot, work_of
from wirecopy.cli import app
from wirecopy.core import outputs
from wirecopy.core.errors import InputError
from wirecopy.core.outputs import MARKER, held, read_marker, replace_folder
from wirecopy.dedup.minhash import MinHashParams
from wirecopy.dedup.pipeline import deduplicate, work_root


def _fill(files: dict[str, str]):
    def fill(staging: Path) -> None:
        for name, text in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_text(text)
    return fill


def test_an_output_replaces_its_own_kind_only_and_records_its_files(tmp_path):
    out = tmp_path / "a" / "b" / "out"
    replace_folder(out, "thing", _fill({"x.txt": "1", "sub/y.txt": "2"}))
    assert read_marker(out) == {"kind": "thing", "files": ["sub/y.txt", "x.txt"]}
    replace_folder(out, "thing", _fill({"z.txt": "3"}))
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "z.txt"]
    with pytest.raises(InputError, match="holds a thing that wirecopy wrote, not a other"):
        replace_folder(out, "other", _fill({}))
    empty = tmp_path / "empty"
    empty.mkdir()
    replace_folder(empty, "thing", _fill({"x.txt": "1"}))  # an empty folder has nothing to lose
    assert (empty / "x.txt").read_text() == "1"


def test_a_failed_fill_leaves_the_output_and_makes_no_folders(tmp_path):
    out = tmp_path / "out"
    replace_folder(out, "thing", _fill({"x.txt": "1"}))
    before = snapshot(tmp_path)

    def failing(staging: Path) -> None:
        (staging / "half.txt").write_text("half")
        raise InputError("input", "-", "-", "bad")

    with pytest.raises(InputError):
        replace_folder(out, "thing", failing)
    with pytest.raises(InputError):
        replace_folder(tmp_path / "new" / "deeper" / "out", "thing", failing)
    assert snapshot(tmp_path) == before


def test_without_an_atomic_exchange_two_renames_and_a_recovery_keep_the_output(tmp_path, monkeypatch):
    out = tmp_path / "out"
    replace_folder(out, "thing", _fill({"x.txt": "old"}))
    monkeypatch.setattr(outputs.ctypes, "CDLL", lambda *a, **k: object())  # a libc without renameat2
    replace_folder(out, "thing", _fill({"x.txt": "new"}))
    assert (out / "x.txt").read_text() == "new" and [p.name for p in tmp_path.iterdir()] == ["out"]
    # A kill between the two renames: the previous output is complete in a staging folder, out is gone.
    out.rename(tmp_path / ".out.staging-killed00")
    replace_folder(out, "thing", _fill({"x.txt": "newer"}))
    assert (out / "x.txt").read_text() == "newer" and [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_staging_folder_that_a_live_run_holds_is_left_alone(tmp_path):
    out = tmp_path / "out"
    replace_folder(out, "thing", _fill({"x.txt": "1"}))
    live = tmp_path / ".out.staging-live0000"
    live.mkdir()
    (live / MARKER).write_text(json.dumps({"kind": "thing", "files": None}))
    foreign = tmp_path / ".out.staging-someone-elses"
    foreign.mkdir()
    with held(live):
        replace_folder(out, "thing", _fill({"x.txt": "2"}))
        with pytest.raises(InputError, match="in use by another wirecopy run"):
            with held(live):
                pass
    assert live.exists() and foreign.exists()  # held by a run; not ours (no marker)
    replace_folder(out, "thing", _fill({"x.txt": "3"}))
    assert not live.exists() and foreign.exists()


@pytest.fixture(scope="module")
def corpus(built_release, tmp_path_factory) -> Path:
    from wirecopy.builders.synthetic_corpus import write_corpus

    return write_corpus(REPO / "external", 2000, 4, tmp_path_factory.mktemp("safety") / "corpus")[0].parent


def test_a_rerun_with_another_batch_size_recomputes_instead_of_mixing(corpus, tmp_path):
    out = tmp_path / "out"
    first = deduplicate(corpus, out, MinHashParams(), batch_size=1000, id_field="doc_id")
    first_work = work_of(out)
    second = deduplicate(corpus, out, MinHashParams(), batch_size=500, id_field="doc_id")
    assert first["documents"] == second["documents"] == 2000 and first == second
    assert work_of(out) != first_work and len(list((work_of(out) / "batches").iterdir())) == 4
    assert json.loads((work_of(out) / "settings.json").read_text())["batch_size"] == 500


def test_every_file_under_the_input_is_read_or_reported(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.jsonl").write_text("".join(json.dumps({"id": f"a{i}", "text": f"story number {i} about the summit"}) + "\n" for i in range(100)))
    (source / "c.JSONL").write_text("".join(json.dumps({"id": f"c{i}", "text": f"another story {i} on the talks"}) + "\n" for i in range(50)))
    (source / "b.csv").write_text("id,text\n1,x\n")
    result = CliRunner().invoke(app, ["dedup", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"skipped {source / 'b.csv'}: not an input type" in result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["documents"] == 150 and summary["skipped_files"] == [{"file": str(source / "b.csv"), "reason": "not an input type (.txt, .jsonl, .parquet)"}]
    assert pl.read_parquet(tmp_path / "out" / "clusters" / "*.parquet").height == 150


def test_a_failed_run_keeps_the_previous_results_and_resume_state(corpus, tmp_path):
    out = tmp_path / "out"
    deduplicate(corpus, out, MinHashParams(), batch_size=1000, id_field="doc_id")
    before = snapshot(tmp_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.jsonl").write_text('{"id": 1, "text": ""}\n')
    with pytest.raises(InputError, match="empty"):
        deduplicate(bad, out, MinHashParams(), batch_size=1000)
    (bad / "a.jsonl").unlink()
    assert snapshot(tmp_path) == before | {"bad": "folder"} and len(list(work_root(out).iterdir())) == 1


def test_the_committed_release_is_replaceable_by_build():
    marker = read_marker(REPO / "dataset")
    assert marker == {"kind": "release", "files": outputs.files_in(REPO / "dataset")}


def test_an_unreadable_file_is_rejected_as_a_whole_when_skipping(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "good.jsonl").write_text("".join(json.dumps({"id": f"g{i}", "text": f"a story {i} of the summit"}) + "\n" for i in range(20)))
    (source / "broken.parquet").write_bytes(b"PAR1 not really")
    (source / "nested.jsonl").write_text('{"id": "n1", "text": "fine"}\n' + "[" * 100_000 + "]" * 100_000 + "\n")
    summary = deduplicate(source, tmp_path / "out", MinHashParams(), on_error="skip")
    rejected = [json.loads(line) for line in (tmp_path / "out" / "rejected.jsonl").read_text().splitlines()]
    assert summary["documents"] == 21 and summary["rejected"] == 2
    assert [(Path(r["file"]).name, r["record"]) for r in rejected] == [("broken.parquet", "-"), ("nested.jsonl", "line 2")]
    assert "not a readable Parquet file" in rejected[0]["reason"] and "nested too deeply" in rejected[1]["reason"]


def test_a_symbolic_link_a_user_put_into_an_output_counts_as_theirs(tmp_path):
    out = tmp_path / "out"
    replace_folder(out, "thing", _fill({"x.txt": "1"}))
    (tmp_path / "elsewhere").mkdir()
    (out / "shortcut").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(InputError, match="holds shortcut, which wirecopy did not write"):
        replace_folder(out, "thing", _fill({"x.txt": "2"}))


def test_only_dedup_work_folders_are_removed_from_the_work_root(corpus, tmp_path):
    out = tmp_path / "out"
    deduplicate(corpus, out, MinHashParams(threshold=0.5), batch_size=1000, id_field="doc_id")
    (work_root(out) / "my-notes").mkdir()
    (work_root(out) / "my-notes" / "keep.txt").write_text("mine")
    deduplicate(corpus, out, MinHashParams(), batch_size=1000, id_field="doc_id")
    left = sorted(p.name for p in work_root(out).iterdir())
    assert len(left) == 2 and "my-notes" in left and (work_root(out) / "my-notes" / "keep.txt").read_text() == "mine"


def test_the_input_folder_is_part_of_the_resume_key(tmp_path):
    source = tmp_path / "in" / "sub"
    source.mkdir(parents=True)
    for i in range(3):
        (source / f"d{i}.txt").write_text(f"story {i} about the summit talks in Moscow")
    deduplicate(tmp_path / "in", tmp_path / "out", MinHashParams())
    deduplicate(source, tmp_path / "out", MinHashParams())  # the same files, ids relative to another folder
    assert sorted(pl.read_parquet(tmp_path / "out" / "clusters" / "*.parquet")["id"]) == ["d0", "d1", "d2"]
