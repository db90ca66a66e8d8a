"""wirecopy agree: agreement of two annotation folders of the same texts (annotate/agreement.py).

A second reading made from seeds/ by known edits gives numbers worked out by hand here (each with its
arithmetic); the report is rounded to 4 decimals, hence ``close``."""

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from conftest import REPO
from wirecopy.annotate.agreement import (
    CONTENT,
    agreement,
    agreement_markdown,
    check_same_texts,
    cohen_kappa,
    match_claims,
    relation_agreement,
    write_agreement,
)
from wirecopy.annotate.yaml_text import dump
from wirecopy.builders.pipeline import seed_rows
from wirecopy.core.errors import InputError
from wirecopy.core.yaml_loader import load_yaml

SEEDS = REPO / "seeds"
A000, A001, A003 = "000_9af1437052fdcfff", "001_647a6111658d6202", "003_5e41d2a6d4963e09"


def close(value):
    return pytest.approx(value, abs=5e-5)


def kappa(observed: float, counts_a: Counter, counts_b: Counter) -> float:
    """Cohen's kappa by its definition: (p_o - p_e) / (1 - p_e), p_e from the two readings' label counts."""
    n = sum(counts_a.values())
    expected = sum(counts_a[label] * counts_b[label] for label in counts_a | counts_b) / n**2
    return (observed - expected) / (1 - expected)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _edit_yaml(path: Path, change) -> None:
    """Apply ``change`` to the parsed YAML file and write it back (its comments are lost, its labels kept)."""
    document = load_yaml(path)
    change(document)
    path.write_text(dump(document), encoding="utf-8")


def _one(items: list[dict], **where) -> dict:
    """The one item whose keys have the values ``where`` gives: the edits below find labels by id and
    check the label they change, so a later label fix elsewhere in the file does not break them."""
    found = [item for item in items if all(item.get(key) == value for key, value in where.items())]
    assert len(found) == 1, (where, len(found))
    return found[0]


def _reread_000(sidecar: dict) -> None:
    """The second reading of article 000: its date and three of its claims."""
    # date: one day later -> date agreement 4/5
    assert sidecar["date"]["value"] == "2023-03-13"
    sidecar["date"]["value"] = "2023-03-14"
    claims = sidecar["claims"]
    # claims: c02 shortened (still matched, IoU about 0.85, not exact) and retyped
    shortened = _one(claims, id="c02", type="reported_statement")
    assert shortened["quote"].startswith("Late last month, ")
    shortened["quote"] = shortened["quote"].removeprefix("Late last month, ")
    shortened["type"] = "characterization"
    # claims: c05 (plan_or_forecast of xi_visit_russia_as_soon_as_next_week) left out
    claims.remove(_one(claims, id="c05", type="plan_or_forecast", fact="xi_visit_russia_as_soon_as_next_week"))
    # facts: c03 moved from putin_said_xi_visit_agreed (000/c02, 000/c03, 001/c03) to a fact of its own
    _one(claims, id="c03", fact="putin_said_xi_visit_agreed")["fact"] = "putin_said_everything_progressing"


def _reread_corpus(corpus: dict) -> None:
    """The second reading of corpus.yaml: c03's new fact (no hard negatives), a hard negative, a relation."""
    facts = corpus["facts"]
    facts.insert(0, {"fact_id": "putin_said_everything_progressing", "description": "Putin said everything is progressing."})
    # hard negatives: peskov_will_let_you_know (2 claims) / peskov_will_inform_as_we_get_closer (1) dropped
    negatives = _one(facts, fact_id="peskov_will_let_you_know")["hard_negatives"]
    negatives.remove(_one(negatives, fact_id="peskov_will_inform_as_we_get_closer"))
    # relations: 000 / 003 same_story -> different_story
    _one(corpus["relations"], articles=[A000, A003], relation="same_story")["relation"] = "different_story"


@pytest.fixture(scope="module")
def second_reading(tmp_path_factory) -> Path:
    """seeds/ read again with one change of each kind (the comments say what each moves)."""
    folder = Path(shutil.copytree(SEEDS, tmp_path_factory.mktemp("reading") / "b"))
    _edit_yaml(folder / f"{A000}.yaml", _reread_000)
    # boilerplate: 001 "Latest updates" (14 characters) relabelled; 003 "Font Size:" (10) not boilerplate
    _edit_yaml(folder / f"{A001}.yaml", lambda sidecar: _one(sidecar["boilerplate"], quote="Latest updates", label="navigation").update(label="ui_control"))
    _edit_yaml(folder / f"{A003}.yaml", lambda sidecar: sidecar["boilerplate"].remove(_one(sidecar["boilerplate"], quote="Font Size:", label="ui_control")))
    _edit_yaml(folder / "corpus.yaml", _reread_corpus)
    return folder


