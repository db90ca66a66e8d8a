"""Baselines for document reuse / deduplication: each maps documents to pair similarities.

A system is a function ``(texts: dict[doc_id, text]) -> PairScores``: a similarity in [0, 1] for
the pairs it considers similar at all (every other pair scores 0), and the threshold at which it
decides "same report". Thresholds are fixed a priori, from the literature or from the scores of
unrelated news (below), never tuned on the test data. ``SKIPPED`` names the optional systems that cannot
run here and why.
"""

import hashlib

import numpy as np
import rensa

from wirecopy.core.text import jaccard, normalise, shingles

from .pairs import (
    BM25_PARAMETERS,
    EMBEDDINGS_MODULES,
    MINILM_MODEL,
    STATIC_MODEL,
    PairScores,
    available_systems,
    bm25_index,
    dense_pairs,
    minilm_index,
    missing_extra,
    pair,
    static_embedding_index,
    tfidf_index,
)


def exact_hash(texts: dict[str, str]) -> PairScores:
    """Identical after normalisation (case, whitespace, quotes) -> 1, else 0."""
    groups: dict[str, list[str]] = {}
    for doc_id in sorted(texts):
        groups.setdefault(hashlib.sha256(normalise(texts[doc_id]).encode()).hexdigest(), []).append(doc_id)
    scores = {pair(a, b): 1.0 for members in groups.values() for i, a in enumerate(members) for b in members[i + 1 :]}
    return PairScores(scores, threshold=1.0, parameters={"normalisation": "NFKC casefold, plain quotes, collapsed whitespace"})


def minhash_lsh(texts: dict[str, str], ngram: int = 3, num_perm: int = 128, bands: int = 32, threshold: float = 0.4) -> PairScores:
    """rensa MinHash signatures of word n-grams, LSH banding for candidates, true Jaccard to verify.

    Rewrites share few long n-grams, so 3-grams and a low threshold (0.4). With 32 bands x 4 rows a pair
    at Jaccard s becomes a candidate with probability 1 - (1 - s^4)^32: 0.23 at s = 0.3, 0.56 at 0.4,
    0.87 at 0.5, 0.99 at 0.6; the exact Jaccard on shingles then removes false candidates.
    """
    ids = sorted(texts)
    sets = {doc_id: shingles(texts[doc_id], ngram) for doc_id in ids}
    index = rensa.RMinHashLSH(threshold, num_perm, bands)
    signatures = []
    for number, doc_id in enumerate(ids):
        signature = rensa.RMinHash(num_perm, 42)
        signature.update(sorted(sets[doc_id]))
        index.insert(number, signature)
        signatures.append(signature)
    scores = {}
    for number, doc_id in enumerate(ids):
        for other in index.query(signatures[number]):
            if other > number:
                similarity = jaccard(sets[doc_id], sets[ids[other]])
                if similarity > 0:
                    scores[(doc_id, ids[other])] = similarity
    return PairScores(scores, threshold, {"ngram": ngram, "num_perm": num_perm, "bands": bands, "rows": num_perm // bands, "seed": 42})


def _simhash(tokens: set[str]) -> int:
    """Charikar's SimHash: each bit is the majority vote of the tokens' 64-bit hashes."""
    if not tokens:
        return 0
    hashes = np.array([int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "big") for t in sorted(tokens)], dtype=np.uint64)
    bits = (hashes[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)
    votes = bits.sum(axis=0) * 2 > len(hashes)
    return int(sum(1 << i for i in np.flatnonzero(votes).tolist()))


def simhash(texts: dict[str, str], ngram: int = 3, threshold: float = 0.8) -> PairScores:
    """64-bit SimHash of word n-grams; similarity = 1 - Hamming distance / 64 (0.8 <=> at most 12 bits differ)."""
    ids = sorted(texts)
    fingerprints = np.array([_simhash(shingles(texts[d], ngram)) for d in ids], dtype=np.uint64)
    distance = np.bitwise_count(fingerprints[:, None] ^ fingerprints[None, :]).astype(float)
    # Unrelated fingerprints agree on 32 +- 4 of 64 bits: in a large corpus, pairs under 0.7 (3 sd above
    # chance) keep their score only among a document's nearest (``pairs.dense_pairs``).
    return PairScores(dense_pairs(ids, 1.0 - distance / 64.0, floor=0.7), threshold, {"ngram": ngram, "bits": 64, "floor": 0.7})


def tfidf_cosine(texts: dict[str, str], threshold: float = 0.5) -> PairScores:
    """scikit-learn TF-IDF (word uni+bigrams, sublinear tf) cosine similarity (``pairs.tfidf_index``)."""
    # Shared words give almost every pair of news texts some cosine: in a large corpus, pairs under 0.3
    # keep their score only among a document's nearest (``pairs.dense_pairs``).
    return PairScores(tfidf_index(texts).pairs(floor=0.3), threshold, {"ngram_range": [1, 2], "sublinear_tf": True, "floor": 0.3})


# The thresholds and floors of the "same story" systems below come from the similarities of ECB+
# documents of *different* topics (unrelated news), never from gold: the threshold is that null
# distribution's 99.9th percentile and the floor its 99th, rounded out to 0.05. They were taken over all
# 43 topics, the test topics of the same_event task included (its texts, none of its labels).


def bm25(texts: dict[str, str], threshold: float = 0.25) -> PairScores:
    """bm25s BM25 of each whole document as a query against all documents, relative to the query's
    own score and averaged over both directions (``pairs.bm25_index``, as the claim system).

    Rare words weigh most, so two reports of one story (names, places, figures) share much of each
    other's weight, unrelated news little: different ECB+ topics score 0.06 at the median, 0.17 at the
    99th and 0.24 at the 99.9th percentile, hence the floor 0.15 and the threshold 0.25 (the claim system's).
    """
    return PairScores(bm25_index(texts).pairs(floor=0.15), threshold, {**BM25_PARAMETERS, "floor": 0.15})


def static_embedding(texts: dict[str, str], threshold: float = 0.95) -> PairScores:
    """Cosine of model2vec embeddings of whole documents (``pairs.static_embedding_index``).

    A document's embedding is the mean of hundreds of token vectors, which drifts towards the mean of
    news in general: different ECB+ topics score 0.77 at the median, 0.91 at the 99th and 0.93 at the
    99.9th percentile, hence the floor 0.9 and the threshold 0.95, where the claim system decides at 0.8.
    """
    return PairScores(static_embedding_index(texts).pairs(floor=0.9), threshold, {"model": STATIC_MODEL, "floor": 0.9})


def minilm_embedding(texts: dict[str, str], threshold: float = 0.6) -> PairScores:
    """Cosine of all-MiniLM-L6-v2 embeddings of the documents' openings (``pairs.minilm_index``;
    the [embeddings] extra): different ECB+ topics score 0.08 at the median, 0.43 at the 99th and 0.57
    at the 99.9th percentile, hence the floor 0.4 and the threshold 0.6."""
    return PairScores(minilm_index(texts).pairs(floor=0.4), threshold, {"model": MINILM_MODEL, "floor": 0.4})


# Optional systems run where their extra is installed; SKIPPED says why each other one does not.
SYSTEMS, SKIPPED = available_systems(
    {"exact_hash": exact_hash, "minhash_lsh": minhash_lsh, "simhash": simhash, "tfidf_cosine": tfidf_cosine, "bm25": bm25, "static_embedding": static_embedding},
    {"minilm_embedding": (minilm_embedding, missing_extra("embeddings", EMBEDDINGS_MODULES))},
)
