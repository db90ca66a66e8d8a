"""Step 5d: Croissant 1.1 metadata (``croissant.json``), derived from the schema, the shards and the datasheet.

One FileObject per Parquet shard (with its sha256), one RecordSet per config whose Fields follow the
config's Arrow schema (itself derived from ``schema/release.schema.json``): lists of structs become
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

from .arrow_types import DEFAULT_CONFIG
from .checksums import sha256_of

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


def _field(field_id: str, arrow_field: pa.Field, source: dict) -> dict:
    """A Field for a column or struct member; ``source`` is where its values come from."""
    node: dict = {"@type": "cr:Field", "@id": field_id, "name": arrow_field.name}
    arrow_type = arrow_field.type
    if pa.types.is_list(arrow_type):
        node["isArray"] = True
        arrow_type = arrow_type.value_type
    if pa.types.is_struct(arrow_type):
        prefix = source.get("transform", {}).get("jsonPath")
        node["subField"] = [
            _field(f"{field_id}/{member.name}", member, {**source, "transform": {"jsonPath": f"{prefix}[*].{member.name}" if prefix else member.name}})
            for member in arrow_type
        ]
    else:
        node["dataType"] = _data_type(arrow_type)
        node["source"] = source
    return node


def record_set_fields(config: str, schema: pa.Schema) -> list[dict]:
    """The Fields of config ``config``'s RecordSet: one per column of its Arrow schema."""
    file_object = {"@id": f"{config}-parquet"}
    return [_field(f"{config}/{column.name}", column, {"fileObject": file_object, "extract": {"column": column.name}}) for column in schema]


def _record_set(config: str, schema: pa.Schema, description: str) -> dict:
    return {"@type": "cr:RecordSet", "@id": config, "name": config, "description": description, "field": record_set_fields(config, schema)}


def croissant_metadata(release_dir: Path, shards: dict[str, str], schemas: dict[str, pa.Schema], version: str, date_published: str, datasheet: str) -> dict:
    """The Croissant JSON-LD of a release whose config ``c`` is the Parquet file ``shards[c]``."""
    definitions = load_schema("release")["$defs"]
    sections = datasheet_sections(datasheet)
    missing = sorted(set(RAI_SECTIONS.values()) - set(sections))
    if missing:
        raise ValueError(f"DATASHEET.md lacks the section(s) {missing} that Croissant's rai: properties quote")
    return {
        "@context": croissant_context(),
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": "wirecopy",
        "description": "News reuse, copy by copy and claim by claim: how one wire report is copied, rewritten, spun and "
        "wrapped in boilerplate by other outlets, with evidence-based labels (outlet, credited source, date, boilerplate "
        "spans, claims aligned by fact), graded article-pair relations and a seeded synthetic near-duplicate corpus.",
        "version": version,
        "datePublished": date_published,
        "license": [
            "https://creativecommons.org/licenses/by/4.0/",
            {"@type": "sc:CreativeWork", "name": "Article texts: copyright of their publishers, included unchanged for verification (see DATASHEET.md)", "url": "DATASHEET.md"},
        ],
        "creator": {"@type": "sc:Organization", "name": "The wirecopy team"},
        "citeAs": f"The wirecopy team. wirecopy: a dataset and benchmark of news reuse, version {version} ({date_published}). See CITATION.cff.",
        "url": "README.md",
        "inLanguage": "en",
        "keywords": ["news reuse", "near-duplicate detection", "claim alignment", "boilerplate removal", "media forensics"],
        "isLiveDataset": False,
        **{prop: sections[heading] for prop, heading in RAI_SECTIONS.items()},
        "distribution": [
            {
                "@type": "cr:FileObject",
                "@id": f"{config}-parquet",
                "name": f"{config}-parquet",
                "description": f"The {config} config{' (default)' if config == DEFAULT_CONFIG else ''}, split test.",
                "contentUrl": path,
                "contentSize": f"{(release_dir / path).stat().st_size} B",
                "encodingFormat": "application/x-parquet",
                "sha256": sha256_of(release_dir / path),
            }
            for config, path in shards.items()
        ],
        "recordSet": [_record_set(config, schemas[config], definitions[config]["description"]) for config in shards],
    }


def write_croissant(release_dir: Path, metadata: dict) -> None:
    (release_dir / CROISSANT).write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
