"""Quotes that name a passage of an untouched text, as the build resolves them, and the ``proposed``
marker that every proposal carries."""

from functools import cache
from importlib.metadata import version

from wirecopy.builders.spans import find_all

Span = tuple[int, int]


def locator(text: str, start: int, end: int) -> dict:
    """The locator of ``text[start:end]`` (a trimmed, non-empty span): its quote, and the occurrence
    that picks this passage when the quote matches more than once (``builders.spans.resolve_quote``
    matches folded quotes and counts overlapping matches, and so does ``find_all``)."""
    quote = text[start:end]
    starts = find_all(text, quote)
    return {"quote": quote} if len(starts) == 1 else {"quote": quote, "occurrence": starts.index(start)}


@cache
def library(name: str) -> str:
    """``name`` and its installed version, for a method string (``pysbd 0.3.4``)."""
    return f"{name} {version(name)}"


def proposed(method: str) -> dict:
    return {"method": method}
