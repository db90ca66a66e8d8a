"""Step 2: read the human-written annotation files and check them against their JSON Schemas.

One sidecar per seed (``<article_id>.yaml`` beside ``<article_id>.txt``) and one ``corpus.yaml``
for labels that span articles, read by the strict loader (``core/yaml_loader.py``: no aliases, no
duplicate keys, dates kept as strings so that ``2023-02-30`` reaches the schema's date check).
"""

from pathlib import Path

from jsonschema.exceptions import ValidationError, best_match

from wirecopy.core.errors import InputError, Problems
from wirecopy.core.yaml_loader import load_yaml
from wirecopy.schema import validator

from .seeds import is_article_id

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
    """Raise every schema violation of ``document``: the most relevant one per record (a top-level
    field, or one item of a top-level list), so that one broken claim does not hide another."""
    by_record: dict[tuple, list[ValidationError]] = {}
    for error in validator(schema_name).iter_errors(document):
        by_record.setdefault(tuple(error.absolute_path)[:2], []).append(error)
    problems = Problems()
    for key in sorted(by_record, key=lambda key: [str(part) for part in key]):
        error = best_match(by_record[key])
        record, field = _record_and_field(document, error)
        problems.add(InputError(str(path), record, field, error.message))
    problems.check()


def read_sidecars(seeds_dir: Path, article_ids: list[str], problems: Problems) -> dict[str, dict]:
    """The validated sidecar of every article id (the stems of the seed files); a seed without one, a
    sidecar without a seed and a bad sidecar are recorded in ``problems`` and left out."""
    expected = {seeds_dir / f"{article_id}.yaml" for article_id in article_ids}
    found = {p for p in seeds_dir.glob("*.yaml") if p.name != CORPUS_FILE}
    for orphan in sorted(found - expected):
        problems.add(InputError(str(orphan), orphan.stem, "-", f"sidecar has no seed text {orphan.stem}.txt"))
    sidecars = {article_id: problems.attempt(_read_sidecar, seeds_dir / f"{article_id}.yaml", article_id) for article_id in article_ids if is_article_id(article_id)}  # the seed reports a bad name
    return {article_id: sidecar for article_id, sidecar in sidecars.items() if sidecar is not None}


def _read_sidecar(path: Path, article_id: str) -> dict:
    if not path.exists():
        raise InputError(str(path), article_id, "-", "missing annotation sidecar for this seed")
    document = load_yaml(path)
    check_schema(path, document, "article_annotation")
    if document["article_id"] != article_id:
        raise InputError(str(path), "-", "article_id", f"{document['article_id']!r} does not match the file name {article_id!r}")
    return document


def read_corpus(seeds_dir: Path) -> dict:
    path = seeds_dir / CORPUS_FILE
    if not path.exists():
        raise InputError(str(path), "-", "-", "missing corpus annotation file")
    document = load_yaml(path)
    check_schema(path, document, "corpus_annotation")
    return document


# The labels of each annotation file that `wirecopy annotate` may propose (design: GUIDELINES.md, "Review").
_PROPOSABLE = {"sidecar": ("title", "outlet", "credited_source", "date", "boilerplate", "claims"), "corpus": ("facts", "relations")}


def proposed_labels(document: dict) -> list[str]:
    """The labels of a loaded sidecar or corpus file still marked ``proposed`` (not reviewed), named as
    error messages name records: ``title``, ``boilerplate[3]``, ``claims[0] (c01)``, ``facts[2] (some_fact)``."""
    kind = "corpus" if "relations" in document or "facts" in document else "sidecar"
    found = []
    for key in _PROPOSABLE[kind]:
        value = document.get(key)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if isinstance(item, dict) and "proposed" in item:
                name = key if not isinstance(value, list) else f"{key}[{index}]"
                label_id = item.get("id") or item.get("fact_id")
                found.append(f"{name} ({label_id})" if label_id else name)
    return found
