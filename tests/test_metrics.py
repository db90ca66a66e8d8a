"""Benchmark metrics: hand-computed cases, degenerate inputs, and a few properties.

Each hand case shows its arithmetic in a comment so that a failing number can be
checked without rerunning anything.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wirecopy.benchmarks.metrics import (
    adjusted_rand,
    average_precision,
    bcubed,
    ceafe,
    char_prf,
    clusters_from_pairs,
    conll_f1,
    graded_ndcg,
    line_prf,
    muc,
    prf_from_counts,
    retrieval_scores,
    span_prf,
)

approx = pytest.approx


def assert_prf(result, precision, recall, f1=None):
    """Check the three scores and that they are plain Python floats."""
    if f1 is None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    for key in ("precision", "recall", "f1"):
        assert type(result[key]) is float, (key, type(result[key]))
    assert result["precision"] == approx(precision)
    assert result["recall"] == approx(recall)
    assert result["f1"] == approx(f1)


# ---------------------------------------------------------------------------
# prf_from_counts
# ---------------------------------------------------------------------------


def test_prf_from_counts_hand_case():
    # p = 2 / (2 + 1) = 2/3, r = 2 / (2 + 2) = 1/2, f1 = 2 * (2/3 * 1/2) / (2/3 + 1/2) = (2/3) / (7/6) = 4/7
    assert_prf(prf_from_counts(2, 1, 2), 2 / 3, 1 / 2, 4 / 7)


def test_prf_from_counts_separate_gold_tp():
    # one prediction (tp=1, fp=0) finds two gold spans (tp_gold=2, fn=0): p = 1/1, r = 2/2
    assert_prf(prf_from_counts(1, 0, 0, tp_gold=2), 1.0, 1.0, 1.0)
    # p = 1 / (1 + 1) = 1/2, r = 3 / (3 + 1) = 3/4
    assert_prf(prf_from_counts(1, 1, 1, tp_gold=3), 0.5, 0.75)


def test_prf_from_counts_degenerate():
    assert_prf(prf_from_counts(0, 0, 0), 0.0, 0.0, 0.0)
    assert_prf(prf_from_counts(0, 3, 0), 0.0, 0.0, 0.0)  # no gold: recall 0/0 -> 0.0
    assert_prf(prf_from_counts(0, 0, 3), 0.0, 0.0, 0.0)  # nothing predicted: precision 0/0 -> 0.0
    with pytest.raises(ValueError):
        prf_from_counts(-1, 0, 0)


# ---------------------------------------------------------------------------
# average_precision / graded_ndcg
# ---------------------------------------------------------------------------


def test_average_precision_hand_case():
    # ranking by score: pos, neg, pos, neg; precision at the positives: 1/1 and 2/3
    # AP = (1 + 2/3) / 2 = 5/6
    result = average_precision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1])
    assert type(result) is float
    assert result == approx(5 / 6)


def test_average_precision_partial_tie():
    # threshold 0.5 takes items 0 and 1 together: recall 1/2, precision 1/2 -> 1/2 * 1/2 = 1/4
    # threshold 0.1 adds item 2: recall 1 (+1/2), precision 2/3 -> 1/2 * 2/3 = 1/3
    # AP = 1/4 + 1/3 = 7/12
    assert average_precision([1, 0, 1], [0.5, 0.5, 0.1]) == approx(7 / 12)


def test_average_precision_all_tied_is_positive_rate():
    # one threshold: recall 0 -> 1 at precision 1/4
    assert average_precision([1, 0, 0, 0], [0.3] * 4) == approx(0.25)
    assert average_precision([1, 0, 1, 0, 1], [7] * 5) == approx(3 / 5)


def test_average_precision_undefined_without_positive():
    assert average_precision([0, 0, 0], [0.1, 0.2, 0.3]) is None
    assert average_precision([], []) is None
    with pytest.raises(ValueError):
        average_precision([1, 0], [0.1])


def test_graded_ndcg_hand_case():
    # scores 3, 2, 1 put the grades in order 0, 1, 2:
    # DCG  = 0/log2(2) + 1/log2(3) + 2/log2(4) = 0.6309 + 1     = 1.6309
    # IDCG = 2/log2(2) + 1/log2(3) + 0/log2(4) = 2 + 0.6309     = 2.6309
    # NDCG = 1.6309 / 2.6309 = 0.6199
    c = 1 / math.log2(3)
    result = graded_ndcg([0, 1, 2], [3.0, 2.0, 1.0])
    assert type(result) is float
    assert result == approx((c + 1) / (2 + c))
    assert graded_ndcg([0, 1, 2], [1.0, 2.0, 3.0]) == approx(1.0)


def test_graded_ndcg_all_tied_averages_gains():
    # all three share positions 1..3, each gets the mean gain (3 + 2 + 0)/3 = 5/3:
    # DCG  = 5/3 * (1 + c + 1/2)          with c = 1/log2(3)
    # IDCG = 3 + 2c + 0 = 2 * (3/2 + c)
    # NDCG = 5/3 * (3/2 + c) / (2 * (3/2 + c)) = 5/6
    assert graded_ndcg([3, 2, 0], [1.0, 1.0, 1.0]) == approx(5 / 6)
    # and the order the items are listed in does not matter under ties
    assert graded_ndcg([0, 2, 3], [1.0, 1.0, 1.0]) == approx(5 / 6)


def test_graded_ndcg_degenerate():
    assert graded_ndcg([0, 0, 0], [0.3, 0.2, 0.1]) is None  # no relevant item
    assert graded_ndcg([], []) is None
    assert graded_ndcg([2], [0.5]) == 1.0  # one relevant item: the only ranking is ideal
    assert graded_ndcg([0], [0.5]) is None
    with pytest.raises(ValueError):
        graded_ndcg([1, -1], [0.1, 0.2])
    with pytest.raises(ValueError):
        graded_ndcg([1, 0], [0.1])


# ---------------------------------------------------------------------------
# retrieval_scores
# ---------------------------------------------------------------------------


def test_retrieval_scores_hand_case():
    rankings = {
        "q1": ["x", "r1", "y", "r2", "z", "r3"],  # hits at ranks 2, 4, 6
        "q2": ["r4", "a"],  # hit at rank 1
        "q3": ["r5"],  # no relevant items: skipped
        "q4": ["r6"],  # not in relevant: ignored
        # q5 has relevant items but no ranking: scores 0
    }
    relevant = {"q1": {"r1", "r2", "r3"}, "q2": {"r4"}, "q3": set(), "q5": {"r9"}}
    # q1: rr = 1/2; recall@1 = 0; recall@5 = 2/3 (r1, r2); map@1 = 0;
    #     map@5 = (P@2 + P@4) / min(5, 3) = (1/2 + 2/4) / 3 = 1/3
    # q2: rr = 1, recall@1 = recall@5 = 1, map@1 = 1/1, map@5 = (1/1) / min(5, 1) = 1
    # q5: all 0
    # means over 3 queries:
    #   mrr = (1/2 + 1 + 0)/3 = 1/2;  recall@1 = (0 + 1 + 0)/3 = 1/3;  recall@5 = (2/3 + 1 + 0)/3 = 5/9
    #   map@1 = (0 + 1 + 0)/3 = 1/3;  map@5 = (1/3 + 1 + 0)/3 = 4/9
    result = retrieval_scores(rankings, relevant)
    assert result["queries"] == 3
    expected = {"mrr": 1 / 2, "recall@1": 1 / 3, "recall@5": 5 / 9, "map@1": 1 / 3, "map@5": 4 / 9}
    for key, value in expected.items():
        assert type(result[key]) is float
        assert result[key] == approx(value), key


def test_retrieval_map_normalised_by_min_k_relevant():
    relevant = {"q": {f"r{i}" for i in range(7)}}
    # one hit at rank 1 among 7 relevant: map@5 = (1/1) / min(5, 7) = 1/5, recall@5 = 1/7
    result = retrieval_scores({"q": ["r0", "x"]}, relevant)
    assert result["map@5"] == approx(1 / 5)
    assert result["recall@5"] == approx(1 / 7)
    # a perfect top 5 scores 1.0 although 2 relevant items are left out
    result = retrieval_scores({"q": ["r0", "r1", "r2", "r3", "r4"]}, relevant)
    assert result["map@5"] == approx(1.0)
    assert result["recall@5"] == approx(5 / 7)


def test_retrieval_duplicates_count_once_and_custom_k():
    # ranking deduplicates to [r1, x, r2]: recall@2 = 1/2 (not 2/2), map@2 = (1/1) / min(2, 2) = 1/2
    # map@3 = (1/1 + 2/3) / min(3, 2) = 5/6
    result = retrieval_scores({"q": ["r1", "r1", "x", "r2"]}, {"q": {"r1", "r2"}}, k_values=(2, 3))
    assert result["recall@2"] == approx(1 / 2)
    assert result["map@2"] == approx(1 / 2)
    assert result["map@3"] == approx(5 / 6)
    assert result["mrr"] == approx(1.0)
    assert set(result) == {"mrr", "recall@2", "recall@3", "map@2", "map@3", "queries"}


def test_retrieval_no_evaluable_query():
    result = retrieval_scores({"q": ["a"]}, {"q": set()})
    assert result == {"mrr": None, "recall@1": None, "recall@5": None, "map@1": None, "map@5": None, "queries": 0}
    assert retrieval_scores({}, {})["queries"] == 0


def test_retrieval_nothing_retrieved_scores_zero():
    result = retrieval_scores({"q": []}, {"q": {"a"}})
    assert result["queries"] == 1
    assert result["mrr"] == 0.0 and result["recall@5"] == 0.0 and result["map@5"] == 0.0


def test_retrieval_rejects_bad_k():
    with pytest.raises(ValueError):
        retrieval_scores({}, {}, k_values=(0,))
    with pytest.raises(ValueError):
        retrieval_scores({}, {}, k_values=(True,))


def test_retrieval_repeated_k_counted_once():
    # hit at rank 1 of 1 relevant: recall@1 = 1 even if k=1 is asked for twice
    assert retrieval_scores({"q": ["a"]}, {"q": {"a"}}, k_values=(1, 1))["recall@1"] == 1.0


# ---------------------------------------------------------------------------
# Clustering
# ---------------------------------------------------------------------------

# Shared hand example:  gold K1 = {a, b, c}, K2 = {d, e};  pred R1 = {a, b}, R2 = {c, d, e}
GOLD = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
PRED = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}


def test_adjusted_rand_hand_case():
    # contingency: K1&R1 = 2, K1&R2 = 1, K2&R2 = 2  -> sum C(n_ij, 2) = 1 + 0 + 1 = 2
    # gold sizes 3, 2 -> C(3,2) + C(2,2) = 4;  pred sizes 2, 3 -> 4;  C(5, 2) = 10
    # expected = 4 * 4 / 10 = 1.6;  max = (4 + 4)/2 = 4
    # ARI = (2 - 1.6) / (4 - 1.6) = 0.4 / 2.4 = 1/6
    result = adjusted_rand(GOLD, PRED)
    assert type(result) is float
    assert result == approx(1 / 6)


def test_adjusted_rand_degenerate():
    items = ["a", "b", "c", "d"]
    singletons = {i: i for i in items}
    one = {i: 0 for i in items}
    assert adjusted_rand(singletons, dict(singletons)) == 1.0
    assert adjusted_rand(one, {i: "z" for i in items}) == 1.0
    assert adjusted_rand(one, singletons) == approx(0.0)
    assert adjusted_rand(GOLD, {k: f"renamed-{v}" for k, v in GOLD.items()}) == approx(1.0)
    # mixed label types are fine: labels are only ids
    assert adjusted_rand({"a": 1, "b": "1"}, {"a": (0,), "b": None}) == 1.0


@pytest.mark.parametrize("metric", [adjusted_rand, bcubed, muc, ceafe, conll_f1])
def test_clustering_metrics_reject_mismatched_or_empty_items(metric):
    with pytest.raises(ValueError):
        metric({"a": 1, "b": 1}, {"a": 1, "c": 1})
    with pytest.raises(ValueError):
        metric({}, {})


def test_bcubed_hand_case():
    #        G(i)      P(i)      |G&P|  p_i   r_i
    # a   {a,b,c}    {a,b}        2    2/2   2/3
    # b   {a,b,c}    {a,b}        2    2/2   2/3
    # c   {a,b,c}    {c,d,e}      1    1/3   1/3
    # d   {d,e}      {c,d,e}      2    2/3   2/2
    # e   {d,e}      {c,d,e}      2    2/3   2/2
    # P = (1 + 1 + 1/3 + 2/3 + 2/3) / 5 = (11/3)/5 = 11/15
    # R = (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = (11/3)/5 = 11/15;  F1 = 11/15
    assert_prf(bcubed(GOLD, PRED), 11 / 15, 11 / 15, 11 / 15)


def test_bcubed_degenerate():
    items = ["a", "b", "c", "d"]
    singletons = {i: i for i in items}
    one = {i: 0 for i in items}
    # pred singletons vs one gold cluster of 4: each p_i = 1/1, r_i = 1/4; F1 = 2 * 0.25 / 1.25 = 0.4
    assert_prf(bcubed(one, singletons), 1.0, 0.25, 0.4)
    # pred one cluster vs gold singletons: each p_i = 1/4, r_i = 1/1
    assert_prf(bcubed(singletons, one), 0.25, 1.0, 0.4)
    assert_prf(bcubed(singletons, singletons), 1.0, 1.0, 1.0)
    assert_prf(bcubed(one, one), 1.0, 1.0, 1.0)


def test_muc_hand_case():
    # recall: K1 = {a,b,c} is split by pred into 2 parts -> 3 - 2 = 1 link; K2 = {d,e} in 1 part -> 2 - 1 = 1
    #         R = (1 + 1) / ((3 - 1) + (2 - 1)) = 2/3
    # precision: R1 = {a,b} in 1 gold part -> 1; R2 = {c,d,e} in 2 gold parts -> 1
    #         P = (1 + 1) / ((2 - 1) + (3 - 1)) = 2/3;  F1 = 2/3
    assert_prf(muc(GOLD, PRED), 2 / 3, 2 / 3, 2 / 3)
    # gold {a,b,c,d}, pred {a,b} {c,d}: R = (4 - 2) / 3 = 2/3, P = (1 + 1) / (1 + 1) = 1
    # F1 = 2 * 2/3 / (5/3) = 0.8
    assert_prf(muc({i: 0 for i in "abcd"}, {"a": 1, "b": 1, "c": 2, "d": 2}), 1.0, 2 / 3, 0.8)


def test_muc_singletons_give_zero():
    items = ["a", "b", "c", "d"]
    singletons = {i: i for i in items}
    one = {i: 0 for i in items}
    # no links on either side: 0/0 for both -> 0.0, even though the clusterings are identical
    assert_prf(muc(singletons, dict(singletons)), 0.0, 0.0, 0.0)
    # one gold cluster, singleton pred: R = (4 - 4) / 3 = 0;  P = 0/0 -> 0
    assert_prf(muc(one, singletons), 0.0, 0.0, 0.0)
    # singleton gold, one pred cluster: R = 0/0 -> 0;  P = (4 - 4) / 3 = 0
    assert_prf(muc(singletons, one), 0.0, 0.0, 0.0)
    assert_prf(muc(one, one), 1.0, 1.0, 1.0)


def test_ceafe_hand_case():
    # phi4(K, R) = 2|K&R| / (|K| + |R|)
    #            R1={a,b}           R2={c,d,e}
    # K1={a,b,c} 2*2/(3+2) = 0.8    2*1/(3+3) = 1/3
    # K2={d,e}   0                  2*2/(2+3) = 0.8
    # best one-to-one: K1-R1 + K2-R2 = 1.6 (vs 1/3 + 0)
    # R = 1.6 / 2 gold clusters = 0.8;  P = 1.6 / 2 pred clusters = 0.8;  F1 = 0.8
    assert_prf(ceafe(GOLD, PRED), 0.8, 0.8, 0.8)


def test_ceafe_degenerate():
    items = ["a", "b", "c", "d"]
    singletons = {i: i for i in items}
    one = {i: 0 for i in items}
    # one gold cluster of 4 vs 4 singletons: best alignment phi4 = 2*1/(4+1) = 0.4
    # R = 0.4 / 1 = 0.4;  P = 0.4 / 4 = 0.1;  F1 = 2 * 0.04 / 0.5 = 0.16
    assert_prf(ceafe(one, singletons), 0.1, 0.4, 0.16)
    assert_prf(ceafe(singletons, one), 0.4, 0.1, 0.16)
    assert_prf(ceafe(singletons, singletons), 1.0, 1.0, 1.0)
    assert_prf(ceafe(one, one), 1.0, 1.0, 1.0)


def test_conll_f1_hand_case():
    # (MUC 2/3 + B3 11/15 + CEAF-e 4/5) / 3 = (10/15 + 11/15 + 12/15) / 3 = 33/45 = 11/15
    result = conll_f1(GOLD, PRED)
    assert type(result) is float
    assert result == approx(11 / 15)


def test_conll_f1_degenerate():
    items = ["a", "b", "c", "d"]
    singletons = {i: i for i in items}
    one = {i: 0 for i in items}
    # identical singletons: MUC 0 (no links), B3 1, CEAF-e 1 -> 2/3
    assert conll_f1(singletons, singletons) == approx(2 / 3)
    assert conll_f1(one, one) == approx(1.0)
    # one gold cluster vs singletons: MUC 0, B3 0.4, CEAF-e 0.16 -> 0.56 / 3
    assert conll_f1(one, singletons) == approx(0.56 / 3)


def test_clusters_from_pairs_hand_case():
    # edges b-a, c-d, d-b join a, b, c, d (smallest id "a"); e has no edge
    result = clusters_from_pairs(["d", "c", "b", "a", "e"], [("b", "a"), ("c", "d"), ("d", "b")])
    assert result == {"a": "a", "b": "a", "c": "a", "d": "a", "e": "e"}


def test_clusters_from_pairs_degenerate():
    assert clusters_from_pairs([], []) == {}
    assert clusters_from_pairs(["b", "a"], []) == {"a": "a", "b": "b"}  # singletons only
    assert clusters_from_pairs(["x", "y"], [("x", "x")]) == {"x": "x", "y": "y"}  # a self-pair links nothing
    # repeated items and pairs are harmless; "10" < "9" in string order
    assert clusters_from_pairs(["9", "10", "9"], [("9", "10"), ("10", "9")]) == {"9": "10", "10": "10"}
    with pytest.raises(ValueError):
        clusters_from_pairs(["a"], [("a", "b")])


@given(
    st.lists(st.integers(0, 9), min_size=1, max_size=10, unique=True),
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=12),
    st.randoms(use_true_random=False),
)
@settings(deadline=None, max_examples=40)
def test_clusters_from_pairs_is_order_independent_and_transitive(ids, raw_pairs, rnd):
    items = [f"i{n}" for n in ids]
    pairs = [(f"i{a}", f"i{b}") for a, b in raw_pairs if a in ids and b in ids]
    result = clusters_from_pairs(items, pairs)
    shuffled_items, shuffled_pairs = items[:], [(b, a) for a, b in pairs]
    rnd.shuffle(shuffled_items)
    rnd.shuffle(shuffled_pairs)
    assert clusters_from_pairs(shuffled_items, shuffled_pairs) == result
    for a, b in pairs:
        assert result[a] == result[b]
    for item, cluster in result.items():
        assert result[cluster] == cluster and cluster <= item


# Clusterings of up to 8 items into up to 4 labels, drawn as (gold, pred) over the same items.
labels = st.lists(st.integers(0, 3), min_size=1, max_size=8)


def as_clustering(values):
    return {f"m{i}": v for i, v in enumerate(values)}


@given(labels)
@settings(deadline=None, max_examples=40)
def test_clustering_with_itself_is_perfect(values):
    gold = as_clustering(values)
    pred = {k: f"renamed{v}" for k, v in gold.items()}  # labels are ids only
    assert_prf(bcubed(gold, pred), 1.0, 1.0, 1.0)
    assert_prf(ceafe(gold, pred), 1.0, 1.0, 1.0)
    assert adjusted_rand(gold, pred) == approx(1.0)
    has_link = len(set(values)) < len(values)  # some cluster has two items
    assert conll_f1(gold, pred) == approx(1.0 if has_link else 2 / 3)


@given(st.integers(1, 8).flatmap(lambda n: st.tuples(*[st.tuples(st.integers(0, 3), st.integers(0, 3))] * n)))
@settings(deadline=None, max_examples=40)
def test_clustering_scores_swap_precision_and_recall(pairs):
    gold = as_clustering([g for g, _ in pairs])
    pred = as_clustering([p for _, p in pairs])
    for metric in (bcubed, muc, ceafe):
        forward, backward = metric(gold, pred), metric(pred, gold)
        assert forward["precision"] == approx(backward["recall"])
        assert forward["recall"] == approx(backward["precision"])
        assert 0.0 <= forward["f1"] <= 1.0 + 1e-12
    assert conll_f1(gold, pred) == approx(conll_f1(pred, gold))
    assert adjusted_rand(gold, pred) == approx(adjusted_rand(pred, gold))


# ---------------------------------------------------------------------------
# Spans
# ---------------------------------------------------------------------------


def test_char_prf_hand_case():
    # gold [0,5) + [3,8) merge to [0,8): 8 chars; pred [6,10): 4 chars
    # tp = |[6,8)| = 2, fp = 4 - 2 = 2, fn = 8 - 2 = 6
    # p = 2/4 = 1/2, r = 2/8 = 1/4, f1 = 2 * 1/8 / (3/4) = 1/3
    result = char_prf([(0, 5), (3, 8)], [(6, 10)])
    assert_prf(result, 0.5, 0.25, 1 / 3)
    assert (result["tp"], result["fp"], result["fn"]) == (2, 2, 6)


def test_char_prf_degenerate():
    empty = char_prf([], [])
    assert_prf(empty, 0.0, 0.0, 0.0)
    assert (empty["tp"], empty["fp"], empty["fn"]) == (0, 0, 0)
    assert char_prf([(0, 4)], [])["fn"] == 4  # nothing predicted
    assert_prf(char_prf([], [(0, 4)]), 0.0, 0.0, 0.0)  # no gold
    # touching spans share no character
    assert char_prf([(0, 3)], [(3, 5)])["tp"] == 0
    # touching spans on one side cover [0,5) with no double count: tp = 5, fp = fn = 0
    result = char_prf([(0, 3), (3, 5)], [(0, 5), (0, 5)])
    assert (result["tp"], result["fp"], result["fn"]) == (5, 0, 0)
    with pytest.raises(ValueError):
        char_prf([(3, 3)], [])
    with pytest.raises(ValueError):
        char_prf([], [(-1, 2)])


spans = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 8)).map(lambda t: (t[0], t[0] + t[1])), max_size=6
)


@given(spans, spans)
@settings(deadline=None, max_examples=50)
def test_char_prf_matches_character_sets_and_is_symmetric_in_f1(gold, pred):
    gold_chars = {i for s, e in gold for i in range(s, e)}
    pred_chars = {i for s, e in pred for i in range(s, e)}
    result = char_prf(gold, pred)
    assert result["tp"] == len(gold_chars & pred_chars)
    assert result["fp"] == len(pred_chars - gold_chars)
    assert result["fn"] == len(gold_chars - pred_chars)
    swapped = char_prf(pred, gold)
    assert swapped["f1"] == approx(result["f1"])
    assert swapped["precision"] == approx(result["recall"])


def test_span_prf_exact_and_overlap_hand_case():
    gold = [(0, 3), (5, 9), (10, 12)]
    pred = [(0, 3), (5, 8), (20, 22)]
    # exact: only (0,3) matches -> tp = 1, fp = 2, fn = 2: p = r = f1 = 1/3
    exact = span_prf(gold, pred, "exact")
    assert_prf(exact, 1 / 3, 1 / 3, 1 / 3)
    assert (exact["tp"], exact["fp"], exact["fn"], exact["tp_gold"]) == (1, 2, 2, 1)
    # overlap: (0,3) hits (0,3), (5,8) hits (5,9), (20,22) hits nothing -> p = 2/3
    #          gold (0,3) and (5,9) found, (10,12) not -> r = 2/3
    overlap = span_prf(gold, pred, "overlap")
    assert_prf(overlap, 2 / 3, 2 / 3, 2 / 3)
    assert (overlap["tp"], overlap["fp"], overlap["fn"], overlap["tp_gold"]) == (2, 1, 1, 2)


def test_span_prf_one_prediction_covering_two_gold_spans():
    # overlap: pred [1,5) meets gold [0,2) and [4,6): p = 1/1, r = 2/2
    assert_prf(span_prf([(0, 2), (4, 6)], [(1, 5)], "overlap"), 1.0, 1.0, 1.0)
    # exact: no equal span: p = 0/1, r = 0/2
    assert_prf(span_prf([(0, 2), (4, 6)], [(1, 5)], "exact"), 0.0, 0.0, 0.0)
    # micro-average over two documents by summing counts (tp_gold included):
    # doc 1 above: tp=1 fp=0 fn=0 tp_gold=2;  doc 2: tp=0 fp=1 fn=1 tp_gold=0
    # p = 1/2, r = 2/3
    d1 = span_prf([(0, 2), (4, 6)], [(1, 5)], "overlap")
    d2 = span_prf([(0, 2)], [(5, 7)], "overlap")
    total = {k: d1[k] + d2[k] for k in ("tp", "fp", "fn", "tp_gold")}
    assert_prf(prf_from_counts(**total), 0.5, 2 / 3)


def test_span_prf_degenerate():
    for mode in ("exact", "overlap"):
        assert_prf(span_prf([], [], mode), 0.0, 0.0, 0.0)
        assert span_prf([(0, 3)], [], mode)["fn"] == 1
        assert span_prf([], [(0, 3)], mode)["fp"] == 1
        # duplicates count once
        assert_prf(span_prf([(0, 3), (0, 3)], [(0, 3)], mode), 1.0, 1.0, 1.0)
    # touching is not overlapping
    assert_prf(span_prf([(0, 3)], [(3, 5)], "overlap"), 0.0, 0.0, 0.0)
    assert span_prf([(0, 3)], [(2, 5)], "overlap")["tp"] == 1
    with pytest.raises(ValueError):
        span_prf([(0, 3)], [(0, 3)], "fuzzy")
    with pytest.raises(ValueError):
        span_prf([(5, 2)], [])


@given(spans, spans)
@settings(deadline=None, max_examples=50)
def test_span_prf_overlap_matches_brute_force(gold, pred):
    def meets(a, b):
        return a[0] < b[1] and b[0] < a[1]

    result = span_prf(gold, pred, "overlap")
    assert result["tp"] == sum(any(meets(p, g) for g in set(gold)) for p in set(pred))
    assert result["tp_gold"] == sum(any(meets(g, p) for p in set(pred)) for g in set(gold))
    assert span_prf(gold, pred, "exact")["f1"] == approx(span_prf(pred, gold, "exact")["f1"])


# offsets:  a b c d \n _ _ \n e f g h \n i  j  _  k  l  \n \n m  n
#           0 1 2 3 4  5 6 7  8 9 10 11 12 13 14 15 16 17 18 19 20 21
LINES_TEXT = "abcd\n  \nefgh\nij kl\n\nmn"


def test_line_prf_hand_case():
    assert LINES_TEXT[8:12] == "efgh" and LINES_TEXT[13:18] == "ij kl" and LINES_TEXT[20:22] == "mn"
    # evaluated lines: "abcd", "efgh", "ij kl" (4 non-space chars), "mn"; "  " and "" are ignored
    # gold [0,3) + [13,18): "abcd" 3/4 > 1/2 -> pos;  "ij kl" 4/4 -> pos;  others 0 -> neg
    # pred [1,11) + [20,21): "abcd" 3/4 -> pos;  "efgh" 3/4 -> pos;  "mn" 1/2 (not more than half) -> neg
    # tp = 1 ("abcd"), fp = 1 ("efgh"), fn = 1 ("ij kl"): p = r = f1 = 1/2
    result = line_prf(LINES_TEXT, [(0, 3), (13, 18)], [(1, 11), (20, 21)])
    assert_prf(result, 0.5, 0.5, 0.5)
    assert (result["tp"], result["fp"], result["fn"]) == (1, 1, 1)


def test_line_prf_ignores_whitespace_when_voting():
    text = "a   b\r\ncd"
    # line 1 "a   b\r" has 2 non-space chars; [0,4) covers only "a" -> 1/2, negative
    assert line_prf(text, [(0, 4)], [])["fn"] == 0
    # [0,5) covers "a" and "b" -> 2/2, positive
    assert line_prf(text, [(0, 5)], [])["fn"] == 1
    # a span over only whitespace and the newline votes for nothing
    assert line_prf(text, [(1, 4), (5, 7)], [])["fn"] == 0


def test_line_prf_degenerate():
    assert_prf(line_prf("", [], []), 0.0, 0.0, 0.0)
    assert_prf(line_prf("  \n\n\t", [(0, 2)], [(0, 2)]), 0.0, 0.0, 0.0)  # only blank lines
    assert_prf(line_prf(LINES_TEXT, [], []), 0.0, 0.0, 0.0)
    # gold and pred touching at a line boundary: gold takes "abcd", pred takes "efgh"
    result = line_prf(LINES_TEXT, [(0, 5)], [(5, 12)])
    assert (result["tp"], result["fp"], result["fn"]) == (0, 1, 1)
    assert_prf(line_prf(LINES_TEXT, [(0, 22)], [(0, 22)]), 1.0, 1.0, 1.0)
    with pytest.raises(ValueError):
        line_prf("abc", [(0, 4)], [])
