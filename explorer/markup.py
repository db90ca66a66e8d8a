"""Escaped text with highlight elements around exact spans, nested correctly however spans overlap."""

from dataclasses import dataclass
from html import escape

from markupsafe import Markup


@dataclass(frozen=True)
class Highlight:
    """An element around ``text[start:end]`` (code points, half-open). ``attributes`` are written in
    the order given, values escaped; ``data-start``/``data-end`` are added so tests can find the span."""

    start: int
    end: int
    element: str
    attributes: tuple[tuple[str, str], ...]

    def opening_tag(self) -> str:
        attributes = (*self.attributes, ("data-start", str(self.start)), ("data-end", str(self.end)))
        return f"<{self.element}" + "".join(f' {name}="{escape(value)}"' for name, value in attributes) + ">"


def highlight(text: str, highlights: list[Highlight]) -> Markup:
    """``text`` escaped, each highlight's element wrapped around its span.

    The text is cut at every span boundary; each piece is wrapped in the elements covering it,
    outermost (earliest start, then longest) first. A span that merely nests keeps one element;
    where two spans cross, the later one is closed and reopened at the boundary, so its pieces carry
    the same attributes and their texts, joined, are the span's text.
    """
    ordered = sorted(highlights, key=lambda h: (h.start, -h.end, h.element))
    cuts = sorted({0, len(text), *(h.start for h in ordered), *(h.end for h in ordered)})
    html: list[str] = []
    open_elements: list[Highlight] = []
    for left, right in zip(cuts, cuts[1:]):
        covering = [h for h in ordered if h.start <= left and right <= h.end]
        shared = 0
        while shared < min(len(open_elements), len(covering)) and open_elements[shared] == covering[shared]:
            shared += 1
        html += [f"</{h.element}>" for h in reversed(open_elements[shared:])]
        html += [h.opening_tag() for h in covering[shared:]]
        open_elements = covering
        html.append(escape(text[left:right], quote=False))
    html += [f"</{h.element}>" for h in reversed(open_elements)]
    return Markup("".join(html))
