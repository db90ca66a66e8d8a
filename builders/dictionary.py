"""The data dictionary: every released field with its type as users see it and what it means, derived from
``schema/release.schema.json``, the one place where fields are described. The card renders it (each
config's ``dataset_info`` description and a table per config) and so does Croissant (``Field.description``).

A field's description is the first one met on its way through ``$ref``s: a property that refers to a
shared definition (a vocabulary term, the evidence list, a claim's member) may say what the definition
means there, and otherwise the definition's own description applies. A field whose values form a closed
set lists them, and names the vocabulary (``schema/vocabulary.schema.json``) they come from, so that the
vocabulary's meaning is written once and shown once.
"""

from dataclasses import dataclass
from functools import cache

import pyarrow as pa

from wirecopy.schema import load_schema, registry

from .arrow_types import arrow_schema


RELEASE = "release.schema.json"
VOCABULARY = "vocabulary.schema.json"


@dataclass(frozen=True)
class FieldEntry:
    """One released field, a column or a member of a nested struct."""

    config: str
    path: tuple[str, ...]  # ("claims", "claimer_evidence", "start")
    name: str  # as users address it: claims[].claimer_evidence[].start
    type: str  # string, int32, date, list<struct>, ...
    nullable: bool
    description: str
    values: tuple[str, ...]  # the allowed values of a closed set; () when any value of the type is allowed
    vocabulary: str | None  # the vocabulary the values are, when they are one

    def values_note(self, quote: str = "") -> str:
        """"Values (vocabulary basis): stated, inferred, unknown." ('' for a field of open values), names
        and values between ``quote``s."""
        if not self.values:
            return ""
        source = f" (vocabulary {quote}{self.vocabulary}{quote})" if self.vocabulary else ""
        return f"Values{source}: {', '.join(f'{quote}{value}{quote}' for value in self.values)}."

    def full_description(self) -> str:
        """The description with the allowed values, for a reader who sees one field at a time."""
        return " ".join(filter(None, [self.description, self.values_note()]))


def config_description(config: str) -> str:
    """What one row of ``config`` is."""
    return load_schema("release")["$defs"][config]["description"]


@cache
def vocabularies() -> dict[str, dict]:
    """The closed vocabularies (the definitions of ``schema/vocabulary.schema.json`` with an enum), by name."""
    return {name: node for name, node in load_schema("vocabulary")["$defs"].items() if "enum" in node}


def _chain(node: dict, resolver) -> tuple[list[tuple[str | None, dict]], object]:
    """``node`` and each definition its ``$ref``s lead to, each with the reference that led there (None
    for ``node`` itself), and the resolver of the last one (for the references inside it)."""
    chain = [(None, node)]
    while "$ref" in node:
        reference = node["$ref"]
        resolved = resolver.lookup(reference)
        node, resolver = resolved.contents, resolved.resolver
        chain.append((reference, node))
    return chain, resolver


def _vocabulary(chain: list[tuple[str | None, dict]], values: tuple[str, ...]) -> str | None:
    """The vocabulary a field's values are: the one it refers to, else the one with exactly its values
    (a nullable column repeats a vocabulary's enum, with null added)."""
    for reference, node in chain:
        if reference and reference.startswith(f"{VOCABULARY}#/$defs/") and "enum" in node:
            return reference.rsplit("/", 1)[1]
    return next((name for name, vocabulary in vocabularies().items() if values and set(vocabulary["enum"]) == set(values)), None)


def _type_name(arrow_type: pa.DataType) -> str:
    if pa.types.is_list(arrow_type):
        return f"list<{_type_name(arrow_type.value_type)}>"
    if pa.types.is_struct(arrow_type):
        return "struct"
    if pa.types.is_date32(arrow_type):
        return "date"
    return str(arrow_type)  # string, int32


def _entries(config: str, properties: dict, resolver, fields: pa.Schema | pa.StructType, path: tuple[str, ...], prefix: str) -> list[FieldEntry]:
    entries = []
    for field in fields:
        chain, inner = _chain(properties[field.name], resolver)
        node = chain[-1][1]
        enum = next((n["enum"] for _, n in chain if "enum" in n), [])
        types = node["type"] if isinstance(node.get("type"), list) else [node.get("type")]
        values = tuple(value for value in enum if value is not None)
        entry = FieldEntry(
            config=config,
            path=(*path, field.name),
            name=prefix + field.name,
            type=_type_name(field.type),
            nullable="null" in types or None in enum,
            description=next((n["description"] for _, n in chain if n.get("description")), ""),
            values=values,
            vocabulary=_vocabulary(chain, values),
        )
        entries.append(entry)
        arrow_type, separator = field.type, "."
        if pa.types.is_list(arrow_type):
            item_chain, inner = _chain(node["items"], inner)
            node, arrow_type, separator = item_chain[-1][1], arrow_type.value_type, "[]."
        if pa.types.is_struct(arrow_type):
            entries += _entries(config, node["properties"], inner, arrow_type, entry.path, entry.name + separator)
    return entries


@cache
def dictionary(config: str) -> tuple[FieldEntry, ...]:
    """Every field of ``config``, struct members after their field, in schema order."""
    row = registry().resolver(base_uri=RELEASE).lookup(f"#/$defs/{config}")
    return tuple(_entries(config, row.contents["properties"], row.resolver, arrow_schema(config), (), ""))


def field_entry(config: str, path: tuple[str, ...]) -> FieldEntry:
    """The field of ``config`` at ``path`` (column, then struct member names)."""
    return next(entry for entry in dictionary(config) if entry.path == path)
