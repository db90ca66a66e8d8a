"""wirecopy annotate (annotate/proposals.py): proposed labels that resolve as the build resolves them, reruns
that only add, reviewed labels never touched, and ``accept``."""

import difflib
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from wirecopy.annotate.proposals import accept, annotate
from wirecopy.annotate.yaml_text import append_items, without_proposed
from wirecopy.builders.annotations import proposed_labels
from wirecopy.builders.pipeline import seed_rows
from wirecopy.core.errors import InputError
from wirecopy.core.yaml_loader import load_yaml, parse_yaml

SEEDS = REPO / "seeds"
A000, A001, A004 = "000_9af1437052fdcfff", "001_647a6111658d6202", "004_3e24c38eb7c10fd0"

# A rewrite of the Reuters story of 001, in a layout the five seeds do not have.
NEW_ARTICLE = """Xi to visit Moscow next week, sources say

MOSCOW (Reuters) - Chinese President Xi Jinping plans to travel to Russia to meet Vladimir Putin as early as next week, people familiar with the matter said.

Kremlin spokesman Dmitry Peskov told reporters that the Kremlin "will let you know" when there is a willingness to announce the visit.

Xi has met Putin in person 39 times since becoming president.

Reporting by Jane Doe; Editing by John Roe
"""
# Every kind of label, a repeated line and a sentence said twice (quotes that need an occurrence).
HAND_MADE = """Politics

Budget talks stall in parliament

By Jane Doe
January 5, 2024

The finance minister said talks would resume on Monday. The opposition rejected the plan. The opposition rejected the plan.
"We will not give up," Finance Minister Ana Lopez told Reuters.
The vote is expected to take place next month, according to people familiar with the matter.

Most read

Most read

Sign up for our newsletter
"""


def texts_only(folder: Path, texts: dict[str, str] | None = None) -> Path:
    """A seeds folder holding the five seed texts (no annotation), plus ``texts``."""
    folder.mkdir(parents=True)
    for path in SEEDS.glob("*.txt"):
        shutil.copyfile(path, folder / path.name)
    for article_id, text in (texts or {}).items():
        (folder / f"{article_id}.txt").write_text(text, encoding="utf-8", newline="")
    return folder


def contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def every_yaml(folder: Path) -> dict[str, dict]:
    return {path.name: load_yaml(path) for path in sorted(folder.glob("*.yaml"))}


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five seed texts and the hand-made one, annotated once (read-only: copy it to change it)."""
    folder = texts_only(tmp_path_factory.mktemp("drafted") / "seeds", {"900_hand_made": HAND_MADE})
    annotate(folder)
    return folder


def test_every_proposal_resolves_and_is_marked(drafted):
    rows = seed_rows(drafted)  # proposed labels included: every quote resolves, no overlap, facts declared
    assert len(rows["articles"]) == 6 and rows["claims"]
    for name, document in every_yaml(drafted).items():
        if name == "corpus.yaml":
            assert len(proposed_labels(document)) == len(document["facts"]) + len(document["relations"])
        else:  # title, outlet, credited source, date, every span and claim
            assert len(proposed_labels(document)) == 4 + len(document["boilerplate"]) + len(document["claims"]), name
    for article in rows["articles"]:
        text = article["text"]
        assert text[article["title_start"] : article["title_end"]] == article["title"]
        spans = [*article["boilerplate_spans"], *article["claims"], *article["date_evidence"], *article["credited_source_evidence"]]
        spans += [evidence for claim in article["claims"] for evidence in claim["claimer_evidence"]]
        assert all(text[span["start"] : span["end"]] == span["text"] and span["text"] == span["text"].strip() for span in spans)


def test_proposals_on_the_seed_texts(drafted):
    articles = {article["article_id"]: article for article in seed_rows(drafted)["articles"]}
    dated = articles[A004]
    assert (dated["date"].isoformat(), dated["date_basis"], dated["date_evidence"][0]["text"]) == ("2024-03-19", "stated", "March 19, 2024 1:00 PM")
    assert (dated["outlet"], dated["outlet_basis"]) == ("The Kyiv Independent", "stated")
    assert {(span["text"], span["label"]) for span in dated["boilerplate_spans"]} >= {
        ("by Martin Fornusek and The Kyiv Independent news desk", "byline"),
        ("March 19, 2024 1:00 PM", "dateline"),
        ("2 min read", "reading_time"),
    }
    assert dated["title"] == "Reuters: Putin to visit China in May"  # below a tag list
    wire = articles[A001]
    assert (wire["credited_source"], wire["credited_source_basis"]) == ("Reuters", "stated")
    assert (wire["outlet"], wire["date"]) == (None, None)  # the text names neither
    first = wire["claims"][0]
    assert (first["claimer"], first["claimer_kind"], first["claim_type"]) == ("people familiar with the matter", "anonymous_sources", "plan_or_forecast")
    assert [evidence["text"] for evidence in first["claimer_evidence"]] == ["people familiar with the matter said"]


def test_hand_made_text(drafted):
    article = next(a for a in seed_rows(drafted)["articles"] if a["article_id"] == "900_hand_made")
    assert article["title"] == "Budget talks stall in parliament"
    labels = [(span["text"], span["label"], span["basis"]) for span in article["boilerplate_spans"]]
    assert labels == [
        ("Politics", "section_label", "inferred"),
        ("By Jane Doe", "byline", "stated"),
        ("January 5, 2024", "dateline", "inferred"),
        ("Most read", "navigation", "inferred"),
        ("Most read", "navigation", "inferred"),
        ("Sign up for our newsletter", "newsletter_prompt", "stated"),
    ]
    assert (article["date"].isoformat(), article["date_basis"]) == ("2024-01-05", "stated")
    assert "'on Monday' = 2024-01-01" in article["date_note"]  # 5 January 2024 was a Friday
    claims = [(c["text"], c["claim_type"], c["claimer"], c["claimer_kind"]) for c in article["claims"]]
    assert claims == [
        ("The finance minister said talks would resume on Monday.", "reported_statement", "The finance minister", "named_person"),
        ("The opposition rejected the plan.", "characterization", "outlet", "outlet"),
        ("The opposition rejected the plan.", "characterization", "outlet", "outlet"),
        ('"We will not give up," Finance Minister Ana Lopez told Reuters.', "direct_quote", "Finance Minister Ana Lopez", "named_person"),
        ("The vote is expected to take place next month, according to people familiar with the matter.", "plan_or_forecast", "people familiar with the matter", "anonymous_sources"),
    ]
    sidecar = load_yaml(drafted / "900_hand_made.yaml")
    assert [claim.get("occurrence") for claim in sidecar["claims"][1:3]] == [0, 1]


def test_rerun_is_a_no_op(drafted, tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(drafted, folder)
    before = contents(folder)
    summary = annotate(folder)
    assert contents(folder) == before
    assert (summary.sidecars_written, summary.corpus_written) == ([], False)


def _only_inserted(old: str, new: str) -> bool:
    """Whether ``new`` is ``old`` with lines inserted, every old line kept byte for byte."""
    opcodes = difflib.SequenceMatcher(None, old.splitlines(keepends=True), new.splitlines(keepends=True), autojunk=False).get_opcodes()
    return all(tag in ("equal", "insert") for tag, *_ in opcodes)


def test_an_added_article_leaves_reviewed_labels_byte_identical(tmp_path):
    """The reviewed annotation of this repository, plus a new text: the sidecars stay as they are,
    corpus.yaml only gains entries (its comments and flow lists kept), and the new claims join the
    reviewed facts they restate."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    before = contents(folder)
    (folder / "005_new_rewrite.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    summary = annotate(folder)
    assert summary.sidecars_written == ["005_new_rewrite"]
    after = contents(folder)
    assert {name: after[name] for name in before if name != "corpus.yaml"} == {name: data for name, data in before.items() if name != "corpus.yaml"}
    old_corpus, new_corpus = before["corpus.yaml"].decode(), after["corpus.yaml"].decode()
    assert _only_inserted(old_corpus, new_corpus)
    old, new = parse_yaml(old_corpus, "old"), parse_yaml(new_corpus, "new")
    assert new["facts"][: len(old["facts"])] == old["facts"] and new["relations"][: len(old["relations"])] == old["relations"]
    assert all("proposed" in entry for entry in new["facts"][len(old["facts"]) :] + new["relations"][len(old["relations"]) :])
    facts = [claim["fact"] for claim in load_yaml(folder / "005_new_rewrite.yaml")["claims"]]
    assert facts[0] in {fact["fact_id"] for fact in old["facts"]}  # Xi's trip next week: a reviewed fact, restated
    assert {tuple(relation["articles"]) for relation in new["relations"][len(old["relations"]) :]} == {(A000, "005_new_rewrite"), (A001, "005_new_rewrite")}
    seed_rows(folder)
    # A second new text: the first one's draft is now as good as reviewed, and is kept too.
    kept = contents(folder)
    (folder / "006_hand_made.txt").write_text(HAND_MADE, encoding="utf-8")
    annotate(folder)
    final = contents(folder)
    assert {name: final[name] for name in kept if name != "corpus.yaml"} == {name: data for name, data in kept.items() if name != "corpus.yaml"}
    assert _only_inserted(kept["corpus.yaml"].decode(), final["corpus.yaml"].decode())
    seed_rows(folder)


def test_accept_removes_every_marker_and_nothing_else(drafted, tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(drafted, folder)
    before = every_yaml(folder)
    texts = {name: (folder / name).read_text(encoding="utf-8") for name in before}
    assert accept(folder) == sum(len(proposed_labels(document)) for document in before.values())
    after = every_yaml(folder)
    assert all(proposed_labels(document) == [] for document in after.values())
    for name, text in texts.items():
        assert after[name] == parse_yaml(without_proposed(text, name)[0], name)
        assert _only_deleted(text, (folder / name).read_text(encoding="utf-8"))
    assert accept(folder) == 0
    seed_rows(folder)


def _only_deleted(old: str, new: str) -> bool:
    opcodes = difflib.SequenceMatcher(None, old.splitlines(keepends=True), new.splitlines(keepends=True), autojunk=False).get_opcodes()
    return all(tag in ("equal", "delete") for tag, *_ in opcodes)


def test_a_broken_folder_is_reported_and_nothing_is_written(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    (folder / "005_new_rewrite.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    sidecar = folder / f"{A004}.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("quote: 2 min read", "quote: 3 min read"), encoding="utf-8")
    (folder / "007_bad.txt").write_bytes(b"\xff\xfe not UTF-8")
    before = contents(folder)
    with pytest.raises(InputError) as raised:
        annotate(folder)
    problems = str(raised.value)
    assert "007_bad.txt" in problems and f"{A004}.yaml" in problems and "3 min read" in problems
    assert contents(folder) == before


def test_an_id_that_is_not_a_slug_is_refused(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "Not A Slug.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    with pytest.raises(InputError, match="not an article id"):
        annotate(folder)
    assert [path.name for path in folder.iterdir()] == ["Not A Slug.txt"]


# ---------------------------------------------------------------------------
# Editing YAML text in place
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# head\nfacts: []  # none yet\nrelations: []\n", "# head\nfacts:\n  - fact_id: f\n    description: d\n# none yet\nrelations: []\n"),
        ("facts:\n- fact_id: a\n  description: x\n\n# later\nrelations: []\n", "facts:\n- fact_id: a\n  description: x\n- fact_id: f\n  description: d\n\n# later\nrelations: []\n"),
        ("relations: []\nfacts:\n  - fact_id: a\n    description: |\n      two\n      lines\n", "relations: []\nfacts:\n  - fact_id: a\n    description: |\n      two\n      lines\n  - fact_id: f\n    description: d\n"),
        ("relations: []", "relations: []\nfacts:\n  - fact_id: f\n    description: d\n"),
    ],
)
def test_append_items_keeps_every_other_byte(text, expected):
    assert append_items(text, "facts", [{"fact_id": "f", "description": "d"}], "corpus.yaml") == expected


def test_without_proposed_handles_a_marker_that_opens_a_list_entry():
    text = "claims:\n  - proposed:\n      method: m  # why\n    id: c01\n  - id: c02\n    proposed: {method: m}\n"
    assert without_proposed(text, "x.yaml") == ("claims:\n  - id: c01\n  - id: c02\n", 2)


def test_without_proposed_refuses_a_layout_it_would_break():
    with pytest.raises(InputError, match="remove it by hand"):
        without_proposed("title: {quote: T, proposed: {method: m}}\n", "x.yaml")


# ---------------------------------------------------------------------------
# Any text
# ---------------------------------------------------------------------------

FRAGMENTS = st.sampled_from([
    "Reuters", "(Reuters) –", "said", "told Reuters", "according to", "people familiar with the matter", "March 13, 2023",
    "on Monday", "By Jane Doe", "“", "”", '"', "(", ")", "[", ".", ",", ":", "–", "\u00a0", " ", " ", "\n", "\n\n", "\r\n",
    "The", "minister", "Xi", "will", "2 min read", "See also", "Photo by AFP", "©", "é", "a", "b", "Plans", "WSJ (WSJ)",
])


@pytest.mark.parametrize("text", ["x", "(", "( stripped dateline\nThe headline of the day\n\nThe minister said so.", "Title line here\nTitle line here", "“Quote only.”\n“Another quote here.”"])
def test_edge_texts(tmp_path, text):
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    annotate(tmp_path)
    seed_rows(tmp_path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(FRAGMENTS, st.text(min_size=1, max_size=8)), min_size=1, max_size=40).map("".join).filter(lambda t: t.strip() and not t.startswith("\ufeff")))
def test_any_text_gets_proposals_that_resolve(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("any") / "seeds"
    folder.mkdir()
    (folder / "a.txt").write_text(text, encoding="utf-8", newline="")
    (folder / "b.txt").write_text(text + "\nThe minister said it again.", encoding="utf-8", newline="")
    annotate(folder)
    seed_rows(folder)  # every quote the proposals wrote resolves, on the untouched texts
    accept(folder)
    seed_rows(folder)


@pytest.mark.slow
@pytest.mark.skipif(not (REPO / "external" / "wikinews-semeval2015-timeline").is_dir(), reason="needs external/ (the real corpora)")
def test_real_texts_are_annotated_without_errors(tmp_path):
    from wirecopy.builders.import_wikinews import read_articles

    folder = tmp_path / "seeds"
    folder.mkdir()
    for article in read_articles(REPO / "external" / "wikinews-semeval2015-timeline" / "articles.jsonl")[:25]:
        (folder / f"wikinews_{article.doc_id}.txt").write_text(article.text, encoding="utf-8")
    summary = annotate(folder)
    assert len(summary.sidecars_written) == 25 and summary.claims_proposed > 25 * 5
    accept(folder)
    assert len(seed_rows(folder)["articles"]) == 25
