"""Baselines for boilerplate detection: each maps an article's text to predicted boilerplate spans.

A system is a plain function ``(text: str) -> list[tuple[int, int]]``: half-open code-point offsets
into the untouched ``text``, sorted, non-overlapping, each span trimmed of surrounding whitespace
(``str.isspace``, so no-break spaces too) and never covering whitespace only. Offsets are always
computed on the original text; normalised copies are used only to compare strings.

* ``line_rules``: a transparent rule baseline that judges one line at a time (plus two sub-line
  patterns). The rules were written after reading the five released articles, so its scores on
  them are optimistic; they name no outlet, headline or other string specific to those articles.
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

from .text import normalise, remove_spans

Span = tuple[int, int]

# Line breaks are those of str.splitlines, so a "line" here is what any reader would call one.
_LINE = re.compile(r"[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_WORD = re.compile(r"\w+(?:['\u2019.\-]\w+)*")


# --------------------------------------------------------------------------------------------------
# shared helpers


def _trim(text: str, start: int, end: int) -> Span | None:
    """The span without leading/trailing whitespace (NBSP included), or None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _lines(text: str) -> list[Span]:
    """The trimmed span of every line that holds something other than whitespace, in order."""
    spans = []
    for match in _LINE.finditer(text):
        span = _trim(text, match.start(), match.end())
        if span is not None:
            spans.append(span)
    return spans


def _merge(text: str, spans: list[Span]) -> list[Span]:
    """Trimmed, sorted spans with overlapping or touching ones merged."""
    merged: list[list[int]] = []
    for start, end in sorted(s for s in (_trim(text, a, b) for a, b in spans) if s is not None):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


# --------------------------------------------------------------------------------------------------
# 1. line rules

# A line of at most this many words with no sentence-final punctuation is a label, not prose. Ten
# words is the classic "short block" cut of shallow boilerplate classifiers (Kohlschuetter et al.,
# "Boilerplate detection using shallow text features", WSDM 2010): article prose comes in sentences.
SHORT_LINE_MAX_WORDS = 10
# Date/time stamps and reading times are metadata only when they make up most of a short line; a
# date inside a real sentence ("On March 3, 2023 the ministry said ...") is content.
DATE_LINE_MAX_WORDS = 12
# The cue rules below look at how a line begins; a line longer than this is running prose even if
# it happens to begin with a cue ("Related talks in Geneva ..."), so cues only apply below it.
CUE_LINE_MAX_WORDS = 40
# A tag list has at least this many comma-separated items, each of at most TAG_MAX_WORDS words.
TAG_MIN_ITEMS = 3
TAG_MAX_WORDS = 4

# Sentence-final punctuation, looked for after stripping closing quotes and brackets.
_FINAL = re.compile(r"[.!?\u2026][\"'\u2019\u201d)\]]*$")