@pytest.fixture(scope="module")
def report(second_reading) -> dict:
    return agreement(SEEDS, second_reading)


def _measures(report: dict):
    """Every (path, key, value) of the report's nested dicts."""
    stack = [("", report)]
    while stack:
        path, node = stack.pop()
        for key, value in node.items():
            if isinstance(value, dict):
                stack.append((f"{path}/{key}", value))
            else:
                yield path, key, value


def test_a_folder_agrees_perfectly_with_itself():
    report = agreement(SEEDS, SEEDS)
    measures = list(_measures(report))
    for path, key, value in measures:
        if key in ("agreement", "precision", "recall", "f1", "conll_f1"):
            assert value == 1.0, (path, key)
        elif key == "kappa":
            assert value in (1.0, None), path
        elif key in ("differences", "a", "b") and isinstance(value, list):
            assert value == [], path
    undefined = sorted(path for path, key, value in measures if key == "kappa" and value is None)
    assert undefined == ["/articles/credited_source_basis"]  # every article credits its source as stated
    assert report["relations"]["grade_mean_absolute_difference"] == 0.0
    assert report["relations"]["only_a"] == report["relations"]["only_b"] == 0
    assert report["facts"]["left_out_a"] == report["facts"]["left_out_b"] == 0


def test_articles(report):
    articles = report["articles"]
    assert articles["date"] == {"n": 5, "agreement": 0.8, "differences": [{"item": A000, "a": "2023-03-13", "b": "2023-03-14"}]}
    for field in ("outlet", "outlet_basis", "credited_source", "credited_source_basis", "date_refers_to", "date_basis"):
        assert articles[field]["agreement"] == 1.0 and articles[field]["n"] == 5


def test_boilerplate(report):
    boilerplate = report["boilerplate"]
    rows = seed_rows(SEEDS)["articles"]
    total = sum(len(article["text"]) for article in rows)  # 11,248 characters
    labels_a = Counter({CONTENT: total})
    for article in rows:
        for span in article["boilerplate_spans"]:
            labels_a[span["label"]] += span["end"] - span["start"]
            labels_a[CONTENT] -= span["end"] - span["start"]
    marked = total - labels_a[CONTENT]  # 1,613
    # Binary: "Font Size:" is content in B; 10 of A's boilerplate characters disagree.
    binary_a = Counter({True: marked, False: total - marked})
    binary_b = Counter({True: marked - 10, False: total - marked + 10})
    assert boilerplate["characters"] == {"n": total, "agreement": close((total - 10) / total), "kappa": close(kappa((total - 10) / total, binary_a, binary_b))}
    # Labels: 14 characters navigation -> ui_control, 10 ui_control -> content.
    labels_b = labels_a - Counter({"navigation": 14, "ui_control": 10}) + Counter({"ui_control": 14, CONTENT: 10})
    assert boilerplate["character_labels"]["kappa"] == close(kappa((total - 24) / total, labels_a, labels_b))
    assert boilerplate["characters_prf"] == {"n_a": marked, "n_b": marked - 10, "precision": 1.0, "recall": close((marked - 10) / marked), "f1": close(2 * (marked - 10) / (2 * marked - 10))}
    # 30 spans in A (000: 1, 001: 8, 002: 5, 003: 5, 004: 11), 29 in B; 28 identical with their label,
    # 29 overlapping one of the other side.
    assert boilerplate["spans_exact"] == {"n_a": 30, "n_b": 29, "precision": close(28 / 29), "recall": close(28 / 30), "f1": close(56 / 59)}
    assert boilerplate["spans_overlap"] == {"n_a": 30, "n_b": 29, "precision": 1.0, "recall": close(29 / 30), "f1": close(58 / 59)}


