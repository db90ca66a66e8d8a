"""The proposed labels of one text: title, boilerplate, claims with claimers, credited source, outlet and
date. Each comes with the evidence it rests on, as spans of the untouched text, and with the method
that found it (``proposed.method`` in the sidecar)."""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache

import dateparser
import pysbd

from wirecopy.core.line_rules import MONTH, line_rules
from wirecopy.core.text import line_spans, trim_span

from . import attribution
from .attribution import Claimer
from .quotes import Span, library, locator, proposed

# The title is the first line of at least this many words that the line rules would not call boilerplate
# even as a page's first line, among the first TITLE_WINDOW lines: a headline can sit below a section
# label ("World") or a tag list, and has more than one word.
TITLE_MIN_WORDS = 3
TITLE_WINDOW = 5
# A boilerplate line is cut at its date and reading-time stamps ("by Jane Doe March 19, 2024 1:00 PM
# 2 min read") only when it is this short: a caption that mentions a date is one span.
STAMP_LINE_MAX_WORDS = 25
# A content sentence of fewer words ("Photo.", "Updated") is not a claim candidate.
CLAIM_MIN_WORDS = 3
# Claim ids are c01..c9999 (the schema's ^c[0-9]{2,4}$); later sentences of a longer text are not proposed.
MAX_CLAIMS = 9999

_WORD = re.compile(r"\w+")
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+(?:[A-Z]{2,4}|GMT[+-]\d+))?)?"
# A complete date (day, month and year), with its time of day when one follows.
DATE_STAMP = re.compile(
    rf"\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}{_TIME}"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}{_TIME}"
    r"|\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\b"
)
_READING_TIME = re.compile(r"\b\d+\s*(?:-\s*)?min(?:ute)?s?\.?\s+read\b", re.IGNORECASE)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE_DAY = re.compile(r"\b(?:(?:on|last|this)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b(?:yesterday|today)\b", re.IGNORECASE)

# Boilerplate labels by what a span says: (name, regex, label, basis). The first that matches wins;
# basis "stated" where the span names its own role ("Photo by", "See also", "Authors:").
_LABEL_RULES = [
    ("lone bracket", r"^[(\[]$", "extraction_residue", "inferred"),
    ("wire dateline (Agency) –", r"^(?:[A-Z][\w.,' -]*\s)?\([^()]+\)\s*[-–—]$|^[A-Z][A-Z.,' ]{2,}\s[-–—]$", "dateline", "inferred"),
    ("reading time", _READING_TIME.pattern, "reading_time", "stated"),
    ("by / Authors", r"^(?:by\s|authors?\s*:|(?:written|compiled|produced)\s+by\b)", "byline", "stated"),
    ("Photo by / Image", r"^(?:photo|photograph|image|picture|file photo)s?\b(?:\s+credit)?\s*(?:by\b|:|\|)|^credits?\s*:", "photo_credit", "stated"),
    ("caption naming itself", r"(?:photo|image|illustrat|caption|file)\w*.*\([^()]*\w/\s*[A-Z][^()]*\)$", "photo_caption", "stated"),
    ("caption with a trailing (Name/Agency) credit", r"\([^()]*\w/\s*[A-Z][^()]*\)$", "photo_caption", "inferred"),
    ("audio notice", r"\bthis audio\b|\blisten to (?:this|the) (?:article|story)\b", "audio_notice", "stated"),
    ("read more ... from NAME", r"^(?:read|get|see|find)?\s*more\b.*\bfrom\b", "outlet_promo", "stated"),
    ("See also / Related", r"^\(?(?:see also|related|read (?:more|also|next)|also read|recommended|watch|more)\b", "related_teaser", "stated"),
    ("newsletter prompt", r"newsletter|\binbox\b|in your e-?mail|\bsubscribe\b|\bsign up\b", "newsletter_prompt", "stated"),
    ("comment prompt", r"leave a (?:reply|comment)|your email address will not be published|required fields are marked|^\d*\s*comments?$", "comment_prompt", "stated"),
    ("Reporting by / Editing by", r"\b(?:reporting|editing|writing)\s+by\b", "reporting_credits", "stated"),
    ("standards or copyright footer", r"our standards|trust principles|copyright|©|all rights reserved", "standards_footer", "stated"),
    ("page control", r"font size|skip to|^advertisement$|^share\b|click here|follow us|^print$", "ui_control", "stated"),
    ("View N more", r"^(?:view|see|show|load)\s+(?:\d+\s+)?more\b", "navigation", "stated"),
    ("Latest / Top stories", r"^(?:latest|top|most read|trending|popular|home|menu|next|previous)\b\W*\w*\W*\w*$", "navigation", "inferred"),
    ("Updated / Published", r"^(?:updated|published|posted)\b", "dateline", "stated"),
    ("date stamp", rf"^(?:{DATE_STAMP.pattern})$", "dateline", "inferred"),
    ("job title", r"\b(?:editor|reporter|correspondent|writer|journalist|contributor|columnist|staff)\b", "byline", "inferred"),
]
_LABELS = [(name, re.compile(pattern, re.IGNORECASE), label, basis) for name, pattern, label, basis in _LABEL_RULES]


