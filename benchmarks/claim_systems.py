"""Baselines for claim alignment: each maps claim texts to pair similarities in [0, 1].

A system is a function ``(texts: dict[claim_id, text]) -> PairScores``. Thresholds are fixed a priori.
"""

import os
from functools import cache
from importlib.resources import files

import bm25s
import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from wirecopy.core.text import jaccard, normalise, words

from .pairs import PairScores, dense_pairs, tfidf_similarity


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
    """bm25s BM25 of each claim as a query against all claims, divided by the query's score against
    itself (so scores fall in [0, 1]) and averaged over both directions."""
    ids = sorted(texts)
    corpus = [words(texts[i]) for i in ids]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    raw = np.vstack([retriever.get_scores(query) for query in corpus])
    relative = raw / np.maximum(np.diag(raw)[:, None], 1e-12)
    return PairScores(dense_pairs(ids, np.clip((relative + relative.T) / 2, 0.0, 1.0)), threshold, {"k1": retriever.k1, "b": retriever.b})


@cache
def _static_model():
    """The model2vec static model shipped inside the tokenlearn-static-model wheel (no download)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from model2vec import StaticModel

    return StaticModel.from_pretrained(str(files("static_model").joinpath("model")))


def static_embedding(texts: dict[str, str], threshold: float = 0.8) -> PairScores:
    """Cosine similarity of model2vec static sentence embeddings (64 dimensions, CPU, no download)."""
    ids = sorted(texts)
    vectors = _static_model().encode([texts[i] for i in ids])
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return PairScores(dense_pairs(ids, np.clip(vectors @ vectors.T, 0.0, 1.0)), threshold, {"model": "tokenlearn-static-model 0.1.1 (model2vec, 64d)"})


SYSTEMS = {
    "token_jaccard": token_jaccard,
    "rapidfuzz_ratio": rapidfuzz_ratio,
    "tfidf_cosine": tfidf_cosine,
    "bm25": bm25,
    "static_embedding": static_embedding,
}
