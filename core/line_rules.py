"""The line-rule boilerplate detector: a transparent rule baseline that judges one line at a time (plus
two sub-line patterns). It is the ``line_rules`` system of the boilerplate benchmark and what
``wirecopy dedup --boilerplate rules`` removes before hashing, so it lives here, below both.

The rules were written after reading the five released articles, so its scores on them are
optimistic; they name no outlet, headline or other string specific to those articles.
"""

import re

from .text import Span, line_spans, merge_trimmed, normalise, remove_spans

_WORD = re.compile(r"\w+(?:['\u2019.\-]\w+)*")


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

# An English month name or its abbreviation (the annotate package's date stamps use it too).
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# Date, time and reading-time stamps: "March 13, 2023", "13 March 2023", "2023-03-13", "3/13/23",
# "1:00 PM", "2 hours ago", "Updated ...", "2 min read".
_DATE = re.compile(
    rf"\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\s+\d{{4}}\b"
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
    lines = line_spans(text)
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
    return merge_trimmed(text, spans)


def without_line_rule_boilerplate(text: str) -> str:
    """The text less what ``line_rules`` marks as boilerplate: the "predicted boilerplate removed" input
    of the deduplication benchmark and ``wirecopy dedup --boilerplate rules``."""
    return remove_spans(text, line_rules(text))
