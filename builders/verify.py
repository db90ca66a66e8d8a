"""Step 6: verify a built (or downloaded) release: every file, and every place that describes the files.

``verify_release`` recomputes what each description claims and reports every disagreement, each on its
own line that starts with the file it concerns, grouped by file: the card's ``configs`` and
``dataset_info`` (read as ``datasets`` reads them), the manifest's sha256, sizes and rows, Croissant's
FileObjects, RecordSets and Fields, the shards' Arrow schemas (derived from ``schema/``), every row and
span, and the version and date that CITATION.cff, CHANGELOG.md, the card, the manifest and Croissant
state. The build runs it on the staging folder before a release replaces the previous one; ``wirecopy
verify`` runs it on any copy.
"""

import json
import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard

from wirecopy.core.errors import NOT_APPLICABLE, InputError, Problems
from wirecopy.core.layout import shard_path
from wirecopy.core.outputs import files_in
from wirecopy.core.yaml_loader import parse_yaml

from .arrow_types import CONFIGS, SPLITS, arrow_schema
from .checksums import MANIFEST, sha256_of
from .croissant import CONFORMS_TO, CROISSANT, record_set_fields, record_set_name, record_set_names
from .documents import DOCUMENTS, read_text, release_identity
from .project import ANNOTATED_CONFIGS
from .validate import add_row_problems

_CARD_VERSION = re.compile(r"^Version (\S+), released", re.M)


def verify_release(release_dir: Path) -> list[str]:
    """Every disagreement between a release's files and its card, manifest, Croissant and documents, one
    line each that starts with the file it concerns; grouped by file (files sorted, each file's problems
    in the order found), each once."""
    release_dir = Path(release_dir)
    links = sorted(_symlinks(release_dir))
    if links:  # every check below would read through them
        return [f"{link}: a symbolic link; a release holds only its own regular files" for link in links]
    problems = Problems()
    version = _check_documents(release_dir, problems)
    card_path = release_dir / "README.md"
    card_text = _card_text(card_path, problems)
    tables = _check_card_and_shards(release_dir, card_path, problems) if card_text is not None else None
    _check_manifest(release_dir, tables or {}, version, problems)
    _check_croissant(release_dir, tables, version, problems)
    stated = _CARD_VERSION.search(card_text or "")
    if version and card_text is not None and (not stated or stated.group(1) != version):
        problems.add(_problem(card_path, f"states version {stated.group(1) if stated else None}, CITATION.cff {version}"))
    return list(dict.fromkeys(str(error) for error in sorted(problems.errors, key=lambda error: error.file)))


def _problem(path: Path, message: str) -> InputError:
    """A problem of the file ``path`` as a whole."""
    return InputError(str(path), NOT_APPLICABLE, NOT_APPLICABLE, message)


def _symlinks(folder: Path) -> list[Path]:
    return [Path(root) / name for root, dirs, files in os.walk(folder) for name in dirs + files if (Path(root) / name).is_symlink()]


def _inside(release_dir: Path, relative: object) -> Path | None:
    """``release_dir / relative`` (normalised) when that names a path inside the release (no ``..`` out,
    not absolute); the release holds no symbolic links by now, so the name is the file."""
    if not isinstance(relative, str) or not relative or "\0" in relative:
        return None
    path = (release_dir / relative).resolve()
    return release_dir / os.path.normpath(relative) if path.is_relative_to(release_dir.resolve()) else None


def _card_text(card_path: Path, problems: Problems) -> str | None:
    """The card's text, if it is UTF-8 with a YAML header that is a mapping (else a problem, and None)."""
    text = problems.attempt(read_text, card_path, "missing dataset card")
    if text is None:
        return None
    header = re.match(r"---\n(.*?\n)---\n", text, re.S)
    if header is None:
        problems.add(_problem(card_path, "no YAML header between '---' lines"))
        return None
    try:
        metadata = parse_yaml(header.group(1), str(card_path))
    except InputError as error:
        problems.add(error)
        return None
    if not isinstance(metadata, dict):
        problems.add(_problem(card_path, "the YAML header is not a mapping"))
        return None
    return text


def _check_documents(release_dir: Path, problems: Problems) -> str | None:
    """CITATION.cff valid and in agreement with CHANGELOG.md; returns the version CITATION.cff states
    (None: none, or a document missing)."""
    documents = {name: problems.attempt(read_text, release_dir / name, "missing document") for name in DOCUMENTS}
    if None in documents.values():
        return None
    version, _ = release_identity(documents, release_dir, problems)
    return version or None


