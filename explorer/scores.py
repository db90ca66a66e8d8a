"""Re-run a pair task's baselines for what the results JSON does not keep: every pair's score.

From them come the precision-recall curve of each run (ranked exactly as the pair kinds' ``evaluate`` ranks
for average precision, so the curves agree with the results) and, on small tasks, the similarity
matrix over the task's items.
"""

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import precision_recall_curve

from wirecopy.benchmarks.pairs import pair
from wirecopy.benchmarks.runner import predictions
from wirecopy.benchmarks.task import Task, TaskData

# Over this many items (the 65 claims are fine, the 3,000 synthetic documents are not) no heatmap.
HEATMAP_MAX_ITEMS = 100


@dataclass(frozen=True)
class Heatmap:
    items: list[str]  # ordered by gold cluster, so that gold groups form blocks on the diagonal
    scores: list[list[float | None]]  # None: not a candidate pair (an item with itself, two claims of one article)
    gold: list[list[bool]]  # the pair is a gold positive


@dataclass(frozen=True)
class RunScores:
    system: str
    variant: str
    recall: list[float]  # scikit-learn's order: decreasing recall, ending at (0, 1)
    precision: list[float]
    average_precision: float
    heatmap: Heatmap | None


def curve(labels: list[int], scores: list[float], weights: list[float]) -> tuple[list[float], list[float], float]:
    """Recall, precision and average precision (scikit-learn's step-wise sum) of a weighted ranking."""
    with warnings.catch_warnings():
        # A block of weight 0 (no unscored positive) is legitimate: it changes nothing.
        warnings.simplefilter("ignore", UserWarning)
        precision, recall, _ = precision_recall_curve(labels, scores, sample_weight=weights)
    average_precision = float(-np.sum(np.diff(recall) * precision[:-1]))
    return recall.tolist(), precision.tolist(), average_precision


def heatmap(task: Task, data: TaskData, scores: dict[tuple[str, str], float]) -> Heatmap:
    items = sorted(data.texts, key=lambda item: (data.gold_clusters.get(item, ""), item))
    gold = task.kind.gold_pairs(data)

    def cell(a: str, b: str) -> float | None:
        return scores.get(pair(a, b), 0.0) if task.kind.is_candidate(data, a, b) else None

    return Heatmap(
        items=items,
        scores=[[cell(a, b) for b in items] for a in items],
        gold=[[pair(a, b) in gold for b in items] for a in items],
    )


def task_scores(task: Task, dataset: Path, systems: list[str] | None = None) -> list[RunScores]:
    """Curves (and heatmaps, on small tasks) of every run of a pair or claim task's baselines."""
    data = task.load(dataset)
    runs = []
    for system, variant, prediction in predictions(task, data, systems):
        recall, precision, average_precision = curve(*task.kind.pair_ranking(data, prediction))
        small = len(data.texts) <= HEATMAP_MAX_ITEMS
        runs.append(RunScores(system, variant, recall, precision, average_precision, heatmap(task, data, prediction.scores) if small else None))
    return runs
