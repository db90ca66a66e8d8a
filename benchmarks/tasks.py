"""Benchmark tasks, each declared once: its data (a loader of release configs), gold, primary metric
and kind. The kinds (``kinds/``: document pairs, claim pairs, spans) own the systems, inputs,
evaluation and prediction format, so adding a task of an existing kind is one ``Task(...)`` below
(and a loader if its data is new).
"""

from pathlib import Path

from wirecopy.builders.arrow_types import arrow_schema
from wirecopy.core.errors import InputError
from wirecopy.core.layout import SPLIT, shard_path
from wirecopy.core.tables import read_table

from . import metrics
from .kinds.claim_pairs import CLAIM_PAIRS
from .kinds.document_pairs import DOCUMENT_PAIRS
from .kinds.spans import SPANS
from .kinds.web_spans import WEB_SPANS
from .pairs import pair
from .task import Task, TaskData


def read_config(dataset: Path, config: str, split: str = SPLIT) -> list[dict]:
    """The rows of ``config``'s ``split``; ``InputError`` naming the shard when it lacks the config's columns."""
    path = Path(dataset) / shard_path(config, split)
    table = read_table(path)
    missing = [name for name in arrow_schema(config).names if name not in table.schema.names]
    if missing:
        raise InputError(str(path), "-", missing[0], f"missing column of config {config} (is this the {config} shard? `wirecopy verify` checks a release)")
    return table.to_pylist()


def _clusters_of_same_report(ids: list[str], pairs_rows: list[dict]) -> dict[str, str]:
    same = [(r["article_id_a"], r["article_id_b"]) for r in pairs_rows if r["relation"] == "same_report"]
    return metrics.clusters_from_pairs(ids, same)


def load_article_pairs(dataset: Path, split: str = SPLIT) -> TaskData:
    articles = read_config(dataset, "articles")
    pairs_rows = read_config(dataset, "article_pairs")
    ids = [a["article_id"] for a in articles]
    return TaskData(
        texts={a["article_id"]: a["text"] for a in articles},
        gold_spans={a["article_id"]: [(s["start"], s["end"]) for s in a["boilerplate_spans"]] for a in articles},
        gold_clusters=_clusters_of_same_report(ids, pairs_rows),
        grades={(r["article_id_a"], r["article_id_b"]): r["grade"] for r in pairs_rows},
    )


def load_synthetic(dataset: Path, split: str = SPLIT) -> TaskData:
    rows = read_config(dataset, "dedup_synthetic")
    return TaskData(
        texts={r["doc_id"]: r["text"] for r in rows},
        gold_spans={r["doc_id"]: [(s["start"], s["end"]) for s in r["boilerplate_spans"]] for r in rows},
        gold_clusters={r["doc_id"]: r["cluster_id"] for r in rows},
    )


def load_claims(dataset: Path, split: str = SPLIT) -> TaskData:
    claims = read_config(dataset, "claims")
    facts = read_config(dataset, "facts")
    fact_of = {c["claim_id"]: c["fact_id"] for c in claims}
    claims_of: dict[str, list[str]] = {}
    for claim_id, fact_id in fact_of.items():
        claims_of.setdefault(fact_id, []).append(claim_id)
    article_of = {c["claim_id"]: c["article_id"] for c in claims}
    negatives = {
        pair(a, b)
        for fact in facts
        for negative in fact["hard_negatives"]
        for a in claims_of[fact["fact_id"]]
        for b in claims_of[negative["fact_id"]]
        if article_of[a] != article_of[b]
    }
    return TaskData(
        texts={c["claim_id"]: c["text"] for c in claims},
        groups=article_of,
        gold_clusters=fact_of,
        hard_negatives=negatives,
    )


def _same_topic_other_event(rows: list[dict], item: str) -> set[tuple[str, str]]:
    """Pairs of ``item``s of one ECB+ topic but different events: the hard negatives."""
    by_topic: dict[str, list[dict]] = {}
    for row in rows:
        by_topic.setdefault(row["topic"], []).append(row)
    return {
        pair(a[item], b[item])
        for members in by_topic.values() for a in members for b in members
        if a["event_id"] < b["event_id"]
    }


