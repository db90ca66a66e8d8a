"""`wirecopy verify` on tampered copies; Croissant through mlcroissant; the release's generated CITATION.cff
against CFF 1.2.0; the project file's one version everywhere; the card through datasets' and
huggingface_hub's offline parsers."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import mlcroissant
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard
from typer.testing import CliRunner

from conftest import REPO
from wirecopy.builders.arrow_types import CONFIGS, SPLITS
from wirecopy.builders.croissant import RAI_SECTIONS, datasheet_sections, record_set_names
from wirecopy.builders.documents import citation_problems
from wirecopy.builders.project import citation_cff, read_project, release_configs
from wirecopy.cli import app
from wirecopy.core.layout import shard_path


PROJECT = read_project(REPO)
VERSION = PROJECT["version"]


@pytest.fixture
def copy(built_release, tmp_path) -> Path:
    return Path(shutil.copytree(built_release, tmp_path / "copy"))


def _verify(release: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["verify", str(release)])
    return result.exit_code, result.output.splitlines()


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_the_committed_release_verifies():
    assert _verify(REPO / "dataset") == (0, [f"{REPO / 'dataset'}: verified"])


def test_a_flipped_byte_is_reported_by_manifest_and_croissant(copy):
    shard = copy / shard_path("claims")
    _flip_byte(shard)
    code, lines = _verify(copy)
    assert code == 1
    assert f"{shard}: sha256 or size differs from checksums.json" in lines
    assert f"{copy / 'croissant.json'}: FileObject claims-parquet: sha256 differs from {shard_path('claims')}" in lines


@pytest.mark.slow
def test_a_truncated_parquet_file_is_reported(copy):
    shard = copy / shard_path("facts")
    shard.write_bytes(shard.read_bytes()[:1000])
    code, lines = _verify(copy)
    assert code == 1
    assert any(line.startswith(f"{shard}: unreadable Parquet") for line in lines)
    assert f"{shard}: sha256 or size differs from checksums.json" in lines


@pytest.mark.slow
def test_a_missing_shard_is_reported(copy):
    shard = copy / shard_path("article_pairs")
    shard.unlink()
    code, lines = _verify(copy)
    assert code == 1
    assert f"{shard}: missing shard of config article_pairs" in lines
    assert f"{copy / 'checksums.json'}: lists {shard_path('article_pairs')}, which is missing" in lines
    assert any("FileObject article_pairs-parquet points to" in line for line in lines)


def test_an_extra_column_is_reported(copy):
    shard = copy / shard_path("facts")
    table = pq.read_table(shard)
    pq.write_table(table.append_column("comment", pa.array(["x"] * table.num_rows)), shard)
    code, lines = _verify(copy)
    assert code == 1
    assert f"{shard}: Arrow schema differs from schema/release.schema.json#/$defs/facts (extra columns ['comment'], missing [])" in lines


@pytest.mark.slow
def test_a_wrong_row_count_in_the_card_is_reported(copy):
    card = copy / "README.md"
    text = card.read_text(encoding="utf-8")
    facts = pq.read_metadata(copy / shard_path("facts")).num_rows
    tampered = re.sub(rf"(config_name: facts\n(?:.*\n)*?\s+num_examples: ){facts}\n", rf"\g<1>{facts - 1}\n", text, count=1)
    assert tampered != text
    card.write_text(tampered, encoding="utf-8")
    code, lines = _verify(copy)
    assert code == 1
    assert any(line.startswith(f"{card}: dataset_info of facts/test does not match") for line in lines)


@pytest.mark.slow
def test_disagreeing_versions_are_reported(copy):
    manifest = copy / "checksums.json"
    manifest.write_text(manifest.read_text().replace(f'"version": "{VERSION}"', '"version": "9.9.9"'))
    croissant = copy / "croissant.json"
    croissant.write_text(croissant.read_text().replace(f'"version": "{VERSION}"', '"version": "9.9.9"'))
    card = copy / "README.md"
    card.write_text(card.read_text().replace(f"\nVersion {VERSION}, released", "\nVersion 9.9.9, released"))
    code, lines = _verify(copy)
    assert code == 1
    assert f"{manifest}: version 9.9.9 differs from CITATION.cff's {VERSION}" in lines
    assert f"{croissant}: version 9.9.9 differs from CITATION.cff's {VERSION}" in lines
    assert f"{card}: states version 9.9.9, CITATION.cff {VERSION}" in lines


@pytest.mark.slow
def test_a_release_without_an_annotated_config_is_reported(copy):
    """A release may leave out the optional configs, never articles, claims, article_pairs or facts."""
    card_path = copy / "README.md"
    card = DatasetCard.load(card_path)
    card.data["configs"] = [config for config in card.data["configs"] if config["config_name"] != "facts"]
    card.data["dataset_info"] = [info for info in card.data["dataset_info"] if info["config_name"] != "facts"]
    card.save(card_path)
    shutil.rmtree(copy / "data" / "facts")
    code, lines = _verify(copy)
    assert code == 1
    assert any(line.startswith(f"{card_path}: configs [") and "['facts'] missing (every release holds them)" in line for line in lines), lines


# --- Croissant -------------------------------------------------------------------------------------


def test_croissant_passes_mlcroissant_validation_offline():
    result = subprocess.run([str(Path(sys.executable).parent / "mlcroissant"), "validate", "--jsonld", str(REPO / "dataset" / "croissant.json")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_croissant_records_load_and_equal_the_parquet_rows():
    dataset = mlcroissant.Dataset(jsonld=REPO / "dataset" / "croissant.json")
    expected = pq.read_table(REPO / "dataset" / shard_path("claims")).to_pylist()
    records = list(dataset.records(record_set="claims"))
    assert len(records) == len(expected)
    for record, row in zip(records, expected):
        assert record["claims/claim_id"].decode() == row["claim_id"]
        assert record["claims/text"].decode() == row["text"]
        assert (int(record["claims/start"]), int(record["claims/end"])) == (row["start"], row["end"])
        evidence = [(int(e["claims/claimer_evidence/start"]), e["claims/claimer_evidence/text"].decode()) for e in record["claims/claimer_evidence"]]
        assert evidence == [(e["start"], e["text"]) for e in row["claimer_evidence"]]


def test_croissant_describes_every_config_file_and_datasheet_section():
    metadata = json.loads((REPO / "dataset" / "croissant.json").read_text())
    assert metadata["conformsTo"] == "http://mlcommons.org/croissant/1.1" and metadata["version"] == VERSION
    assert [r["@id"] for r in metadata["recordSet"]] == record_set_names(CONFIGS)
    assert {f["contentUrl"] for f in metadata["distribution"]} == {shard_path(c, split) for c in CONFIGS for split in SPLITS[c]}
    sections = datasheet_sections((REPO / "DATASHEET.md").read_text())
    for prop, heading in RAI_SECTIONS.items():
        assert metadata[prop] == sections[heading] and len(metadata[prop]) > 100


# --- CITATION.cff (generated from the project file) and the one version ------------------------------


def test_citation_is_valid_citation_file_format(built_release):
    assert citation_problems((built_release / "CITATION.cff").read_text()) == []


@pytest.mark.parametrize(
    "edit, problem",
    [
        (("license: CC-BY-4.0", "license: CC-BY-4"), "field license"),
        (("type: dataset", "type: corpus"), "field type"),
        (("cff-version: 1.2.0", "cff-version: 1.2"), "field cff-version"),
        (("message: If you use this dataset, please cite the exact version you used.\n", ""), "'message' is a required property"),
    ],
)
def test_citation_validation_catches_what_cffconvert_catches(built_release, edit, problem):
    text = (built_release / "CITATION.cff").read_text()
    assert edit[0] in text
    problems = citation_problems(text.replace(*edit))
    assert problems and any(problem in line for line in problems), problems


def test_citation_derives_from_the_project_file(built_release):
    citation = yaml.safe_load((built_release / "CITATION.cff").read_text())
    assert (citation["title"], citation["version"], citation["date-released"]) == (PROJECT["citation"]["title"], VERSION, PROJECT["date_released"])
    assert citation["authors"] == [{"name": author["name"]} for author in PROJECT["authors"]] and citation["license"] == PROJECT["license"]["annotations"]
    assert [reference["title"].split(":")[0] for reference in citation["references"]] == ["ECB+ (EventCorefBank+)", "Article extraction benchmark", "Wikinews articles of the SemEval-2015 TimeLine task"]


def test_one_version_and_date_across_project_changelog_citation_card_manifest_croissant_datasheet():
    version, date = VERSION, PROJECT["date_released"]
    newest = re.search(r"^## \[(.+?)\] - (\S+)$", (REPO / "CHANGELOG.md").read_text(), flags=re.M)
    release = REPO / "dataset"
    citation = yaml.safe_load((release / "CITATION.cff").read_text())
    croissant = json.loads((release / "croissant.json").read_text())
    assert (version, date) == newest.groups() == (str(citation["version"]), str(citation["date-released"]))
    assert json.loads((release / "checksums.json").read_text())["version"] == version
    assert (croissant["version"], croissant["datePublished"]) == (version, date)
    assert f"\nVersion {version}, released {date}." in (release / "README.md").read_text()
    assert (REPO / "DATASHEET.md").read_text().startswith(f"# Datasheet for wirecopy {version}\n")
    for document in ("CHANGELOG.md", "DATASHEET.md"):
        assert (release / document).read_text() == (REPO / document).read_text()
    assert (release / "CITATION.cff").read_text() == citation_cff(PROJECT, release_configs(PROJECT))
    assert not (REPO / "CITATION.cff").exists()  # generated into the release, never kept beside the project file


# --- the card --------------------------------------------------------------------------------------


def test_card_parses_offline_with_datasets_and_huggingface_hub():
    card = DatasetCard.load(REPO / "dataset" / "README.md")
    configs = MetadataConfigs.from_dataset_card_data(card.data)
    infos = DatasetInfosDict.from_dataset_card_data(card.data)
    assert sorted(configs) == sorted(infos) == sorted(CONFIGS)
    assert [name for name, config in configs.items() if config.get("default")] == ["articles"]
    assert card.data.license == "other" and card.data.pretty_name


def test_card_renders_as_markdown_with_its_sections_and_tables():
    body = DatasetCard.load(REPO / "dataset" / "README.md").text
    headings = re.findall(r"^(#{1,3}) (.+)$", body, flags=re.M)
    assert headings[0] == ("#", PROJECT["pretty_name"])
    assert {"Configs", "What is in it", "How it was labelled", "Benchmark results", "Licence"} <= {title for _, title in headings}
    for table in re.findall(r"(?:^\|.*\|\n)+", body, flags=re.M):
        rows = table.strip().splitlines()
        assert re.fullmatch(r"\|(:?---+:?\|)+", rows[1]), rows[:2]
        assert len({row.count("|") for row in rows}) == 1, rows[0]