def test_claims(report):
    claims = report["claims"]
    # 74 claims in A (000: 16, 001: 16, 002: 14, 003: 15, 004: 13), 73 in B, all of B's matched; 72 of
    # them exactly (c02 is shorter).
    assert claims["spans_exact"] == {"n_a": 74, "n_b": 73, "precision": close(72 / 73), "recall": close(72 / 74), "f1": close(144 / 147)}
    assert claims["spans_matched"] == {"n_a": 74, "n_b": 73, "precision": 1.0, "recall": close(73 / 74), "f1": close(146 / 147)}
    assert claims["unmatched"] == {"a": [f"{A000}/c05"], "b": []}
    # Types of A's 74 claims, article by article (000 + 001 + 002 + 003 + 004):
    #   past_event 5+6+7+3+3 = 24, plan_or_forecast 3+2+1+4+4 = 14, direct_quote 3+2+2+2+3 = 12,
    #   reported_statement 1+1+1+5+1 = 9, characterization 2+2+2+1+1 = 8, no_comment 1+2+0+0+1 = 4,
    #   quantity 1+1+1+0+0 = 3.
    # The 73 matched ones lack c05, a plan_or_forecast; B has one reported_statement fewer and one
    # characterization more.
    types_a = Counter(past_event=24, plan_or_forecast=13, direct_quote=12, reported_statement=9, characterization=8, no_comment=4, quantity=3)
    types_b = types_a - Counter(reported_statement=1) + Counter(characterization=1)
    # p_e = (24² + 13² + 12² + 9·8 + 8·9 + 4² + 3²) / 73² = 1058 / 5329; kappa = (72·73 - 1058) / (5329 - 1058)
    assert kappa(72 / 73, types_a, types_b) == pytest.approx(4198 / 4271)
    assert claims["claim_type"] == {
        "n": 73, "agreement": close(72 / 73), "kappa": close(4198 / 4271),
        "differences": [{"item": f"{A000}/c02", "a": "reported_statement", "b": "characterization"}],
    }
    assert claims["claimer_kind"]["agreement"] == claims["claimer_basis"]["agreement"] == 1.0


def test_fact_clusters(report):
    facts = report["facts"]
    # Every one of the 50 facts keeps a matched claim (c05's fact has three more); B adds one.
    assert {key: facts[key] for key in ("n", "left_out_a", "left_out_b", "clusters_a", "clusters_b")} == {"n": 73, "left_out_a": 1, "left_out_b": 0, "clusters_a": 50, "clusters_b": 51}
    # B splits A's {000/c02, 000/c03, 001/c03} into {000/c02, 001/c03} and {000/c03}; B's clusters are
    # all inside A's, so precision is 1. B-cubed recall: (70 + 2/3 + 2/3 + 1/3) / 73 = 215/219, F1
    # 2r / (1 + r) = 430/434.
    assert facts["bcubed"] == {"precision": 1.0, "recall": close(215 / 219), "f1": close(430 / 434)}
    # MUC: 23 links in A (73 claims, 50 clusters), 22 kept: F1 44/45. CEAF-e: 49 clusters align with
    # phi 1, the split one with 2*2/(3+2) = 0.8: F1 2 * 49.8 / (50 + 51).
    assert facts["conll_f1"] == close((44 / 45 + 430 / 434 + 99.6 / 101) / 3)


def test_hard_negatives(report):
    negatives = report["hard_negatives"]
    assert (negatives["fact_pairs_a"], negatives["fact_pairs_b"]) == (33, 32)
    # The 33 fact pairs of seeds/ stand for 86 claim pairs (the products of their facts' claim counts):
    # the 83 cross-article ones and 3 within an article (000/c01 and 000/c05 with 000/c04, 001/c01 with
    # 001/c04: xi_visit_russia_as_soon_as_next_week / xi_visit_expected_april_or_may). Less the 7 pairs
    # of the unmatched 000/c05 (its fact's hard negatives have 1 + 1 + 3 + 1 + 1 claims: putin_to_visit_
    # china_in_may_2024, xi_preparing_moscow_visit_in_coming_months, xi_visit_expected_april_or_may,
    # putin_to_arrive_in_second_half_of_may_2024, putin_trip_to_precede_xi_europe_visit): 79.
    # B drops the 2 pairs of peskov_will_let_you_know (2 claims) and peskov_will_inform_as_we_get_closer (1),
    # and the 1 of 000/c03, whose new fact has no hard negatives, with peskov_several_visits_being_prepared
    # (004/c09): 76, all of them A's.
    assert negatives["claim_pairs"] == {"n_a": 79, "n_b": 76, "precision": 1.0, "recall": close(76 / 79), "f1": close(152 / 155)}


def test_relations(report):
    relations = report["relations"]
    # A: 3 same_report, 3 same_story, 4 different_story; B moves one same_story to different_story.
    # p_o = 0.9, p_e = (3*3 + 3*2 + 4*5) / 100 = 0.35, kappa = 0.55 / 0.65.
    assert relations == {
        "n": 10, "agreement": 0.9, "kappa": close(0.55 / 0.65),
        "differences": [{"item": f"{A000} / {A003}", "a": "same_story", "b": "different_story"}],
        "grade_mean_absolute_difference": 0.1, "only_a": 0, "only_b": 0,
    }