def _check_card_and_shards(release_dir: Path, card_path: Path, problems: Problems) -> dict[str, dict[str, pa.Table]]:
    """Read every shard the card lists and check it against the schema and the card; return the tables
    by config and split."""
    try:
        card_data = DatasetCard.load(card_path).data
        configs = MetadataConfigs.from_dataset_card_data(card_data)
        infos = DatasetInfosDict.from_dataset_card_data(card_data)
    except Exception as error:  # datasets' own checks of configs and dataset_info, in their many ways
        problems.add(_problem(card_path, f"configs or dataset_info unreadable by datasets: {' '.join(str(error).split())}"))
        return {}
    unknown, missing = sorted(set(configs) - set(CONFIGS)), sorted(set(ANNOTATED_CONFIGS) - set(configs))
    if unknown or missing:
        problems.add(_problem(card_path, f"configs {sorted(configs)}: " + "; ".join(filter(None, [f"{unknown} are not in the schema" if unknown else "", f"{missing} missing (every release holds them)" if missing else ""]))))
    tables: dict[str, dict[str, pa.Table]] = {}
    shards: dict[tuple[str, str], Path] = {}
    for config in sorted(set(configs) & set(CONFIGS)):
        splits = [data_file["split"] for data_file in configs[config]["data_files"]]
        if splits != list(SPLITS[config]):
            problems.add(_problem(card_path, f"config {config} has splits {splits}, the schema's are {list(SPLITS[config])}"))
        for data_file in configs[config]["data_files"]:
            path = _inside(release_dir, data_file["path"])
            if path is None:
                problems.add(_problem(card_path, f"config {config} names {data_file['path']!r}, which is not a file inside the release"))
                continue
            if not path.exists():
                problems.add(_problem(path, f"missing shard of config {config}"))
                continue
            try:
                table = pq.read_table(path)
            except Exception as error:  # a damaged file can fail in many pyarrow ways; report, don't crash
                problems.add(_problem(path, f"unreadable Parquet: {' '.join(str(error).split())}"))
                continue
            expected = arrow_schema(config)
            if not table.schema.equals(expected):
                extra = sorted(set(table.schema.names) - set(expected.names))
                missing = sorted(set(expected.names) - set(table.schema.names))
                problems.add(_problem(path, f"Arrow schema differs from schema/release.schema.json#/$defs/{config} (extra columns {extra}, missing {missing})"))
                continue
            tables.setdefault(config, {})[data_file["split"]] = table
            shards[config, data_file["split"]] = path
            info = infos.get(config)
            declared = info.splits[data_file["split"]] if info and info.splits and data_file["split"] in info.splits else None
            if declared is None or declared.num_examples != table.num_rows or declared.num_bytes != table.nbytes:
                problems.add(_problem(card_path, f"dataset_info of {config}/{data_file['split']} does not match {path.name} ({table.num_rows} rows, {table.nbytes} bytes)"))
            if declared is not None and info.features != Features.from_arrow_schema(expected):
                problems.add(_problem(card_path, f"dataset_info features of {config} differ from the schema"))
    texts = _article_texts(tables)
    for (config, split), path in shards.items():
        add_row_problems(config, tables[config][split].to_pylist(), texts, str(path), problems)
    return tables


def _article_texts(tables: dict[str, dict[str, pa.Table]]) -> dict[str, str] | None:
    """The text of each article, which spans point into; None when no articles shard was read (that is
    reported), so that the spans pointing into articles are not all reported as well."""
    if "articles" not in tables:
        return None
    return {article_id: text for table in tables["articles"].values() for article_id, text in zip(table["article_id"].to_pylist(), table["text"].to_pylist())}


def _read_json(path: Path, what: str, problems: Problems) -> object | None:
    """The JSON document in ``path``, or None after reporting why there is none."""
    if not path.exists():
        problems.add(_problem(path, f"missing {what}"))
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        problems.add(_problem(path, f"not JSON: {error.msg} (line {error.lineno})"))
    except (UnicodeDecodeError, RecursionError, ValueError) as error:  # ValueError: e.g. a 5,000-digit number
        problems.add(_problem(path, f"not JSON this verifier reads ({error.__class__.__name__})"))
    return None


