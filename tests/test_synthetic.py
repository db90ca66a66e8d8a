"""The synthetic near-duplicate corpus: real pool sentences only, seeded, exact spans, known clusters,
every transformation used, unrelated bases sharing at most one segment."""

import itertools
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from wirecopy.builders import synthetic
from wirecopy.builders.synthetic import (
    MIN_SENTENCE_WORDS,
    SEGMENT_SENTENCES,
    TEMPLATE_TEXTS,
    TRANSFORMATIONS,
    PoolArticle,
    family_sizes,
    generate,
    sentence_pool,
)

KEYS = ["doc_id", "cluster_id", "base_id", "transformations", "text", "boilerplate_spans"]
WORD = re.compile(r"\w+")


@pytest.fixture(scope="module")
def pool() -> tuple[PoolArticle, ...]:
    return sentence_pool(REPO / "external")


@pytest.fixture(scope="module")
def corpus(pool) -> list[dict]:
    return generate(pool, 3000, seed=0)


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


def test_the_pool_is_the_real_news_of_ecbplus_and_wikinews_each_sentence_once(pool):
    sources = Counter(a.source.split("/")[0] for a in pool)
    assert sources["ecbplus"] > 950 and sources["wikinews"] > 100
    assert list(pool) == sorted(pool, key=lambda a: (a.topic, a.source))
    sentences = [s for a in pool for s in a.sentences]
    assert len(sentences) > 15_000 and len(set(sentences)) == len(sentences)
    assert all(len(WORD.findall(s)) >= MIN_SENTENCE_WORDS and s == " ".join(s.split()) for s in sentences)
    # ECB+'s source-URL sentences are left out (URLs an article quotes in its text stay)
    assert "http://articles.latimes.com/2013/may/03/local/la-me-0504-lohan-rehab-20130504" not in {s.replace(" ", "") for s in sentences}
    assert all(a.title for a in pool if a.source.startswith("wikinews/"))
    assert {a.source: a.title for a in pool}["ecbplus/1_10ecbplus"] == "Lindsay Lohan checks into Betty Ford Center"
    assert sentence_pool(REPO / "external") is pool  # read once per folder


def test_exactly_n_rows_unique_ids_and_exact_spans(corpus):
    check_rows(corpus, 3000)
    assert sum(bool(r["boilerplate_spans"]) for r in corpus) > 300


def test_every_word_is_a_pool_word_or_a_template_word(pool, corpus):
    known = {w for a in pool for text in (a.title or "", *a.sentences) for w in WORD.findall(text)}
    known |= {w for text in TEMPLATE_TEXTS for w in WORD.findall(text)}
    used = {w for r in corpus for w in WORD.findall(r["text"])}
    assert used - known == set()


def base_sentences(text: str, starting: dict[str, list[str]], at: int = 0) -> Iterator[list[str]]:
    """Every way of reading ``text`` from ``at`` as pool sentences joined by a space or a blank line
    (a pool sentence can begin with another one, so there may be several)."""
    if at == len(text):
        yield []
        return
    head = text[at:].split(" ", 1)[0]
    for sentence in sorted(starting[head], key=len):
        end = at + len(sentence)
        if text.startswith(sentence, at) and text[end : end + 1] in ("", " ", "\n"):
            for rest in base_sentences(text, starting, min(len(text), end + (2 if text.startswith("\n\n", end) else 1))):
                yield [sentence, *rest]


@pytest.fixture(scope="module")
def starting(pool) -> dict[str, list[str]]:
    by_first_word = defaultdict(list)
    for a in pool:
        for s in a.sentences:
            by_first_word[s.split(" ", 1)[0]].append(s)
    return by_first_word


def test_small_corpora_take_real_runs_of_consecutive_sentences(pool, corpus, starting):
    positions = defaultdict(set)  # a sentence can occur more than once in the pool (wire copies)
    for i, sentence in enumerate(s for a in pool for s in a.sentences):
        positions[sentence].add(i)
    bases = [r["text"] for r in corpus if r["transformations"] == []]
    assert len(bases) > 500
    for text in bases:
        assert any(
            all(first + k in positions[s] for k, s in enumerate(found))
            for found in base_sentences(text, starting)
            for first in positions[found[0]]
        )


def test_unrelated_bases_of_the_real_pool_share_at_most_one_segment(pool):
    grid = synthetic._Grid.of(pool)
    numbers = {*range(3000), *random.Random(0).sample(range(grid.rows**2), 3000)}  # slopes 0-2, and any line
    holders: dict[str, list[int]] = defaultdict(list)
    for number in numbers:
        for sentence in grid.base(number, 5, 17, synthetic.SLOTS):
            holders[sentence].append(number)
    shared = Counter(pair for ids in holders.values() for pair in itertools.combinations(ids, 2))
    assert len(shared) > 1000 and max(shared.values()) <= SEGMENT_SENTENCES