@dataclass(frozen=True)
class Boilerplate:
    start: int
    end: int
    label: str
    basis: str
    rule: str


@dataclass(frozen=True)
class Claim:
    start: int
    end: int
    type: str
    type_rule: str
    claimer: Claimer | None  # None: the outlet's own voice


@dataclass
class ArticleProposal:
    """Everything proposed for one text; ``sidecar`` turns it into the annotation document."""

    article_id: str
    text: str
    title: Span
    boilerplate: list[Boilerplate]
    claims: list[Claim]
    outlet: dict
    credited_source: dict
    date: dict
    claims_left_out: int = 0
    facts: list[str] = field(default_factory=list)  # the fact id of each claim, set by the corpus step

    def sidecar(self) -> dict:
        text = self.text
        return {
            "article_id": self.article_id,
            "title": {**locator(text, *self.title), "proposed": proposed(f"{library('wirecopy')} title rule, the first line of {TITLE_MIN_WORDS}+ words among the first {TITLE_WINDOW} that the line rules do not mark")},
            "outlet": self.outlet,
            "credited_source": self.credited_source,
            "date": self.date,
            "boilerplate": [
                {**locator(text, b.start, b.end), "label": b.label, "basis": b.basis, "proposed": proposed(f"{library('wirecopy')} line rules; label rule {b.rule}")}
                for b in self.boilerplate
            ],
            "claims": [_claim_document(text, i, claim, fact) for i, (claim, fact) in enumerate(zip(self.claims, self.facts, strict=True))],
        }


def claim_id(index: int) -> str:
    return f"c{index + 1:02d}"


def _claim_document(text: str, index: int, claim: Claim, fact: str) -> dict:
    if claim.claimer is None:
        who = {"claimer": "outlet", "claimer_kind": "outlet", "claimer_basis": "inferred", "claimer_evidence": []}
        pattern = "no attribution found, the outlet's voice"
    else:
        who = {
            "claimer": claim.claimer.name,
            "claimer_kind": claim.claimer.kind,
            "claimer_basis": claim.claimer.basis,
            "claimer_evidence": [locator(text, start, end) for start, end in claim.claimer.evidence],
        }
        pattern = f"attribution pattern {claim.claimer.pattern}"
    method = f"{library('pysbd')} sentence; {pattern}; type rule {claim.type_rule}"
    return {"id": claim_id(index), **locator(text, claim.start, claim.end), "fact": fact, "type": claim.type, **who, "proposed": proposed(method)}


# ---------------------------------------------------------------------------
# Title and boilerplate
# ---------------------------------------------------------------------------


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def title_span(text: str, lines: list[Span]) -> Span:
    """The headline: see ``TITLE_MIN_WORDS``; the first line when no line qualifies."""
    for start, end in lines[:TITLE_WINDOW]:
        line = text[start:end]
        if _words(line) >= TITLE_MIN_WORDS and not line_rules(line):
            return start, end
    return lines[0]


def _stamp_pieces(text: str, start: int, end: int) -> list[Span]:
    """A short boilerplate span cut at its date and reading-time stamps, so that a byline, its dateline
    and its reading time are labelled each on its own; other spans whole."""
    piece = text[start:end]
    stamps = sorted([m.span() for m in DATE_STAMP.finditer(piece)] + [m.span() for m in _READING_TIME.finditer(piece)])
    if not stamps or _words(piece) > STAMP_LINE_MAX_WORDS:
        return [(start, end)]
    cuts = sorted({0, len(piece), *(at for stamp in stamps for at in stamp)})
    pieces = [trim_span(text, start + a, start + b) for a, b in zip(cuts, cuts[1:])]
    return [p for p in pieces if p is not None and _WORD.search(text[p[0] : p[1]])] or [(start, end)]


