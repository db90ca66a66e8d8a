"""The Wikinews importer and the shared detokeniser: every sentence is an exact line of the text."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO
from wirecopy.builders.detokenise import detokenise
from wirecopy.builders.import_wikinews import read_articles
from wirecopy.core.errors import InputError

SAMPLES = Path(__file__).parent / "data" / "wikinews" / "articles.jsonl"
EXTERNAL = REPO / "external" / "wikinews-semeval2015-timeline" / "articles.jsonl"
TOKENS = st.sampled_from(["Apple", "said", "it", ",", ".", "'s", "n't", "(", ")", "``", "''", "$", "3", "%", "\"", "  ", "\t9"])


@given(st.lists(st.lists(TOKENS, max_size=10), max_size=5))
def test_every_token_keeps_its_span_and_sentences_are_lines(sentences):
    text, spans = detokenise(sentences)
    for sentence, sentence_spans in zip(sentences, spans):
        assert len(sentence_spans) == len(sentence)
        for token, (start, end) in zip(sentence, sentence_spans):
            assert text[start:end] == {"``": '"', "''": '"'}.get(token.strip(), token.strip())
    non_empty = [s for s in spans if any(end > start for start, end in s)]
    assert text.count("\n") == max(0, len(non_empty) - 1)
    assert text == text.strip() and "  " not in text


def _check(article) -> None:
    lines = article.text.split("\n")
    assert [article.text[slice(*article.title)], *(article.text[slice(*span)] for span in article.sentences)] == lines


def test_the_sample_articles_are_read_with_exact_sentence_spans():
    articles = read_articles(SAMPLES)
    for article in articles:
        _check(article)
    first = articles[0]
    assert (first.doc_id, first.topic, str(first.date)) == ("10718", "apple", "2008-01-09")
    assert first.text.startswith("Apple to lower UK iTunes prices\nJanuary 09, 2008\nThe European Commission has forced Apple Inc. to lower its prices")
    assert "Apple's online media shop." in first.text
    ambiguous = articles[2]
    assert (ambiguous.doc_id, ambiguous.dct, ambiguous.date) == ("120578", "03-02-2009", None)  # 2 March or 3 February: unknown


def test_bad_records_are_named(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text('{"doc_id": "1", "corpus": "nope", "dct": "2008-01-01", "title": "T", "sentences": []}\n', encoding="utf-8")
    with pytest.raises(InputError, match="record line 1: field corpus: 'nope' is not one of"):
        read_articles(path)
    path.write_text('{"doc_id": "1", "corpus": "trial", "dct": "2008-02-30", "title": "T", "sentences": []}\n', encoding="utf-8")
    with pytest.raises(InputError, match="field dct: '2008-02-30' is not a valid date"):
        read_articles(path)


def test_every_article_of_the_corpus_gives_exact_sentences():
    articles = read_articles(EXTERNAL)
    assert len(articles) == 120 and sum(len(a.sentences) for a in articles) == 1769
    for article in articles:
        _check(article)