def load_same_event(dataset: Path, split: str = SPLIT) -> TaskData:
    rows = read_config(dataset, "same_event", split)
    return TaskData(
        texts={r["doc_id"]: r["text"] for r in rows},
        gold_clusters={r["doc_id"]: r["event_id"] for r in rows},
        hard_negatives=_same_topic_other_event(rows, "doc_id"),
    )


def load_event_alignment(dataset: Path, split: str = SPLIT) -> TaskData:
    rows = read_config(dataset, "event_alignment", split)
    sentences_of: dict[str, list[dict]] = {}
    for row in rows:
        for instance in sorted({m["instance"] for m in row["event_mentions"]}):
            sentences_of.setdefault(instance, []).append(row)
    return TaskData(
        texts={r["sentence_id"]: r["text"] for r in rows},
        groups={r["sentence_id"]: r["doc_id"] for r in rows},
        gold_pairs=frozenset(
            pair(a["sentence_id"], b["sentence_id"])
            for members in sentences_of.values() for a in members for b in members if a["doc_id"] < b["doc_id"]
        ),
        hard_negatives=_same_topic_other_event(rows, "sentence_id"),
    )


def load_web_pages(dataset: Path, split: str = SPLIT) -> TaskData:
    rows = read_config(dataset, "boilerplate_web", split)
    return TaskData(
        texts={r["page_id"]: r["text"] for r in rows},
        gold_spans={r["page_id"]: [(s["start"], s["end"]) for s in r["boilerplate_spans"]] for r in rows},
        html={r["page_id"]: r["html"] for r in rows},
        gold_bodies={r["page_id"]: r["gold_body"] for r in rows},
    )


TASKS = {
    task.name: task
    for task in (
        Task(
            name="dedup_articles",
            kind=DOCUMENT_PAIRS,
            description="Document reuse on the released articles: binary same_report, graded same_report > same_story > different_story.",
            configs=("articles", "article_pairs"),
            primary_metric="average_precision",
            load=load_article_pairs,
        ),
        Task(
            name="dedup_synthetic",
            kind=DOCUMENT_PAIRS,
            description="Near-duplicate detection on the seeded synthetic families (dedup_synthetic config), with known clusters.",
            configs=("dedup_synthetic",),
            primary_metric="pairwise_f1",
            load=load_synthetic,
            requires_all_pairs=False,
        ),
        Task(
            name="claim_alignment",
            kind=CLAIM_PAIRS,
            description="Align claims across articles: a pair is positive when both claims assert the same fact; look-alike hard negatives stay in.",
            configs=("claims", "facts"),
            primary_metric="average_precision",
            load=load_claims,
        ),
        Task(
            name="boilerplate_detection",
            kind=SPANS,
            description="Find the boilerplate spans of each article (character, span and line level).",
            configs=("articles",),
            primary_metric="char_f1",
            load=load_article_pairs,
        ),
        Task(
            name="same_event",
            kind=DOCUMENT_PAIRS,
            description="ECB+ articles: a pair is positive when both report the same event; articles of the same topic but the other event are hard negatives.",
            configs=("same_event",),
            primary_metric="average_precision",
            load=load_same_event,
            requires_all_pairs=False,
            splits=("validation", "test"),
            input_variants=("kept",),  # ECB+ texts carry no boilerplate
        ),
        Task(
            name="event_alignment",
            kind=CLAIM_PAIRS,
            description="ECB+ annotated sentences of different articles: a pair is positive when both mention the same event instance; same topic, other event = hard negative.",
            configs=("event_alignment",),
            primary_metric="average_precision",
            load=load_event_alignment,
            requires_all_pairs=False,
            splits=("validation", "test"),
        ),
        Task(
            name="boilerplate_web",
            kind=WEB_SPANS,
            description="Real news pages: find the boilerplate of the visible text, systems given the HTML (our character metrics, and the article-extraction benchmark's token-level body P/R/F1).",
            configs=("boilerplate_web",),
            primary_metric="char_f1",
            load=load_web_pages,
        ),
    )
}
