"""Baselines for claim alignment: each maps claim texts to pair similarities in [0, 1].

A system is a function ``(texts: dict[claim_id, text]) -> PairScores``. Thresholds are fixed a priori.

Each system comes in two paths over one similarity (a ``pairs.Similarity``, computed a block of rows
at a time), so that both give a pair the same score to the bit:

- the dense path (``SYSTEMS``), which the benchmark tasks run: every positive pair, n^2 memory;
- the top-k path (``TOP_K``, ``<system>_top_k(texts, k)``), the retrieval setting of CheckThat!-style
  claim matching: only the pairs where one claim is among the other's k most similar, in memory
  linear in n (the index, one block, n * k pairs). Its search is exact (no approximate index): time
  stays n^2, but in numpy and scipy blocks instead of a Python dict of n^2 pairs. ``benchmarks/claim_scale.py``
  (``wirecopy bench claim-scale``) measures it up to 100,000 claims.

Where k >= n - 1, the top-k path keeps every positive pair: the same ``PairScores`` as the dense path.
"""

from collections.abc import Callable

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from wirecopy.core.text import normalise, words

from .pairs import (
    BM25_PARAMETERS,
    EMBEDDINGS_MODULES,
    MINILM_MODEL,
    STATIC_MODEL,
    PairScores,
    SetJaccard,
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


def token_jaccard_index(texts: dict[str, str]) -> SetJaccard:
    ids = sorted(texts)
    return SetJaccard(ids, [set(words(texts[i])) for i in ids])


def rapidfuzz_index(texts: dict[str, str]) -> FuzzRatio:
    ids = sorted(texts)
    return FuzzRatio(ids, [normalise(texts[i]) for i in ids])


def _dense(index: Similarity, threshold: float, parameters: dict) -> PairScores:
    return PairScores(index.pairs(), threshold, parameters)


def _top_k(index: Similarity, k: int, threshold: float, parameters: dict) -> PairScores:
    return PairScores(index.top_k(k), threshold, {**parameters, "k": k})


TOKEN_JACCARD = {"tokens": "words, case-folded"}
RAPIDFUZZ = {"scorer": "token_set_ratio"}
TFIDF = {"ngram_range": [1, 2]}


def token_jaccard(texts: dict[str, str], threshold: float = 0.3) -> PairScores:
    """Jaccard similarity of the claims' sets of words (``pairs.SetJaccard``)."""
    return _dense(token_jaccard_index(texts), threshold, TOKEN_JACCARD)


def token_jaccard_top_k(texts: dict[str, str], k: int = 10, threshold: float = 0.3) -> PairScores:
    return _top_k(token_jaccard_index(texts), k, threshold, TOKEN_JACCARD)


def rapidfuzz_ratio(texts: dict[str, str], threshold: float = 0.6) -> PairScores:
    """rapidfuzz token_set_ratio / 100: edit-distance similarity robust to word order and extra words."""
    return _dense(rapidfuzz_index(texts), threshold, RAPIDFUZZ)


def rapidfuzz_ratio_top_k(texts: dict[str, str], k: int = 10, threshold: float = 0.6) -> PairScores:
    """Exact, so n^2 string comparisons: ~1 µs each on one core, hours at 100,000 claims."""
    return _top_k(rapidfuzz_index(texts), k, threshold, RAPIDFUZZ)


def tfidf_cosine(texts: dict[str, str], threshold: float = 0.3) -> PairScores:
    """scikit-learn TF-IDF (word unigrams and bigrams, sublinear tf) cosine similarity (``pairs.tfidf_index``)."""
    return _dense(tfidf_index(texts), threshold, TFIDF)


def tfidf_cosine_top_k(texts: dict[str, str], k: int = 10, threshold: float = 0.3) -> PairScores:
    return _top_k(tfidf_index(texts), k, threshold, TFIDF)


def bm25(texts: dict[str, str], threshold: float = 0.25) -> PairScores:
    """bm25s BM25 of each claim as a query against all claims, relative to the query's own score and
    averaged over both directions (``pairs.Bm25``)."""
    return _dense(bm25_index(texts), threshold, dict(BM25_PARAMETERS))


def bm25_top_k(texts: dict[str, str], k: int = 10, threshold: float = 0.25) -> PairScores:
    """The k best by the symmetric score above (bm25s's own ``retrieve`` ranks by one direction only)."""
    return _top_k(bm25_index(texts), k, threshold, dict(BM25_PARAMETERS))


def static_embedding(texts: dict[str, str], threshold: float = 0.8) -> PairScores:
    """Cosine similarity of model2vec static sentence embeddings (``pairs.static_embedding_index``)."""
    return _dense(static_embedding_index(texts), threshold, {"model": STATIC_MODEL})


def static_embedding_top_k(texts: dict[str, str], k: int = 10, threshold: float = 0.8) -> PairScores:
    return _top_k(static_embedding_index(texts), k, threshold, {"model": STATIC_MODEL})


def minilm_embedding(texts: dict[str, str], threshold: float = 0.7) -> PairScores:
    """Cosine similarity of all-MiniLM-L6-v2 sentence embeddings (``pairs.minilm_index``; the
    [embeddings] extra). Its cosines spread wider than the static model's: 0.7 is the usual
    paraphrase cut-off for this model, where two sentences state the same thing in other words."""
    return _dense(minilm_index(texts), threshold, {"model": MINILM_MODEL})


def minilm_embedding_top_k(texts: dict[str, str], k: int = 10, threshold: float = 0.7) -> PairScores:
    return _top_k(minilm_index(texts), k, threshold, {"model": MINILM_MODEL})


# Optional systems run where their extra is installed; SKIPPED says why each other one does not.
SYSTEMS, SKIPPED = available_systems(
    {"token_jaccard": token_jaccard, "rapidfuzz_ratio": rapidfuzz_ratio, "tfidf_cosine": tfidf_cosine, "bm25": bm25, "static_embedding": static_embedding},
    {"minilm_embedding": (minilm_embedding, missing_extra("embeddings", EMBEDDINGS_MODULES))},
)
# The top-k path of each system above: (texts, k) -> PairScores.
TOP_K: dict[str, Callable[..., PairScores]] = {
    name: globals()[f"{name}_top_k"] for name in SYSTEMS
}
