"""`wirecopy release`: the diff with the last release, the bump it enforces, the refusals, and a real
patch release run in a throwaway git copy of the project."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pyarrow as pa
import pytest
import yaml
from typer.testing import CliRunner

from conftest import REPO
from wirecopy import __version__
from wirecopy.builders.release import bumped, diff_releases
from wirecopy.builders.verify import verify_release
from wirecopy.cli import app

PROJECT_FILES = ["seeds", "dataset", "results", "DATASHEET.md", "CITATION.cff", "CHANGELOG.md", "wirecopy/__init__.py"]
SIDECAR = "seeds/000_9af1437052fdcfff.yaml"


pytestmark = pytest.mark.slow  # each test builds and releases a copy of the project with git


def _git(project: Path, *arguments: str) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *arguments], cwd=project, check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A committed copy of the project's release inputs and its last release."""
    root = tmp_path / "project"
    for name in PROJECT_FILES:
        source, target = REPO / name, root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, target) if source.is_dir() else shutil.copy(source, target)
    (root / "external").symlink_to(REPO / "external")  # the real corpora, read only
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "last release")
    return root


def _edit_and_commit(project: Path, path: str, old: str, new: str) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    _git(project, "commit", "-qam", "edit")


def _release(project: Path, *options: str):
    return CliRunner().invoke(app, ["release", "--project", str(project), "--date", "2026-12-01", *options])


def test_bumped_follows_semantic_versioning():
    assert [bumped("0.2.3", part) for part in ("patch", "minor", "major")] == ["0.2.4", "0.3.0", "1.0.0"]


def _table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows)


def test_diff_classifies_changes_and_requires_the_matching_bump():
    old = {"facts": _table([{"fact_id": "a", "description": "x"}, {"fact_id": "b", "description": "y"}])}
    same = diff_releases(old, old)
    assert same.required_part() is None and same.changelog_lines() == []
    relabelled = diff_releases(old, {"facts": _table([{"fact_id": "a", "description": "x2"}, {"fact_id": "b", "description": "y"}])})
    assert relabelled.labels_changed == {"facts": {"a": ["description"]}} and relabelled.required_part() == "patch"
    added = diff_releases(old, {"facts": _table([{"fact_id": f, "description": "x"} for f in "abc"])})
    assert added.rows_added == {"facts": ["c"]} and added.required_part() == "minor"
    widened = diff_releases(old, {"facts": _table([{"fact_id": "a", "description": "x", "note": None}, {"fact_id": "b", "description": "y", "note": None}])})
    assert widened.fields_added == ["facts.note"] and widened.required_part() == "minor"
    new_config = diff_releases(old, {**old, "claims": _table([{"claim_id": "c"}])})
    assert new_config.configs_added == ["claims"] and new_config.required_part() == "minor"
    removed_row = diff_releases(old, {"facts": _table([{"fact_id": "a", "description": "x"}])})
    assert removed_row.rows_removed == {"facts": ["b"]} and removed_row.required_part() == "major"
    renamed = diff_releases(old, {"facts": _table([{"fact_id": "a", "text": "x"}, {"fact_id": "b", "text": "y"}])})
    assert renamed.fields_removed == ["facts.description"] and renamed.required_part() == "major"
    retyped = diff_releases({"facts": _table([{"fact_id": "a", "n": 1}])}, {"facts": _table([{"fact_id": "a", "n": "1"}])})
    assert retyped.fields_retyped == ["facts.n"] and retyped.required_part() == "major"


def test_a_label_fix_is_released_as_a_patch_everywhere(project):
    _edit_and_commit(project, SIDECAR, "label: extraction_residue", "label: navigation")
    result = _release(project, "--bump", "patch", "--note", "Fix one boilerplate label.")
    assert result.exit_code == 0, result.output
    version = bumped(__version__, "patch")
    assert f"released {version}" in result.output
    citation = yaml.safe_load((project / "CITATION.cff").read_text())
    assert (str(citation["version"]), str(citation["date-released"])) == (version, "2026-12-01")
    assert f'__version__ = "{version}"' in (project / "wirecopy" / "__init__.py").read_text()
    changelog = (project / "CHANGELOG.md").read_text()
    entry = changelog.split(f"## [{version}] - 2026-12-01", 1)[1].split("\n## [", 1)[0]
    assert "Fix one boilerplate label." in entry and f"Changes since {__version__} (a patch release" in entry
    assert "Labels changed in `articles`, 1 row(s): `000_9af1437052fdcfff (boilerplate_spans)`" in entry
    assert changelog.index(f"## [{version}]") < changelog.index(f"## [{__version__}]")
    assert f"Datasheet for wirecopy {version}" in (project / "DATASHEET.md").read_text()
    release = project / "dataset"
    assert verify_release(release) == []
    assert json.loads((release / "checksums.json").read_text())["version"] == version
    assert json.loads((release / "croissant.json").read_text())["version"] == version
    assert re.search(rf"^# wirecopy {re.escape(version)}:", (release / "README.md").read_text(), flags=re.M)
    assert (release / "CHANGELOG.md").read_text() == changelog


def test_removing_a_claim_is_refused_as_a_patch(project):
    sidecar = (project / SIDECAR).read_text(encoding="utf-8")
    claims = sidecar.split("claims:\n", 1)[1]
    first = claims[: claims.index("\n  - id:", 1) + 1]  # the first claim's block, c01
    _edit_and_commit(project, SIDECAR, first, "")
    before = {name: (project / name).read_bytes() for name in ("CITATION.cff", "CHANGELOG.md", "dataset/checksums.json")}
    result = _release(project, "--bump", "patch")
    assert result.exit_code == 1
    assert "these changes need a major release, not patch" in result.output
    assert "Rows of `claims`: 1 removed (`000_9af1437052fdcfff/c01`)" in result.output
    assert {name: (project / name).read_bytes() for name in before} == before


def test_release_refuses_a_dirty_tree_and_an_unchanged_one(project):
    assert "nothing changed since release" in _release(project, "--bump", "patch").output
    (project / SIDECAR).write_text((project / SIDECAR).read_text() + "\n", encoding="utf-8")
    dirty = _release(project, "--bump", "patch")
    assert dirty.exit_code == 1 and "uncommitted changes (1, first: M seeds/000_9af1437052fdcfff.yaml)" in dirty.output


def test_release_refuses_a_failing_build(project):
    _edit_and_commit(project, SIDECAR, "label: extraction_residue", "label: not_a_label")
    result = _release(project, "--bump", "patch")
    assert result.exit_code == 1 and "field label: 'not_a_label' is not one of" in result.output
    assert "Traceback" not in result.output and f"version: {__version__}\n" in (project / "CITATION.cff").read_text()


def test_release_rejects_a_bad_date(project):
    result = _release(project, "--bump", "patch", "--date", "01/12/2026")
    assert result.exit_code == 1 and "not a date YYYY-MM-DD" in result.output
