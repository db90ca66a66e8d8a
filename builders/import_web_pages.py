"""Importer: real news web pages with a human-checked article body -> the page's visible text, the body
aligned to it, and boilerplate = every character of the text outside the body, as spans.

Input: the article-extraction benchmark's layout (Zyte/Scrapinghub, MIT): ``html/<id>.html.gz`` and
``ground-truth.json`` = ``{id: {"articleBody": ..., "url": ...}}``; any corpus in that layout works.

Visible text (deterministic: the standard library's ``html.parser``, nothing fetched or executed):
- bytes are decoded by the charset the page declares in its first 4 KiB (``<meta charset>`` or an
  ``http-equiv`` content type), else as UTF-8; undecodable bytes become U+FFFD;
- nothing inside ``HIDDEN`` elements (head, script, style, noscript, template, svg, iframe, ...) shows;
- ``BLOCKS`` elements (p, div, li, h1-h6, br, tr, section, article, nav, footer, ...) end a line; within
  a line, white space runs are one space (as a browser renders them); lines are stripped and empty
  lines dropped; character references are decoded.

Body alignment: page text and gold body are split into words (``\\w+`` after NFKC and case folding, so
curly and straight quotes or a changed case do not matter); ``difflib.SequenceMatcher`` (no junk
heuristic) finds matching runs of words; a page word is body when it lies in a matching run of at least
``MIN_RUN`` words (shorter runs are chance matches of common words in menus). Body spans run from the
first to the last body word of each run; boilerplate spans are the rest of the text, trimmed.
``coverage`` (gold words matched / gold words) says how well the body was found on the page.
"""

import codecs
import difflib
import gzip
import json
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from wirecopy.core.errors import InputError
from wirecopy.core.text import Span, merge_spans, trim_span

HIDDEN = frozenset({"head", "script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "select", "button", "math"})
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
MIN_RUN = 3
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    page_id: str
    url: str | None
    html: str  # the page, decoded
    gold_body: str  # the benchmark's articleBody, unchanged
    text: str  # the visible text
    body: list[Span]  # the gold article body, aligned
    boilerplate: list[Span]  # every other stretch of the text
    coverage: float  # share of the gold body's words found on the page


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list[str]] = [[]]
        self.hidden = 0

    def _break(self) -> None:
        if self.lines[-1]:
            self.lines.append([])

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in HIDDEN and tag not in VOID:
            self.hidden += 1
        elif tag in BLOCKS:
            self._break()

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.lines[-1].append(data)


def visible_text(html: str) -> str:
    """The text a reader sees, one line per block (the rules in the module docstring)."""
    parser = _Visible()
    parser.feed(html)
    parser.close()
    lines = (" ".join("".join(pieces).split()) for pieces in parser.lines)
    return "\n".join(line for line in lines if line)


def decode(raw: bytes) -> str:
    declared = _CHARSET.search(raw[:4096])
    encoding = "utf-8"
    if declared:
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            pass
    return raw.decode(encoding, errors="replace")


def _words(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) of each word; offsets on ``text`` (NFKC + casefold per word, so the
    offsets stay those of the untouched text)."""
    return [(unicodedata.normalize("NFKC", m.group()).casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]


def align_body(text: str, body: str) -> tuple[list[Span], list[Span], float]:
    """(body spans, boilerplate spans, coverage) of the gold ``body`` on the page ``text``."""
    page_words, gold_words = _words(text), [word for word, _, _ in _words(body)]
    matcher = difflib.SequenceMatcher(None, [word for word, _, _ in page_words], gold_words, autojunk=False)
    runs = [block for block in matcher.get_matching_blocks() if block.size >= MIN_RUN]
    spans = merge_spans((page_words[run.a][1], page_words[run.a + run.size - 1][2]) for run in runs)
    boilerplate, at = [], 0
    for start, end in [*spans, (len(text), len(text))]:
        piece = trim_span(text, at, start)
        if piece is not None:
            boilerplate.append(piece)
        at = end
    coverage = sum(run.size for run in runs) / len(gold_words) if gold_words else 0.0
    return spans, boilerplate, coverage


def read_pages(folder: Path) -> list[Page]:
    """Every page of ``folder`` (``html/<id>.html.gz`` + ``ground-truth.json``), in id order."""
    folder = Path(folder)
    truth_path = folder / "ground-truth.json"
    try:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(truth_path), "-", "-", "missing: the gold bodies, {id: {articleBody, url}}") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise InputError(str(truth_path), "-", "-", f"not JSON ({error.__class__.__name__})") from None
    pages = []
    for page_id in sorted(truth):
        entry = truth[page_id]
        if not isinstance(entry, dict) or not isinstance(entry.get("articleBody"), str):
            raise InputError(str(truth_path), page_id, "articleBody", "missing or not a string")
        path = folder / "html" / f"{page_id}.html.gz"
        try:
            raw = gzip.decompress(path.read_bytes())
        except FileNotFoundError:
            raise InputError(str(path), page_id, "-", "missing page") from None
        except (OSError, EOFError) as error:
            raise InputError(str(path), page_id, "-", f"not gzip: {error}") from None
        html = decode(raw)
        text = visible_text(html)
        body, boilerplate, coverage = align_body(text, entry["articleBody"])
        pages.append(Page(page_id, entry.get("url"), html, entry["articleBody"], text, body, boilerplate, coverage))
    return pages
