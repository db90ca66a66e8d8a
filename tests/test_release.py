"""The built release: deterministic, identical to the committed dataset/, loadable offline, atomic."""

import filecmp
import json
import tempfile
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from conftest import REPO
from wirecopy.builders.arrow_types import CONFIGS, DEFAULT_CONFIG, SPLITS
from wirecopy.builders.pipeline import build
from wirecopy.builders.project import read_project
from wirecopy.builders.verify import verify_release
from wirecopy.cli import app
from wirecopy.core.layout import shard_path
from wirecopy.core.outputs import MARKER


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _same_tree(a: Path, b: Path) -> bool:
    names = _files(a)
    return names == _files(b) and all(filecmp.cmp(a / n, b / n, shallow=False) for n in names)


@pytest.mark.slow
def test_two_builds_are_byte_identical(built_release, tmp_path):
    again = tmp_path / "again"
    build(REPO, again)
    assert _same_tree(built_release, again)


def test_committed_release_is_what_the_project_builds(built_release):
    """dataset/ in the repository must never go stale: rebuild and commit after any change to the project
    (wirecopy.yaml, seeds, documents, the embedded tables)."""
    assert _same_tree(built_release, REPO / "dataset")


def test_built_release_verifies(built_release):
    assert verify_release(built_release) == []


def test_manifest_lists_every_file_with_rows_and_the_project_version(built_release):
    manifest = json.loads((built_release / "checksums.json").read_text())
    assert manifest["version"] == read_project(REPO)["version"]
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert sorted(listed) == sorted(set(_files(built_release)) - {"checksums.json", MARKER})  # the marker is not part of the release
    for config in CONFIGS:
        for split in SPLITS[config]:
            assert listed[shard_path(config, split)]["rows"] == pq.read_metadata(built_release / shard_path(config, split)).num_rows


@pytest.mark.parametrize("config", [None, *CONFIGS])
def test_every_config_loads_offline_with_a_fresh_cache(built_release, config):
    with tempfile.TemporaryDirectory() as cache:
        loaded = datasets.load_dataset(str(built_release), config, cache_dir=cache)
    config = config or DEFAULT_CONFIG
    assert list(loaded) == list(SPLITS[config])
    for split in SPLITS[config]:
        table = pq.read_table(built_release / shard_path(config, split))
        assert loaded[split].num_rows == table.num_rows > 0
        assert loaded[split].column_names == table.column_names


def test_loaded_spans_give_their_text(built_release):
    with tempfile.TemporaryDirectory() as cache:
        articles = datasets.load_dataset(str(built_release), "articles", split="test", cache_dir=cache)
        claims = datasets.load_dataset(str(built_release), "claims", split="test", cache_dir=cache)
    texts = {row["article_id"]: row["text"] for row in articles}
    checked = 0
    for row in articles:
        text = row["text"]
        assert text[row["title_start"] : row["title_end"]] == row["title"]
        for field in ("outlet_evidence", "credited_source_evidence", "date_evidence", "boilerplate_spans", "claims"):
            for span in row[field]:
                assert text[span["start"] : span["end"]] == span["text"]
                checked += 1
    for claim in claims:
        assert texts[claim["article_id"]][claim["start"] : claim["end"]] == claim["text"]
    assert checked > 90


@pytest.mark.slow
def test_failed_build_leaves_the_previous_release_untouched(built_release, seeds_copy, tmp_path):
    out = tmp_path / "dataset"
    build(REPO, out)
    before = {name: (out / name).read_bytes() for name in _files(out)}
    sidecar = seeds_copy / "000_9af1437052fdcfff.yaml"
    sidecar.write_text(sidecar.read_text().replace("label: extraction_residue", "label: not_a_label"))
    result = CliRunner().invoke(app, ["build", "--project", str(seeds_copy.parent), "--out", str(out)])
    assert result.exit_code == 1
    assert {name: (out / name).read_bytes() for name in _files(out)} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left behind


@pytest.mark.slow
def test_cli_build_and_verify(tmp_path):
    runner = CliRunner()
    out = tmp_path / "dataset"
    built = runner.invoke(app, ["build", "--project", str(REPO), "--out", str(out)])
    assert built.exit_code == 0, built.output
    assert "articles 5 rows" in built.output
    checked = runner.invoke(app, ["verify", str(out)])
    assert checked.exit_code == 0 and "verified" in checked.output
