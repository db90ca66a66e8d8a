"""Derive each config's Arrow schema, and the configs, their order, the default, each config's row key
and splits (``x-configs``, ``x-default-config``, ``x-row-key``, ``x-splits``), from ``schema/release.schema.json``.

The mapping is deliberately small, so the JSON Schema stays the only place where fields are declared:
integer -> int32, string with format date -> date32, other strings -> string, array -> list,
object -> struct with fields in declaration order. ``null`` in a type list only allows nulls.
"""

import pyarrow as pa

from wirecopy.core.layout import SPLIT
from wirecopy.schema import load_schema, resolve

CONFIGS: tuple[str, ...] = tuple(load_schema("release")["x-configs"])
DEFAULT_CONFIG: str = load_schema("release")["x-default-config"]
# The columns that identify a row of each config (for messages and for diffing two releases).
ROW_KEY = {config: tuple(load_schema("release")["$defs"][config]["x-row-key"]) for config in CONFIGS}
# The splits of each config, in order; a config that declares none has only the test split.
SPLITS = {config: tuple(load_schema("release")["$defs"][config].get("x-splits", [SPLIT])) for config in CONFIGS}


def row_key(config: str, row: dict) -> str:
    return " / ".join(str(row.get(column)) for column in ROW_KEY[config])


def followed(node: dict) -> dict:
    """A sub-schema of the release schema with its ``$ref`` followed (within it or into the vocabulary)."""
    if "$ref" not in node:
        return node
    ref = node["$ref"]
    return resolve("release", ref) if ref.startswith("#") else resolve("vocabulary", ref.split("vocabulary.schema.json", 1)[1])


def _arrow_type(node: dict) -> pa.DataType:
    node = followed(node)
    if "enum" in node and "type" not in node:
        return pa.string()
    types = node["type"] if isinstance(node["type"], list) else [node["type"]]
    (kind,) = [t for t in types if t != "null"]
    if kind == "integer":
        return pa.int32()
    if kind == "string":
        return pa.date32() if node.get("format") == "date" else pa.string()
    if kind == "array":
        return pa.list_(_arrow_type(node["items"]))
    if kind == "object":
        return pa.struct([pa.field(name, _arrow_type(sub)) for name, sub in node["properties"].items()])
    raise ValueError(f"no Arrow type for JSON Schema type {kind!r}")


def arrow_schema(config: str) -> pa.Schema:
    """The Arrow schema of config ``config``'s Parquet shards."""
    row = resolve("release", f"#/$defs/{config}")
    return pa.schema([pa.field(name, _arrow_type(node)) for name, node in row["properties"].items()])