def test_the_report_is_json_with_a_fixed_key_order(report):
    assert list(report) == ["format", "readings", "articles", "boilerplate", "claims", "facts", "hard_negatives", "relations"]
    assert json.loads(json.dumps(report)) == report
    assert all(not isinstance(value, float) or round(value, 4) == value for _, _, value in _measures(report))


def test_the_markdown_renders_every_measure_without_headings(report):
    markdown = agreement_markdown(report)
    assert not any(line.startswith("#") for line in markdown.splitlines())  # it goes under the card's own heading
    for row in (
        "| outlet | 5 | 1.000 | – |", "| date | 5 | 0.800 | – |", "| date basis | 5 | 1.000 | 1.000 |",
        "| boilerplate or content (characters) | 11,248 | 0.999 | 0.996 |", "| boilerplate label (characters) | 11,248 |",
        "| claim type (matched claims) | 73 | 0.986 | 0.983 |", "| claimer kind (matched claims) | 73 |",
        "| claimer basis (matched claims) | 73 |", "| relation (article pairs) | 10 | 0.900 | 0.846 |",
        "| boilerplate characters | 1,613 / 1,603 | 1.000 | 0.994 | 0.997 |", "| boilerplate spans, exact (start, end, label) | 30 / 29 | 0.966 | 0.933 | 0.949 |",
        "| boilerplate spans, overlapping (any label) | 30 / 29 |", "| claim spans, exact | 74 / 73 |",
        # recall 73/74 = 0.98649 reads 0.987: the table shows the report's 4 decimals (0.9865) to 3
        "| claim spans, matched (IoU ≥ 0.5) | 74 / 73 | 1.000 | 0.987 | 0.993 |", "| fact clusters, B³ (matched claims) | 73 / 73 |",
        "| fact clusters, CoNLL F1 (matched claims) | 73 / 73 | – | – |", "| hard-negative claim pairs | 79 / 76 | 1.000 | 0.962 | 0.981 |",
        "Relation grades differ by 0.100 on average (n = 10); 0 pair(s) are labelled by A only, 0 by B only.",
        "Claims left unmatched: 1 of A's, 0 of B's.",
    ):
        assert row in markdown, row


def test_the_report_is_written_as_json_and_markdown_but_never_into_a_reading(report, second_reading, tmp_path):
    write_agreement(report, tmp_path / "agreement.json", tmp_path / "agreement.md")
    assert json.loads((tmp_path / "agreement.json").read_text(encoding="utf-8")) == report
    assert (tmp_path / "agreement.md").read_text(encoding="utf-8") == agreement_markdown(report)
    before = (second_reading / f"{A000}.txt").read_bytes()
    with pytest.raises(InputError, match="is inside the annotation folder"):
        write_agreement(report, None, second_reading / f"{A000}.txt")
    assert (second_reading / f"{A000}.txt").read_bytes() == before


def test_different_texts_are_one_line_input_error(tmp_path):
    folder = Path(shutil.copytree(SEEDS, tmp_path / "b"))
    # An edit that also breaks quotes of the sidecar: the texts are compared before the annotations.
    _edit(folder / "002_07d2d95af1c2a203.txt", "Reuters reported Monday morning", "Reuters said Monday morning")
    with pytest.raises(InputError) as raised:
        agreement(SEEDS, folder)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{folder / '002_07d2d95af1c2a203.txt'}: record 002_07d2d95af1c2a203: field text: differs from {SEEDS / '002_07d2d95af1c2a203.txt'}")


def test_an_article_in_one_folder_only_is_named():
    def articles(*ids):
        return dict.fromkeys(ids, "0" * 64)

    with pytest.raises(InputError, match=r"^b: record a2: no a2.txt, which a has"):
        check_same_texts(Path("a"), articles("a1", "a2", "a3"), Path("b"), articles("a1", "a3"))
    with pytest.raises(InputError, match=r"^b: record a0: a0.txt is not in a"):
        check_same_texts(Path("a"), articles("a1", "a2"), Path("b"), articles("a0", "a1", "a2", "a3"))


