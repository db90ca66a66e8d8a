"""Resolve a quoted passage to code-point offsets in an untouched text.

Annotators type quotes; texts contain no-break spaces and curly quotes. Matching folds those
characters one-for-one, so an offset found in the folded text is the same offset in the original,
and the stored span is always the original ``text[start:end]``.
"""

from functools import lru_cache

_FOLD = str.maketrans({"\u00a0": " ", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


class QuoteError(ValueError):
    """A quote that is missing from the text or does not pick out exactly one passage."""


def fold(text: str) -> str:
    """Map the characters that annotators cannot type reliably to plain ones, one for one."""
    return text.translate(_FOLD)


@lru_cache(maxsize=4)
def _folded(text: str) -> str:
    """``fold(text)``, once per text: an article's quotes are resolved one after another on the same
    text, and folding it for each made resolution quadratic (a 5 MB seed took 38 s)."""
    return fold(text)


def find_all(text: str, quote: str) -> list[int]:
    """Start offsets of every (possibly overlapping) match of ``quote`` in ``text``, folded."""
    haystack, needle = _folded(text), fold(quote)
    starts, at = [], haystack.find(needle)
    while at != -1:
        starts.append(at)
        at = haystack.find(needle, at + 1)
    return starts


def resolve_quote(
    text: str,
    quote: str,
    occurrence: int | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
) -> tuple[int, int]:
    """Return ``(start, end)`` of the one passage that ``quote`` (with its disambiguators) names.

    ``prefix``/``suffix`` keep only matches immediately preceded/followed by that text;
    ``occurrence`` then picks one of the remaining matches, 0-based in text order.
    """
    folded = _folded(text)
    length = len(quote)
    starts = find_all(text, quote)
    if not starts:
        raise QuoteError(f"quote not found in text: {quote!r}")
    if prefix is not None:
        starts = [s for s in starts if folded[max(0, s - len(prefix)) : s] == fold(prefix)]
    if suffix is not None:
        starts = [s for s in starts if folded[s + length : s + length + len(suffix)] == fold(suffix)]
    if not starts:
        raise QuoteError(f"quote found, but never with the given prefix/suffix: {quote!r}")
    if occurrence is not None:
        if occurrence >= len(starts):
            raise QuoteError(f"occurrence {occurrence} asked for, but the quote matches {len(starts)} time(s): {quote!r}")
        starts = [starts[occurrence]]
    if len(starts) > 1:
        raise QuoteError(
            f"ambiguous quote: matches at offsets {starts}; add occurrence, prefix or suffix: {quote!r}"
        )
    return starts[0], starts[0] + length