def _label(text: str, span: Span, before_title: bool, repeated: bool) -> tuple[str, str, str]:
    """(label, basis, rule) of a boilerplate span: by what it says, else by where it is."""
    piece = text[span[0] : span[1]]
    for name, regex, label, basis in _LABELS:
        if regex.search(piece):
            return label, basis, name
    if _is_tag_list(piece):
        return "tags", "inferred", "comma-separated tags"
    if before_title and _words(piece) <= 3:
        return "section_label", "inferred", "short line above the headline"
    if repeated:
        return "related_teaser", "inferred", "line repeated in the page"
    return "extraction_residue", "inferred", "none matched, the closest label for page residue"


def _is_tag_list(line: str) -> bool:
    items = [item.strip() for item in line.split(",")]
    return len(items) >= 3 and all(item and _words(item) <= 4 and (item[0].isupper() or item[0].isdigit() or item[0] == "#") for item in items)


# A bracket left from a stripped dateline or link: "( China's President ..." with no closing bracket.
_LONE_BRACKET = re.compile(r"[(\[](?=\s)")
_CLOSING = {"(": ")", "[": "]"}


def _lone_brackets(text: str, lines: list[Span]) -> list[Span]:
    return [(start, start + 1) for start, end in lines if _LONE_BRACKET.match(text, start, end) and _CLOSING[text[start]] not in text[start:end]]


def boilerplate_spans(text: str, lines: list[Span], title: Span) -> list[Boilerplate]:
    """The line rules' spans (the best detector for plain text in the boilerplate benchmark), with the
    title left out, the lines above the title and lone brackets added, cut at stamps and labelled."""
    spans = [span for span in line_rules(text) if span[1] <= title[0] or span[0] >= title[1]]
    for span in [line for line in lines if line[1] <= title[0]] + _lone_brackets(text, lines):
        if not any(a < span[1] and span[0] < b for a, b in spans):
            spans.append(span)
    def key(start: int, end: int) -> str:  # a line as a repeat is recognised: spacing and case aside
        return " ".join(text[start:end].split()).casefold()

    repeated = {line for line, count in Counter(key(a, b) for a, b in lines).items() if count > 1}
    labelled = []
    for start, end in sorted(spans):
        line_repeated = key(start, end) in repeated
        for piece in _stamp_pieces(text, start, end):
            label, basis, rule = _label(text, piece, piece[1] <= title[0], line_repeated)
            labelled.append(Boilerplate(piece[0], piece[1], label, basis, rule))
    return labelled


# ---------------------------------------------------------------------------
# Claims
# ---------------------------------------------------------------------------


@cache
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def content_sentences(text: str, lines: list[Span], excluded: list[Span]) -> list[Span]:
    """The trimmed sentences (pysbd) of every line's content: the line less the title and boilerplate."""
    sentences = []
    for start, end in lines:
        at = start
        for a, b in sorted(s for s in excluded if s[0] < end and start < s[1]) + [(end, end)]:
            piece = trim_span(text, at, max(at, a))
            if piece is not None:
                sentences += _split(text, *piece)
            at = max(at, b)
    return sentences


def _split(text: str, start: int, end: int) -> list[Span]:
    found, at = [], 0
    chunk = text[start:end]
    for sentence in _segmenter().segment(chunk):
        # pysbd's offsets come from searching the sentence in the chunk; locate it from where the last one ended.
        offset = chunk.find(sentence.sent, at)
        if offset < 0:
            continue
        at = offset + len(sentence.sent)
        span = trim_span(text, start + offset, start + at)
        if span is not None:
            found.append(span)
    return found


def propose_claims(text: str, sentences: list[Span], boilerplate: list[Boilerplate], defined: dict[str, str]) -> list[Claim]:
    """A claim candidate for every sentence of enough words, with its best claimer and type."""
    datelines = {b.end: b for b in boilerplate if b.label == "dateline"}
    claims = []
    for start, end in sentences:
        sentence = text[start:end]
        if _words(sentence) < CLAIM_MIN_WORDS:
            continue
        attributed = attribution.best_claimer(attribution.claimer_candidates(sentence, defined))
        if attributed is not None:  # its evidence, found in the sentence, as offsets in the text
            claimer = replace(attributed, evidence=tuple((start + a, start + b) for a, b in attributed.evidence))
        else:
            claimer = _dateline_credit(text, start, datelines, defined) or _previous_speaker(sentence, claims)
        kind, rule = attribution.claim_type(sentence, attributed is not None)
        claims.append(Claim(start, end, kind, rule, claimer))
    return claims


