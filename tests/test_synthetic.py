"""The synthetic near-duplicate corpus: seeded, exact spans, known clusters, every transformation used."""

import random
import re
from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wirecopy.builders.synthetic import TRANSFORMATIONS, content_pool, family_sizes, generate

KEYS = ["doc_id", "cluster_id", "base_id", "transformations", "text", "boilerplate_spans"]


@pytest.fixture(scope="module")
def corpus(articles) -> list[dict]:
    return generate(articles, 2000, seed=0)


def shingles(text: str, k: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def check_rows(rows: list[dict], n: int) -> None:
    assert len(rows) == n
    assert len({r["doc_id"] for r in rows}) == n
    base_of = {}
    for r in rows:
        assert list(r) == KEYS
        assert re.fullmatch(r"syn-\d{6,}", r["doc_id"])
        assert set(r["transformations"]) <= set(TRANSFORMATIONS)
        assert base_of.setdefault(r["cluster_id"], r["base_id"]) == r["base_id"]  # one base per cluster
        last = 0
        for span in r["boilerplate_spans"]:
            assert set(span) == {"start", "end", "text", "label"}
            assert last <= span["start"] < span["end"] <= len(r["text"])  # sorted, disjoint, non-empty
            assert r["text"][span["start"] : span["end"]] == span["text"]
            last = span["end"]


def test_content_pool_leaves_out_boilerplate_and_titles(articles):
    pool = content_pool(articles)
    assert len(pool) >= 50
    assert {a for a, _ in pool} == {a["article_id"] for a in articles}
    sentences = [s for _, s in pool]
    assert len(set(sentences)) == len(sentences)
    for article in articles:
        for span in article["boilerplate_spans"]:
            if len(span["text"]) > 10:
                assert not any(span["text"] in s for s in sentences)
        assert article["title"] not in sentences
    # the abbreviation-aware splitter keeps "U.S. Secretary of State" in one sentence
    assert any(s.startswith("Last month U.S. Secretary of State") for s in sentences)


def test_exactly_n_rows_unique_ids_and_exact_spans(corpus):
    check_rows(corpus, 2000)
    assert sum(bool(r["boilerplate_spans"]) for r in corpus) > 300


def test_same_seed_same_rows_and_other_seed_other_rows(articles, corpus):
    assert generate(articles, 2000, seed=0) == corpus
    other = generate(articles, 2000, seed=1)
    assert [r["text"] for r in other] != [r["text"] for r in corpus]


def test_does_not_touch_the_global_random_state(articles):
    random.seed(123)
    expected = random.random()
    random.seed(123)
    generate(articles, 50, seed=7)
    assert random.random() == expected


def test_every_transformation_appears(corpus):
    used = Counter(t for r in corpus for t in r["transformations"])
    assert set(used) == set(TRANSFORMATIONS)
    assert any(r["transformations"] == [] for r in corpus)  # the bases themselves


def test_families_vary_in_size_with_singletons(corpus):
    sizes = family_sizes(corpus)
    assert sum(size * count for size, count in sizes.items()) == len(corpus)
    assert sizes.get(1, 0) > 0 and max(sizes) >= 6 and min(sizes) == 1


def test_splices_are_singleton_clusters_of_two_existing_bases(corpus):
    clusters = Counter(r["cluster_id"] for r in corpus)
    bases = {r["base_id"]: r["cluster_id"] for r in corpus if r["transformations"] == []}
    splices = [r for r in corpus if "splice" in r["transformations"]]
    assert splices
    for r in splices:
        assert r["transformations"][0] == "splice"
        assert clusters[r["cluster_id"]] == 1
        a, b = r["base_id"].split("+")
        assert a != b and a in bases and b in bases
        assert r["cluster_id"] not in (bases[a], bases[b])
    for r in corpus:
        assert ("+" in r["base_id"]) == ("splice" in r["transformations"])


def test_exact_copies_match_another_member_of_their_family(corpus):
    texts = defaultdict(Counter)
    for r in corpus:
        texts[r["cluster_id"]][r["text"]] += 1
    copies = [r for r in corpus if r["transformations"][-1:] == ["exact_copy"]]
    assert copies
    for r in copies:
        assert texts[r["cluster_id"]][r["text"]] >= 2


def test_variants_are_near_duplicates_of_their_base(corpus):
    base_text = {r["base_id"]: r["text"] for r in corpus if r["transformations"] == []}
    base_ids = sorted(base_text)
    rng = random.Random(0)
    own, other = [], []
    for r in corpus:
        if not r["transformations"] or "splice" in r["transformations"] or r["base_id"] not in base_text:
            continue
        s = shingles(r["text"])
        own.append(jaccard(s, shingles(base_text[r["base_id"]])))
        stranger = rng.choice([b for b in rng.sample(base_ids, 2) if b != r["base_id"]])
        other.append(jaccard(s, shingles(base_text[stranger])))
    assert len(own) > 500
    mean_own, mean_other = sum(own) / len(own), sum(other) / len(other)
    assert mean_own > 0.45 and mean_other < 0.15 and mean_own > 4 * mean_other
    assert sum(0.3 <= j <= 0.9 for j in own) / len(own) > 0.75  # "typically 0.3-0.9"


def test_splices_share_text_with_both_parents(corpus):
    base_text = {r["base_id"]: r["text"] for r in corpus if r["transformations"] == []}
    for r in corpus:
        if r["transformations"] == ["splice"]:
            a, b = r["base_id"].split("+")
            s = shingles(r["text"])
            assert jaccard(s, shingles(base_text[a])) > 0.1
            assert jaccard(s, shingles(base_text[b])) > 0.1


def test_bad_arguments(articles):
    assert generate(articles, 0) == []
    with pytest.raises(ValueError):
        generate(articles, -1)
    with pytest.raises(ValueError, match="content sentences"):
        generate([{"article_id": "x", "text": "Too short.", "boilerplate_spans": []}], 5)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(0, 60), seed=st.integers(-(2**63), 2**63))
