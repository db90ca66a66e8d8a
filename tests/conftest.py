import hashlib
import os
import shutil
from pathlib import Path

import pytest

# Tests never touch the network: datasets and huggingface_hub must work from local files only.
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"

REPO = Path(__file__).resolve().parent.parent
RESULTS_TABLE = REPO / "results" / "results.md"  # the benchmark table the committed card embeds


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private, editable copy of seeds/ for tests that break the input on purpose."""
    return Path(shutil.copytree(REPO / "seeds", tmp_path / "seeds"))


@pytest.fixture(scope="session")
def articles() -> list[dict]:
    """The rows of the committed release's ``articles`` config."""
    import pyarrow.parquet as pq

    from wirecopy.core.layout import shard_path

    return pq.read_table(REPO / "dataset" / shard_path("articles")).to_pylist()


@pytest.fixture(scope="session")
def built_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from wirecopy.builders.pipeline import build

    out = tmp_path_factory.mktemp("release") / "dataset"
    build(REPO / "seeds", out, results_table=RESULTS_TABLE)
    return out


def work_of(out: Path) -> Path:
    """The one resume folder of the dedup run into ``out`` (``.OUT.work/KEY``)."""
    from wirecopy.dedup.pipeline import work_root

    [folder] = list(work_root(out.resolve()).iterdir())
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (hidden ones included; a symbolic link by its target)."""
    state = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                state[key] = "-> " + os.readlink(path)
            elif path.is_file():
                state[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                state[key] = "folder"
    return state
