"""Step 4: check rows against their JSON Schema, and every span against the text it points into.

Used twice: on the rows before they are written, and on the Parquet shards after (``datasets``
would silently null-fill a column missing from a shard, so every shard is read back and checked).
"""

import datetime
import json
from pathlib import Path

import pyarrow.parquet as pq
from datasets import Features
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard

from wirecopy.schema import validator

from .arrow_types import CONFIGS, arrow_schema
from .checksums import MANIFEST, sha256_of
from .errors import BuildError

_ROW_ID = {"articles": "article_id", "claims": "claim_id", "facts": "fact_id", "dedup_synthetic": "doc_id"}


def json_view(value: object) -> object:
    """The row as JSON Schema sees it: dates as ISO strings."""
    if isinstance(value, dict):
        return {k: json_view(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_view(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def row_name(config: str, index: int, row: dict) -> str:
    if config == "article_pairs":
        return f"row {index} ({row.get('article_id_a')} / {row.get('article_id_b')})"
    return f"row {index} ({row.get(_ROW_ID[config])})"


def check_rows(config: str, rows: list[dict], file: str) -> None:
    """Every row of ``config`` must match its definition in ``schema/release.schema.json``."""
    rows_validator = validator("release", config)
    for index, row in enumerate(rows):
        for error in rows_validator.iter_errors(json_view(row)):
            field = ".".join(str(p) for p in error.absolute_path) or "-"
            raise BuildError(file, row_name(config, index, row), field, error.message)


def _spans_of(config: str, row: dict) -> list[tuple[str, str, dict]]:
    """(field, article_id, span) for every span a row carries."""
    if config == "articles":
        aid = row["article_id"]
        spans = [("title", aid, {"start": row["title_start"], "end": row["title_end"], "text": row["title"]})]
        for field in ("outlet_evidence", "credited_source_evidence", "date_evidence", "boilerplate_spans", "claims"):
            spans += [(field, aid, span) for span in row[field]]
        spans += [("claims.claimer_evidence", aid, ev) for claim in row["claims"] for ev in claim["claimer_evidence"]]
        return spans
    if config == "claims":
        return [("text", row["article_id"], row)] + [("claimer_evidence", row["article_id"], ev) for ev in row["claimer_evidence"]]
    if config == "article_pairs":
        return [("evidence", ev["article_id"], ev) for ev in row["evidence"]]
    if config == "dedup_synthetic":
        return [("boilerplate_spans", row["doc_id"], span) for span in row["boilerplate_spans"]]
    return []


def check_spans(config: str, rows: list[dict], texts: dict[str, str], file: str) -> None:
    """Every span must satisfy ``0 <= start < end <= len(text)`` and ``text[start:end] == span text``."""
    if config == "dedup_synthetic":  # synthetic spans point into their own document
        texts = {row["doc_id"]: row["text"] for row in rows}
    for index, row in enumerate(rows):
        for field, article_id, span in _spans_of(config, row):
            text = texts.get(article_id)
            if text is None:
                raise BuildError(file, row_name(config, index, row), field, f"unknown article id {article_id!r}")
            start, end = span["start"], span["end"]
            if not 0 <= start < end <= len(text) or text[start:end] != span["text"]:
                raise BuildError(file, row_name(config, index, row), field, f"span [{start}, {end}) does not give its text {span['text']!r}")


def _texts_of(articles: list[dict]) -> dict[str, str]:
    return {row["article_id"]: row["text"] for row in articles}


def validate_release(release_dir: Path) -> list[str]:
    """Every disagreement between a built release and its schema, card and checksums, one line each.

    Reads the card's ``configs`` as ``datasets`` would, checks each shard's Arrow schema against the
    one derived from ``schema/``, every row and span, and the manifest's sha256, sizes and row counts.
    """

    release_dir = Path(release_dir)
    problems: list[str] = []
    card_path = release_dir / "README.md"
    if not card_path.exists():
        return [f"{card_path}: missing dataset card"]
    card_data = DatasetCard.load(card_path).data
    configs = MetadataConfigs.from_dataset_card_data(card_data)
    infos = DatasetInfosDict.from_dataset_card_data(card_data)
    if sorted(configs) != sorted(CONFIGS):
        problems.append(f"{card_path}: configs {sorted(configs)} differ from the schema's {sorted(CONFIGS)}")
    manifest_path = release_dir / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {"files": []}
    if not manifest_path.exists():
        problems.append(f"{manifest_path}: missing checksum manifest")
    listed = {entry["path"]: entry for entry in manifest["files"]}
    rows_by_config: dict[str, list[dict]] = {}
    for config in sorted(configs):
        for data_file in configs[config]["data_files"]:
            path = release_dir / data_file["path"]
            if not path.exists():
                problems.append(f"{path}: missing shard of config {config}")
                continue
            try:
                table = pq.read_table(path)
            except Exception as error:  # a damaged file can fail in many pyarrow ways; report, don't crash
                problems.append(f"{path}: unreadable Parquet: {error}")
                continue
            expected = arrow_schema(config)
            if not table.schema.equals(expected):
                problems.append(f"{path}: Arrow schema differs from schema/release.schema.json#/$defs/{config}")
                continue
            rows = table.to_pylist()
            rows_by_config[config] = rows
            try:
                check_rows(config, rows, str(path))
            except BuildError as error:
                problems.append(str(error))
            info = infos.get(config)
            declared = info.splits[data_file["split"]] if info and info.splits and data_file["split"] in info.splits else None
            if declared is None or declared.num_examples != table.num_rows or declared.num_bytes != table.nbytes:
                problems.append(f"{card_path}: dataset_info of {config}/{data_file['split']} does not match {path.name} ({table.num_rows} rows, {table.nbytes} bytes)")
            if declared is not None and info.features != Features.from_arrow_schema(expected):
                problems.append(f"{card_path}: dataset_info features of {config} differ from the schema")
    texts = _texts_of(rows_by_config.get("articles", []))
    for config, rows in rows_by_config.items():
        try:
            check_spans(config, rows, texts, config)
        except BuildError as error:
            problems.append(str(error))
    for relative, entry in sorted(listed.items()):
        path = release_dir / relative
        if not path.exists():
            problems.append(f"{manifest_path}: lists {relative}, which is missing")
        elif sha256_of(path) != entry["sha256"] or path.stat().st_size != entry["bytes"]:
            problems.append(f"{path}: sha256 or size differs from {MANIFEST}")
    on_disk = {p.relative_to(release_dir).as_posix() for p in release_dir.rglob("*") if p.is_file()} - {MANIFEST}
    for unlisted in sorted(on_disk - set(listed)):
        problems.append(f"{release_dir / unlisted}: file not in {MANIFEST}")
    return problems
