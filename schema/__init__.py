"""JSON Schemas: the single source of truth for annotation files and released rows.

Each ``*.schema.json`` file here has an ``$id`` equal to its file name, so schemas refer to each
other by file name (``vocabulary.schema.json#/$defs/basis``) and a closed vocabulary lives in one place.
"""

import json
from functools import cache
from importlib.resources import files

from jsonschema import Draft202012Validator
from referencing import Registry, Resource


@cache
def load_schema(name: str) -> dict:
    """Return the JSON Schema ``schema/<name>.schema.json``."""
    return json.loads(files(__name__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def registry() -> Registry:
    """All schemas of this folder, addressable by their ``$id``."""
    names = sorted(p.name.removesuffix(".schema.json") for p in files(__name__).iterdir() if p.name.endswith(".schema.json"))
    return Registry().with_resources((load_schema(n)["$id"], Resource.from_contents(load_schema(n))) for n in names)


@cache
def validator(name: str, definition: str | None = None) -> Draft202012Validator:
    """A validator for schema ``name``, or for one of its ``$defs`` (e.g. a release config's row)."""
    schema = {"$ref": f"{name}.schema.json" + (f"#/$defs/{definition}" if definition else "")}
    return Draft202012Validator(schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


# Keywords that say something about a value without constraining it: a reference beside them (a property
# that refers to a shared definition and describes what it means there) is still a plain reference.
ANNOTATIONS = frozenset({"description", "title", "$comment"})


def resolve(name: str, pointer: str) -> dict:
    """The sub-schema at ``pointer`` (``#/$defs/...``) of schema ``name``, following ``$ref`` chains."""
    resolved = registry().resolver(base_uri=f"{name}.schema.json").lookup(pointer)
    contents = resolved.contents
    while "$ref" in contents and set(contents) - {"$ref"} <= ANNOTATIONS:
        resolved = resolved.resolver.lookup(contents["$ref"])
        contents = resolved.contents
    return contents
