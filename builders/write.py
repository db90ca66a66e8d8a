"""Step 5: write the release into a temporary folder, verify it, then put it in place.

A failed build leaves the previous release untouched: nothing is written to ``out`` itself until
the new release has been written completely and has passed ``verify_release``, and ``out`` is replaced
only when it is a release that wirecopy wrote (``core/outputs.py``).
"""

import json
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from wirecopy.core.errors import InputError, InputErrors
from wirecopy.core.layout import shard_path
from wirecopy.core.outputs import MARKER, replace_folder

from .arrow_types import arrow_schema
from .card import embed, render_card
from .checksums import MANIFEST, write_manifest
from .croissant import CROISSANT, croissant_metadata, write_croissant
from .verify import verify_release


def to_table(config: str, rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=arrow_schema(config))


def write_parquet(table: pa.Table, path: Path) -> None:
    """Deterministic bytes for the same rows and the same pinned pyarrow (which records its version)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", compression_level=9)


RELEASE = "release"  # the kind of output in core.outputs' marker
Rows = dict[str, dict[str, list[dict]]]  # config -> split -> rows


def write_release(rows: Rows, out: Path, project: dict, documents: dict[str, str], embedded: dict[str, str] | None = None, unreviewed: int | None = None, inputs: Iterable[Path] = ()) -> None:
    """Write Parquet shards (one per config and split), the card, Croissant, the documents and the
    manifest of release ``project["version"]``, replacing ``out`` atomically. ``embedded``: the tables
    the card shows ("results", "agreement"); ``unreviewed``: the proposed labels of a draft."""
    def fill(staging: Path) -> None:
        for config, splits in rows.items():
            for split, split_rows in splits.items():
                write_parquet(to_table(config, split_rows), staging / shard_path(config, split))
        # The card's sizes describe the shards as readers get them back (validity bitmaps included).
        tables = {config: {split: pq.read_table(staging / shard_path(config, split)) for split in splits} for config, splits in rows.items()}
        (staging / "README.md").write_text(render_card(tables, project, embedded or {}, unreviewed), encoding="utf-8")
        write_croissant(staging, croissant_metadata(staging, tables, project, documents["DATASHEET.md"]))
        for name, text in documents.items():
            (staging / name).write_text(text, encoding="utf-8")
        non_tabular = dict.fromkeys(["README.md", CROISSANT, *documents])
        shards = {shard_path(config, split): table.num_rows for config, splits in tables.items() for split, table in splits.items()}
        write_manifest(staging, shards | non_tabular, project["version"])

    _replace_release(Path(out), fill, inputs)


def embed_results_in_release(release: Path, results_table: str) -> None:
    """Put a new benchmark results table into a built release's card (and so its manifest), atomically."""
    release = Path(release)

    def fill(staging: Path) -> None:
        shutil.copytree(release, staging, dirs_exist_ok=True, ignore=shutil.ignore_patterns(MARKER))
        card = staging / "README.md"
        card.write_text(embed(card.read_text(encoding="utf-8"), results_table), encoding="utf-8")
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
        write_manifest(staging, {entry["path"]: entry["rows"] for entry in manifest["files"]}, manifest["version"])

    _replace_release(release, fill)


def _replace_release(out: Path, fill, inputs: Iterable[Path] = ()) -> None:
    """Let ``fill`` write a release into a staging folder beside ``out``; verify it; swap it in
    (``core.outputs``: only over a release that wirecopy wrote, never over an input)."""
    def fill_and_check(staging: Path) -> None:
        fill(staging)
        problems = verify_release(staging)
        if problems:
            raise InputErrors([InputError(str(out), "release", "-", f"the built release fails validation: {problem}") for problem in problems])

    replace_folder(out, RELEASE, fill_and_check, inputs)
