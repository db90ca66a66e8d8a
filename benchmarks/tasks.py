"""Benchmark tasks, each declared once: its data, gold, metrics, primary metric and input kind.

Three kinds of task share one evaluation each (like MTEB's task types):
- ``pairs``: document reuse; a system scores pairs of documents (``dedup_systems``);
- ``claims``: claim alignment; a system scores pairs of claims (``claim_systems``);
- ``spans``: boilerplate detection; a system returns spans per article (``boilerplate_systems``).
Adding a task means adding one ``Task(...)`` below (and a loader if its data is new).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from wirecopy.core.layout import shard_path
from wirecopy.core.tables import read_table

from . import metrics
from .pairs import PairScores, pair


def read_config(dataset: Path, config: str) -> list[dict]:
    return read_table(Path(dataset) / shard_path(config)).to_pylist()


@dataclass(frozen=True)
class TaskData:
    """What systems see (``texts``) and what only the scorer sees (the gold)."""

    texts: dict[str, str]
    gold_spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)  # item -> its article (claims) or itself
    gold_clusters: dict[str, str] = field(default_factory=dict)
    grades: dict[tuple[str, str], int] = field(default_factory=dict)  # graded pair relations, if any
    hard_negatives: set[tuple[str, str]] = field(default_factory=set)


@dataclass(frozen=True)
class Task:
    name: str
    kind: str  # "pairs" | "claims" | "spans"
    description: str
    configs: tuple[str, ...]
    primary_metric: str
    load: Callable[[Path], TaskData]
    requires_all_pairs: bool = True


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
            kind="pairs",
            description="Document reuse on the released articles: binary same_report, graded same_report > same_story > different_story.",
            configs=("articles", "article_pairs"),
            primary_metric="average_precision",
            load=load_article_pairs,
        ),
        Task(
            name="dedup_synthetic",
            kind="pairs",
            description="Near-duplicate detection on the seeded synthetic families (dedup_synthetic config), with known clusters.",
            configs=("dedup_synthetic",),
            primary_metric="pairwise_f1",
            load=load_synthetic,
            requires_all_pairs=False,
        ),
        Task(
            name="claim_alignment",
            kind="claims",
            description="Align claims across articles: a pair is positive when both claims assert the same fact; look-alike hard negatives stay in.",
            configs=("claims", "facts"),
            primary_metric="average_precision",
            load=load_claims,
        ),
        Task(
            name="boilerplate_detection",
            kind="spans",
            description="Find the boilerplate spans of each article (character, span and line level).",
            configs=("articles",),
            primary_metric="char_f1",
            load=load_article_pairs,
        ),
    )
}


def is_candidate(task: Task, data: TaskData, a: str, b: str) -> bool:
    """Whether a pair is scored: any two documents, or two claims from different articles."""
    return a != b and (task.kind != "claims" or data.groups[a] != data.groups[b])


def candidate_pairs(task: Task, data: TaskData) -> list[tuple[str, str]]:
    return [(a, b) for a, b in combinations(sorted(data.texts), 2) if is_candidate(task, data, a, b)]


def _prefixed(prefix: str, scores: dict) -> dict:
    return {f"{prefix}_{name}": value for name, value in scores.items()}


def _gold_pairs(task: Task, data: TaskData) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = {}
    for item in sorted(data.gold_clusters):
        members.setdefault(data.gold_clusters[item], []).append(item)
    return {(a, b) for group in members.values() for a, b in combinations(group, 2) if is_candidate(task, data, a, b)}


def _candidate_count(task: Task, data: TaskData) -> int:
    sizes: dict[str, int] = {}
    for item in data.texts:
        group = data.groups[item] if task.kind == "claims" else item
        sizes[group] = sizes.get(group, 0) + 1
    n = len(data.texts)
    return n * (n - 1) // 2 - sum(k * (k - 1) // 2 for k in sizes.values())


def _scored_candidates(task: Task, data: TaskData, prediction: PairScores) -> dict[tuple[str, str], float]:
    return {p: s for p, s in sorted(prediction.scores.items()) if s > 0 and is_candidate(task, data, *p)}


def _ranking(task: Task, data: TaskData, gold: set, scored: dict) -> tuple[list[int], list[float], list[float]]:
    """Labels, scores and weights of the scored pairs, then of every unscored candidate as two
    weighted blocks of ties at 0 (gold positives, negatives): what AP and PR curves rank."""
    unscored_positives = len(gold - set(scored))
    unscored_negatives = _candidate_count(task, data) - len(scored) - unscored_positives
    return (
        [int(p in gold) for p in scored] + [1, 0],
        [*scored.values(), 0.0, 0.0],
        [1.0] * len(scored) + [unscored_positives, unscored_negatives],
    )


def pair_ranking(task: Task, data: TaskData, prediction: PairScores) -> tuple[list[int], list[float], list[float]]:
    """The (labels, scores, sample weights) that ``evaluate_pairs`` computes average precision on, for
    precision-recall curves drawn elsewhere (the explorer) to agree with the results exactly."""
    return _ranking(task, data, _gold_pairs(task, data), _scored_candidates(task, data, prediction))


def evaluate_pairs(task: Task, data: TaskData, prediction: PairScores) -> dict:
    """Pairwise P/R/F1 at the system's threshold, AP, graded NDCG, and clustering ARI / B³ (/ CoNLL for claims).

    Works from the pairs the system scored: every other candidate pair scores 0, and enters AP as one
    weighted block of ties, so a corpus of thousands of documents never lists its millions of pairs.
    """
    gold = _gold_pairs(task, data)
    scored = _scored_candidates(task, data, prediction)
    decided = {p for p, s in scored.items() if s >= prediction.threshold}
    true_positives = len(decided & gold)
    result = {
        **_prefixed("pairwise", metrics.prf_from_counts(true_positives, len(decided) - true_positives, len(gold) - true_positives)),
        "average_precision": metrics.average_precision(*_ranking(task, data, gold, scored)),
    }
    if data.grades:
        result["graded_ndcg"] = metrics.graded_ndcg(list(data.grades.values()), [scored.get(p, 0.0) for p in data.grades])
    predicted_clusters = metrics.clusters_from_pairs(sorted(data.texts), sorted(decided))
    result["ari"] = metrics.adjusted_rand(data.gold_clusters, predicted_clusters)
    result.update(_prefixed("bcubed", metrics.bcubed(data.gold_clusters, predicted_clusters)))
    if task.kind == "claims":
        candidates = candidate_pairs(task, data)
        result["conll_f1"] = metrics.conll_f1(data.gold_clusters, predicted_clusters)
        result.update(_retrieval(data, candidates, [scored.get(p, 0.0) for p in candidates]))
        negatives = [p in decided for p in candidates if p in data.hard_negatives]
        result["hard_negative_pairs"] = len(negatives)
        result["hard_negative_false_positive_rate"] = sum(negatives) / len(negatives) if negatives else None
    return result


def _retrieval(data: TaskData, candidates: list[tuple[str, str]], scores: list[float]) -> dict:
    """For each claim, rank the claims of the other articles by score (ties broken by claim id)."""
    scored: dict[str, list[tuple[float, str]]] = {claim: [] for claim in data.texts}
    for (a, b), score in zip(candidates, scores):
        scored[a].append((score, b))
        scored[b].append((score, a))
    rankings = {claim: [other for _, other in sorted(pairs, key=lambda x: (-x[0], x[1]))] for claim, pairs in scored.items()}
    relevant = {claim: {other for _, other in pairs if data.gold_clusters[other] == data.gold_clusters[claim]} for claim, pairs in scored.items()}
    return metrics.retrieval_scores(rankings, relevant)


def evaluate_spans(task: Task, data: TaskData, predicted: dict[str, list[tuple[int, int]]]) -> dict:
    """Micro-averaged character, exact-span, overlap-span and line-level P/R/F1 over the articles."""
    totals: dict[str, dict[str, int]] = {}
    for doc_id in sorted(data.texts):
        gold, pred = data.gold_spans[doc_id], predicted[doc_id]
        for level, counts in (
            ("char", metrics.char_prf(gold, pred)),
            ("span_exact", metrics.span_prf(gold, pred, mode="exact")),
            ("span_overlap", metrics.span_prf(gold, pred, mode="overlap")),
            ("line", metrics.line_prf(data.texts[doc_id], gold, pred)),
        ):
            total = totals.setdefault(level, {"tp": 0, "fp": 0, "fn": 0, "tp_gold": 0})
            for key in total:
                total[key] += counts.get(key, counts["tp"] if key == "tp_gold" else 0)
    return {name: value for level, total in totals.items() for name, value in _prefixed(level, metrics.prf_from_counts(**total)).items()}
