"""The top-k (retrieval) path of the claim systems (``claim_systems.TOP_K``): the same similarity as the
dense path, only the pairs where one claim is among the other's k most similar, block by block (the
exact search) or among the candidates of an index (token Jaccard's MinHash LSH)."""

import numpy as np
import pytest

from wirecopy.benchmarks import claim_systems, pairs
from wirecopy.benchmarks.tasks import TASKS

from conftest import REPO


@pytest.fixture(scope="module")
def released_claims() -> dict[str, str]:
    return TASKS["claim_alignment"].load(REPO / "dataset").texts


@pytest.fixture(scope="module")
def dense_scores(released_claims):
    """Each system's dense PairScores on the released claims, computed once."""
    return {name: system(released_claims) for name, system in claim_systems.SYSTEMS.items()}


@pytest.mark.parametrize("name", sorted(claim_systems.SYSTEMS))
def test_top_k_with_k_of_all_others_gives_the_dense_scores_to_the_bit(name, released_claims, dense_scores):
    n = len(released_claims)
    dense = dense_scores[name]
    for k in (n - 1, n + 5):
        top = claim_systems.TOP_K[name](released_claims, k=k, exact=True)
        assert top.scores == dense.scores
        assert top.threshold == dense.threshold
        assert top.parameters == {**dense.parameters, "k": k}


@pytest.mark.parametrize("name", sorted(claim_systems.SYSTEMS))
def test_top_k_keeps_each_claims_k_best_with_their_dense_scores(name, released_claims, dense_scores, monkeypatch):
    dense = dense_scores[name].scores  # one block
    monkeypatch.setattr(pairs, "BLOCK_ENTRIES", 7 * len(released_claims))  # several blocks, a short last one
    assert len(pairs.row_blocks(len(released_claims))) > 2
    k = 3
    top = claim_systems.TOP_K[name](released_claims, k=k, exact=True).scores
    assert set(top) <= set(dense)
    # Embedding cosines may differ in the last bits between blocks of other shapes and between the
    # rows i and j (BLAS; pairs.Similarity.top_k); the other similarities are exact per entry.
    assert all(top[p] == pytest.approx(dense[p], abs=1e-6 if "embedding" in name else 0) for p in top)
    neighbours: dict[str, list[float]] = {claim: [] for claim in released_claims}
    for (a, b), score in dense.items():
        neighbours[a].append(score)
        neighbours[b].append(score)
    for claim, scores in neighbours.items():
        kept = sorted((s for (a, b), s in top.items() if claim in (a, b)), reverse=True)
        best = sorted(scores, reverse=True)[:k]
        # The claim's own k best are kept (ties at the k-th may be any of the tied); other kept pairs
        # are there because the other claim ranks this one among its k best.
        assert len(kept) >= len(best) and kept[: len(best)] == pytest.approx(best, abs=1e-6)
    assert len(top) <= k * len(released_claims)


def test_minhash_index_finds_similar_pairs_with_their_dense_scores(released_claims, dense_scores):
    dense = dense_scores["token_jaccard"]
    n = len(released_claims)
    found = claim_systems.token_jaccard.top_k(released_claims, k=n - 1)
    assert found.parameters["search"]["index"] == "minhash_lsh" and found.threshold == dense.threshold
    assert set(found.scores) < set(dense.scores)  # candidates only: most unrelated pairs are never scored
    assert all(found.scores[p] == dense.scores[p] for p in found.scores)  # exact, to the bit
    similar = {p for p, s in dense.scores.items() if s >= 0.5}
    assert similar and similar <= set(found.scores)  # a pair at 0.5 is a candidate with p = 0.9998
    # Each claim keeps its k best candidates: what k = 3 keeps is the best of what k = n - 1 found.
    three = claim_systems.token_jaccard.top_k(released_claims, k=3).scores
    for claim in released_claims:
        best = sorted((s for p, s in found.scores.items() if claim in p), reverse=True)[:3]
        kept = sorted((s for p, s in three.items() if claim in p), reverse=True)
        assert kept[: len(best)] == best


def test_blocks_cover_every_row_once():
    for n in (0, 1, 5, 1000, 100_000):
        blocks = pairs.row_blocks(n)
        assert [i for start, stop in blocks for i in range(start, stop)] == list(range(n))
        assert all((stop - start) * n <= max(pairs.BLOCK_ENTRIES, n) for start, stop in blocks)


def test_tiny_corpora_and_empty_texts():
    assert claim_systems.token_jaccard.top_k({"a": "one claim"}, k=10).scores == {}
    texts = {"a": "", "b": "", "c": "snow closed the pass"}
    # core.text.jaccard: two empty sets are identical (1.0), as in the dense path
    assert claim_systems.token_jaccard.top_k(texts, k=1).scores == claim_systems.token_jaccard(texts).scores == {("a", "b"): 1.0}


def test_every_system_has_a_top_k_path():
    assert set(claim_systems.TOP_K) == set(claim_systems.SYSTEMS)
    assert np.all([callable(f) for f in claim_systems.TOP_K.values()])