# Cue words at the start of a line (case-insensitive; leading bullets/brackets skipped). Each group
# names one kind of page furniture that templates print with a fixed lead-in:
_CUES = [
    # author boxes: "Authors: ...", "Written by ..." (plain "By Jane Doe" bylines: _BYLINE below)
    r"authors?\s*:",
    r"(?:written|compiled|produced)\s+by\b",
    # photo captions and credits: "Photo by ...", "Photo: ...", "Image credit: ...", "File photo"
    r"(?:photo|photograph|image|picture|caption|credit|file\s+photo)s?\b(?:\s+credit)?\s*(?:by\b|:|\|)",
    # related-article teasers and reading prompts
    r"see\s+also\b",
    r"related(?:\s+(?:articles?|stories|news|content|coverage|posts?|links?|reading))?\s*(?::|$)",
    r"read\s+(?:more|also|next)\b",
    r"also\s+read\b",
    r"recommended(?:\s+for\s+you|\s+stories|\s+articles)?\s*(?::|$)",
    r"more\s+(?:stories|news|from\s+\S.*?)\s*(?::|$)",
    # newsletter / subscription / social prompts
    r"sign\s+up\b",
    r"subscribe\b",
    r"share(?:\s+(?:this|on|via)\b|\s*(?::|$))",
    r"follow\s+us\b",
    r"click\s+here\b",
    # comment forms
    r"leave\s+a\s+(?:reply|comment)\b",
    r"(?:\d+\s+)?comments?\b\s*$",
    r"your\s+email\s+address\s+will\s+not\s+be\s+published",
    # reporting credits and standards / copyright footers
    r"(?:additional\s+)?(?:reporting|editing|writing)\s+by\b",
    r"our\s+standards\b",
    r"(?:copyright|\u00a9|all\s+rights\s+reserved)",
    # audio players and page controls
    r"listen\s+to\s+(?:this|the)\s+(?:article|story)\b",
    r"this\s+audio\b",
    r"font\s+size\b",
    r"advertisement\s*$",
    r"skip\s+to\b",
]
# A byline opens with "By" and a capitalised name and, unlike a sentence that opens with "By Monday,
# ...", does not end in sentence-final punctuation.
_BYLINE = re.compile(r"^[\s\-\u2013\u2014\u2022*>(\[]*(?i:by)\s+[A-Z]")
_CUE = re.compile(r"^[\s\-\u2013\u2014\u2022*>(\[]*(?:" + "|".join(_CUES) + r")", re.IGNORECASE)

# Wire credit lines ("Reporting by A; Editing by B") and newsletter prompts ("... in your inbox") do
# not always start with their cue, so these phrases count anywhere in a line (below CUE_LINE_MAX_WORDS).
_CUE_ANYWHERE = re.compile(
    r"\b(?:reporting|editing|writing)\s+by\b"
    r"|\bnewsletters?\b|\binbox\b|\bin\s+your\s+e-?mail\b|\bunsubscribe\b"
    r"|\brequired\s+fields\s+are\s+marked\b",
    re.IGNORECASE,
)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# Date, time and reading-time stamps: "March 13, 2023", "13 March 2023", "2023-03-13", "3/13/23",
# "1:00 PM", "2 hours ago", "Updated ...", "2 min read".
_DATE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?\b|GMT\b|UTC\b|ET\b)?"
    r"|\b\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago\b"
    r"|^\s*(?:updated|published|posted)\b"
    r"|\b\d+\s*(?:-\s*)?min(?:ute)?s?\s+read\b",
    re.IGNORECASE,
)

# A caption ends with a parenthesised agency-style credit: "(Jane Doe/AFP via Getty Images)",
# "(Photo: Jane Doe)". Running prose does not end in a slash-separated credit.
_TRAILING_CREDIT = re.compile(r"\((?:[^()]*\w/\s*[A-Z][^()]*|\s*(?i:photo|image|credit)s?\b[^()]*)\)\s*$")

