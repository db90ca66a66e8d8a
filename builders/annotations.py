"""Step 2: read the human-written annotation files and check them against their JSON Schemas.

One sidecar per seed (``<article_id>.yaml`` beside ``<article_id>.txt``) and one ``corpus.yaml``
for labels that span articles. YAML is read with every scalar that looks like a date kept as a
string, so that ``2023-02-30`` reaches the schema's date check instead of being parsed (or not)
by the YAML library.
"""

from pathlib import Path

import yaml
from jsonschema.exceptions import ValidationError, best_match

from wirecopy.schema import validator

from .errors import BuildError

CORPUS_FILE = "corpus.yaml"


class _StringDatesLoader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver."""


_StringDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: Path) -> object:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StringDatesLoader)
    except UnicodeDecodeError as error:
        raise BuildError(str(path), "-", "-", f"not valid UTF-8 at byte {error.start}") from None
    except yaml.YAMLError as error:
        raise BuildError(str(path), "-", "-", f"not valid YAML: {' '.join(str(error).split())}") from None


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
        raise BuildError(str(path), record, field, error.message)


def read_sidecars(seeds_dir: Path, article_ids: list[str]) -> dict[str, dict]:
    """The validated sidecar of every seed; a seed without one, or a sidecar without a seed, is an error."""
    expected = {seeds_dir / f"{article_id}.yaml" for article_id in article_ids}
    found = {p for p in seeds_dir.glob("*.yaml") if p.name != CORPUS_FILE}
    for orphan in sorted(found - expected):
        raise BuildError(str(orphan), orphan.stem, "-", f"sidecar has no seed text {orphan.stem}.txt")
    sidecars = {}
    for article_id in article_ids:
        path = seeds_dir / f"{article_id}.yaml"
        if not path.exists():
            raise BuildError(str(path), article_id, "-", "missing annotation sidecar for this seed")
        document = load_yaml(path)
        check_schema(path, document, "article_annotation")
        if document["article_id"] != article_id:
            raise BuildError(str(path), "-", "article_id", f"{document['article_id']!r} does not match the file name {article_id!r}")
        sidecars[article_id] = document
    return sidecars


def read_corpus(seeds_dir: Path) -> dict:
    path = seeds_dir / CORPUS_FILE
    if not path.exists():
        raise BuildError(str(path), "-", "-", "missing corpus annotation file")
    document = load_yaml(path)
    check_schema(path, document, "corpus_annotation")
    return document
