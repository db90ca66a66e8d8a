"""Document reuse: a system scores pairs of documents (``dedup_systems``), with a decision threshold.

Evaluation works from the pairs a system scored: every other candidate pair scores 0 and enters
average precision as one weighted block of ties, so a corpus of thousands of documents never lists
its millions of pairs. Pair systems run on three inputs: the texts as released, with the gold
boilerplate removed, and with the line rules' boilerplate removed.
"""

from itertools import combinations
from pathlib import Path

from wirecopy.core.errors import InputError
from wirecopy.core.line_rules import without_line_rule_boilerplate
from wirecopy.core.text import remove_spans

from .. import dedup_systems, metrics
from ..pairs import PairScores, pair
from ..predictions import jsonl_records, record_field
from ..task import Task, TaskData, TaskKind


def prefixed(prefix: str, scores: dict) -> dict:
    return {f"{prefix}_{name}": value for name, value in scores.items()}


class DocumentPairs(TaskKind):
    name = "pairs"
    systems = dedup_systems.SYSTEMS
    skipped = dedup_systems.SKIPPED
    table_columns = ("threshold", "average_precision", "pairwise_precision", "pairwise_recall", "pairwise_f1", "graded_ndcg", "ari", "bcubed_f1", "hard_negative_false_positive_rate")
    prediction_format = '{"id_a": "...", "id_b": "...", "score": 0.83}  (a higher score means more similar; --threshold decides)'
    input_variants = ("kept", "gold_removed", "predicted_removed")  # boilerplate: none removed, the gold's, the line rules'
    pairwise = True

    def inputs(self, data: TaskData, variant: str) -> dict[str, str]:
        if variant == "gold_removed":
            return {doc_id: remove_spans(text, data.gold_spans[doc_id]) for doc_id, text in data.texts.items()}
        if variant == "predicted_removed":
            return {doc_id: without_line_rule_boilerplate(text) for doc_id, text in data.texts.items()}
        return data.texts

    def predict(self, system: str, texts: dict[str, str]) -> PairScores:
        return self.systems[system](texts)

    def group_of(self, data: TaskData, item: str) -> str:
        """Two items of one group are never a candidate pair (here: an item with itself)."""
        return item

    def is_candidate(self, data: TaskData, a: str, b: str) -> bool:
        """Whether a pair is scored."""
        return a != b and self.group_of(data, a) != self.group_of(data, b)

    def candidate_pairs(self, data: TaskData) -> list[tuple[str, str]]:
        return [(a, b) for a, b in combinations(sorted(data.texts), 2) if self.is_candidate(data, a, b)]

    def gold_pairs(self, data: TaskData) -> set[tuple[str, str]]:
        """The matching candidate pairs: the gold pairs where given, else the pairs of each gold cluster."""
        if data.gold_pairs is not None:
            return {p for p in data.gold_pairs if self.is_candidate(data, *p)}
        members: dict[str, list[str]] = {}
        for item in sorted(data.gold_clusters):
            members.setdefault(data.gold_clusters[item], []).append(item)
        return {(a, b) for group in members.values() for a, b in combinations(group, 2) if self.is_candidate(data, a, b)}

    def _candidate_count(self, data: TaskData) -> int:
        sizes: dict[str, int] = {}
        for item in data.texts:
            group = self.group_of(data, item)
            sizes[group] = sizes.get(group, 0) + 1
        n = len(data.texts)
        return n * (n - 1) // 2 - sum(k * (k - 1) // 2 for k in sizes.values())

    def _scored_candidates(self, data: TaskData, prediction: PairScores) -> dict[tuple[str, str], float]:
        return {p: s for p, s in sorted(prediction.scores.items()) if s > 0 and self.is_candidate(data, *p)}

    def _ranking(self, data: TaskData, gold: set, scored: dict) -> tuple[list[int], list[float], list[float]]:
        """Labels, scores and weights of the scored pairs, then of every unscored candidate as two
        weighted blocks of ties at 0 (gold positives, negatives): what AP and PR curves rank."""
        unscored_positives = len(gold - set(scored))
        unscored_negatives = self._candidate_count(data) - len(scored) - unscored_positives
        return (
            [int(p in gold) for p in scored] + [1, 0],
            [*scored.values(), 0.0, 0.0],
            [1.0] * len(scored) + [unscored_positives, unscored_negatives],
        )

    def pair_ranking(self, data: TaskData, prediction: PairScores) -> tuple[list[int], list[float], list[float]]:
        """The (labels, scores, sample weights) that ``evaluate`` computes average precision on, for
        precision-recall curves drawn elsewhere (the explorer) to agree with the results exactly."""
        return self._ranking(data, self.gold_pairs(data), self._scored_candidates(data, prediction))

    def evaluate(self, task: Task, data: TaskData, prediction: PairScores) -> dict:
        """Pairwise P/R/F1 at the system's threshold, AP, graded NDCG, clustering ARI / B³ (where the
        gold is a partition) and the false-positive rate on the hard negatives (where there are some)."""
        return self._evaluate(data, prediction)[0]

    def _evaluate(self, data: TaskData, prediction: PairScores) -> tuple[dict, dict[tuple[str, str], float], set, dict[str, str]]:
        """The metrics, and what a subclass's extra metrics need: scored pairs, decided pairs, predicted clusters."""
        gold = self.gold_pairs(data)
        scored = self._scored_candidates(data, prediction)
        decided = {p for p, s in scored.items() if s >= prediction.threshold}
        true_positives = len(decided & gold)
        result = {
            "threshold": prediction.threshold,
            **prefixed("pairwise", metrics.prf_from_counts(true_positives, len(decided) - true_positives, len(gold) - true_positives)),
            "average_precision": metrics.average_precision(*self._ranking(data, gold, scored)),
        }
        if data.grades:
            result["graded_ndcg"] = metrics.graded_ndcg(list(data.grades.values()), [scored.get(p, 0.0) for p in data.grades])
        predicted_clusters = metrics.clusters_from_pairs(sorted(data.texts), sorted(decided))
        if data.gold_clusters:
            result["ari"] = metrics.adjusted_rand(data.gold_clusters, predicted_clusters)
            result.update(prefixed("bcubed", metrics.bcubed(data.gold_clusters, predicted_clusters)))
        if data.hard_negatives:
            negatives = [p in decided for p in sorted(data.hard_negatives) if self.is_candidate(data, *p)]
            result["hard_negative_pairs"] = len(negatives)
            result["hard_negative_false_positive_rate"] = sum(negatives) / len(negatives) if negatives else None
        return result, scored, decided, predicted_clusters

    def tuned_threshold(self, data: TaskData, prediction: PairScores) -> float | None:
        """The decision threshold at which ``prediction`` reaches its best pairwise F1 on ``data`` (the
        highest such threshold on ties); None when it scores no gold pair at all."""
        gold = self.gold_pairs(data)
        ranked = sorted(self._scored_candidates(data, prediction).items(), key=lambda item: -item[1])
        best, best_f1, decided, true_positives = None, 0.0, 0, 0
        for index, (candidate, score) in enumerate(ranked):
            decided += 1
            true_positives += candidate in gold
            if index + 1 < len(ranked) and ranked[index + 1][1] == score:
                continue  # a threshold decides every pair of the same score at once
            f1 = 2 * true_positives / (decided + len(gold))
            if f1 > best_f1:
                best, best_f1 = score, f1
        return best

    def read_predictions(self, path: Path, task: Task, data: TaskData, threshold: float) -> PairScores:
        """One line per pair; a task that requires all pairs refuses a file missing any."""
        scores: dict[tuple[str, str], float] = {}
        for number, record in jsonl_records(path):
            a, b = (record_field(path, number, record, name, str) for name in ("id_a", "id_b"))
            for name, value in (("id_a", a), ("id_b", b)):
                if value not in data.texts:
                    raise InputError(str(path), f"line {number}", name, f"unknown id {value!r} for task {task.name}")
            key = pair(a, b)
            if not self.is_candidate(data, a, b):
                raise InputError(str(path), f"line {number}", "id_b", f"{a} / {b} is not a scored pair of task {task.name}")
            if key in scores:
                raise InputError(str(path), f"line {number}", "id_b", f"pair {a} / {b} given twice")
            scores[key] = record_field(path, number, record, "score", float)
        missing = sorted(set(self.candidate_pairs(data)) - set(scores)) if task.requires_all_pairs else []
        if missing:
            raise InputError(str(path), "-", "-", f"{len(missing)} pair(s) missing, first {missing[0][0]} / {missing[0][1]}")
        return PairScores(scores, threshold, {"source": str(path)})


DOCUMENT_PAIRS = DocumentPairs()
