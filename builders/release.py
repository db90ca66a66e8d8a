"""Cut a new version: compare the seeds' build with the last release, enforce the version bump the
changes need, write the new version everywhere, rebuild and verify.

Semantic versioning for data, decided by ``ReleaseDiff.required_part``:
- major: a config or field removed, a field's type changed, or rows removed (users' references break);
- minor: a config or field added, or rows added;
- patch: only values of existing rows changed (label fixes).
The last release is the one in the project's ``dataset/`` (committed, since the working tree must be
clean). Works in any wirecopy project (``wirecopy.yaml``), this repository included.
"""

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from wirecopy.core.errors import InputError
from wirecopy.core.layout import shard_path
from wirecopy.core.outputs import atomic_write_text

from .arrow_types import CONFIGS, ROW_KEY, SPLITS, arrow_schema, row_key
from .documents import DATASHEET, read_documents, read_text
from .pipeline import check_releasable, project_rows, publish
from .project import PROJECT_FILE, check_changelog, read_project, replace_version
from .validate import json_view

PARTS = ("patch", "minor", "major")
LISTED = 10  # ids named per change in the CHANGELOG entry; the rest are counted


def bumped(version: str, part: str) -> str:
    major, minor, patch = (int(n) for n in version.split("."))
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[part]


@dataclass
class ReleaseDiff:
    """What changed between two releases, config by config."""

    configs_added: list[str] = field(default_factory=list)
    configs_removed: list[str] = field(default_factory=list)
    fields_added: list[str] = field(default_factory=list)  # "config.field"
    fields_removed: list[str] = field(default_factory=list)
    fields_retyped: list[str] = field(default_factory=list)
    rows_added: dict[str, list[str]] = field(default_factory=dict)
    rows_removed: dict[str, list[str]] = field(default_factory=dict)
    labels_changed: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # config -> row -> fields

    def required_part(self) -> str | None:
        """The smallest version bump these changes need, or None when nothing changed."""
        if self.configs_removed or self.fields_removed or self.fields_retyped or any(self.rows_removed.values()):
            return "major"
        if self.configs_added or self.fields_added or any(self.rows_added.values()):
            return "minor"
        return "patch" if any(self.labels_changed.values()) else None

    def changelog_lines(self) -> list[str]:
        lines = []
        for label, names in (("Configs added", self.configs_added), ("Configs removed", self.configs_removed),
                             ("Fields added", self.fields_added), ("Fields removed", self.fields_removed),
                             ("Fields whose type changed", self.fields_retyped)):
            if names:
                lines.append(f"- {label}: {_listed(names)}.")
        for config in sorted(set(self.rows_added) | set(self.rows_removed)):
            added, removed = self.rows_added.get(config, []), self.rows_removed.get(config, [])
            parts = [f"{len(added)} added ({_listed(added)})" if added else "", f"{len(removed)} removed ({_listed(removed)})" if removed else ""]
            if added or removed:
                lines.append(f"- Rows of `{config}`: " + ", ".join(filter(None, parts)) + ".")
        for config, rows in sorted(self.labels_changed.items()):
            if rows:
                changes = [f"{row} ({', '.join(fields)})" for row, fields in sorted(rows.items())]
                lines.append(f"- Labels changed in `{config}`, {len(rows)} row(s): {_listed(changes)}.")
        return lines


def _listed(names: list[str]) -> str:
    shown = ", ".join(f"`{name}`" for name in names[:LISTED])
    return shown + (f" and {len(names) - LISTED} more" if len(names) > LISTED else "")


def diff_releases(old: dict[str, pa.Table], new: dict[str, pa.Table]) -> ReleaseDiff:
    """Compare two releases given as {config: table}; rows are matched by their key columns."""
    diff = ReleaseDiff(configs_added=sorted(set(new) - set(old)), configs_removed=sorted(set(old) - set(new)))
    for config in sorted(set(old) & set(new)):
        old_types = {f.name: f.type for f in old[config].schema}
        new_types = {f.name: f.type for f in new[config].schema}
        diff.fields_added += [f"{config}.{name}" for name in new_types if name not in old_types]
        diff.fields_removed += [f"{config}.{name}" for name in old_types if name not in new_types]
        diff.fields_retyped += [f"{config}.{name}" for name in new_types if name in old_types and new_types[name] != old_types[name]]
        old_rows = {row_key(config, row): row for row in old[config].to_pylist()}
        new_rows = {row_key(config, row): row for row in new[config].to_pylist()}
        diff.rows_added[config] = sorted(set(new_rows) - set(old_rows))
        diff.rows_removed[config] = sorted(set(old_rows) - set(new_rows))
        shared = [name for name in new_types if name in old_types and name not in ROW_KEY[config]]
        diff.labels_changed[config] = {
            key: changed
            for key in sorted(set(old_rows) & set(new_rows))
            if (changed := [name for name in shared if json_view(old_rows[key][name]) != json_view(new_rows[key][name])])
        }
    return diff


