"""Baselines for boilerplate detection: each maps an article's text to predicted boilerplate spans.

A system is a plain function ``(text: str) -> list[tuple[int, int]]``: half-open code-point offsets
into the untouched ``text``, sorted, non-overlapping, each span trimmed of surrounding whitespace
(``str.isspace``, so no-break spaces too) and never covering whitespace only. Offsets are always
computed on the original text; normalised copies are used only to compare strings.

* ``line_rules``: a transparent rule baseline that judges one line at a time (``core/line_rules.py``,
  shared with ``wirecopy dedup --boilerplate rules``); written after reading the five released
  articles, so its scores on them are optimistic.
* ``trafilatura_extract``: every line wrapped as an HTML ``<p>``; a line is boilerplate when
  ``trafilatura.extract`` does not keep it.
* ``justext_classify``: the same HTML; a line is boilerplate when jusText classifies its paragraph
  as boilerplate.
"""

import copy
import functools
import html
import re
from collections.abc import Callable
from difflib import SequenceMatcher

from wirecopy.core.line_rules import line_rules
from wirecopy.core.text import Span, line_spans, merge_trimmed, normalise

# --------------------------------------------------------------------------------------------------
# HTML wrapping shared by the two extractor baselines

# Characters XML 1.0 forbids (lxml refuses them) and lone surrogates (not encodable): replaced by a
# space in the HTML copy only; offsets always refer to the original text.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _html_line(line: str) -> str:
    return " ".join(html.escape(_NOT_XML.sub(" ", line), quote=False).split())


def _wrap(text: str, lines: list[Span]) -> tuple[str, list[int]]:
    """A minimal HTML document with one <p> per line, and the indices of the lines it holds."""
    paragraphs, held = [], []
    for number, (start, end) in enumerate(lines):
        escaped = _html_line(text[start:end])
        if escaped:
            paragraphs.append(f"<p>{escaped}</p>")
            held.append(number)
    body = "\n".join(paragraphs)
    document = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title></title></head>\n'
        f"<body>\n{body}\n</body></html>"
    )
    return document, held


def _visible(text: str, lines: list[Span], held: list[int]) -> list[str]:
    """Normalised text of each line as the extractors see it ("" for a line not in the document)."""
    held_set = set(held)
    return [normalise(_NOT_XML.sub(" ", text[a:b])) if i in held_set else "" for i, (a, b) in enumerate(lines)]


def _contains(big: str, small: str) -> bool:
    """`small` occurs in `big` at word boundaries."""
    return re.search(r"(?<!\w)" + re.escape(small) + r"(?!\w)", big) is not None


def _align(ours: list[str], theirs: list[str]) -> dict[int, int]:
    """Map indices of `ours` to indices of `theirs` (both normalised line lists), in order.

    Equal lines are aligned first (difflib without its junk heuristic: deterministic and order
    preserving, repeated lines included). A line left over may then align with a left-over line of
    theirs that lies between the neighbouring aligned lines and that contains it (an extractor
    merged lines) or that it contains, being at least half its length (an extractor trimmed it);
    containment is at word boundaries. Empty lines never align.
    """
    mapping: dict[int, int] = {}
    matcher = SequenceMatcher(None, ours, theirs, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            if ours[block.a + k]:
                mapping[block.a + k] = block.b + k
    exact = dict(mapping)
    for i, line in enumerate(ours):
        if i in exact or not line:
            continue
        low = max((j for k, j in exact.items() if k < i), default=-1)
        high = min((j for k, j in exact.items() if k > i), default=len(theirs))
        for j in range(low + 1, high):
            other = theirs[j]
            if other and (_contains(other, line) or (2 * len(other) >= len(line) and _contains(line, other))):
                mapping[i] = j
                break
    return mapping


# --------------------------------------------------------------------------------------------------
# 2. trafilatura


@functools.cache
def _trafilatura_config():
    import trafilatura.settings

    config = copy.deepcopy(trafilatura.settings.DEFAULT_CONFIG)
    # No signal-based timeout (it only works in the main thread and makes results depend on load).
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def trafilatura_extract(text: str) -> list[Span]:
    """Lines that ``trafilatura.extract`` drops from the HTML-wrapped text are boilerplate.

    Options: plain-text output, ``favor_precision=False``, ``favor_recall=False``,
    ``include_comments=False``, no tables/images/links/formatting, ``deduplicate=False`` (no cache
    shared between calls), no metadata, default local fallbacks (readability / jusText inside
    trafilatura; nothing touches the network). A line is kept when its normalised text aligns with a
    line of the output (see ``_align``); every other non-empty line is a boilerplate span.
    """
    import trafilatura

    lines = line_spans(text)
    if not lines:
        return []
    document, held = _wrap(text, lines)
    extracted = trafilatura.extract(
        document,
        output_format="txt",
        fast=False,
        favor_precision=False,
        favor_recall=False,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        with_metadata=False,
        config=_trafilatura_config(),
    )
    output = [normalise(line) for line in (extracted or "").splitlines()]
    kept = _align(_visible(text, lines, held), output)
    return merge_trimmed(text, [lines[i] for i in range(len(lines)) if i not in kept])


# --------------------------------------------------------------------------------------------------
# 3. jusText


def justext_classify(text: str) -> list[Span]:
    """Lines whose jusText paragraph ``is_boilerplate`` are boilerplate (English stoplist, defaults).

    Every wrapped line is one ``<p>``, so jusText's paragraphs map back to the lines in order; if the
    counts ever differ the paragraphs are aligned by normalised text instead, and a line jusText did
    not return at all counts as boilerplate (it was not presented as content).
    """
    import justext

    lines = line_spans(text)
    if not lines:
        return []
    document, held = _wrap(text, lines)
    paragraphs = justext.justext(document.encode("utf-8"), justext.get_stoplist("English"), encoding="utf-8")
    boilerplate = [True] * len(lines)
    if len(paragraphs) == len(held):
        for number, paragraph in zip(held, paragraphs):
            boilerplate[number] = paragraph.is_boilerplate
    else:
        mapping = _align(_visible(text, lines, held), [normalise(p.text) for p in paragraphs])
        for i, j in mapping.items():
            boilerplate[i] = paragraphs[j].is_boilerplate
    return merge_trimmed(text, [span for span, flag in zip(lines, boilerplate) if flag])


SYSTEMS: dict[str, Callable[[str], list[Span]]] = {
    "line_rules": line_rules,
    "trafilatura": trafilatura_extract,
    "justext": justext_classify,
}
