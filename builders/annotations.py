"""Step 2: read the human-written annotation files and check them against their JSON Schemas.

One sidecar per seed (``<article_id>.yaml`` beside ``<article_id>.txt``) and one ``corpus.yaml``
for labels that span articles, read by the strict loader (``core/yaml_loader.py``: no aliases, no
duplicate keys, dates kept as strings so that ``2023-02-30`` reaches the schema's date check).
"""

from pathlib import Path

from jsonschema.exceptions import ValidationError, best_match

from wirecopy.core.errors import InputError
from wirecopy.core.yaml_loader import load_yaml
from wirecopy.schema import validator

CORPUS_FILE = "corpus.yaml"


def _record_and_field(document: object, error: ValidationError) -> tuple[str, str]:
    """Name the record (e.g. ``claims[3] (c04)``) and field of a schema error."""
    path = list(error.absolute_path)
    if error.validator in ("required", "additionalProperties", "unevaluatedProperties") and error.message.startswith("'"):
        path.append(error.message.split("'")[1])
    field = str(path.pop()) if path else "-"
    record, node = "", document
    for key in path:
        node = node[key]
        record += f"[{key}]" if isinstance(key, int) else (f".{key}" if record else str(key))
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            record += f" ({node['id']})"
    return record or "-", field


def check_schema(path: Path, document: object, schema_name: str) -> None:
    error = best_match(validator(schema_name).iter_errors(document))
    if error is not None:
        record, field = _record_and_field(document, error)
        raise InputError(str(path), record, field, error.message)


def read_sidecars(seeds_dir: Path, article_ids: list[str]) -> dict[str, dict]:
    """The validated sidecar of every seed; a seed without one, or a sidecar without a seed, is an error."""
    expected = {seeds_dir / f"{article_id}.yaml" for article_id in article_ids}
    found = {p for p in seeds_dir.glob("*.yaml") if p.name != CORPUS_FILE}
    for orphan in sorted(found - expected):
        raise InputError(str(orphan), orphan.stem, "-", f"sidecar has no seed text {orphan.stem}.txt")
    sidecars = {}
    for article_id in article_ids:
        path = seeds_dir / f"{article_id}.yaml"
        if not path.exists():
            raise InputError(str(path), article_id, "-", "missing annotation sidecar for this seed")
        document = load_yaml(path)
        check_schema(path, document, "article_annotation")
        if document["article_id"] != article_id:
            raise InputError(str(path), "-", "article_id", f"{document['article_id']!r} does not match the file name {article_id!r}")
        sidecars[article_id] = document
    return sidecars


def read_corpus(seeds_dir: Path) -> dict:
    path = seeds_dir / CORPUS_FILE
    if not path.exists():
        raise InputError(str(path), "-", "-", "missing corpus annotation file")
    document = load_yaml(path)
    check_schema(path, document, "corpus_annotation")
    return document
