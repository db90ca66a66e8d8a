"""``pip install wirecopy`` without extras builds, verifies and loads a release, and deduplicates: run
with every library of an extra made unimportable (``helpers/without_extras.py``)."""

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import REPO, snapshot
from wirecopy.core.layout import shard_path

WITHOUT_EXTRAS = Path(__file__).parent / "helpers" / "without_extras.py"
pytestmark = pytest.mark.slow


def _core_only(*arguments: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(WITHOUT_EXTRAS), *arguments], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_the_core_alone_builds_verifies_loads_and_deduplicates(tmp_path):
    out = tmp_path / "dataset"
    _core_only("-m", "wirecopy", "build", "--out", str(out))
    assert {k: v for k, v in snapshot(out).items()} == snapshot(REPO / "dataset")  # the same bytes as with every extra
    checked = _core_only("-m", "wirecopy", "verify", str(out))
    assert "note: mlcroissant is not installed" in checked.stderr and f"{out}: verified" in checked.stdout
    configs = ("articles", "claims", "article_pairs", "facts", "dedup_synthetic")
    load = (
        "import datasets, sys, tempfile\n"
        f"for config in {configs!r}:\n"
        f"    print(config, len(datasets.load_dataset({str(out)!r}, config, split='test', cache_dir=tempfile.mkdtemp())))\n"
    )
    committed = [str(pq.read_metadata(REPO / "dataset" / shard_path(config)).num_rows) for config in configs]
    assert _core_only("-c", load).stdout.split() == [item for pair in zip(configs, committed) for item in pair]
    _core_only("-m", "wirecopy", "synth", "--n", "200", "--external", str(REPO / "external"), "--out", str(tmp_path / "corpus"))
    deduplicated = _core_only("-m", "wirecopy", "dedup", str(tmp_path / "corpus"), "--out", str(tmp_path / "dedup"), "--boilerplate", "rules", "--id-field", "doc_id")
    assert "200 documents ->" in deduplicated.stdout


def test_a_command_of_an_extra_says_which_extra_is_missing():
    result = subprocess.run([sys.executable, str(WITHOUT_EXTRAS), "-m", "wirecopy", "bench", "list"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error: wirecopy bench list needs the [bench] extra: pip install 'wirecopy[bench]'" in result.stderr