def read_release(release_dir: Path) -> dict[str, pa.Table]:
    """The tables of a built release, by config, all splits together (configs missing a shard are left out)."""
    paths = {config: [Path(release_dir) / shard_path(config, split) for split in SPLITS[config]] for config in CONFIGS}
    return {config: pa.concat_tables(map(pq.read_table, shards)) for config, shards in paths.items() if all(path.exists() for path in shards)}


def release(project_dir: Path, part: str, date: str, note: str | None = None, commit: bool = True) -> tuple[str, ReleaseDiff]:
    """Release the project's seeds as the next ``part`` version dated ``date``; returns (version, diff).

    Refuses (InputError) a dirty working tree, a failing build, unreviewed labels, no change, or a bump
    smaller than the changes need. Nothing in the project changes unless the new release builds and
    verifies. The version lives in the project file; with ``commit`` the files written are committed
    and tagged ``v<version>`` (the tag is the release's own record in git).
    """
    project_dir = Path(project_dir).resolve()
    dirty = _git(project_dir, "status", "--porcelain").splitlines()
    if dirty:
        raise InputError(str(project_dir), "-", "-", f"uncommitted changes ({len(dirty)}, first: {dirty[0].strip()}); commit or stash them, then release")
    project = read_project(project_dir)
    documents = read_documents(project_dir)
    check_changelog(project, documents["CHANGELOG.md"], project_dir / "CHANGELOG.md")
    check_releasable(project_dir, documents)
    current = project["version"]
    new_rows = project_rows(project_dir, {**project, "date_released": date})
    new_tables = {config: pa.Table.from_pylist([row for rows in splits.values() for row in rows], schema=arrow_schema(config)) for config, splits in new_rows.items()}
    diff = diff_releases(read_release(project_dir / "dataset"), new_tables)
    required = diff.required_part()
    if required is None:
        raise InputError(str(project_dir / "seeds"), "-", "-", f"nothing changed since release {current}; nothing to release")
    if PARTS.index(part) < PARTS.index(required):
        raise InputError(str(project_dir / "seeds"), "-", "-", f"these changes need a {required} release, not {part}: " + " ".join(diff.changelog_lines()))
    version = bumped(current, part)
    released = {**project, "version": version, "date_released": date}
    updated = _updated_documents(documents, project["name"], current, version, date, note, diff, part)
    check_changelog(released, updated["CHANGELOG.md"], project_dir / "CHANGELOG.md")
    project_text = replace_version(read_text(project_dir / PROJECT_FILE), version, date, str(project_dir / PROJECT_FILE))
    publish(new_rows, project_dir / "dataset", released, updated, project_dir, inputs=[project_dir / "seeds", project_dir / "external"])
    for name, text in {**updated, PROJECT_FILE: project_text}.items():
        atomic_write_text(project_dir / name, text)
    if commit:
        _git(project_dir, "add", "--", "dataset", PROJECT_FILE, *updated)
        _git(project_dir, "commit", "-q", "-m", f"Release {version}", "--", "dataset", PROJECT_FILE, *updated)
        _git(project_dir, "tag", "-a", f"v{version}", "-m", f"Release {version} ({date})\n\n" + "\n".join(diff.changelog_lines()))
    return version, diff


def _git(project_dir: Path, *arguments: str) -> str:
    try:
        return subprocess.run(["git", *arguments], cwd=project_dir, capture_output=True, text=True, check=True).stdout
    except OSError as error:
        raise InputError(str(project_dir), "-", "-", f"git is needed for a release ({error})") from None
    except subprocess.CalledProcessError as error:
        message = " ".join((error.stderr or error.stdout or "").split()) or f"exit status {error.returncode}"
        raise InputError(str(project_dir), "-", "-", f"git {arguments[0]} failed: {message} (a release comes from committed sources in a git working tree)") from None


def _updated_documents(documents: dict[str, str], name: str, current: str, version: str, date: str, note: str | None, diff: ReleaseDiff, part: str) -> dict[str, str]:
    entry = "\n".join([f"## [{version}] - {date}", "", *([note.strip(), ""] if note else []),
                       f"Changes since {current} (a {part} release; computed by `wirecopy release`):", "", *diff.changelog_lines(), "", ""])
    changelog = documents["CHANGELOG.md"]
    first_entry = changelog.index("\n## [") + 1
    datasheet = re.sub(rf"\b{re.escape(current)} \(\d{{4}}-\d{{2}}-\d{{2}}\)", f"{version} ({date})", documents[DATASHEET])
    datasheet = re.sub(rf"\b(version|release|{re.escape(name)}) {re.escape(current)}\b", rf"\g<1> {version}", datasheet)
    return {"CHANGELOG.md": changelog[:first_entry] + entry + changelog[first_entry:], DATASHEET: datasheet}
