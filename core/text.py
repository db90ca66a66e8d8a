"""Text helpers shared by every package: normalisation, word shingles, and spans (half-open code-point
offsets into an untouched text): trimming, lines, the one merge, removal."""

import re
import unicodedata
from collections.abc import Iterable

Span = tuple[int, int]

_WORD = re.compile(r"\w+", re.UNICODE)
# Line breaks are those of str.splitlines, so a "line" here is what any reader would call one.
_LINE = re.compile(r"[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def normalise(text: str) -> str:
    """Case-folded NFKC text with curly quotes and dashes made plain and whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(_PLAIN)
    return " ".join(text.split())


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def shingles(text: str, n: int) -> set[str]:
    """Word n-grams (a text shorter than n words gives its whole word sequence as one shingle)."""
    tokens = words(text)
    if len(tokens) < n:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with every span replaced by a line break, so neighbouring words do not fuse."""
    kept, at = [], 0
    for start, end in sorted(spans):
        kept.append(text[at:start])
        kept.append("\n")
        at = max(at, end)
    kept.append(text[at:])
    return "".join(kept)


# A sentence ends at . ! ? or … (and closing quotes or brackets) before white space and a capital, a
# digit or an opening quote; a full stop after a common abbreviation or an initial does not end one.
_BOUNDARY = re.compile(r"[.!?…][”\"’)]*(?=\s+[“\"‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:^|\s)(?:(?:[A-Z]\.)+|(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep"
    r"|Sept|Oct|Nov|Dec|No|Inc|Corp|Co|Jr|Sr|vs)\.)$"
)


def sentence_spans(text: str) -> list[Span]:
    """The trimmed span of every sentence, line by line (a line break always ends a sentence): the one
    sentence splitter of the generator's content pool and the explorer's alignment."""
    spans = []
    for line_start, line_end in line_spans(text):
        line, start = text[line_start:line_end], 0
        for match in _BOUNDARY.finditer(line):
            if match.group() == "." and _ABBREVIATION.search(line[start : match.end()]):
                continue
            spans.append((line_start + start, line_start + match.end()))
            start = match.end()
        spans.append((line_start + start, line_end))
    return [span for span in (trim_span(text, a, b) for a, b in spans) if span is not None]


def trim_span(text: str, start: int, end: int) -> Span | None:
    """The span without leading/trailing whitespace (NBSP included), or None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def line_spans(text: str) -> list[Span]:
    """The trimmed span of every line that holds something other than whitespace, in order."""
    spans = []
    for match in _LINE.finditer(text):
        span = trim_span(text, match.start(), match.end())
        if span is not None:
            spans.append(span)
    return spans


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans with overlapping or touching ones merged ([0, 3) and [3, 5) give [0, 5): the union
    of positions is the same either way)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def merge_trimmed(text: str, spans: Iterable[Span]) -> list[Span]:
    """Trimmed, sorted spans with overlapping or touching ones merged (what boilerplate detectors return)."""
    return merge_spans(s for s in (trim_span(text, a, b) for a, b in spans) if s is not None)
