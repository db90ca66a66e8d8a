"""Claim alignment: a system scores pairs of claims (``claim_systems``); claims of one article are
never a pair. Evaluated as document pairs are, plus CoNLL F1 over the fact clusters, retrieval
scores (each claim ranking the claims of the other articles) and the false-positive rate on the
declared look-alike hard negatives.
"""

from .. import claim_systems, metrics
from ..task import Task, TaskData
from .document_pairs import DocumentPairs


class ClaimPairs(DocumentPairs):
    name = "claims"
    systems = claim_systems.SYSTEMS
    skipped = claim_systems.SKIPPED
    table_columns = ("threshold", "average_precision", "pairwise_f1", "mrr", "recall@1", "recall@5", "map@5", "bcubed_f1", "conll_f1", "hard_negative_false_positive_rate")
    prediction_format = '{"id_a": "<claim id>", "id_b": "<claim id>", "score": 0.83}  (claims of different articles)'
    input_variants = ("-",)

    def inputs(self, data: TaskData, variant: str) -> dict[str, str]:
        return data.texts

    def group_of(self, data: TaskData, item: str) -> str:
        return data.groups[item]

    def evaluate(self, task: Task, data: TaskData, prediction) -> dict:
        result, scored, _, predicted_clusters = self._evaluate(data, prediction)
        if data.gold_clusters:
            result["conll_f1"] = metrics.conll_f1(data.gold_clusters, predicted_clusters)
        candidates = self.candidate_pairs(data)
        result.update(_retrieval(data, candidates, [scored.get(p, 0.0) for p in candidates], self.gold_pairs(data)))
        return result


def _retrieval(data: TaskData, candidates: list[tuple[str, str]], scores: list[float], gold: set[tuple[str, str]]) -> dict:
    """For each claim, rank the claims of the other articles by score (ties broken by claim id); the
    relevant ones are those it forms a gold pair with."""
    scored: dict[str, list[tuple[float, str]]] = {claim: [] for claim in data.texts}
    relevant: dict[str, set[str]] = {claim: set() for claim in data.texts}
    for (a, b), score in zip(candidates, scores):
        scored[a].append((score, b))
        scored[b].append((score, a))
        if (a, b) in gold:
            relevant[a].add(b)
            relevant[b].add(a)
    rankings = {claim: [other for _, other in sorted(pairs, key=lambda x: (-x[0], x[1]))] for claim, pairs in scored.items()}
    return metrics.retrieval_scores(rankings, relevant)


CLAIM_PAIRS = ClaimPairs()
