"""Detokenisation shared by the importers of tokenised corpora (ECB+, Wikinews): tokens back to a plain
text, each token's span kept, so that annotations on tokens become exact spans of the text.

The rules (deterministic; the README and each importer refer to them):
- sentences in order, one per line (``\\n`` between them);
- tokens of a sentence joined by one space, except none before closing punctuation and clitics
  (``NO_SPACE_BEFORE``: ``, . : ; ? ! ) ] } ... '' ” ’ %`` and ``'s 're 've 'm 'll 'd n't`` with a
  straight or curly apostrophe, in any case), none after opening brackets and quotes
  (``NO_SPACE_AFTER``: ``( [ { `` “ $``), none between an apostrophe token and a clitic split off it
  (``’`` + ``s`` -> ``’s``: ``CLITICS``), and none around a hyphen token between two words
  (``eight - year`` -> ``eight-year``: ECB+ splits hyphenated words, and a dash between words is
  written ``--`` there);
- straight ``"`` tokens alternate, through the document, between opening (no space after) and closing
  (no space before), the way they pair in well-formed text; a document with an unpaired quote gets the
  rest of its quotes the wrong way round, which changes spacing only;
- the Penn Treebank quotes `````` and ``''`` are written as ``"`` (their spans hold that character);
  every other token as given, less surrounding white space; a token of white space only becomes an
  empty span, with no separator.
"""

from wirecopy.core.text import Span

CLITICS = frozenset({"s", "re", "ve", "m", "ll", "d", "t"})
APOSTROPHES = frozenset({"'", "\u2019"})
NO_SPACE_BEFORE = frozenset({",", ".", ":", ";", "?", "!", ")", "]", "}", "...", "''", "\u201d", "%", "n't", "n\u2019t", *APOSTROPHES, *(a + c for a in APOSTROPHES for c in CLITICS - {"t"})})
NO_SPACE_AFTER = frozenset({"(", "[", "{", "``", "\u201c", "$"})
_PTB_QUOTES = {"``": '"', "''": '"'}


def _is_word(token: str) -> bool:
    return token[:1].isalnum() and token[-1:].isalnum()


def _roles(tokens: list[str], quotes_before: int) -> list[str | None]:
    """Each token's part in the spacing: "open" or "close" for a straight quote (by how many came
    before it in the document), "join" for a hyphen between two words, None for the rest."""
    roles: list[str | None] = []
    for index, token in enumerate(tokens):
        if token == '"':
            roles.append("open" if (quotes_before + roles.count("open") + roles.count("close")) % 2 == 0 else "close")
        elif token == "-" and 0 < index < len(tokens) - 1 and _is_word(tokens[index - 1]) and _is_word(tokens[index + 1]):
            roles.append("join")
        else:
            roles.append(None)
    return roles


def _space_between(previous: str, previous_role: str | None, token: str, role: str | None) -> bool:
    if previous_role in ("open", "join") or role in ("close", "join"):
        return False
    if previous in NO_SPACE_AFTER or token in NO_SPACE_BEFORE or token.lower() in NO_SPACE_BEFORE:
        return False
    return not (previous in APOSTROPHES and token.lower() in CLITICS)


def detokenise(sentences: list[list[str]]) -> tuple[str, list[list[Span]]]:
    """The text of tokenised ``sentences`` and, for each sentence, the span of each of its tokens."""
    pieces: list[str] = []
    spans: list[list[Span]] = []
    at, quotes = 0, 0  # quotes: straight quotes so far in the document
    previous: tuple[str, str | None] | None = None  # the last non-empty token and its role
    for sentence in sentences:
        tokens = [raw.strip() for raw in sentence]
        words = [token for token in tokens if token]
        roles = iter(_roles(words, quotes))
        quotes += words.count('"')
        sentence_spans, first = [], True
        for token in tokens:
            role = next(roles) if token else None
            if previous is not None and token:
                separator = "\n" if first else (" " if _space_between(*previous, token, role) else "")
                pieces.append(separator)
                at += len(separator)
            surface = _PTB_QUOTES.get(token, token)
            pieces.append(surface)
            sentence_spans.append((at, at + len(surface)))
            at += len(surface)
            if token:
                previous, first = (token, role), False
        spans.append(sentence_spans)
    return "".join(pieces), spans
