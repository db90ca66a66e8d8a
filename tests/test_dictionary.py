"""The data dictionary: every released field is described once, in schema/release.schema.json, and the
card (dataset_info and its prose tables) and Croissant render those descriptions."""

import json
import re
import tempfile

import datasets
import pyarrow as pa
import pytest

from wirecopy.builders.arrow_types import CONFIGS, SPLITS, arrow_schema
from wirecopy.builders.card import data_dictionary
from wirecopy.builders.croissant import CROISSANT, record_set_fields, record_set_name
from wirecopy.builders.dictionary import config_description, dictionary, field_entry, vocabularies


def arrow_paths(fields: pa.Schema | pa.StructType, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The path of every column and (list of) struct member, as a reader of the Parquet shards meets them."""
    paths = []
    for field in fields:
        paths.append((*path, field.name))
        arrow_type = field.type.value_type if pa.types.is_list(field.type) else field.type
        if pa.types.is_struct(arrow_type):
            paths += arrow_paths(arrow_type, (*path, field.name))
    return paths


@pytest.mark.parametrize("config", CONFIGS)
def test_every_released_field_has_a_description(config):
    assert config_description(config).strip()
    assert [entry.path for entry in dictionary(config)] == arrow_paths(arrow_schema(config))
    undescribed = [entry.name for entry in dictionary(config) if not entry.description.strip()]
    assert undescribed == [], f"{config}: no description for {undescribed}"


def test_names_and_types_read_as_users_address_them():
    evidence = field_entry("articles", ("claims", "claimer_evidence", "start"))
    assert (evidence.name, evidence.type, evidence.nullable) == ("claims[].claimer_evidence[].start", "int32", False)
    assert field_entry("articles", ("claims",)).type == "list<struct>"
    assert field_entry("facts", ("claim_ids",)).type == "list<string>"
    date = field_entry("articles", ("date",))
    assert (date.type, date.nullable) == ("date", True)


def test_closed_fields_list_their_values_and_name_their_vocabulary():
    basis = field_entry("articles", ("outlet_basis",))
    assert (basis.values, basis.vocabulary) == (tuple(vocabularies()["basis"]["enum"]), "basis")
    # A nullable column repeats its vocabulary's enum with null added: still that vocabulary, null apart.
    refers_to = field_entry("articles", ("date_refers_to",))
    assert (refers_to.values, refers_to.vocabulary, refers_to.nullable) == (("publication", "credited_report"), "date_refers_to", True)
    source = field_entry("article_pairs", ("relation_source",))
    assert source.values and source.vocabulary is None
    assert field_entry("articles", ("outlet",)).values == ()
    assert basis.full_description().endswith("Values (vocabulary basis): stated, inferred, unknown.")


def test_a_field_that_describes_its_reference_overrides_the_definition():
    vocabulary = vocabularies()["basis"]["description"]
    assert field_entry("articles", ("outlet_basis",)).description == vocabulary  # refers, says nothing more
    assert field_entry("articles", ("boilerplate_spans", "basis")).description != vocabulary  # says what it means here
    # the claims config refers to the articles' claim struct, so the two read alike
    assert [entry.description for entry in dictionary("claims")][1:] == [entry.description for entry in dictionary("articles") if entry.path[0] == "claims"][1:]


def _described_fields(fields: list[dict]) -> list[tuple[str, str]]:
    found = []
    for field in fields:
        found.append((field["@id"], field.get("description", "")))
        found += _described_fields(field.get("subField", []))
    return found


@pytest.mark.parametrize("config", CONFIGS)
def test_croissant_fields_carry_the_dictionary(config):
    for split in SPLITS[config]:
        name = record_set_name(config, split)
        fields = _described_fields(record_set_fields(name, arrow_schema(config)))
        expected = [(f"{name}/{'/'.join(entry.path)}", entry.full_description()) for entry in dictionary(config)]
        assert fields == expected
        assert all(description for _, description in fields)


def test_card_tables_list_every_field_of_the_configs_the_release_holds():
    held = ("articles", "article_pairs")
    document = data_dictionary({config: {} for config in held})
    assert re.findall(r"^### `(\w+)`$", document, flags=re.M) == list(held)
    rows = [line for line in document.splitlines() if line.startswith("| `")]
    names = [row.split("`")[1] for row in rows]
    assert names[: len(dictionary("articles")) + len(dictionary("article_pairs"))] == [e.name for c in held for e in dictionary(c)]
    # Only the vocabularies those configs use are explained, each once, after the field tables.
    used = list(dict.fromkeys(e.vocabulary for c in held for e in dictionary(c) if e.vocabulary))
    assert names[len(names) - len(used):] == used
    # Three cells a row: a pipe inside a description is escaped; so are HTML-looking text and emphasis marks.
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 4 for row in rows)
    assert "&lt;article_id>" in document and "`list<struct>`" in document


def test_every_config_of_a_built_release_loads_with_its_description(built_release):
    with tempfile.TemporaryDirectory() as cache:
        for config in CONFIGS:
            loaded = datasets.load_dataset(str(built_release), config, split=SPLITS[config][0], cache_dir=cache)
            assert loaded.info.description == config_description(config), config


def test_a_built_release_describes_every_croissant_field(built_release):
    metadata = json.loads((built_release / CROISSANT).read_text(encoding="utf-8"))
    fields = [found for record_set in metadata["recordSet"] for found in _described_fields(record_set["field"])]
    assert fields and all(description for _, description in fields)


def test_the_card_shows_the_data_dictionary(built_release):
    card = (built_release / "README.md").read_text(encoding="utf-8")
    assert data_dictionary({config: {} for config in CONFIGS}) in card
