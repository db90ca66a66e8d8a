"""Baselines for claim alignment: each maps claim texts to pair similarities in [0, 1].

A system (a ``ClaimSystem``, declared once) is called as a function ``(texts: dict[claim_id, text]) ->
PairScores``. Thresholds are fixed a priori.

Each system comes in two paths over one similarity (a ``pairs.Similarity``, computed a block of rows
at a time), so that both give a pair the same score to the bit:

- the dense path (``SYSTEMS``), which the benchmark tasks run: every positive pair, n^2 memory;
- the top-k path (``TOP_K``, ``<system>.top_k(texts, k)``), the retrieval setting of CheckThat!-style
  claim matching: only the pairs where one claim is among the other's k most similar, in memory
  linear in n. A system searches its similarity's index where it has one (token Jaccard: MinHash LSH,
  ``pairs.MinHashJaccard``: only candidates are scored, so time and memory grow with them, not n^2;
  approximate); the others, and every system with ``exact=True``, search exactly (time n^2, in numpy
  and scipy blocks instead of a Python dict of n^2 pairs). ``benchmarks/claim_scale.py`` (``wirecopy
  bench claim-scale``) measures it up to 1,000,000 claims.

Where k >= n - 1, the exact top-k path keeps every positive pair: the same ``PairScores`` as the dense
path. An index's pairs have the dense path's scores too, but it finds only its candidates.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from wirecopy.core.text import normalise, words

from .pairs import (
    BM25_PARAMETERS,
    EMBEDDINGS_MODULES,
    MINILM_MODEL,
    MinHashJaccard,
    STATIC_MODEL,
    PairScores,
    Similarity,
    available_systems,
    bm25_index,
    minilm_index,
    missing_extra,
    static_embedding_index,
    tfidf_index,
)


class FuzzRatio(Similarity):
    """rapidfuzz token_set_ratio / 100 of the normalised texts; a block is one ``cdist`` (in C++, on
    every core). There is no index to prune with: top-k is exact, and n^2 comparisons."""

    def __init__(self, ids: list[str], texts: list[str]):
        self.ids, self.texts = ids, texts

    def rows(self, start: int, stop: int) -> np.ndarray:
        return cdist(self.texts[start:stop], self.texts, scorer=fuzz.token_set_ratio, workers=-1) / 100.0


def token_jaccard_index(texts: dict[str, str]) -> MinHashJaccard:
    """Word sets of the sorted ids: ``SetJaccard``'s similarity, with a MinHash LSH top-k search."""
    ids = sorted(texts)
    return MinHashJaccard(ids, [set(words(texts[i])) for i in ids])


def rapidfuzz_index(texts: dict[str, str]) -> FuzzRatio:
    ids = sorted(texts)
    return FuzzRatio(ids, [normalise(texts[i]) for i in ids])


@dataclass(frozen=True)
class ClaimSystem:
    """One baseline, declared once: its similarity (``index``: texts -> a ``pairs.Similarity``), its
    a-priori threshold and the parameters its results record. Calling it runs the dense path;
    ``top_k`` the retrieval path over the same similarity: through the similarity's own search index
    where it has one (``Similarity.search``, recorded with the results), else exactly."""

    index: Callable[[dict[str, str]], Similarity]
    threshold: float
    parameters: dict
    description: str

    def __call__(self, texts: dict[str, str], threshold: float | None = None) -> PairScores:
        return PairScores(self.index(texts).pairs(), self.threshold if threshold is None else threshold, dict(self.parameters))

    def top_k(self, texts: dict[str, str], k: int = 10, threshold: float | None = None, exact: bool = False) -> PairScores:
        similarity = self.index(texts)
        indexed = bool(similarity.search) and not exact
        found = similarity.top_k(k) if indexed else similarity.exact_top_k(k)
        return PairScores(found, self.threshold if threshold is None else threshold, {**self.parameters, "k": k, **({"search": similarity.search} if indexed else {})})


token_jaccard = ClaimSystem(
    token_jaccard_index, 0.3, {"tokens": "words, case-folded"},
    "Jaccard similarity of the claims' sets of words (``pairs.SetJaccard``); its top-k path searches a MinHash LSH "
    "index (``pairs.MinHashJaccard``).",
)
rapidfuzz_ratio = ClaimSystem(
    rapidfuzz_index, 0.6, {"scorer": "token_set_ratio"},
    "rapidfuzz token_set_ratio / 100: edit-distance similarity robust to word order and extra words. Its top-k path "
    "is exact too, so n^2 string comparisons: ~1 µs each on one core, hours at 100,000 claims.",
)
tfidf_cosine = ClaimSystem(tfidf_index, 0.3, {"ngram_range": [1, 2]}, "scikit-learn TF-IDF (word unigrams and bigrams, sublinear tf) cosine similarity (``pairs.tfidf_index``).")
bm25 = ClaimSystem(
    bm25_index, 0.25, BM25_PARAMETERS,
    "bm25s BM25 of each claim as a query against all claims, relative to the query's own score and averaged over "
    "both directions (``pairs.Bm25``); its top k are by that symmetric score (bm25s's own ``retrieve`` ranks by one "
    "direction only).",
)
static_embedding = ClaimSystem(static_embedding_index, 0.8, {"model": STATIC_MODEL}, "Cosine similarity of model2vec static sentence embeddings (``pairs.static_embedding_index``).")
minilm_embedding = ClaimSystem(
    minilm_index, 0.7, {"model": MINILM_MODEL},
    "Cosine similarity of all-MiniLM-L6-v2 sentence embeddings (``pairs.minilm_index``; the [embeddings] extra). Its "
    "cosines spread wider than the static model's: 0.7 is the usual paraphrase cut-off for this model, where two "
    "sentences state the same thing in other words.",
)


# Optional systems run where their extra is installed; SKIPPED says why each other one does not.
SYSTEMS, SKIPPED = available_systems(
    {"token_jaccard": token_jaccard, "rapidfuzz_ratio": rapidfuzz_ratio, "tfidf_cosine": tfidf_cosine, "bm25": bm25, "static_embedding": static_embedding},
    {"minilm_embedding": (minilm_embedding, missing_extra("embeddings", EMBEDDINGS_MODULES))},
)
# The top-k path of each system above: (texts, k) -> PairScores.
TOP_K: dict[str, Callable[..., PairScores]] = {name: system.top_k for name, system in SYSTEMS.items()}
