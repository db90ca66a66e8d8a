"""Step 1: read the seed texts, exactly as they are on disk."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError


@dataclass(frozen=True)
class Seed:
    article_id: str
    path: Path
    text: str
    sha256: str


def read_seeds(seeds_dir: Path) -> list[Seed]:
    """Every ``*.txt`` in ``seeds_dir``, decoded as strict UTF-8, sorted by article id (the file stem)."""
    paths = sorted(seeds_dir.glob("*.txt"))
    if not paths:
        raise BuildError(str(seeds_dir), "-", "-", "no seed texts (*.txt) found")
    seeds = []
    for path in paths:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BuildError(str(path), path.stem, "text", f"not valid UTF-8 at byte {error.start}: {error.reason}") from None
        if not text.strip():
            raise BuildError(str(path), path.stem, "text", "empty text")
        seeds.append(Seed(path.stem, path, text, hashlib.sha256(raw).hexdigest()))
    return seeds
