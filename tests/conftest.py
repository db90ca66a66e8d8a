import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml

# Tests never touch the network: datasets and huggingface_hub must work from local files only.
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"

REPO = Path(__file__).resolve().parent.parent

PROJECT_FILES = ("wirecopy.yaml", "DATASHEET.md", "CHANGELOG.md", "seeds")  # a project's inputs (builders/pipeline.py)
EMBEDDED_TABLES = ("results", "annotations")  # folders of the tables a card embeds, when they exist


def copy_project(root: Path, tables: bool = False) -> Path:
    """A private, editable copy of this repository's project in ``root``: the project file, documents and
    seeds copied, ``external/`` linked (the real corpora, read only), and, with ``tables``, the folders
    of the tables the card embeds (so that its build equals the committed release)."""
    root.mkdir(parents=True, exist_ok=True)
    for name in (*PROJECT_FILES, *(folder for folder in EMBEDDED_TABLES if tables and (REPO / folder).is_dir())):
        source, target = REPO / name, root / name
        shutil.copytree(source, target) if source.is_dir() else shutil.copy(source, target)
    (root / "external").symlink_to(REPO / "external")
    return root


def edit_project(root: Path, **fields) -> dict:
    """Set top-level fields of the project file in ``root`` (its comments are lost); returns the project."""
    path = root / "wirecopy.yaml"
    project = yaml.safe_load(path.read_text(encoding="utf-8")) | fields
    path.write_text(yaml.safe_dump(project, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return project


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A private copy of the project (``copy_project``) for tests that break its input on purpose."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def seeds_copy(project_copy: Path) -> Path:
    """The seeds of ``project_copy``: break them, then build ``seeds_copy.parent``."""
    return project_copy / "seeds"


@pytest.fixture(scope="session")
def articles() -> list[dict]:
    """The rows of the committed release's ``articles`` config."""
    import pyarrow.parquet as pq

    from wirecopy.core.layout import shard_path

    return pq.read_table(REPO / "dataset" / shard_path("articles")).to_pylist()


@pytest.fixture(scope="session")
def built_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's project built afresh (its card embeds results/results.md, as the committed one)."""
    from wirecopy.builders.pipeline import build

    out = tmp_path_factory.mktemp("release") / "dataset"
    build(REPO, out)
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
