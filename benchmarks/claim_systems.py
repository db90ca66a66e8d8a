"""Baselines for claim alignment: each maps claim texts to pair similarities in [0, 1].

A system is a function ``(texts: dict[claim_id, text]) -> PairScores``. Thresholds are fixed a priori.
"""

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from wirecopy.core.text import jaccard, normalise, words

from .pairs import (
    BM25_PARAMETERS,
    EMBEDDINGS_MODULES,
    MINILM_MODEL,
    STATIC_MODEL,
    PairScores,
    available_systems,
    bm25_similarity,
    dense_pairs,
    minilm_similarity,
    missing_extra,
    static_embedding_similarity,
    tfidf_similarity,
)


def token_jaccard(texts: dict[str, str], threshold: float = 0.3) -> PairScores:
    """Jaccard similarity of the claims' sets of words."""
    ids = sorted(texts)
    sets = [set(words(texts[i])) for i in ids]
    similarity = np.array([[jaccard(a, b) for b in sets] for a in sets])
    return PairScores(dense_pairs(ids, similarity), threshold, {"tokens": "words, case-folded"})


def rapidfuzz_ratio(texts: dict[str, str], threshold: float = 0.6) -> PairScores:
    """rapidfuzz token_set_ratio / 100: edit-distance similarity robust to word order and extra words."""
    ids = sorted(texts)
    normalised = [normalise(texts[i]) for i in ids]
    similarity = cdist(normalised, normalised, scorer=fuzz.token_set_ratio, workers=1) / 100.0
    return PairScores(dense_pairs(ids, similarity), threshold, {"scorer": "token_set_ratio"})


def tfidf_cosine(texts: dict[str, str], threshold: float = 0.3) -> PairScores:
    """scikit-learn TF-IDF (word unigrams and bigrams, sublinear tf) cosine similarity (``pairs.tfidf_similarity``)."""
    ids, similarity = tfidf_similarity(texts)
    return PairScores(dense_pairs(ids, similarity), threshold, {"ngram_range": [1, 2]})


def bm25(texts: dict[str, str], threshold: float = 0.25) -> PairScores:
    """bm25s BM25 of each claim as a query against all claims, relative to the query's own score and
    averaged over both directions (``pairs.bm25_similarity``)."""
    ids, similarity = bm25_similarity(texts)
    return PairScores(dense_pairs(ids, similarity), threshold, dict(BM25_PARAMETERS))


def static_embedding(texts: dict[str, str], threshold: float = 0.8) -> PairScores:
    """Cosine similarity of model2vec static sentence embeddings (``pairs.static_embedding_similarity``)."""
    ids, similarity = static_embedding_similarity(texts)
    return PairScores(dense_pairs(ids, similarity), threshold, {"model": STATIC_MODEL})


def minilm_embedding(texts: dict[str, str], threshold: float = 0.7) -> PairScores:
    """Cosine similarity of all-MiniLM-L6-v2 sentence embeddings (``pairs.minilm_similarity``; the
    [embeddings] extra). Its cosines spread wider than the static model's: 0.7 is the usual
    paraphrase cut-off for this model, where two sentences state the same thing in other words."""
    ids, similarity = minilm_similarity(texts)
    return PairScores(dense_pairs(ids, similarity), threshold, {"model": MINILM_MODEL})


# Optional systems run where their extra is installed; SKIPPED says why each other one does not.
SYSTEMS, SKIPPED = available_systems(
    {"token_jaccard": token_jaccard, "rapidfuzz_ratio": rapidfuzz_ratio, "tfidf_cosine": tfidf_cosine, "bm25": bm25, "static_embedding": static_embedding},
    {"minilm_embedding": (minilm_embedding, missing_extra("embeddings", EMBEDDINGS_MODULES))},
)