@settings(max_examples=20, deadline=None)
@given(articles=st.integers(16, 60), slots=st.integers(1, synthetic.SLOTS), data=st.data())  # 16+ articles: a prime >= SLOTS rows
def test_two_bases_share_at_most_one_segment_below_p_squared_and_two_below_p_cubed(articles, slots, data):
    fake = [PoolArticle(f"x/{k}", "x", None, tuple(f"s{k} {i}" for i in range(10))) for k in range(articles)]
    grid = synthetic._Grid.of(fake)
    p = grid.rows
    stride, offset = data.draw(st.integers(1, p - 1)), data.draw(st.integers(0, p - 1))
    for limit, most in ((p * p, 1), (p**3, 2)):
        a, b = data.draw(st.lists(st.integers(0, limit - 1), min_size=2, max_size=2, unique=True))
        first, second = (grid.base(k, stride, offset, slots) for k in (a, b))
        assert len(set(first) & set(second)) <= most * SEGMENT_SENTENCES


def test_same_seed_same_rows_and_other_seed_other_rows(pool, corpus):
    assert generate(pool, 3000, seed=0) == corpus
    other = generate(pool, 3000, seed=1)
    assert [r["text"] for r in other] != [r["text"] for r in corpus]


def test_the_written_corpus_is_byte_identical(tmp_path):
    from wirecopy.builders.synthetic_corpus import write_corpus

    first, second = (write_corpus(REPO / "external", 500, 9, tmp_path / name) for name in ("a", "b"))
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_the_written_corpus_is_the_generators_rows_with_the_released_configs_columns(pool, tmp_path):
    # One schema for synthetic data: `wirecopy synth` and the release's dedup_synthetic config.
    import pyarrow.parquet as pq

    from wirecopy.builders.arrow_types import arrow_schema
    from wirecopy.builders.synthetic_corpus import write_corpus

    [shard] = write_corpus(REPO / "external", 300, 9, tmp_path / "corpus")
    table = pq.read_table(shard)
    assert table.schema.remove_metadata().equals(arrow_schema("dedup_synthetic")) and table.column_names == KEYS
    released = sorted((REPO / "dataset" / "data" / "dedup_synthetic").glob("*.parquet"))
    assert released and all(pq.read_schema(path).remove_metadata().equals(table.schema.remove_metadata()) for path in released)
    assert table.to_pylist() == generate(pool, 300, seed=9)


def test_does_not_touch_the_global_random_state(pool):
    random.seed(123)
    expected = random.random()
    random.seed(123)
    generate(pool, 50, seed=7)
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
    assert mean_own > 0.45 and mean_other < 0.05
    assert sum(0.3 <= j <= 0.9 for j in own) / len(own) > 0.75  # "typically 0.3-0.9"


def test_splices_share_text_with_both_parents(corpus):
    base_text = {r["base_id"]: r["text"] for r in corpus if r["transformations"] == []}
    for r in corpus:
        if r["transformations"] == ["splice"]:
            a, b = r["base_id"].split("+")
            s = shingles(r["text"])
            assert jaccard(s, shingles(base_text[a])) > 0.1
            assert jaccard(s, shingles(base_text[b])) > 0.1


def test_bad_arguments(pool):
    assert generate(pool, 0) == []
    with pytest.raises(ValueError):
        generate(pool, -1)
    with pytest.raises(ValueError, match="too small"):
        generate(pool[:3], 5)  # fewer rows of segments than SLOTS


@settings(max_examples=25, deadline=None)
@given(n=st.integers(0, 60), seed=st.integers(-(2**63), 2**63))
def test_any_small_corpus_is_well_formed_and_reproducible(pool, n, seed):
    rows = generate(pool, n, seed)
    check_rows(rows, n)
    assert generate(pool, n, seed) == rows
    bases = Counter(r["base_id"] for r in rows if r["transformations"] == [])
    for r in rows:  # every family keeps its base, even the last one cut short to make n
        assert "splice" in r["transformations"] or bases[r["base_id"]] == 1


def test_a_large_corpus_streams_in_shuffled_chunks_of_whole_families(pool, monkeypatch):
    monkeypatch.setattr(synthetic, "SHUFFLE_ROWS", 10**6)
    one_chunk = generate(pool, 300, seed=3)
    monkeypatch.setattr(synthetic, "SHUFFLE_ROWS", 300)
    assert generate(pool, 300, seed=3) == one_chunk  # a corpus that fits in one chunk is unchanged

    monkeypatch.setattr(synthetic, "SHUFFLE_ROWS", 50)
    monkeypatch.setattr(synthetic, "SPLICE_WINDOW", 5)
    rows = list(synthetic.stream(pool, 400, seed=3))
    check_rows(rows, 400)
    assert rows == list(synthetic.stream(pool, 400, seed=3))
    # Whole families per chunk: a cluster's rows are never further apart than a chunk can be long
    # (at most 50 rows plus one family of 8).
    positions = defaultdict(list)
    for number, row in enumerate(rows):
        positions[row["cluster_id"]].append(number)
    assert max(max(p) - min(p) for p in positions.values()) < 50 + 8
    first_chunk_clusters = {rows[k]["cluster_id"] for k in range(50)}
    assert not first_chunk_clusters & {r["cluster_id"] for r in rows[58:]}
