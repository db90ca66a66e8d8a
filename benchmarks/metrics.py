"""Evaluation metrics for the wirecopy benchmarks.

Every function here is pure: it reads its arguments, returns plain Python values
(``float``/``int``/``None``, never numpy scalars) and rounds nothing. Library
implementations are used wherever they exist (scikit-learn for AP, NDCG and ARI,
SciPy for the CEAF alignment and connected components); only what they lack is
written by hand.

Conventions shared by the whole module:

* A ratio whose denominator is 0 is 0.0 (precision with nothing predicted, recall
  with nothing to find, F1 when precision + recall is 0). Metrics that are
  *undefined* rather than merely zero (AP without a positive, NDCG without a
  relevant item, retrieval with no answerable query) return ``None`` so that
  callers can leave them out of an average instead of averaging in a fake 0.
* Clusterings are ``Mapping[item, cluster_id]``; gold and predicted mappings must
  cover exactly the same items, because every metric below compares partitions
  of one item set, and a silent mismatch would make the numbers meaningless.
* Spans are character offsets, half-open ``[start, end)``: ``[0, 3)`` and
  ``[3, 5)`` touch but do not overlap.
* Span-level functions return raw counts next to the scores so that callers can
  micro-average over documents by summing counts and calling
  :func:`prf_from_counts`.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Literal

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, average_precision_score, ndcg_score

from wirecopy.core.components import smallest_in_component
from wirecopy.core.text import merge_spans

__all__ = [
    "adjusted_rand",
    "average_precision",
    "bcubed",
    "ceafe",
    "char_prf",
    "clusters_from_pairs",
    "conll_f1",
    "graded_ndcg",
    "line_prf",
    "muc",
    "prf_from_counts",
    "retrieval_scores",
    "span_prf",
]

Span = tuple[int, int]


# ---------------------------------------------------------------------------
# Binary classification
# ---------------------------------------------------------------------------


def _ratio(numerator: float, denominator: float) -> float:
    # The module-wide convention: an empty denominator scores 0.0, never NaN.
    return float(numerator / denominator) if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return _ratio(2 * precision * recall, precision + recall)


def prf_from_counts(tp: int, fp: int, fn: int, tp_gold: int | None = None) -> dict[str, float]:
    """Precision, recall and F1 from raw counts.

    ``precision = tp / (tp + fp)`` and ``recall = tp_gold / (tp_gold + fn)``,
    where ``tp_gold`` defaults to ``tp``. The separate ``tp_gold`` exists for
    overlap matching (:func:`span_prf` with ``mode="overlap"``), where the
    number of correct predictions and the number of found gold items differ
    (one long prediction may cover two gold spans). Summing the counts returned
    by the span functions over documents and passing the sums here gives the
    micro average.

    Degenerate cases: precision is 0.0 when ``tp + fp == 0`` (nothing
    predicted), recall is 0.0 when ``tp_gold + fn == 0`` (nothing to find), and
    F1 is 0.0 when ``precision + recall == 0``.

    Raises ``ValueError`` on a negative count.
    """
    if tp_gold is None:
        tp_gold = tp
    if min(tp, fp, fn, tp_gold) < 0:
        raise ValueError(f"counts must be non-negative, got tp={tp} fp={fp} fn={fn} tp_gold={tp_gold}")
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp_gold, tp_gold + fn)
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def _binary_labels(values: Sequence[int], name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    # bool arrays compare equal to 0/1, so True/False are accepted as labels too.
    if array.size and not np.isin(array, (0, 1)).all():
        raise ValueError(f"{name} must contain only 0 and 1")
    return array.astype(bool)


# ---------------------------------------------------------------------------
# Ranking
# ---------------------------------------------------------------------------


def average_precision(y_true: Sequence[int], scores: Sequence[float], weights: Sequence[float] | None = None) -> float | None:
    """Average precision of ranking the items by decreasing score.

    ``weights`` (scikit-learn's ``sample_weight``) lets one entry stand for many identical items, e.g.
    all the unscored pairs of a large corpus, tied at score 0, without listing millions of them.

    This is scikit-learn's ``average_precision_score``: the sum over score
    thresholds of (increase in recall) x (precision at that threshold). Items with
    equal scores enter at the same threshold, so ties are not broken in anyone's
    favour; with all scores tied AP equals the positive rate.

    Returns ``None`` when there is no positive (AP is undefined; scikit-learn
    would warn and return 0.0, which would drag an average down for no reason).
    Raises ``ValueError`` on mismatched lengths or non-binary labels.
    """
    truth = _binary_labels(y_true, "y_true")
    score_array = np.asarray(scores, dtype=float)
    if score_array.shape != truth.shape:
        raise ValueError(f"y_true and scores differ in length ({truth.size} != {score_array.size})")
    weight_array = None if weights is None else np.asarray(weights, dtype=float)
    if not (truth if weight_array is None else truth * weight_array).any():
        return None
    return float(average_precision_score(truth, score_array, sample_weight=weight_array))


def graded_ndcg(grades: Sequence[int], scores: Sequence[float]) -> float | None:
    """Normalised discounted cumulative gain of ranking all items by score.

    The grades are the relevance gains (linear gain, as in scikit-learn's
    ``ndcg_score``: DCG = sum of grade / log2(rank + 1)), normalised by the DCG
    of the ideal ordering. Items with tied scores get the average gain of the
    positions they share (``ignore_ties=False``), so the result does not depend
    on the order the items were listed in.

    Degenerate cases: ``None`` when every grade is 0 (or there are no items),
    since no ranking can be better than another; a single item with a positive
    grade scores 1.0 (scikit-learn refuses one-item lists, but the only ranking
    is then the ideal one). Raises ``ValueError`` on mismatched lengths or a
    negative grade.
    """
    grade_array = np.asarray(grades, dtype=float)
    score_array = np.asarray(scores, dtype=float)
    if grade_array.ndim != 1 or grade_array.shape != score_array.shape:
        raise ValueError("grades and scores must be one-dimensional and of equal length")
    if (grade_array < 0).any():
        raise ValueError("grades must be non-negative")
    if not grade_array.any():
        return None
    if grade_array.size == 1:
        return 1.0
    return float(ndcg_score(grade_array[None, :], score_array[None, :], ignore_ties=False))


def retrieval_scores(
    rankings: Mapping[str, Sequence[str]],
    relevant: Mapping[str, set[str]],
    k_values: Sequence[int] = (1, 5),
) -> dict[str, float | int | None]:
    """Query-averaged retrieval scores in the style of CheckThat! claim retrieval.

    ``rankings[q]`` is the ranked list of item ids returned for query ``q``
    (best first); ``relevant[q]`` the set of its relevant items. Only queries
    with at least one relevant item are evaluated; a query that has relevant
    items but no entry in ``rankings`` is evaluated as an empty ranking (it
    scores 0), and rankings for queries without relevant items are ignored.
    If an item is repeated in a ranking only its first occurrence counts, so
    one relevant item cannot be credited twice.

    Per query, then averaged over the evaluated queries:

    * ``mrr``: reciprocal rank of the first relevant item anywhere in the
      ranking (0 if none is retrieved);
    * ``recall@k``: fraction of the query's relevant items in the top k;
    * ``map@k``: average precision at k, i.e. the sum of precision@i over the
      ranks i <= k holding a relevant item, divided by min(k, number relevant)
      so that a perfect top k scores 1.0 even when more than k items are
      relevant. This is the "AP@k" of Kaggle and ml_metrics (``apk``), not trec_eval's or BEIR's MAP@k, which divide by the number relevant (the README says so).

    Returns ``mrr``, ``recall@k`` and ``map@k`` for every k in ``k_values``,
    and ``queries`` (the number of evaluated queries). With no evaluable
    query every metric is ``None`` and ``queries`` is 0. Raises ``ValueError``
    if a k is not a positive integer.
    """
    # A repeated k would otherwise be accumulated twice into the same key.
    ks = list(dict.fromkeys(k_values))
    for k in ks:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise ValueError(f"k values must be positive integers, got {k!r}")
    names = ["mrr"] + [f"recall@{k}" for k in ks] + [f"map@{k}" for k in ks]

    totals = dict.fromkeys(names, 0.0)
    queries = 0
    for query, gold in relevant.items():
        gold = set(gold)
        if not gold:
            continue
        queries += 1
        # dict.fromkeys keeps the first occurrence of each id in ranking order.
        ranking = list(dict.fromkeys(rankings.get(query, ())))
        hit_ranks = [rank for rank, item in enumerate(ranking, start=1) if item in gold]
        if hit_ranks:
            totals["mrr"] += 1.0 / hit_ranks[0]
        for k in ks:
            hits_at_k = [rank for rank in hit_ranks if rank <= k]
            totals[f"recall@{k}"] += len(hits_at_k) / len(gold)
            # The n-th hit at rank r contributes precision@r = n / r.
            precision_sum = sum(n / rank for n, rank in enumerate(hits_at_k, start=1))
            totals[f"map@{k}"] += precision_sum / min(k, len(gold))

    result: dict[str, float | int | None]
    if queries == 0:
        result = dict.fromkeys(names, None)
    else:
        result = {name: float(total / queries) for name, total in totals.items()}
    result["queries"] = queries
    return result


# ---------------------------------------------------------------------------
# Clustering
# ---------------------------------------------------------------------------


def _aligned_labels(
    gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]
) -> tuple[list[str], list[Hashable], list[Hashable]]:
    if gold.keys() != pred.keys():
        missing = sorted(map(str, gold.keys() - pred.keys()))[:5]
        extra = sorted(map(str, pred.keys() - gold.keys()))[:5]
        raise ValueError(
            f"gold and pred must cover the same items (only in gold: {missing}, only in pred: {extra})"
        )
    if not gold:
        raise ValueError("clustering metrics need at least one item")
    items = list(gold)
    return items, [gold[item] for item in items], [pred[item] for item in items]


def _clusters(labels: Mapping[str, Hashable]) -> list[frozenset[str]]:
    groups: dict[Hashable, set[str]] = defaultdict(set)
    for item, label in labels.items():
        groups[label].add(item)
    return [frozenset(group) for group in groups.values()]


def adjusted_rand(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> float:
    """Adjusted Rand index between two clusterings of the same items.

    The Rand index is the share of item pairs on which the clusterings agree
    (together in both or apart in both); the adjusted version subtracts the
    agreement expected by chance, so 1.0 means identical partitions, about 0.0
    chance level, and negative values worse than chance. Cluster ids are only
    labels: renaming clusters changes nothing.

    Degenerate cases are scikit-learn's: identical partitions score 1.0
    (including all-singletons vs all-singletons and one cluster vs one
    cluster). Raises ``ValueError`` if the item sets differ or are empty.
    """
    _, gold_labels, pred_labels = _aligned_labels(gold, pred)
    # sklearn wants sortable labels; map arbitrary hashables to their first-seen index.
    gold_codes = _codes(gold_labels)
    pred_codes = _codes(pred_labels)
    return float(adjusted_rand_score(gold_codes, pred_codes))


def _codes(labels: Sequence[Hashable]) -> list[int]:
    index: dict[Hashable, int] = {}
    return [index.setdefault(label, len(index)) for label in labels]


def bcubed(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> dict[str, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998), averaged over items.

    For each item i with gold cluster G(i) and predicted cluster P(i):
    precision_i = |G(i) & P(i)| / |P(i)| and recall_i = |G(i) & P(i)| / |G(i)|.
    Precision and recall are the means over all items (each item weighs the
    same); F1 is their harmonic mean. Every item is in its own cluster, so the
    ratios are always defined and singletons count like any other item:
    all-singleton predictions get precision 1.0, one big cluster recall 1.0.

    Raises ``ValueError`` if the item sets differ or are empty.
    """
    items, _, _ = _aligned_labels(gold, pred)
    gold_of = {item: cluster for cluster in _clusters(gold) for item in cluster}
    pred_of = {item: cluster for cluster in _clusters(pred) for item in cluster}
    precision_sum = 0.0
    recall_sum = 0.0
    for item in items:
        shared = len(gold_of[item] & pred_of[item])
        precision_sum += shared / len(pred_of[item])
        recall_sum += shared / len(gold_of[item])
    precision = precision_sum / len(items)
    recall = recall_sum / len(items)
    return {"precision": float(precision), "recall": float(recall), "f1": _f1(precision, recall)}


def _muc_score(keys: list[frozenset[str]], labels: Mapping[str, Hashable]) -> float:
    # Vilain et al. (1995): a cluster K needs |K| - 1 links; the other side
    # supplies all but (number of its clusters that K is split into) - 1 of them.
    # Every item has a label on both sides, so no extra "missing mention" parts arise.
    found = 0
    needed = 0
    for key in keys:
        parts = len({labels[item] for item in key})
        found += len(key) - parts
        needed += len(key) - 1
    return _ratio(found, needed)


def muc(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> dict[str, float]:
    """MUC link-based precision, recall and F1 (Vilain et al. 1995).

    Recall is the share of the links needed to connect each gold cluster that
    the predicted clustering also implies: sum over gold clusters K of
    (|K| - number of predicted clusters K is split into) divided by
    sum of (|K| - 1). Precision is the same with gold and pred swapped.

    Singletons carry no link, so MUC ignores them entirely. When one side has
    only singletons the corresponding denominator is 0 and, following the
    reference CoNLL scorer, the ratio is 0.0 (e.g. all-singleton gold gives
    recall 0.0 even against an identical prediction); F1 is 0.0 when
    precision + recall is 0. Raises ``ValueError`` if the item sets differ or
    are empty.
    """
    _aligned_labels(gold, pred)
    recall = _muc_score(_clusters(gold), pred)
    precision = _muc_score(_clusters(pred), gold)
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def ceafe(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> dict[str, float]:
    """Entity-based CEAF (CEAF-e, Luo 2005) precision, recall and F1.

    Gold and predicted clusters are aligned one-to-one so as to maximise the
    total similarity phi4(K, R) = 2 |K & R| / (|K| + |R|) (the optimal
    alignment is found with ``scipy.optimize.linear_sum_assignment``). With
    that total Phi, recall = Phi / number of gold clusters and precision =
    Phi / number of predicted clusters (phi4 of a cluster with itself is 1).

    Singletons are ordinary clusters here, as in the reference scorer when
    singletons are kept. Raises ``ValueError`` if the item sets differ or are
    empty.
    """
    _aligned_labels(gold, pred)
    gold_clusters = _clusters(gold)
    pred_index = {label: j for j, label in enumerate(dict.fromkeys(pred.values()))}
    pred_sizes = [0] * len(pred_index)
    for label in pred.values():
        pred_sizes[pred_index[label]] += 1

    # Only clusters sharing an item have non-zero similarity; fill those cells directly.
    similarity = np.zeros((len(gold_clusters), len(pred_sizes)))
    for i, key in enumerate(gold_clusters):
        overlaps: dict[int, int] = defaultdict(int)
        for item in key:
            overlaps[pred_index[pred[item]]] += 1
        for j, shared in overlaps.items():
            similarity[i, j] = 2 * shared / (len(key) + pred_sizes[j])
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    total = float(similarity[rows, cols].sum())
    recall = total / len(gold_clusters)
    precision = total / len(pred_sizes)
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def conll_f1(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> float:
    """The CoNLL-2012 coreference score: the mean of the MUC, B-cubed and CEAF-e F1.

    Inherits the degenerate cases of its parts; in particular, because MUC is
    0.0 when no cluster has two items, a clustering made only of singletons
    scores at most 2/3 even against itself. Raises ``ValueError`` if the item
    sets differ or are empty.
    """
    return float((muc(gold, pred)["f1"] + bcubed(gold, pred)["f1"] + ceafe(gold, pred)["f1"]) / 3)


def clusters_from_pairs(items: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Cluster items as the connected components of a graph of linked pairs.

    Each pair ``(a, b)`` is an undirected edge; linking is transitive, so a-b
    and b-c put a, b and c together. Every item is mapped to the smallest item
    id (string order) of its component, which makes the ids deterministic and
    independent of input order. Items with no pair are singletons; repeated
    items and pairs are harmless.

    Raises ``ValueError`` if a pair names an item not in ``items``, since that
    usually means the pairs and items come from different data.
    """
    nodes = sorted(set(items))
    index = {item: i for i, item in enumerate(nodes)}
    rows: list[int] = []
    cols: list[int] = []
    for a, b in pairs:
        if a not in index or b not in index:
            unknown = a if a not in index else b
            raise ValueError(f"pair ({a!r}, {b!r}) names an item not in items: {unknown!r}")
        rows.append(index[a])
        cols.append(index[b])
    if not nodes:
        return {}
    # nodes are sorted, so a component's smallest index is its smallest id.
    smallest = smallest_in_component(len(nodes), np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))
    return {node: nodes[first] for node, first in zip(nodes, smallest.tolist())}


# ---------------------------------------------------------------------------
# Spans
# ---------------------------------------------------------------------------


def _check_spans(spans: Iterable[Span], name: str, limit: int | None = None) -> list[Span]:
    checked = []
    for span in spans:
        start, end = span
        if start < 0 or end <= start:
            raise ValueError(f"{name} span {span!r} must satisfy 0 <= start < end")
        if limit is not None and end > limit:
            raise ValueError(f"{name} span {span!r} ends past the text (length {limit})")
        checked.append((int(start), int(end)))
    return checked


def _covered(merged: list[Span]) -> int:
    return sum(end - start for start, end in merged)


def _intersection(a: list[Span], b: list[Span]) -> int:
    # Two-pointer sweep over sorted, disjoint intervals: linear, no per-character sets.
    i = j = total = 0
    while i < len(a) and j < len(b):
        low = max(a[i][0], b[j][0])
        high = min(a[i][1], b[j][1])
        if low < high:
            total += high - low
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


def _overlaps_union(span: Span, merged: list[Span], ends: list[int]) -> bool:
    # Half-open spans overlap iff each starts before the other ends. The first merged
    # interval ending after span.start is the only candidate, as they are sorted and disjoint.
    k = bisect.bisect_right(ends, span[0])
    return k < len(merged) and merged[k][0] < span[1]


def char_prf(gold: list[Span], pred: list[Span]) -> dict[str, float | int]:
    """Character-level precision, recall and F1 of predicted spans against gold spans.

    Each side is reduced to the set of character positions its spans cover
    (spans are half-open ``[start, end)``; overlapping or repeated spans on one
    side are merged, so no character counts twice). Then tp = characters
    covered by both, fp = covered only by pred, fn = covered only by gold.

    Returns ``precision``, ``recall``, ``f1`` and the counts ``tp``, ``fp``,
    ``fn`` (sum them over documents and use :func:`prf_from_counts` for the
    micro average). Empty span lists give 0 counts and 0.0 scores per
    :func:`prf_from_counts`. Raises ``ValueError`` on a span with
    ``start < 0`` or ``end <= start``.
    """
    gold_merged = merge_spans(_check_spans(gold, "gold"))
    pred_merged = merge_spans(_check_spans(pred, "pred"))
    tp = _intersection(gold_merged, pred_merged)
    fp = _covered(pred_merged) - tp
    fn = _covered(gold_merged) - tp
    return {**prf_from_counts(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn}


def span_prf(
    gold: list[Span], pred: list[Span], mode: Literal["exact", "overlap"] = "exact"
) -> dict[str, float | int]:
    """Span-level precision, recall and F1.

    Spans are compared as whole units (duplicates on one side count once;
    overlapping spans on one side are *not* merged, unlike :func:`char_prf`).

    * ``mode="exact"``: a predicted span is correct iff it equals a gold span
      (same start and end); tp = spans in both, fp = predicted only,
      fn = gold only.
    * ``mode="overlap"``: a predicted span is correct iff it shares at least one
      character with some gold span, and a gold span is found iff some
      predicted span shares a character with it. Touching spans such as
      ``[0, 3)`` and ``[3, 5)`` share none. The two directions can differ (one
      prediction covering two gold spans finds both), so recall uses its own
      count ``tp_gold``.

    Returns ``precision``, ``recall``, ``f1`` and the counts ``tp`` (correct
    predictions), ``fp`` (incorrect predictions), ``fn`` (gold spans not
    found) and ``tp_gold`` (gold spans found; equal to ``tp`` in exact mode).
    Micro-average with ``prf_from_counts(tp, fp, fn, tp_gold)`` over summed
    counts. Raises ``ValueError`` on an unknown mode or an invalid span.
    """
    gold_set = set(_check_spans(gold, "gold"))
    pred_set = set(_check_spans(pred, "pred"))
    if mode == "exact":
        tp = tp_gold = len(gold_set & pred_set)
    elif mode == "overlap":
        # A span overlaps some span of a set iff it overlaps the set's union, since no span is empty.
        gold_union = merge_spans(gold_set)
        pred_union = merge_spans(pred_set)
        gold_ends = [end for _, end in gold_union]
        pred_ends = [end for _, end in pred_union]
        tp = sum(_overlaps_union(span, gold_union, gold_ends) for span in pred_set)
        tp_gold = sum(_overlaps_union(span, pred_union, pred_ends) for span in gold_set)
    else:
        raise ValueError(f"mode must be 'exact' or 'overlap', got {mode!r}")
    fp = len(pred_set) - tp
    fn = len(gold_set) - tp_gold
    return {**prf_from_counts(tp, fp, fn, tp_gold), "tp": tp, "fp": fp, "fn": fn, "tp_gold": tp_gold}


def line_prf(text: str, gold: list[Span], pred: list[Span]) -> dict[str, float | int]:
    """Line-level precision, recall and F1 of span annotations on a text.

    The text is split into lines on ``"\\n"``; lines that are empty or only
    whitespace are ignored (they carry no content to label). A line is
    positive on a side when strictly more than half of its non-whitespace
    characters are covered by that side's spans (whitespace is not counted,
    so indentation or a trailing ``"\\r"`` cannot tip the vote; exactly half
    is negative). The lines are then scored with the :func:`prf_from_counts`
    conventions.

    Returns ``precision``, ``recall``, ``f1`` and the line counts ``tp``,
    ``fp``, ``fn`` for micro-averaging with :func:`prf_from_counts`. Raises
    ``ValueError`` on an invalid span or one ending past the text.
    """
    gold_mask = _coverage_mask(_check_spans(gold, "gold", len(text)), len(text))
    pred_mask = _coverage_mask(_check_spans(pred, "pred", len(text)), len(text))
    tp = fp = fn = 0
    offset = 0
    for line in text.split("\n"):
        start = offset
        offset += len(line) + 1  # the "\n" that split() removed
        content = [start + i for i, char in enumerate(line) if not char.isspace()]
        if not content:
            continue
        in_gold = 2 * int(gold_mask[content].sum()) > len(content)
        in_pred = 2 * int(pred_mask[content].sum()) > len(content)
        tp += in_gold and in_pred
        fp += in_pred and not in_gold
        fn += in_gold and not in_pred
    return {**prf_from_counts(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn}


def _coverage_mask(spans: list[Span], length: int) -> np.ndarray:
    mask = np.zeros(length, dtype=bool)
    for start, end in spans:
        mask[start:end] = True
    return mask


# ---------------------------------------------------------------------------
# Extracted article bodies: the article-extraction benchmark's own metric
# ---------------------------------------------------------------------------

# evaluate.py of github.com/scrapinghub/article-extraction-benchmark (commit 4a3bc979) compares bodies
# as multisets of 4-word shingles, not single tokens: word order then counts, so a body assembled from
# the right words in the wrong places is not rewarded.
BODY_SHINGLE_WORDS = 4


def _body_shingles(text: str) -> dict[tuple[str, ...], int]:
    # Imported here so that this section stays an appendix to the module.
    import re
    from collections import Counter

    # evaluate.py's tokeniser: runs of \w (Unicode), case kept; a text of fewer than 4 tokens is one
    # shorter shingle, an empty one none.
    tokens = re.findall(r"\w+", text)
    starts = range(max(1, len(tokens) - BODY_SHINGLE_WORDS + 1)) if tokens else range(0)
    return Counter(tuple(tokens[i : i + BODY_SHINGLE_WORDS]) for i in starts)


def body_token_counts(gold: str, predicted: str) -> dict[str, int]:
    """Shingle counts of a predicted article body against the gold body, as the article-extraction
    benchmark's ``string_shingle_matching`` counts them.

    Both texts are tokenised as ``\\w+`` runs (Unicode, case-sensitive) and cut into overlapping
    4-token shingles; the two multisets are compared: ``tp`` = shingles in both (with multiplicity),
    ``fp`` = predicted only, ``fn`` = gold only. evaluate.py then divides the three by their sum so
    that every page weighs the same; that changes no per-page ratio, so the raw counts are returned
    here, to be summed over pages for a micro average (:func:`prf_from_counts`) or turned into the
    benchmark's page averages with :func:`body_token_prf` and :func:`body_token_average`.
    """
    gold_shingles, predicted_shingles = _body_shingles(gold), _body_shingles(predicted)
    tp = sum(min(count, predicted_shingles.get(shingle, 0)) for shingle, count in gold_shingles.items())
    return {"tp": tp, "fp": sum(predicted_shingles.values()) - tp, "fn": sum(gold_shingles.values()) - tp}


def body_token_prf(gold: str, predicted: str) -> dict[str, float | None]:
    """One page's shingle precision, recall and F1 (see :func:`body_token_counts`).

    As in evaluate.py, precision is undefined (``None``) when nothing was predicted and recall when
    the gold body is empty: the benchmark leaves such pages out of that average rather than score
    them 0 or 1. ``f1`` is this page's harmonic mean, an undefined side counting 0, and ``None`` when
    both are empty; the benchmark itself reports no per-page F1 (see :func:`body_token_average`).
    """
    counts = body_token_counts(gold, predicted)
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = None if precision is None and recall is None else _f1(precision or 0.0, recall or 0.0)
    return {"precision": precision, "recall": recall, "f1": f1}


def body_token_average(pages: Iterable[Mapping[str, float | None]]) -> dict[str, float]:
    """The benchmark's table row from per-page :func:`body_token_prf` results: precision averaged
    over the pages where it is defined, recall likewise, and F1 the harmonic mean of those two
    averages (evaluate.py's ``metrics_from_tp_fp_fns``; not the mean of per-page F1).

    A side defined on no page averages to 0.0 (the module's convention; evaluate.py would fail).
    """
    pages = list(pages)
    precisions = [page["precision"] for page in pages if page["precision"] is not None]
    recalls = [page["recall"] for page in pages if page["recall"] is not None]
    precision, recall = _ratio(sum(precisions), len(precisions)), _ratio(sum(recalls), len(recalls))
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}
