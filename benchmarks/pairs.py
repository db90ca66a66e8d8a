"""The plain data systems hand to tasks: similarities of unordered pairs and a decision threshold."""

from dataclasses import dataclass, field

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
# ranks them all; over it, a system's floor drops the near-zero mass that would cost gigabytes as a dict.
ALL_PAIRS_LIMIT = 100_000


def dense_pairs(ids: list[str], similarity, floor: float = 0.0) -> dict[tuple[str, str], float]:
    """The positive entries over the diagonal of a (dense or scipy sparse) similarity matrix over
    ``ids``; in a corpus of more than ``ALL_PAIRS_LIMIT`` pairs, only those above ``floor``."""
    if len(ids) * (len(ids) - 1) // 2 <= ALL_PAIRS_LIMIT:
        floor = 0.0
    upper = sparse.triu(similarity, k=1, format="coo")
    keep = upper.data > max(floor, 0.0)
    return {pair(ids[i], ids[j]): float(v) for i, j, v in zip(upper.row[keep].tolist(), upper.col[keep].tolist(), upper.data[keep].tolist())}


def tfidf_similarity(texts: dict[str, str]) -> tuple[list[str], sparse.csr_matrix]:
    """The sorted ids and the cosine similarities of their scikit-learn TF-IDF vectors (word unigrams
    and bigrams of ``core.text.words``, sublinear tf; rows are L2-normalised, so the product is the cosine)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = sorted(texts)
    vectors = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, tokenizer=words, lowercase=False, token_pattern=None).fit_transform([texts[i] for i in ids])
    return ids, vectors @ vectors.T
