"""Step 5d: Croissant 1.1 metadata (``croissant.json``), derived from the schema, the shards and the datasheet.

One FileObject per Parquet shard (with its sha256), one RecordSet per shard (named as its config, or
``config-split`` for a config with several splits) whose Fields follow the config's Arrow schema (itself derived from ``schema/release.schema.json``): lists of structs become
array Fields with subFields read by ``jsonPath``, lists of strings array Fields. The responsible-AI
(``rai:``) properties quote the sections of DATASHEET.md, so the datasheet stays their one source.
"""

import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

import pyarrow as pa

from wirecopy.schema import load_schema

from wirecopy.core.layout import SPLIT, shard_path

from .arrow_types import DEFAULT_CONFIG, SPLITS
from .checksums import sha256_of
from .dictionary import field_entry
from .project import cite_as
from .sources import sources_of

CROISSANT = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
# Which DATASHEET.md section (## heading) each responsible-AI property quotes.
RAI_SECTIONS = {
    "rai:dataCollection": "Collection",
    "rai:dataAnnotationProtocol": "Labelling",
    "rai:dataUseCases": "Uses",
    "rai:dataBiases": "Biases",
    "rai:dataLimitations": "Limitations",
    "rai:personalSensitiveInformation": "Sensitive information",
    "rai:dataReleaseMaintenancePlan": "Maintenance",
}


@cache
def croissant_context() -> dict:
    """The standard Croissant 1.1 JSON-LD context, vendored (``schema/vendor/``): mlcroissant ships
    none, and building it needs its private modules."""
    return json.loads(files("wirecopy.schema").joinpath("vendor/croissant-1.1-context.json").read_text(encoding="utf-8"))


def datasheet_sections(datasheet: str) -> dict[str, str]:
    """The text under each ``## heading`` of a Markdown datasheet."""
    parts = re.split(r"^## +(.+?)\s*$", datasheet, flags=re.M)
    return {heading: body.strip() for heading, body in zip(parts[1::2], parts[2::2])}


def _data_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_int32(arrow_type):
        return "cr:Int32"
    if pa.types.is_date32(arrow_type):
        return "sc:Date"
    if pa.types.is_string(arrow_type):
        return "sc:Text"
    raise ValueError(f"no Croissant data type for Arrow type {arrow_type}")


def _field(field_id: str, arrow_field: pa.Field, source: dict, config: str, path: tuple[str, ...]) -> dict:
    """A Field for a column or struct member of ``config`` at ``path`` (described by the data dictionary);
    ``source`` is where its values come from."""
    node: dict = {"@type": "cr:Field", "@id": field_id, "name": arrow_field.name, "description": field_entry(config, path).full_description()}
    arrow_type = arrow_field.type
    if pa.types.is_list(arrow_type):
        node["isArray"] = True
        arrow_type = arrow_type.value_type
    if pa.types.is_struct(arrow_type):
        prefix = source.get("transform", {}).get("jsonPath")
        node["subField"] = [
            _field(f"{field_id}/{member.name}", member, {**source, "transform": {"jsonPath": f"{prefix}[*].{member.name}" if prefix else member.name}}, config, (*path, member.name))
            for member in arrow_type
        ]
    else:
        node["dataType"] = _data_type(arrow_type)
        node["source"] = source
    return node


def record_set_name(config: str, split: str) -> str:
    """The RecordSet (and FileObject ``NAME-parquet``) of one shard: the config's name when the config
    has only the test split, else ``config-split``."""
    return config if SPLITS[config] == (SPLIT,) else f"{config}-{split}"


def record_set_names(configs) -> list[str]:
    """Every RecordSet of a release holding ``configs``, in config and split order."""
    return [record_set_name(config, split) for config, splits in SPLITS.items() if config in configs for split in splits]


def record_set_fields(name: str, schema: pa.Schema) -> list[dict]:
    """The Fields of RecordSet ``name``: one per column of its shard's Arrow schema."""
    config = next(config for config, splits in SPLITS.items() for split in splits if record_set_name(config, split) == name)
    file_object = {"@id": f"{name}-parquet"}
    return [_field(f"{name}/{column.name}", column, {"fileObject": file_object, "extract": {"column": column.name}}, config, (column.name,)) for column in schema]


def _record_set(name: str, schema: pa.Schema, description: str) -> dict:
    return {"@type": "cr:RecordSet", "@id": name, "name": name, "description": description, "field": record_set_fields(name, schema)}


def _creator(author: dict) -> dict:
    if "name" in author:
        return {"@type": "sc:Organization", "name": author["name"]}
    return {"@type": "sc:Person", "name": " ".join(filter(None, [author.get("given_names"), author["family_names"]])), **({"affiliation": author["affiliation"]} if "affiliation" in author else {})}


def croissant_metadata(release_dir: Path, tables: dict[str, dict[str, pa.Table]], project: dict, datasheet: str) -> dict:
    """The Croissant JSON-LD of the release of ``project`` whose shards (by config and split) hold ``tables``."""
    definitions = load_schema("release")["$defs"]
    sections = datasheet_sections(datasheet)
    missing = sorted(set(RAI_SECTIONS.values()) - set(sections))
    if missing:
        raise ValueError(f"DATASHEET.md lacks the section(s) {missing} that Croissant's rai: properties quote")
    sources = sources_of(tables)
    return {
        "@context": croissant_context(),
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": project["name"],
        "description": " ".join(project["summary"].split()),
        "version": project["version"],
        "datePublished": project["date_released"],
        "license": [
            f"https://spdx.org/licenses/{project['license']['annotations']}.html",
            {"@type": "sc:CreativeWork", "name": f"Texts: {' '.join(project['license']['texts'].split())}", "url": "DATASHEET.md"},
            *({"@type": "sc:CreativeWork", "name": f"{source['name']} ({', '.join(source['configs'])}): {source['license']}", "url": source["license_url"]} for source in sources),
        ],
        **({"isBasedOn": [
            {"@type": "sc:CreativeWork", "name": source["name"], "citation": source["citation"], "url": source["url"], "license": source["license_url"]}
            for source in sources
        ]} if sources else {}),
        "creator": [_creator(author) for author in project["authors"]],
        "citeAs": cite_as(project),
        "url": project["citation"].get("url", "README.md"),
        "inLanguage": project["languages"][0] if len(project["languages"]) == 1 else project["languages"],
        "keywords": project.get("keywords", []),
        "isLiveDataset": False,
        **{prop: sections[heading] for prop, heading in RAI_SECTIONS.items()},
        "distribution": [
            {
                "@type": "cr:FileObject",
                "@id": f"{record_set_name(config, split)}-parquet",
                "name": f"{record_set_name(config, split)}-parquet",
                "description": f"The {config} config{' (default)' if config == DEFAULT_CONFIG else ''}, split {split}.",
                "contentUrl": shard_path(config, split),
                "contentSize": f"{(release_dir / shard_path(config, split)).stat().st_size} B",
                "encodingFormat": "application/x-parquet",
                "sha256": sha256_of(release_dir / shard_path(config, split)),
            }
            for config, splits in tables.items()
            for split in splits
        ],
        "recordSet": [
            _record_set(record_set_name(config, split), table.schema, definitions[config]["description"])
            for config, splits in tables.items()
            for split, table in splits.items()
        ],
    }


def write_croissant(release_dir: Path, metadata: dict) -> None:
    (release_dir / CROISSANT).write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
