"""Step 1: read the seed texts, exactly as they are on disk.

A seed is strict UTF-8 of at most ``MAX_SEED_BYTES`` (a news article is rarely over 100 kB; the limit
keeps a stray book or data dump from making the build crawl). A byte-order mark is refused, not
stripped: spans are offsets on the untouched text, and a stripped text would no longer be the file's.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from wirecopy.core.errors import InputError, Problems
from wirecopy.schema import load_schema

MAX_SEED_BYTES = 2 * 1024 * 1024
# A seed's file stem is its article id: a safe slug (schema/vocabulary.schema.json), so no id names a path.
ARTICLE_ID = re.compile(load_schema("vocabulary")["$defs"]["article_id"]["pattern"])


def is_article_id(stem: str) -> bool:
    return ARTICLE_ID.fullmatch(stem) is not None
BOM = "\ufeff"


@dataclass(frozen=True)
class Seed:
    article_id: str
    path: Path
    text: str
    sha256: str


def read_seeds(seeds_dir: Path, problems: Problems) -> list[Seed]:
    """Every good ``*.txt`` in ``seeds_dir``, decoded as strict UTF-8, sorted by article id (the file
    stem); a bad one is recorded in ``problems`` and left out."""
    paths = sorted(seeds_dir.glob("*.txt"))
    for path in sorted(seeds_dir.iterdir()):
        if path.suffix.lower() == ".txt" and path.suffix != ".txt":  # "Story.TXT" would be left out without a word
            problems.add(InputError(str(path), "-", "-", "a text's name must end in lowercase .txt to be read as a seed; rename it"))
    if not paths:
        raise InputError(str(seeds_dir), "-", "-", "no seed texts (*.txt) found")
    return [seed for seed in (problems.attempt(read_seed, path) for path in paths) if seed is not None]


def read_seed(path: Path) -> Seed:
    if not is_article_id(path.stem):
        raise InputError(str(path), "-", "-", f"the file name is not an article id: {path.stem!r} must be 1 to 100 lowercase ASCII letters, digits, '_' or '-', starting with a letter or digit (no spaces, dots or capitals); rename the text and its sidecar")
    if path.stat().st_size > MAX_SEED_BYTES:
        raise InputError(str(path), path.stem, "text", f"{path.stat().st_size:,} bytes, over the limit of {MAX_SEED_BYTES:,} bytes for one article")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(str(path), path.stem, "text", f"not valid UTF-8 at byte {error.start}: {error.reason}") from None
    if text.startswith(BOM):
        raise InputError(str(path), path.stem, "text", "starts with a byte-order mark (U+FEFF); save the file as UTF-8 without BOM (offsets count from its first character)")
    if not text.strip():
        raise InputError(str(path), path.stem, "text", "empty text")
    return Seed(path.stem, path, text, hashlib.sha256(raw).hexdigest())
