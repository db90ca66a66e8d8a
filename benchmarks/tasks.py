"""Benchmark tasks, each declared once: its data (a loader of release configs), gold, primary metric
and kind. The kinds (``kinds/``: document pairs, claim pairs, spans) own the systems, inputs,
evaluation and prediction format, so adding a task of an existing kind is one ``Task(...)`` below
(and a loader if its data is new).
"""

from pathlib import Path

from wirecopy.builders.arrow_types import arrow_schema
from wirecopy.core.errors import InputError
from wirecopy.core.layout import shard_path
from wirecopy.core.tables import read_table

from . import metrics
from .kinds.claim_pairs import CLAIM_PAIRS
from .kinds.document_pairs import DOCUMENT_PAIRS
from .kinds.spans import SPANS
from .pairs import pair
from .task import Task, TaskData


def read_config(dataset: Path, config: str) -> list[dict]:
    """The rows of ``config``; ``InputError`` naming the shard when it lacks the config's columns."""
    path = Path(dataset) / shard_path(config)
    table = read_table(path)
    missing = [name for name in arrow_schema(config).names if name not in table.schema.names]
    if missing:
        raise InputError(str(path), "-", missing[0], f"missing column of config {config} (is this the {config} shard? `wirecopy verify` checks a release)")
    return table.to_pylist()


def _clusters_of_same_report(ids: list[str], pairs_rows: list[dict]) -> dict[str, str]:
    same = [(r["article_id_a"], r["article_id_b"]) for r in pairs_rows if r["relation"] == "same_report"]
    return metrics.clusters_from_pairs(ids, same)


def load_article_pairs(dataset: Path) -> TaskData:
    articles = read_config(dataset, "articles")
    pairs_rows = read_config(dataset, "article_pairs")
    ids = [a["article_id"] for a in articles]
    return TaskData(
        texts={a["article_id"]: a["text"] for a in articles},
        gold_spans={a["article_id"]: [(s["start"], s["end"]) for s in a["boilerplate_spans"]] for a in articles},
        gold_clusters=_clusters_of_same_report(ids, pairs_rows),
        grades={(r["article_id_a"], r["article_id_b"]): r["grade"] for r in pairs_rows},
    )


def load_synthetic(dataset: Path) -> TaskData:
    rows = read_config(dataset, "dedup_synthetic")
    return TaskData(
        texts={r["doc_id"]: r["text"] for r in rows},
        gold_spans={r["doc_id"]: [(s["start"], s["end"]) for s in r["boilerplate_spans"]] for r in rows},
        gold_clusters={r["doc_id"]: r["cluster_id"] for r in rows},
    )


def load_claims(dataset: Path) -> TaskData:
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
    )
}