def _dateline_credit(text: str, start: int, datelines: dict[int, Boilerplate], defined: dict[str, str]) -> Claimer | None:
    """The agency of a wire dateline that directly precedes the sentence: "(Reuters) – Xi plans ..."."""
    for end, dateline in datelines.items():
        if end <= start and not text[end:start].strip():
            credit = re.search(r"\(([^()]+)\)", text[dateline.start : dateline.end])
            outlet = attribution.outlet_name(credit.group(1), defined) if credit else None
            if outlet is not None:
                kind = "news_agency" if outlet[1] else "other_outlet"
                return Claimer(outlet[0], kind, "stated", ((dateline.start, dateline.end),), "dateline credit '(X) –'")
    return None


def _previous_speaker(sentence: str, claims: list[Claim]) -> Claimer | None:
    """A sentence that is one quotation, right after a claim with a speaker: that speaker, inferred."""
    if not claims or not re.fullmatch(r"[“\"][^”\"]+[”\"]\W*", sentence) or claims[-1].claimer is None:
        return None
    speaker = claims[-1].claimer
    if speaker.kind in ("news_agency", "other_outlet"):
        return None
    return replace(speaker, basis="inferred", pattern="previous sentence's speaker (a quotation without attribution)")


# ---------------------------------------------------------------------------
# Credited source, outlet, date
# ---------------------------------------------------------------------------


def _attribution(value: str | None, basis: str, evidence: list[dict], note: str | None, method: str) -> dict:
    """An outlet or credited-source label (a note only where there is one to give)."""
    label = {"value": value, "basis": basis, "evidence": evidence}
    return {**label, "note": note, "proposed": proposed(method)} if note else {**label, "proposed": proposed(method)}


def _unknown(what: str, method: str) -> dict:
    return _attribution(None, "unknown", [], f"The text names no {what}.", method)


def propose_credited_source(text: str, defined: dict[str, str]) -> dict:
    """The news organisation that credit lines name most (a dateline counts three times); unknown when
    none does."""
    mentions = attribution.credit_mentions(text, defined)
    method = f"{library('wirecopy')} credit patterns"
    if not mentions:
        return _unknown("news organisation whose reporting this copy credits", method)
    weight: dict[str, int] = {}
    for mention in mentions:
        weight[mention.name] = weight.get(mention.name, 0) + mention.weight
    best = max(weight, key=lambda name: (weight[name], -next(i for i, m in enumerate(mentions) if m.name == name)))
    chosen = [m for m in mentions if m.name == best]
    evidence = _distinct_evidence(text, [m.span for m in chosen])
    others = sorted(name for name in weight if name != best)
    note = f"Also credited: {', '.join(others)}." if others else None
    patterns = ", ".join(dict.fromkeys(m.pattern for m in chosen))
    return _attribution(best, "stated", evidence, note, f"{method} {patterns}")


def _distinct_evidence(text: str, spans: list[Span], limit: int = 3) -> list[dict]:
    quotes, seen = [], set()
    for span in spans:
        span = trim_span(text, *span)
        if span is not None and span not in seen:
            seen.add(span)
            quotes.append(locator(text, *span))
    return quotes[:limit]


def propose_outlet(text: str, defined: dict[str, str], credited: str | None) -> dict:
    """The outlet that a byline ("X news desk"), a promotion ("more news from X") or a copyright line
    names; unknown when none does."""
    method = f"{library('wirecopy')} outlet patterns"
    found = attribution.outlet_mentions(text, defined, {credited} if credited else set())
    if not found:
        return _unknown("publisher of this copy", method)
    stated = [mention for mention, basis in found if basis == "stated"]
    mention, basis = (stated[0], "stated") if stated else found[0]
    chosen = [m for m, _ in found if m.name == mention.name]
    patterns = ", ".join(dict.fromkeys(m.pattern for m in chosen))
    note = None if basis == "stated" else f"The text promotes content of {mention.name}, which suggests this page is its; no byline or masthead says so."
    return _attribution(mention.name, basis, _distinct_evidence(text, [m.span for m in chosen]), note, f"{method} {patterns}")