def test_any_small_corpus_is_well_formed_and_reproducible(articles, n, seed):
    rows = generate(articles, n, seed)
    check_rows(rows, n)
    assert generate(articles, n, seed) == rows
    bases = Counter(r["base_id"] for r in rows if r["transformations"] == [])
    for r in rows:  # every family keeps its base, even the last one cut short to make n
        assert "splice" in r["transformations"] or bases[r["base_id"]] == 1


def test_a_large_corpus_streams_in_shuffled_chunks_of_whole_families(articles, monkeypatch):
    from wirecopy.builders import synthetic

    monkeypatch.setattr(synthetic, "SHUFFLE_ROWS", 10**6)
    one_chunk = generate(articles, 300, seed=3)
    monkeypatch.setattr(synthetic, "SHUFFLE_ROWS", 300)
    assert generate(articles, 300, seed=3) == one_chunk  # a corpus that fits in one chunk is unchanged

    monkeypatch.setattr(synthetic, "SHUFFLE_ROWS", 50)
    monkeypatch.setattr(synthetic, "SPLICE_WINDOW", 5)
    rows = list(synthetic.stream(articles, 400, seed=3))
    check_rows(rows, 400)
    assert rows == list(synthetic.stream(articles, 400, seed=3))
    # Whole families per chunk: a cluster's rows are never further apart than a chunk can be long
    # (at most 50 rows plus one family of 8).
    positions = defaultdict(list)
    for number, row in enumerate(rows):
        positions[row["cluster_id"]].append(number)
    assert max(max(p) - min(p) for p in positions.values()) < 50 + 8
    first_chunk_clusters = {rows[k]["cluster_id"] for k in range(50)}
    assert not first_chunk_clusters & {r["cluster_id"] for r in rows[58:]}
