"""The real-data configs: splits keep topics and events apart, and every span of every row is exact."""

import pyarrow.parquet as pq
import pytest

from wirecopy.builders.arrow_types import SPLITS
from wirecopy.builders.real_data import ECB_TEST_TOPICS
from wirecopy.core.layout import shard_path


def _rows(release, config: str) -> dict[str, list[dict]]:
    return {split: pq.read_table(release / shard_path(config, split)).to_pylist() for split in SPLITS[config]}


@pytest.mark.parametrize("config", ["same_event", "event_alignment"])
def test_ecb_splits_share_no_topic_and_test_holds_the_standard_test_topics(built_release, config):
    rows = _rows(built_release, config)
    topics = {split: {row["topic"] for row in split_rows} for split, split_rows in rows.items()}
    events = {split: {row["event_id"] for row in split_rows} for split, split_rows in rows.items()}
    assert not topics["validation"] & topics["test"] and not events["validation"] & events["test"]
    assert topics["test"] == set(ECB_TEST_TOPICS) and len(topics["validation"]) == 33  # ECB+ has no topics 15 and 17


def test_same_event_counts_match_the_provenance(built_release):
    rows = [row for split_rows in _rows(built_release, "same_event").values() for row in split_rows]
    assert len(rows) == 982
    same_event = same_topic = 0
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            same_topic += a["topic"] == b["topic"]
            same_event += a["event_id"] == b["event_id"]
    assert (same_event, same_topic - same_event) == (5_568, 5_621)  # external/ecbplus/PROVENANCE.md


def test_every_event_mention_is_exact_and_linked(built_release):
    rows = [row for split_rows in _rows(built_release, "event_alignment").values() for row in split_rows]
    assert len(rows) == 1_840
    mentions = [(row, m) for row in rows for m in row["event_mentions"]]
    assert mentions and all(row["text"][m["start"] : m["end"]] == m["text"] and m["tag"].startswith("ACTION_") and m["instance"] for row, m in mentions)
    documents = {row["doc_id"]: row["text"] for row in _rows(built_release, "same_event")["validation"] + _rows(built_release, "same_event")["test"]}
    assert all(row["text"] in documents[row["doc_id"]].split("\n") for row in rows)


def test_web_page_body_and_boilerplate_partition_the_visible_text(built_release):
    rows = [row for split_rows in _rows(built_release, "boilerplate_web").values() for row in split_rows]
    assert len(rows) == 181
    for row in rows:
        text, covered = row["text"], [False] * len(row["text"])
        for span in row["body_spans"] + row["boilerplate_spans"]:
            assert text[span["start"] : span["end"]] == span["text"]
            assert not any(covered[span["start"] : span["end"]]), row["page_id"]
            covered[span["start"] : span["end"]] = [True] * (span["end"] - span["start"])
        assert all(covered[i] or text[i].isspace() for i in range(len(text))), row["page_id"]
    assert [row["page_id"] for row in rows] == sorted(row["page_id"] for row in rows)
