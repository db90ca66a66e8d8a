"""Each item's k best partners among scored pairs, in memory n * k (compiled: the pairs of a MinHash
index come by the million, and sorting both directions of them at once took 2.6 GB at 100,000 claims)."""

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def _offer(best, partners, item, partner, score):
    """Put (score, partner) into ``item``'s row, kept best first (higher score, then lower partner),
    when it beats the row's last entry (empty entries: partner -1)."""
    k = best.shape[1]
    last = partners[item, k - 1]
    if last >= 0 and (score < best[item, k - 1] or (score == best[item, k - 1] and partner > last)):
        return
    at = k - 1
    while at > 0 and (partners[item, at - 1] < 0 or score > best[item, at - 1] or (score == best[item, at - 1] and partner < partners[item, at - 1])):
        best[item, at], partners[item, at] = best[item, at - 1], partners[item, at - 1]
        at -= 1
    best[item, at], partners[item, at] = score, partner


@numba.njit(cache=True, nogil=True)
def offer_pairs(best, partners, left, right, scores):
    """Offer each pair with a positive score to both of its items (``k_best``'s rows)."""
    for p in range(len(left)):
        if scores[p] > 0:
            _offer(best, partners, left[p], right[p], scores[p])
            _offer(best, partners, right[p], left[p], scores[p])


def k_best(n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Empty rows for ``offer_pairs``: each item's scores (n x k) and partners (-1: none yet). What they
    hold at the end does not depend on the order in which pairs were offered."""
    return np.zeros((n, k), dtype=np.float64), np.full((n, k), -1, dtype=np.int64)
