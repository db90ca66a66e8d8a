"""`wirecopy release`: the diff with the last release, the bump it enforces, the refusals, and a real
patch release run in a throwaway git copy of the project (committed and tagged, or left for review)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pyarrow as pa
import pytest
import yaml
from typer.testing import CliRunner

from conftest import REPO, copy_project
from wirecopy.builders.documents import citation_problems
from wirecopy.builders.project import read_project
from wirecopy.builders.release import bumped, diff_releases
from wirecopy.builders.verify import verify_release
from wirecopy.cli import app

SIDECAR = "seeds/000_9af1437052fdcfff.yaml"
CURRENT = read_project(REPO)["version"]
DATE = "2026-12-10"


pytestmark = pytest.mark.slow  # each test builds and releases a copy of the project with git


GIT_IDENTITY = {"GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.org"}


@pytest.fixture(autouse=True)
def git_identity(monkeypatch):
    """`wirecopy release` commits and tags: give git an identity (a test machine may have none)."""
    for name, value in GIT_IDENTITY.items():
        monkeypatch.setenv(name, value)


def _git(project: Path, *arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=project, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def project(built_release, tmp_path: Path) -> Path:
    """A committed copy of the project with its last release (this project built) in dataset/."""
    root = copy_project(tmp_path / "project", tables=True)
    shutil.copytree(built_release, root / "dataset")
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
    return CliRunner().invoke(app, ["release", "--project", str(project), "--date", DATE, *options])


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


def test_a_label_fix_is_released_as_a_patch_everywhere_committed_and_tagged(project):
    _edit_and_commit(project, SIDECAR, "label: extraction_residue", "label: navigation")
    result = _release(project, "--bump", "patch", "--note", "Fix one boilerplate label.")
    assert result.exit_code == 0, result.output
    version = bumped(CURRENT, "patch")
    assert f"released {version}" in result.output and f"committed and tagged v{version}" in result.output
    assert (read_project(project)["version"], read_project(project)["date_released"]) == (version, DATE)
    changelog = (project / "CHANGELOG.md").read_text()
    entry = changelog.split(f"## [{version}] - {DATE}", 1)[1].split("\n## [", 1)[0]
    assert "Fix one boilerplate label." in entry and f"Changes since {CURRENT} (a patch release" in entry
    assert "Labels changed in `articles`, 1 row(s): `000_9af1437052fdcfff (boilerplate_spans)`" in entry
    assert changelog.index(f"## [{version}]") < changelog.index(f"## [{CURRENT}]")
    assert (project / "DATASHEET.md").read_text().startswith(f"# Datasheet for wirecopy {version}\n")
    release = project / "dataset"
    assert verify_release(release) == []
    citation_text = (release / "CITATION.cff").read_text()
    citation = yaml.safe_load(citation_text)
    assert citation_problems(citation_text) == [] and (str(citation["version"]), str(citation["date-released"])) == (version, DATE)
    assert json.loads((release / "checksums.json").read_text())["version"] == version
    assert json.loads((release / "croissant.json").read_text())["version"] == version
    assert re.search(rf"^Version {re.escape(version)}, released {DATE}\.", (release / "README.md").read_text(), flags=re.M)
    assert (release / "CHANGELOG.md").read_text() == changelog
    assert _git(project, "status", "--porcelain") == ""  # everything the release wrote is committed
    assert _git(project, "log", "-1", "--format=%s") == f"Release {version}\n"
    assert _git(project, "tag", "--points-at", "HEAD") == f"v{version}\n"
    assert "Labels changed in `articles`" in _git(project, "tag", "-n99", "-l", f"v{version}")


def test_a_release_without_commit_leaves_the_files_for_review(project):
    _edit_and_commit(project, SIDECAR, "label: extraction_residue", "label: navigation")
    head = _git(project, "rev-parse", "HEAD")
    result = _release(project, "--bump", "patch", "--no-commit")
    version = bumped(CURRENT, "patch")
    assert result.exit_code == 0, result.output
    assert f"next: review, commit, and tag v{version}" in result.output
    assert read_project(project)["version"] == version and verify_release(project / "dataset") == []
    changed = {line[3:] for line in _git(project, "status", "--porcelain").splitlines()}
    assert {"wirecopy.yaml", "CHANGELOG.md", "DATASHEET.md"} <= changed and any(name.startswith("dataset/") for name in changed)
    assert _git(project, "rev-parse", "HEAD") == head and _git(project, "tag") == ""


def test_removing_a_claim_is_refused_as_a_patch(project):
    sidecar = (project / SIDECAR).read_text(encoding="utf-8")
    claims = sidecar.split("claims:\n", 1)[1]
    first = claims[: claims.index("\n  - id:", 1) + 1]  # the first claim's block, c01
    _edit_and_commit(project, SIDECAR, first, "")
    before = {name: (project / name).read_bytes() for name in ("wirecopy.yaml", "CHANGELOG.md", "DATASHEET.md", "dataset/checksums.json")}
    result = _release(project, "--bump", "patch")
    assert result.exit_code == 1
    assert "these changes need a major release, not patch" in result.output
    assert "Rows of `claims`: 1 removed (`000_9af1437052fdcfff/c01`)" in result.output
    assert {name: (project / name).read_bytes() for name in before} == before
    assert _git(project, "tag") == ""


def test_release_refuses_a_dirty_tree_and_an_unchanged_one(project):
    assert "nothing changed since release" in _release(project, "--bump", "patch").output
    (project / SIDECAR).write_text((project / SIDECAR).read_text() + "\n", encoding="utf-8")
    dirty = _release(project, "--bump", "patch")
    assert dirty.exit_code == 1 and "uncommitted changes (1, first: M seeds/000_9af1437052fdcfff.yaml)" in dirty.output


def test_release_refuses_a_failing_build(project):
    _edit_and_commit(project, SIDECAR, "label: extraction_residue", "label: not_a_label")
    result = _release(project, "--bump", "patch")
    assert result.exit_code == 1 and "field label: 'not_a_label' is not one of" in result.output
    assert "Traceback" not in result.output and read_project(project)["version"] == CURRENT


def test_release_refuses_proposed_labels(project):
    _edit_and_commit(project, SIDECAR, "label: extraction_residue\n", "label: extraction_residue\n    proposed: {method: test}\n")
    result = _release(project, "--bump", "patch")
    assert result.exit_code == 1 and "1 proposed label(s) not reviewed (first: boilerplate[0])" in result.output
    assert read_project(project)["version"] == CURRENT and _git(project, "status", "--porcelain") == ""


def test_release_rejects_a_bad_date(project):
    result = _release(project, "--bump", "patch", "--date", "01/12/2026")
    assert result.exit_code == 1 and "not a date YYYY-MM-DD" in result.output
