"""Cut a new version: compare the seeds' build with the last release, enforce the version bump the
changes need, write the new version everywhere, rebuild and verify.

Semantic versioning for data, decided by ``ReleaseDiff.required_part``:
- major: a config or field removed, a field's type changed, or rows removed (users' references break);
- minor: a config or field added, or rows added;
- patch: only values of existing rows changed (label fixes).
The last release is the one in ``dataset/`` (committed, since the working tree must be clean).
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
from .documents import read_documents, release_identity
from .pipeline import build_rows, publish
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


def _git_dirty(project: Path) -> list[str]:
    try:
        status = subprocess.run(["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise InputError(str(project), "-", "-", f"not a git working tree ({error}); a release must come from committed sources") from None
    return status.splitlines()


def _replace_line(text: str, pattern: str, replacement: str, where: str) -> str:
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    if count != 1:
        raise InputError(where, "-", "-", f"no line matching {pattern!r} to update")
    return new


def release(project: Path, part: str, date: str, note: str | None = None) -> tuple[str, ReleaseDiff]:
    """Release the project's seeds as the next ``part`` version dated ``date``; returns (version, diff).

    Refuses (InputError) a dirty working tree, a failing build, no change, or a bump smaller than the
    changes need. Nothing in the project changes unless the new release builds and verifies.
    """
    project = Path(project).resolve()
    dirty = _git_dirty(project)
    if dirty:
        raise InputError(str(project), "-", "-", f"uncommitted changes ({len(dirty)}, first: {dirty[0].strip()}); commit or stash them, then release")
    documents = read_documents(project)
    current, _ = release_identity(documents, project)
    package_init = project / "wirecopy" / "__init__.py"
    if not package_init.is_file():
        raise InputError(str(project), "-", "-", f"not the wirecopy repository (no {package_init.relative_to(project)}, where the version lives); `wirecopy release` runs in its root, or give --project")
    if f'__version__ = "{current}"' not in package_init.read_text(encoding="utf-8"):
        raise InputError(str(package_init), "-", "__version__", f"differs from CITATION.cff's {current}")
    new_rows = build_rows(project / "seeds", date, project / "external")
    new_tables = {config: pa.Table.from_pylist([row for rows in splits.values() for row in rows], schema=arrow_schema(config)) for config, splits in new_rows.items()}
    diff = diff_releases(read_release(project / "dataset"), new_tables)
    required = diff.required_part()
    if required is None:
        raise InputError(str(project / "seeds"), "-", "-", f"nothing changed since release {current}; nothing to release")
    if PARTS.index(part) < PARTS.index(required):
        raise InputError(str(project / "seeds"), "-", "-", f"these changes need a {required} release, not {part}: " + " ".join(diff.changelog_lines()))
    version = bumped(current, part)
    updated = _updated_documents(documents, current, version, date, note, diff, part)
    release_identity(updated, project)  # the rewritten CITATION.cff and CHANGELOG.md must still agree
    publish(new_rows, project / "dataset", updated, version, date, project / "results" / "results.md", inputs=[project / "seeds", project / "external"])
    for name, text in updated.items():
        atomic_write_text(project / name, text)
    atomic_write_text(package_init, package_init.read_text(encoding="utf-8").replace(f'__version__ = "{current}"', f'__version__ = "{version}"'))
    return version, diff


def _updated_documents(documents: dict[str, str], current: str, version: str, date: str, note: str | None, diff: ReleaseDiff, part: str) -> dict[str, str]:
    citation = _replace_line(documents["CITATION.cff"], r"^version: .*$", f"version: {version}", "CITATION.cff")
    citation = _replace_line(citation, r"^date-released: .*$", f"date-released: {date}", "CITATION.cff")
    entry = "\n".join([f"## [{version}] - {date}", "", *([note.strip(), ""] if note else []),
                       f"Changes since {current} (a {part} release; computed by `wirecopy release`):", "", *diff.changelog_lines(), "", ""])
    changelog = documents["CHANGELOG.md"]
    first_entry = changelog.index("\n## [") + 1
    datasheet = documents["DATASHEET.md"].replace(f"wirecopy {current}", f"wirecopy {version}")
    datasheet = re.sub(rf"release {re.escape(current)} \(\d{{4}}-\d{{2}}-\d{{2}}\)", f"release {version} ({date})", datasheet)
    return {"CITATION.cff": citation, "CHANGELOG.md": changelog[:first_entry] + entry + changelog[first_entry:], "DATASHEET.md": datasheet}