def _check_manifest(release_dir: Path, tables: dict[str, dict[str, pa.Table]], version: str | None, problems: Problems) -> None:
    manifest_path = release_dir / MANIFEST
    manifest = _read_json(manifest_path, "checksum manifest", problems)
    if manifest is None:
        return
    try:
        listed = {entry["path"]: entry for entry in manifest["files"]}
        for entry in listed.values():
            entry["sha256"], entry["bytes"], entry["rows"]  # noqa: B018  (each entry must have them)
    except (KeyError, TypeError) as error:
        problems.add(_problem(manifest_path, f"not a manifest {{version, files: [{{path, sha256, bytes, rows}}]}} (missing or wrong {error})"))
        return
    if version and manifest.get("version") != version:  # a dict: manifest["files"] worked
        problems.add(_problem(manifest_path, f"version {manifest.get('version')} differs from CITATION.cff's {version}"))
    rows_of = {shard_path(config, split): table.num_rows for config, splits in tables.items() for split, table in splits.items()}
    for relative, entry in sorted(listed.items()):
        path = _inside(release_dir, relative)
        if path is None:
            problems.add(_problem(manifest_path, f"lists {relative!r}, which is not a file inside the release"))
        elif not path.exists():
            problems.add(_problem(manifest_path, f"lists {relative}, which is missing"))
        elif not path.is_file():
            problems.add(_problem(manifest_path, f"lists {relative}, which is not a file"))
        elif sha256_of(path) != entry["sha256"] or path.stat().st_size != entry["bytes"]:
            problems.add(_problem(path, f"sha256 or size differs from {MANIFEST}"))
        elif relative in rows_of and rows_of[relative] != entry["rows"]:
            problems.add(_problem(manifest_path, f"{relative} has {rows_of[relative]} rows, the manifest says {entry['rows']}"))
    expected = set(files_in(release_dir)) - {MANIFEST}
    for unlisted in sorted(expected - set(listed)):
        problems.add(_problem(release_dir / unlisted, f"file not in {MANIFEST}"))
    for document in [*DOCUMENTS, CROISSANT]:
        if document not in listed:
            problems.add(_problem(manifest_path, f"does not list {document}"))


def _check_croissant(release_dir: Path, tables: dict[str, dict[str, pa.Table]] | None, version: str | None, problems: Problems) -> None:
    path = release_dir / CROISSANT
    metadata = _read_json(path, "Croissant metadata", problems)
    if metadata is None:
        return
    if not isinstance(metadata, dict):
        problems.add(_problem(path, "not a JSON object"))
        return
    if metadata.get("conformsTo") != CONFORMS_TO:
        problems.add(_problem(path, f"conformsTo {metadata.get('conformsTo')!r}, expected {CONFORMS_TO!r}"))
    if version and metadata.get("version") != version:
        problems.add(_problem(path, f"version {metadata.get('version')} differs from CITATION.cff's {version}"))
    distribution, record_sets = metadata.get("distribution", []), metadata.get("recordSet", [])
    if not (isinstance(distribution, list) and isinstance(record_sets, list) and all(isinstance(x, dict) for x in distribution + record_sets)):
        problems.add(_problem(path, "distribution and recordSet must be lists of objects"))
        return
    targets = [_inside(release_dir, file_object.get("contentUrl")) for file_object in distribution]
    for file_object, target in zip(distribution, targets):
        if target is None:
            problems.add(_problem(path, f"a FileObject points to {file_object.get('contentUrl')!r}, which is not a file inside the release"))
        elif not target.is_file():
            problems.add(_problem(path, f"FileObject {file_object.get('@id')} points to {file_object.get('contentUrl')}, which is missing"))
        elif sha256_of(target) != file_object.get("sha256"):
            problems.add(_problem(path, f"FileObject {file_object.get('@id')}: sha256 differs from {file_object.get('contentUrl')}"))
    if tables is not None:  # else the card, which names the shards, is unreadable (reported)
        _check_record_sets(path, {str(record_set.get("@id")): record_set for record_set in record_sets}, tables, problems)
    if None not in targets:  # mlcroissant would follow a FileObject out of the release
        for issue in _mlcroissant_issues(path):
            problems.add(_problem(path, issue))


def _check_record_sets(path: Path, record_sets: dict[str, dict], tables: dict[str, dict[str, pa.Table]], problems: Problems) -> None:
    """Croissant's RecordSets (by id) are the release's shards, with a Field per column."""
    if sorted(record_sets) != sorted(record_set_names(tables)):
        problems.add(_problem(path, f"RecordSets {sorted(record_sets)} differ from the release's shards {sorted(record_set_names(tables))}"))
    for config, splits in tables.items():
        for split, table in splits.items():
            name = record_set_name(config, split)
            if name in record_sets and record_sets[name].get("field") != record_set_fields(name, table.schema):
                problems.add(_problem(path, f"RecordSet {name}: Fields differ from the columns of its shard"))


def croissant_validator() -> bool:
    """Whether Croissant's own validator (mlcroissant, the ``[validate]`` extra) is installed; without
    it, verify runs wirecopy's own Croissant checks only."""
    try:
        import mlcroissant  # noqa: F401
    except ModuleNotFoundError:
        return False
    return True


def _mlcroissant_issues(path: Path) -> list[str]:
    """Croissant's own validator (mlcroissant), offline: its errors, one per line (none if not installed)."""
    if not croissant_validator():
        return []
    import mlcroissant

    try:
        mlcroissant.Dataset(jsonld=path)
    except mlcroissant.ValidationError as error:
        return [line.strip() for line in str(error).splitlines() if line.strip().startswith("-")] or [" ".join(str(error).split())]
    return []
