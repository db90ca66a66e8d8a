"""schema/ is the single source of truth: Arrow schemas, card features and validators derive from it."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets import Features
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCard

from conftest import REPO
from wirecopy.builders.arrow_types import CONFIGS, SPLITS, arrow_schema
from wirecopy.builders.resolve import GRADES
from wirecopy.core.layout import shard_path
from wirecopy.core.yaml_loader import load_yaml
from wirecopy.schema import load_schema, validator


def test_every_config_has_a_row_definition_and_vice_versa():
    definitions = load_schema("release")["$defs"]
    assert set(CONFIGS) <= set(definitions)
    row_like = {name for name, node in definitions.items() if "description" in node and node.get("type") == "object"}
    assert row_like == set(CONFIGS)


def test_shards_have_exactly_the_derived_arrow_schema(built_release):
    for config in CONFIGS:
        stored = pq.read_schema(built_release / shard_path(config)).remove_metadata()
        assert stored.equals(arrow_schema(config)), config


def test_card_features_derive_from_the_schema(built_release):
    infos = DatasetInfosDict.from_dataset_card_data(DatasetCard.load(built_release / "README.md").data)
    assert sorted(infos) == sorted(CONFIGS)
    for config in CONFIGS:
        assert infos[config].features == Features.from_arrow_schema(arrow_schema(config)), config


def test_arrow_types_follow_the_documented_mapping():
    articles = arrow_schema("articles")
    assert articles.field("date").type == pa.date32()
    assert articles.field("title_start").type == pa.int32()
    assert articles.field("boilerplate_spans").type.value_type.names == ["start", "end", "text", "label", "basis"]
    assert arrow_schema("claims").names[1:] == arrow_schema("articles").field("claims").type.value_type.names


def test_grades_cover_the_relation_vocabulary():
    assert set(GRADES) == set(load_schema("vocabulary")["$defs"]["relation"]["enum"])
    assert sorted(GRADES.values()) == [0, 1, 2]


def test_committed_annotations_and_project_file_match_their_schemas():
    for sidecar in sorted((REPO / "seeds").glob("*.yaml")):
        name = "corpus_annotation" if sidecar.name == "corpus.yaml" else "article_annotation"
        assert list(validator(name).iter_errors(load_yaml(sidecar))) == [], sidecar.name
    assert list(validator("project").iter_errors(load_yaml(REPO / "wirecopy.yaml"))) == []


def test_every_span_the_schema_declares_is_checked_against_its_text():
    """The span fields are derived from the schema (``span_paths``); breaking any one of them is caught."""
    import copy

    from wirecopy.builders.validate import _spans_of, row_problems, span_paths

    assert span_paths("articles") == (("title",), ("outlet_evidence",), ("credited_source_evidence",), ("date_evidence",), ("boilerplate_spans",), ("claims",), ("claims", "claimer_evidence"))
    tables = {config: pq.read_table(REPO / "dataset" / shard_path(config, SPLITS[config][-1])).to_pylist() for config in CONFIGS}
    texts = {row["article_id"]: row["text"] for row in tables["articles"]}
    checked = 0
    for config, rows in tables.items():
        for path in span_paths(config):
            field = ".".join(path) or "text"
            index = next(i for i, row in enumerate(rows) if any(f == field for f, _, _ in _spans_of(config, row)))
            broken = copy.deepcopy(rows)
            row = broken[index]
            if path == ("title",):
                row["title_end"] -= 1
            else:
                [span for f, _, span in _spans_of(config, row) if f == field][0]["start"] += 1
            [errors] = [errors for errors in row_problems(config, broken, texts, config)]
            assert [error.field for error in errors] == [field] and "span" in errors[0].message
            checked += 1
    assert checked == 11 + 3  # event_alignment's event_mentions, boilerplate_web's body_spans and boilerplate_spans
