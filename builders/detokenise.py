"""Detokenisation shared by the importers of tokenised corpora (ECB+, Wikinews): tokens back to a plain
text, each token's span kept, so that annotations on tokens become exact spans of the text.

The rules (deterministic; the README and each importer refer to them):
- sentences in order, one per line (``\\n`` between them);
- tokens of a sentence joined by one space, except none before closing punctuation and clitics
  (``NO_SPACE_BEFORE``: ``, . : ; ? ! ) ] } ... '' ” ’ %`` and ``'s 're 've 'm 'll 'd n't``, in any case)
  and none after opening brackets and quotes (``NO_SPACE_AFTER``: ``( [ { `` “ $``); a straight ``"``
  is a word (one cannot tell an opening from a closing one);
- the Penn Treebank quotes `````` and ``''`` are written as ``"`` (their spans hold that character);
  every other token as given, less surrounding white space; a token of white space only becomes an
  empty span, with no separator.
"""

from wirecopy.core.text import Span

NO_SPACE_BEFORE = frozenset({",", ".", ":", ";", "?", "!", ")", "]", "}", "...", "''", "\u201d", "\u2019", "%", "'s", "'re", "'ve", "'m", "'ll", "'d", "n't"})
NO_SPACE_AFTER = frozenset({"(", "[", "{", "``", "\u201c", "$"})
_PTB_QUOTES = {"``": '"', "''": '"'}


def _space_between(previous: str, token: str) -> bool:
    return previous not in NO_SPACE_AFTER and token not in NO_SPACE_BEFORE and token.lower() not in NO_SPACE_BEFORE


def detokenise(sentences: list[list[str]]) -> tuple[str, list[list[Span]]]:
    """The text of tokenised ``sentences`` and, for each sentence, the span of each of its tokens."""
    pieces: list[str] = []
    spans: list[list[Span]] = []
    at, previous = 0, None  # previous: the last non-empty token, None before the first
    for number, sentence in enumerate(sentences):
        sentence_spans, first = [], True
        for raw in sentence:
            token = raw.strip()
            if previous is not None and token:
                separator = "\n" if first else (" " if _space_between(previous, token) else "")
                pieces.append(separator)
                at += len(separator)
            surface = _PTB_QUOTES.get(token, token)
            pieces.append(surface)
            sentence_spans.append((at, at + len(surface)))
            at += len(surface)
            if token:
                previous, first = token, False
        spans.append(sentence_spans)
    return "".join(pieces), spans
