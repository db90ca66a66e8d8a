"""The ECB+ importer gives exact spans: every token and every mention is ``text[start:end]``."""

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO
from wirecopy.builders.detokenise import NO_SPACE_AFTER, NO_SPACE_BEFORE, detokenise
from wirecopy.builders.import_ecbplus import annotated_sentences, read_corpus, read_document
from wirecopy.core.errors import InputError

SAMPLES = Path(__file__).parent / "data" / "ecbplus"
EXTERNAL = REPO / "external" / "ecbplus"


def _raw_tokens(path: Path) -> dict[str, str]:
    return {token.get("t_id"): (token.text or "").strip() for token in ElementTree.parse(path).getroot().iter("token")}


def _check(document, path: Path) -> None:
    raw = _raw_tokens(path)
    for token in document.tokens:
        assert document.text[token.start:token.end] == {"``": '"', "''": '"'}.get(raw[token.t_id], raw[token.t_id])
    for mention in document.mentions:
        assert document.text[mention.start:mention.end] == mention.text and mention.text.strip() == mention.text
    assert document.text.count("\n") == len({token.sentence for token in document.tokens if token.end > token.start}) - 1


def test_the_two_halves_of_a_topic_are_read_with_exact_spans():
    ecb, plus = (read_document(SAMPLES / name) for name in ("1_10ecb.xml", "1_10ecbplus.xml"))
    for document, name in ((ecb, "1_10ecb.xml"), (plus, "1_10ecbplus.xml")):
        _check(document, SAMPLES / name)
    assert (ecb.topic, ecb.subtopic, ecb.url) == ("1", "1_ecb", None)
    assert (plus.subtopic, plus.url) == ("1_ecbplus", "http://articles.latimes.com/2013/may/03/local/la-me-0504-lohan-rehab-20130504")
    assert ecb.text.startswith("Perennial party girl Tara Reid checked herself into Promises Treatment Center, her rep told People.\n")
    assert plus.text.startswith("Lindsay Lohan checks into Betty Ford Center\n")
    told = [m for m in ecb.mentions if m.text == "told"]
    assert told and told[0].tag == "ACTION_REPORTING" and told[0].instance == "ACT16235311629112331"
    assert all(m.instance is None or m.instance[:3] in ("ACT", "NEG", "HUM", "LOC", "TIM", "NON") for m in ecb.mentions + plus.mentions)


@given(st.lists(st.lists(st.sampled_from(["Xi", "visited", "Moscow", ",", ".", "'s", "n't", "(", ")", "``", "''", "$", "5", "%", "-", "\"", "&"]), min_size=1, max_size=12), min_size=1, max_size=4))
def test_any_token_sequence_detokenises_with_exact_token_spans(tmp_path_factory, sentences):
    tokens, t_id = [], 0
    for number, sentence in enumerate(sentences, start=1):
        for token in sentence:
            t_id += 1
            tokens.append(f'<token t_id="{t_id}" sentence="{number}" number="0">{token.replace("&", "&amp;")}</token>')
    markable = '<ACTION_OCCURRENCE m_id="1"><token_anchor t_id="1"/><token_anchor t_id="2"/></ACTION_OCCURRENCE>' if t_id >= 2 else ""
    path = tmp_path_factory.mktemp("ecb") / "7_1ecb.xml"
    path.write_text(f'<Document doc_name="7_1ecb.xml">{"".join(tokens)}<Markables>{markable}</Markables><Relations></Relations></Document>', encoding="utf-8")
    document = read_document(path)
    _check(document, path)
    flat = [token for sentence in sentences for token in sentence]
    for (before, after), (left, right) in zip(zip(flat, flat[1:]), zip(document.tokens, document.tokens[1:])):
        gap = document.text[left.end:right.start]
        if left.sentence == right.sentence:
            assert gap in ("", " ")
            if before in NO_SPACE_AFTER or after in NO_SPACE_BEFORE:
                assert gap == ""
            elif before.isalpha() and after.isalpha():
                assert gap == " "


def test_hyphenated_words_quotes_and_split_clitics_are_rejoined():
    text, _ = detokenise([['"', "It", "was", "fun", ",", '"', "he", "said", "."], ["An", "eight", "-", "year", "deal", "--", "Teixeira", "\u2019", "s", "(", "2", "-", "13", ")"], ['"', "Yes", "."], ["No", ",", '"', "she", "said", "."]])
    assert text == '"It was fun," he said.\nAn eight-year deal -- Teixeira\u2019s (2-13)\n"Yes.\nNo," she said.'


def test_bad_files_are_named(tmp_path):
    with pytest.raises(InputError, match="not an ECB\\+ file name"):
        read_document(tmp_path / "article.xml")
    (tmp_path / "1_1ecb.xml").write_text("<Document><token", encoding="utf-8")
    with pytest.raises(InputError, match="1_1ecb.xml: not valid XML"):
        read_document(tmp_path / "1_1ecb.xml")


@pytest.mark.slow
def test_every_mention_of_the_whole_corpus_is_exact(tmp_path):
    import tarfile

    with tarfile.open(EXTERNAL / "ecbplus_xml.tar.gz") as archive:
        archive.extractall(tmp_path, filter="data")
    documents = read_corpus(tmp_path)
    paths = {p.stem: p for p in tmp_path.rglob("*.xml")}
    assert len(documents) == 982 and {d.subtopic.rsplit("_", 1)[1] for d in documents} == {"ecb", "ecbplus"}
    for document in documents:
        _check(document, paths[document.doc_id])
    assert sum(len(d.mentions) for d in documents) == 32_297 and sum(not m.contiguous for d in documents for m in d.mentions) == 88
    annotated = annotated_sentences(EXTERNAL / "ECBplus_coreference_sentences.csv")
    assert set(annotated) <= {d.doc_id for d in documents}