def test_a_bad_folder_reports_its_own_input_errors(tmp_path):
    folder = Path(shutil.copytree(SEEDS, tmp_path / "b"))
    (folder / f"{A000}.yaml").write_text("article_id: [", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        agreement(SEEDS, folder)
    assert str(folder / f"{A000}.yaml") in str(raised.value)


def test_proposed_labels_are_refused_in_either_folder(tmp_path):
    folder = Path(shutil.copytree(SEEDS, tmp_path / "b"))
    _edit_yaml(folder / f"{A000}.yaml", lambda sidecar: _one(sidecar["claims"], id="c01").update(proposed={"method": "a test"}))
    for first, second in ((SEEDS, folder), (folder, SEEDS)):
        with pytest.raises(InputError, match=r"record claims\[0\] \(c01\): field proposed: 1 proposed label\(s\) not reviewed") as raised:
            agreement(first, second)
        assert str(raised.value).startswith(str(folder / f"{A000}.yaml"))


def _claim(claim_id: str, start: int, end: int) -> dict:
    return {"claim_id": claim_id, "start": start, "end": end}


def test_claims_match_one_to_one_by_iou_greedily():
    a = [_claim("a1", 0, 10), _claim("a2", 0, 10), _claim("a3", 20, 30), _claim("a4", 40, 50)]
    # b1, b2 share a1/a2's span; b3 overlaps a3 at IoU 6/10 and b4 at 4/10 (too little); b5 matches nothing.
    b = [_claim("b1", 0, 10), _claim("b2", 0, 10), _claim("b3", 24, 30), _claim("b4", 44, 60), _claim("b5", 70, 80)]
    matched = [(x["claim_id"], y["claim_id"]) for x, y in match_claims(a, b)]
    assert matched == [("a1", "b1"), ("a2", "b2"), ("a3", "b3")]
    # The higher IoU wins a contested claim, whatever the order: b1 goes to a2 (IoU 7/9), not a1 (5/8).
    assert [(x["claim_id"], y["claim_id"]) for x, y in match_claims([_claim("a1", 0, 5), _claim("a2", 1, 9)], [_claim("b1", 0, 8)])] == [("a2", "b1")]


def _pair(a: str, b: str, relation: str, grade: int, **source) -> dict:
    return {"article_id_a": a, "article_id_b": b, "relation": relation, "grade": grade, **source}


def test_relations_compare_only_the_pairs_both_readings_label():
    pairs_a = [_pair("x", "y", "same_report", 2), _pair("x", "z", "different_story", 0, relation_source="project_default"), _pair("y", "z", "same_story", 1)]
    pairs_b = [_pair("x", "y", "same_story", 1, relation_source="annotated"), _pair("x", "z", "same_story", 1), _pair("y", "z", "same_story", 1, relation_source="project_default")]
    result = relation_agreement(pairs_a, pairs_b)
    assert result == {
        "n": 1, "agreement": 0.0, "kappa": 0.0,
        "differences": [{"item": "x / y", "a": "same_report", "b": "same_story"}],
        "grade_mean_absolute_difference": 1.0, "only_a": 1, "only_b": 1,
    }
    assert relation_agreement([], [])["agreement"] is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=1, max_size=40))
def test_kappa_from_counts_is_scikit_learns_kappa_of_the_items(items):
    labels = {label for item in items for label in item}
    expected = None if len(labels) < 2 else cohen_kappa_score([a for a, _ in items], [b for _, b in items], labels=sorted(labels))
    assert cohen_kappa(Counter(items)) == (None if expected is None else pytest.approx(expected))


def test_kappa_counts_a_null_label_as_a_category():
    from wirecopy.annotate.agreement import cohen_kappa

    assert cohen_kappa(Counter({(None, None): 3, ("publication", "publication"): 2})) == 1.0
    assert cohen_kappa(Counter({(None, "publication"): 1, ("publication", "publication"): 2, (None, None): 2})) == pytest.approx(0.6153846)


def test_the_committed_agreement_table_is_computed_from_the_two_readings(monkeypatch):
    """annotations/agreement.md, and its copies in DATASHEET.md and the card, are what `wirecopy agree`
    computes now: regenerate them with `wirecopy agree seeds annotations/second-reading --json
    annotations/agreement.json --markdown annotations/agreement.md --embed DATASHEET.md`."""
    from wirecopy.annotate.agreement import agreement, agreement_markdown
    from wirecopy.builders.card import AGREEMENT_MARKERS, agreement_section

    monkeypatch.chdir(REPO)  # the report names the readings as given, relative to the repository
    report = agreement(Path("seeds"), Path("annotations/second-reading"))
    table = agreement_markdown(report)
    assert (REPO / "annotations" / "agreement.md").read_text(encoding="utf-8") == table
    assert json.loads((REPO / "annotations" / "agreement.json").read_text(encoding="utf-8")) == json.loads(json.dumps(report))
    start, end = AGREEMENT_MARKERS
    for document in (REPO / "DATASHEET.md", REPO / "dataset" / "README.md"):
        text = document.read_text(encoding="utf-8")
        assert text.split(start, 1)[1].split(end, 1)[0].strip() in (table.strip(), agreement_section(table).strip())