# dateparser only parses the stamps found above (search_dates found '2024 1:00 PM 2 min' in
# "... March 19, 2024 1:00 PM 2 min read" and missed the date); these settings keep it offline and
# deterministic: no clock (a fixed base), English only, no guessing of missing parts.
_DATEPARSER_SETTINGS = {
    "RELATIVE_BASE": datetime.datetime(2000, 1, 1),
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "REQUIRE_PARTS": ["day", "month", "year"],
}


def parse_date(stamp: str) -> datetime.date | None:
    parsed = dateparser.parse(stamp, languages=["en"], settings=_DATEPARSER_SETTINGS)
    return parsed.date() if parsed else None


def propose_date(text: str, boilerplate: list[Boilerplate], content: list[Span]) -> dict:
    """This copy's date: the first complete date stamp in its dateline or byline (stated, publication).
    Weekdays of the text ("on Monday") resolved against it are listed in the note for the reviewer;
    without a stamp the date is unknown (a weekday alone anchors nothing). Dates inside the prose are
    dates of events, not of the copy: the note lists them."""
    method = f"{library('dateparser')} on a date stamp in the dateline or byline"
    stamps = [
        m.span()
        for b in boilerplate if b.label in ("dateline", "byline")
        for m in DATE_STAMP.finditer(text, b.start, b.end)
    ]
    anchors = [(span, parse_date(text[span[0] : span[1]])) for span in stamps]
    anchors = [(span, value) for span, value in anchors if value is not None]
    in_prose = [text[m.start() : m.end()] for a, b in content for m in DATE_STAMP.finditer(text, a, b)]
    relative = [(a, m) for a, b in content for m in _RELATIVE_DAY.finditer(text, a, b)]
    prose_note = f" Dates in the prose (of events, not of this copy): {'; '.join(dict.fromkeys(in_prose))}." if in_prose else ""
    if not anchors:
        found = f" Relative dates ({', '.join(dict.fromkeys(m.group() for _, m in relative))}) need a stated date to resolve against." if relative else ""
        return {"value": None, "refers_to": None, "basis": "unknown", "evidence": [], "note": f"No complete date stamp outside the prose.{found}{prose_note}", "proposed": proposed(method)}
    (start, end), value = anchors[0]
    resolved = [f"'{m.group()}' = {_weekday_before(value, m.group()).isoformat()}" for _, m in relative]
    relative_note = f" Relative dates, as the same weekday on or before it (news style): {'; '.join(dict.fromkeys(resolved))}." if resolved else ""
    return {
        "value": value.isoformat(),
        "refers_to": "publication",
        "basis": "stated",
        "evidence": [locator(text, start, end)],
        "note": f"The page's date stamp, taken as this copy's publication date.{relative_note}{prose_note}",
        "proposed": proposed(method),
    }


def _weekday_before(anchor: datetime.date, phrase: str) -> datetime.date:
    """The day a relative phrase names, seen from ``anchor``: a weekday is the latest such day on or
    before it; "yesterday" the day before; "today" the anchor."""
    word = phrase.lower().split()[-1]
    if word == "yesterday":
        return anchor - datetime.timedelta(days=1)
    if word == "today":
        return anchor
    return anchor - datetime.timedelta(days=(anchor.weekday() - _WEEKDAYS.index(word)) % 7)


# ---------------------------------------------------------------------------
# One article
# ---------------------------------------------------------------------------


def propose_article(article_id: str, text: str) -> ArticleProposal:
    """Every proposal for one text (``text`` non-blank); the claims' facts are left to the corpus step."""
    lines = line_spans(text)
    title = title_span(text, lines)
    boilerplate = boilerplate_spans(text, lines, title)
    excluded = [title, *((b.start, b.end) for b in boilerplate)]
    sentences = content_sentences(text, lines, excluded)
    defined = attribution.abbreviations(text)
    claims = propose_claims(text, sentences, boilerplate, defined)
    credited_source = propose_credited_source(text, defined)
    outlet = propose_outlet(text, defined, credited_source["value"])
    date = propose_date(text, boilerplate, sentences)
    return ArticleProposal(article_id, text, title, boilerplate, claims[:MAX_CLAIMS], outlet, credited_source, date, claims_left_out=max(0, len(claims) - MAX_CLAIMS))
