"""Text helpers shared by systems: normalisation, word shingles, removing boilerplate spans."""

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
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
