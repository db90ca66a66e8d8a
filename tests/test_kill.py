"""kill -9 at several points of ``build`` and ``dedup``: the previous output stays whole (or the new one
is already complete), a rerun gives byte-identical results to a clean run, and nothing is left behind.

Each run is a real process (``helpers/kill_at.py``), killed by SIGKILL on the N-th call of a function.
"""

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_project, snapshot
from wirecopy.dedup.pipeline import work_root

KILL_AT = Path(__file__).parent / "helpers" / "kill_at.py"
pytestmark = pytest.mark.slow


def _wirecopy(arguments: list[str], cwd: Path, kill: tuple[str, str, int] | None = None) -> None:
    prefix = [str(KILL_AT), kill[0], kill[1], str(kill[2]), "--"] if kill else ["-m", "wirecopy"]
    result = subprocess.run([sys.executable, *prefix, *arguments], cwd=cwd, capture_output=True, text=True, timeout=600)
    if kill:
        assert result.returncode == -signal.SIGKILL, (result.returncode, result.stderr[-2000:])
    else:
        assert result.returncode == 0, result.stderr[-2000:]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".staging-" in p.name)


BUILD_KILLS = {
    "just after the staging folder is made": ("wirecopy.core.outputs:_write_marker", "after", 1),
    "while writing the shards": ("wirecopy.builders.write:write_parquet", "before", 3),
    "before the swap": ("wirecopy.core.outputs:exchange", "before", 1),
    "after the swap": ("wirecopy.core.outputs:exchange", "after", 1),
}


@pytest.fixture(scope="module")
def projects(built_release, tmp_path_factory) -> tuple[Path, dict, dict]:
    """A project whose dataset/ is the previous release and whose seeds changed since (one note), and
    the snapshots of the previous release and of a clean build of the changed seeds."""
    project = copy_project(tmp_path_factory.mktemp("kill") / "project")
    shutil.copytree(built_release, project / "dataset")
    sidecar = project / "seeds" / "000_9af1437052fdcfff.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("The copy has no date of its own.", "The copy carries no date of its own."), encoding="utf-8")
    _wirecopy(["build", "--out", "../clean"], project)
    return project, snapshot(project / "dataset"), snapshot(project.parent / "clean")


@pytest.mark.parametrize("point", sorted(BUILD_KILLS))
def test_a_killed_build_leaves_a_whole_release_and_a_rerun_finishes_it(point, projects, tmp_path):
    template, previous, clean = projects
    project = Path(shutil.copytree(template, tmp_path / "project", symlinks=True))
    assert clean != previous
    _wirecopy(["build"], project, BUILD_KILLS[point])
    assert snapshot(project / "dataset") == (clean if point == "after the swap" else previous)
    assert len(_leftovers(project)) == 1  # the kill struck inside the staged write
    _wirecopy(["build"], project)
    assert snapshot(project / "dataset") == clean
    assert _leftovers(project) == []


DEDUP_KILLS = {
    "in the signature stage": ("wirecopy.dedup.stages:atomic_parquet", "before", 2),
    "while writing the results": ("wirecopy.dedup.outputs:_write_shards", "after", 1),
    "before the swap": ("wirecopy.core.outputs:exchange", "before", 1),
    "after the swap": ("wirecopy.core.outputs:exchange", "after", 1),
}
DEDUP = ["dedup", "corpus", "--out", "out", "--batch-size", "100", "--workers", "1", "--id-field", "doc_id"]


@pytest.fixture(scope="module")
def dedup_runs(built_release, tmp_path_factory) -> tuple[Path, dict, dict]:
    """A folder with a corpus and the results of an earlier run with another threshold, and the
    snapshots of those results and of a clean run with the default threshold."""
    from wirecopy.builders.synthetic_corpus import write_corpus

    folder = tmp_path_factory.mktemp("kill-dedup")
    write_corpus(REPO / "external", 300, 3, folder / "corpus")
    _wirecopy([*DEDUP, "--threshold", "0.5"], folder)
    _wirecopy([*DEDUP[:3], "clean", *DEDUP[4:]], folder)
    return folder, snapshot(folder / "out"), snapshot(folder / "clean")


@pytest.mark.parametrize("point", sorted(DEDUP_KILLS))
def test_a_killed_dedup_leaves_whole_results_and_a_rerun_gives_identical_ones(point, dedup_runs, tmp_path):
    template, previous, clean = dedup_runs
    folder = Path(shutil.copytree(template, tmp_path / "runs", symlinks=True))
    assert clean != previous
    _wirecopy(DEDUP, folder, DEDUP_KILLS[point])
    assert snapshot(folder / "out") == (clean if point == "after the swap" else previous)
    assert len(_leftovers(folder)) == (point != "in the signature stage")  # stage 1 writes no staging folder
    assert len(list(work_root(folder / "out").iterdir())) == 2  # the earlier run's and this one's (to resume)
    _wirecopy(DEDUP, folder)
    assert snapshot(folder / "out") == clean
    assert _leftovers(folder) == []
    assert len(list(work_root(folder / "out").iterdir())) == 1  # the earlier run's work folder is gone
