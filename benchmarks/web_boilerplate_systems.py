"""Baselines for the ``boilerplate_web`` task: each gets a real page's HTML and its visible text
(``builders/import_web_pages.visible_text``) and returns the article body it extracts, as plain text.

A system is a plain function ``(html: str, text: str) -> str``. The HTML tools read the HTML, as they
are meant to be used (the text-only ``boilerplate_detection`` baselines in ``boilerplate_systems.py``
instead see lines wrapped as ``<p>``, which hides the page structure they rely on); ``line_rules`` only
has text to go on. Every system is deterministic and offline, and a tool that finds nothing (``None``
or empty) gives the empty body. Where the article-extraction benchmark (Zyte/Scrapinghub,
``extractors/run_*.py`` at commit 4a3bc979) ran a tool, it is called the same way here, so our scores
can be set next to its published table:

* ``trafilatura``: ``trafilatura.extract(html, include_comments=False)``, every other option at its
  default (plain text, tables kept, neither precision nor recall favoured, no deduplication), as in the
  benchmark's ``run_trafilatura.py``.
* ``justext``: the paragraphs jusText does not mark as boilerplate, one per line (the benchmark joined
  them with a space: the same tokens), with the English stoplist and the parameters of the benchmark's
  ``run_justext.py`` (``JUSTEXT_PARAMETERS``).
* ``readability``: readability-lxml's ``Document(html).summary(html_partial=True)``, turned into text by
  our own ``visible_text`` (the benchmark used ``html_text``, which we do not depend on; both end a line
  at each block, so paragraphs do not fuse, and on the 181 pages they score within 0.001 F1).
* ``resiliparse``: ``extract_plain_text(HTMLTree.parse(html), main_content=True)``, resiliparse's own
  main-content heuristics (the benchmark's ``run_resiliparse.py``; not in its published table).
* ``line_rules``: the visible text less the spans of ``core/line_rules.py``, the rule baseline of the
  text task; it never looks at the HTML.
"""

from collections.abc import Callable

from wirecopy.builders.import_web_pages import visible_text
from wirecopy.core.line_rules import line_rules
from wirecopy.core.text import remove_spans

# jusText's classifier thresholds as the benchmark ran it (run_justext.py): shorter paragraphs and a
# lower stopword density count as text than with jusText's defaults (70 chars, 0.30 / 0.32), and
# headings are not promoted; keeping them makes our jusText numbers comparable with its table.
JUSTEXT_PARAMETERS = {
    "length_low": 50,
    "length_high": 200,
    "stopwords_low": 0.1,
    "stopwords_high": 0.2,
    "max_link_density": 0.2,
    "max_heading_distance": 200,
    "no_headings": True,
}


def trafilatura_body(html: str, text: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


def justext_body(html: str, text: str) -> str:
    import justext
    from lxml.etree import ParserError

    try:
        paragraphs = justext.justext(html, justext.get_stoplist("English"), **JUSTEXT_PARAMETERS)
    except ParserError:  # lxml finds no document in an empty page: no body
        return ""
    return "\n".join(paragraph.text for paragraph in paragraphs if not paragraph.is_boilerplate)


def readability_body(html: str, text: str) -> str:
    from readability import Document
    from readability.readability import Unparseable

    try:
        summary = Document(html).summary(html_partial=True)
    except Unparseable:  # readability's error for a page it cannot parse (an empty one): no body
        return ""
    return visible_text(summary)


def resiliparse_body(html: str, text: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return extract_plain_text(HTMLTree.parse(html), main_content=True) or ""


def line_rules_body(html: str, text: str) -> str:
    return remove_spans(text, line_rules(text))


SYSTEMS: dict[str, Callable[[str, str], str]] = {
    "trafilatura": trafilatura_body,
    "justext": justext_body,
    "readability": readability_body,
    "resiliparse": resiliparse_body,
    "line_rules": line_rules_body,
}