# Sub-line spans (not whole lines):
# * an inline teaser such as "(RELATED: Some Headline)" dropped into a paragraph;
_INLINE_TEASER = re.compile(
    r"\((?:RELATED|READ\s+MORE|READ\s+ALSO|SEE\s+ALSO|ALSO\s+READ|WATCH|MORE)\s*:[^()]*\)", re.IGNORECASE
)
# * a wire-service dateline opening the first paragraph: "(Agency) -", "CITY (Agency) -", "CITY -".
#   It is the wire's provenance stamp, not part of the story's first sentence.
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'\-]+(?:[ ,]+[A-Z][A-Za-z.'\-]+)*\s*)?\([A-Z][\w&.' \-]{0,40}\)\s*[-\u2013\u2014]"
    r"|^[A-Z][A-Z.'\-]{2,}(?:[ ,]+[A-Z][A-Z.'\-]+)*\s+[-\u2013\u2014]"
)


def _is_tag_list(line: str) -> bool:
    """Comma-separated capitalised items of a few words each, with no sentence punctuation."""
    items = [item.strip() for item in line.split(",")]
    if len(items) < TAG_MIN_ITEMS or _FINAL.search(line):
        return False
    for item in items:
        n = len(_WORD.findall(item))
        if n == 0 or n > TAG_MAX_WORDS or not (item[0].isupper() or item[0].isdigit() or item[0] == "#"):
            return False
    return True


def _line_is_boilerplate(line: str, is_first: bool, repeated: bool) -> bool:
    n_words = len(_WORD.findall(line))
    sentence_final = bool(_FINAL.search(line))
    # Rule A (cue words): the line opens with a fixed lead-in used by templates for bylines, photo
    # credits, teasers, prompts, comment forms, credits, footers and controls (see _CUES).
    if n_words <= CUE_LINE_MAX_WORDS and (_CUE.search(line) or _CUE_ANYWHERE.search(line)):
        return True
    # Rule A' (byline): "By Jane Doe ..." / "by Jane Doe and the news desk" without a sentence ending.
    if n_words <= CUE_LINE_MAX_WORDS and not sentence_final and _BYLINE.search(line):
        return True
    # Rule B (tag list): "Politics, Europe, Jane Doe" - keyword tags, not prose.
    if _is_tag_list(line):
        return True
    # Rule C (date/time stamp): a short line carrying a date, time or reading time is page metadata.
    if n_words < DATE_LINE_MAX_WORDS and _DATE.search(line):
        return True
    # Rule D (photo caption): the line ends with a parenthesised agency-style credit.
    if _TRAILING_CREDIT.search(line):
        return True
    # The first line is the headline: short and unpunctuated like a label, and sometimes echoed in the
    # page, so the two shape-only rules below spare it (rules A-D recognise content, not shape).
    if is_first:
        return False
    # Rule E (short label): few words and no sentence-final punctuation - section labels, navigation,
    # author names, teaser headlines, button texts.
    if n_words <= SHORT_LINE_MAX_WORDS and not sentence_final:
        return True
    # Rule F (repeated line): the same line occurs twice in the page; templates repeat teasers and
    # widgets, while story paragraphs are not printed twice.
    return repeated


def line_rules(text: str) -> list[Span]:
    """Rule baseline: whole lines matched by rules A-F, plus inline teasers and wire datelines."""
    lines = _lines(text)
    keys = [normalise(text[a:b]) for a, b in lines]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    spans: list[Span] = []
    for number, (start, end) in enumerate(lines):
        line = text[start:end]
        if _line_is_boilerplate(line, is_first=number == 0, repeated=counts[keys[number]] > 1):
            spans.append((start, end))
            continue
        # Rule G (inline teaser): "(RELATED: ...)" inside a paragraph is a link to another story.
        for match in _INLINE_TEASER.finditer(line):
            spans.append((start + match.start(), start + match.end()))
        # Rule H (wire dateline): "(Agency) -" / "CITY (Agency) -" opening a paragraph.
        match = _DATELINE.match(line)
        if match:
            spans.append((start, start + match.end()))
    return _merge(text, spans)


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

    lines = _lines(text)
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
    return _merge(text, [lines[i] for i in range(len(lines)) if i not in kept])


# --------------------------------------------------------------------------------------------------
# 3. jusText


def justext_classify(text: str) -> list[Span]:
    """Lines whose jusText paragraph ``is_boilerplate`` are boilerplate (English stoplist, defaults).

    Every wrapped line is one ``<p>``, so jusText's paragraphs map back to the lines in order; if the
    counts ever differ the paragraphs are aligned by normalised text instead, and a line jusText did
    not return at all counts as boilerplate (it was not presented as content).
    """
    import justext

    lines = _lines(text)
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
    return _merge(text, [span for span, flag in zip(lines, boilerplate) if flag])


def without_line_rule_boilerplate(text: str) -> str:
    """The text less what ``line_rules`` marks as boilerplate: the "predicted boilerplate removed" input
    of the deduplication benchmark and ``wirecopy dedup --boilerplate rules``."""
    return remove_spans(text, line_rules(text))


SYSTEMS: dict[str, Callable[[str], list[Span]]] = {
    "line_rules": line_rules,
    "trafilatura": trafilatura_extract,
    "justext": justext_classify,
}
