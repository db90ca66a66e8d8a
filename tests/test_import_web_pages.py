"""The web-page importer: a documented visible text, the gold body aligned to it, and boilerplate as
exact spans that, with the body, cover every character of the text that is not white space."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from wirecopy.builders.import_web_pages import align_body, decode, read_pages, visible_text
from wirecopy.core.errors import InputError

SAMPLES = Path(__file__).parent / "data" / "web-pages"
EXTERNAL = REPO / "external" / "article-extraction-benchmark"


def _check(text: str, body: list, boilerplate: list) -> None:
    spans = sorted(body + boilerplate)
    assert all(0 <= a < b <= len(text) and not text[a].isspace() and not text[b - 1].isspace() for a, b in spans)
    assert all(b <= c for (_, b), (c, _) in zip(spans, spans[1:]))  # disjoint
    covered = {i for a, b in spans for i in range(a, b)}
    assert all(i in covered for i, char in enumerate(text) if not char.isspace())


def test_visible_text_follows_the_documented_rules():
    html = ('<html><head><title>T</title><style>p {}</style></head><body><nav>Home <a href="/">News</a></nav>'
            '<script>var x = "<p>no</p>";</script><p>Xi &amp; Putin  met\n in <b>Moscow</b>.</p><div>Second<br>line</div>'
            '<noscript>enable JS</noscript><img src="x.png"><p>  </p><ul><li>one</li><li>two</li></ul></body></html>')
    assert visible_text(html) == "Home News\nXi & Putin met in Moscow.\nSecond\nline\none\ntwo"


def test_the_declared_charset_is_used_and_bad_bytes_do_not_stop_the_import():
    assert decode('<meta charset="iso-8859-1"><p>Caf\xe9</p>'.encode("latin-1")) == '<meta charset="iso-8859-1"><p>Café</p>'
    assert decode(b"<p>\xff ok</p>") == "<p>\ufffd ok</p>"


def test_the_sample_pages_align_their_gold_bodies():
    pages = {page.page_id[:8]: page for page in read_pages(SAMPLES)}
    for page in pages.values():
        _check(page.text, page.body, page.boilerplate)
        assert page.coverage >= 0.95 and page.body and page.boilerplate
    ap = pages["82b6d780"]
    gold = json.loads((SAMPLES / "ground-truth.json").read_text(encoding="utf-8"))[ap.page_id]["articleBody"]
    assert ap.url.startswith("https://hosted.ap.org/")
    assert ap.text[ap.body[0][0]:].split()[:6] == gold.split()[:6]  # the body starts where the gold does
    assert 0.2 < sum(b - a for a, b in ap.body) / len(ap.text) < 0.9


@settings(max_examples=60)
@given(st.lists(st.sampled_from(["Home", "News", "Sport", "Subscribe", "Share this", "Sign in", "Weather"]), min_size=1, max_size=6),
       st.lists(st.text(alphabet="abcdefghij ", min_size=20, max_size=60).filter(lambda s: len(s.split()) >= 4), min_size=1, max_size=4),
       st.lists(st.sampled_from(["Related stories", "Copyright 2024", "Follow us"]), max_size=4))
def test_a_body_between_menus_is_found_exactly(menu, paragraphs, footer):
    html = "".join(f"<li>{item}</li>" for item in menu) + "".join(f"<p>{p}</p>" for p in paragraphs) + "".join(f"<div>{f}</div>" for f in footer)
    text = visible_text(html)
    body, boilerplate, coverage = align_body(text, "\n\n".join(paragraphs))
    _check(text, body, boilerplate)
    assert coverage == 1.0
    assert [text[a:b] for a, b in boilerplate] == (["\n".join(menu)] if menu else []) + (["\n".join(footer)] if footer else [])


def test_bad_input_is_named(tmp_path):
    with pytest.raises(InputError, match="ground-truth.json: missing"):
        read_pages(tmp_path)
    (tmp_path / "ground-truth.json").write_text('{"abc": {"articleBody": "x", "url": "u"}}', encoding="utf-8")
    with pytest.raises(InputError, match="abc.html.gz: record abc: missing page"):
        read_pages(tmp_path)


@pytest.mark.slow
def test_every_page_of_the_benchmark_gives_exact_spans_and_finds_its_body():
    pages = read_pages(EXTERNAL)
    assert len(pages) == 181
    for page in pages:
        _check(page.text, page.body, page.boilerplate)
    assert min(page.coverage for page in pages) >= 0.9
