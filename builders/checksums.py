"""Step 5c: the checksum manifest, so users can check that their files are this exact release."""

import hashlib
import json
from pathlib import Path

from wirecopy.core.layout import MANIFEST


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(release_dir: Path, rows_per_file: dict[str, int | None], version: str) -> None:
    """sha256, bytes and rows of every file (rows is null for non-tabular files such as the card)."""
    files = [
        {"path": relative, "sha256": sha256_of(release_dir / relative), "bytes": (release_dir / relative).stat().st_size, "rows": rows}
        for relative, rows in sorted(rows_per_file.items())
    ]
    manifest = {"dataset": "wirecopy", "version": version, "files": files}
    (release_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
