"""A seeded generator of a synthetic near-duplicate news corpus with known clusters, made of real sentences.

It feeds the deduplication benchmark: every row says which cluster (the same story, copied) it belongs
to, which transformations made it, and where the boilerplate it carries lies, so that a deduplication
system's clusters and a boilerplate remover's spans can both be scored against known answers.

    rows = generate(sentence_pool(Path("external")), n=100_000, seed=0)

Each returned row is a plain dict::

    doc_id             "syn-000123" (zero-padded to at least six digits, more when n needs them)
    cluster_id         "c-000045": the ground-truth cluster
    base_id            "b-000040": the base story it derives from; "b-000007+b-000031" for a splice
    transformations    names applied, in order (TRANSFORMATIONS lists them all); [] for a base
    text               the document
    boilerplate_spans  [{start, end, text, label}] for every boilerplate passage the generator put in,
                       code-point offsets into text, half-open: text[start:end] == span["text"];
                       labels come from the release vocabulary (schema/vocabulary.schema.json)

Pool
----
``sentence_pool(external)`` reads the real news of the project's ``external/`` folder: the 982 ECB+
articles (``import_ecbplus``, unpacked into a temporary folder; the source URL is already left out) and
the 120 Wikinews articles of SemEval-2015 TimeLine (``import_wikinews``), both detokenised by
``detokenise.py``. An article's sentences are its lines; the first line of an ECB+ "ecbplus" document and
a Wikinews title are kept apart as the article's title (teaser material only). Sentences of fewer than
MIN_SENTENCE_WORDS words (datelines such as "January 09, 2008") and repeats of an earlier sentence are
dropped, so every sentence of the pool is distinct: about 16,500 sentences of ~1,100 articles. Articles
are in sorted order (topic, then source), so the pool, and every corpus made from it, is the same on
every machine; it is read once per folder and process (cached).

Base stories
------------
A base must be real text, yet 1M documents need ~300k bases from ~16,500 sentences, so sentences are
necessarily reused; what matters is that two unrelated bases never share much. The pool's articles are
cut into segments of SEGMENT_SENTENCES consecutive sentences (one: with two, truncated copies of two
bases that share their first segment kept mostly the same text), laid out in pool order on a grid of
SLOTS columns and p rows (p the largest prime that fits, 1,321 for the repository's pool; segment i is
in column i mod SLOTS, row i // SLOTS). Base number j is a polynomial over the integers mod p whose
coefficients are j's digits in base p; it takes, in column x, the segment of row poly(x) mod p, for the
first 5-12 columns (BASE_SLOTS). Two distinct polynomials of degree < d agree on at most d - 1 columns,
hence:

- the first p^2 bases (lines; ~1.7M bases, ~5.8M documents) share at most one sentence with any other
  base, and the later ones (parabolas) at most two; a sentence is, however, reused by about one base
  per slope in use (~20 at 100k documents, ~210 at 1M), so unrelated documents share single
  sentences often (scripts/synthetic-statistics measures it);
- the first p bases (constant polynomials) are a real run of consecutive sentences of one article (or,
  at an article's end, running into the next article of the same topic); with slope 1 the sentences
  come from a few neighbouring articles of one topic; with steeper slopes from articles of unrelated
  topics. A small corpus is therefore made of real article excerpts, a large one mostly of news digests
  whose every sentence is real and fluent but whose story jumps from topic to topic.

The seed fixes the order in which the constant terms are taken (a random stride and offset mod p), so
different seeds give different bases. A base is itself a row (transformations []) and always the first
member of its family, so a family cut short to make exactly n rows still holds its base. Sentences are
joined into paragraphs at random (a space or a blank line between two sentences).

Families and transformations
----------------------------
A family is its base plus 0-7 more members (sizes 1-8 with small sizes more likely, so there are many
singletons). Each further member is either an ``exact_copy`` of an earlier member (about 8%) or a
variant: a chain of 1-3 distinct transformations applied to the base (60%) or to an earlier direct
variant of it (a copy of a copy; its ``transformations`` then list the parent's chain first):

    wrap_boilerplate   header lines (section label, tags, byline, dateline, reading time, photo credit,
                       UI controls), sometimes an inline teaser between paragraphs ("Related: " and a
                       real title of the pool), and footer lines (newsletter and comment prompts,
                       standards footers, credits, promos), all from the BOILERPLATE templates. A dateline
                       ending in a dash leads the first sentence, as in "LONDON (Reuters) – ..."
    strip_boilerplate  drop all, or some, of the boilerplate a parent carries
    spin_words         swap words for synonyms from SYNONYMS (a fixed table of news wording:
                       announced/declared, injured/hurt/wounded, ...), at about half the places
    drop_sentences     drop 1 sentence (1-2 in longer documents), keeping at least 3
    reorder_sentences  swap one (or two) pairs of neighbouring sentences
    truncate           keep a prefix of 50-80% of the sentences (boilerplate stays)
    reattribute_quote  swap an attribution for another of its ATTRIBUTIONS group: the verb ("said" ->
                       "stated"), the speaker ("police said" -> "officials said", "a spokesman said" ->
                       "a spokeswoman said") or the audience ("told reporters" -> "told journalists")

Every word of a document is therefore a word of the pool or of a template (BOILERPLATE,
TEASER_TEMPLATES, SYNONYMS, ATTRIBUTIONS; TEMPLATE_TEXTS lists them all): nothing is invented. A copy
that strips all of what its parent wrapped can come back to the base's exact text; it stays, as it would
in the wild, a member of the same cluster.

Hard negatives. About 8% of the time a ``splice`` is made instead of a family: the first half of one
recent base's sentences followed by the second half of another's, sometimes wrapped in boilerplate.
A splice is a different document, so it is a singleton cluster of its own; base_id is "a+b".

What is and is not realistic: every sentence is a real news sentence, boilerplate lines are typical of
news pages, and the transformations are those of syndication and light rewriting. Not realistic: bases
of a large corpus mix topics; the boilerplate comes from a few dozen templates (so it repeats verbatim
across unrelated documents far more than real outlets' boilerplate would); synonyms and attributions
are swapped without regard to grammar in the odd sentence; ECB+ sentences keep the detokeniser's
spacing ("high - profile"). ECB+'s test topics (``real_data.ECB_TEST_TOPICS``) are in the pool too: the
synthetic corpus is for deduplication, not for the same_event tasks.

Exact offsets. A document is a list of pieces ``(separator_before, text, label)`` (label None for a
content sentence); transformations edit pieces, and offsets are computed only when the pieces are
joined, so every span is exact whatever was applied.

Determinism and scale. All randomness comes from one ``random.Random(seed)``; nothing depends on set
iteration order or string hashing. Work is constant per row (one family at a time), so time is linear in
n. Rows are made in chunks of whole families of at least SHUFFLE_ROWS rows, each shuffled before doc_ids
are given (so neither order nor ids reveal the clusters within a chunk) and handed out by ``stream``;
splices draw on the bases of the current chunk and the last SPLICE_WINDOW before it. Memory is therefore
bounded at any n, and a corpus of at most SHUFFLE_ROWS rows is one chunk, shuffled as a whole.
"""

from __future__ import annotations

import functools
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .import_wikinews import read_articles
from .real_data import ECBPLUS, read_ecbplus

__all__ = ["TEMPLATE_TEXTS", "TRANSFORMATIONS", "PoolArticle", "family_sizes", "generate", "sentence_pool", "stream"]

TRANSFORMATIONS = (
    "wrap_boilerplate",
    "strip_boilerplate",
    "spin_words",
    "drop_sentences",
    "reorder_sentences",
    "truncate",
    "reattribute_quote",
    "splice",
    "exact_copy",
)

FAMILY_SIZE_WEIGHTS = {1: 24, 2: 20, 3: 16, 4: 12, 5: 10, 6: 8, 7: 6, 8: 4}
SPLICE_RATE = 0.08  # chance that the next unit made is a splice rather than a family
EXACT_COPY_RATE = 0.08  # chance that a further family member is an exact copy

# (separator before, text, boilerplate label or None for a content sentence)
Piece = tuple[str, str, str | None]

# ---------------------------------------------------------------------------------------------------
# The sentence pool

WIKINEWS = "wikinews-semeval2015-timeline/articles.jsonl"
MIN_SENTENCE_WORDS = 4
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PoolArticle:
    source: str  # "ecbplus/1_10ecbplus", "wikinews/120578"
    topic: str  # "ecbplus/1_ecbplus" (an ECB+ sub-topic), "wikinews/apple"
    title: str | None
    sentences: tuple[str, ...]


def sentence_pool(external: Path) -> tuple[PoolArticle, ...]:
    """The real articles of ``external`` (ECB+ and Wikinews), sorted by topic and source, each sentence
    distinct and of at least MIN_SENTENCE_WORDS words; cached per folder, as reading ECB+ takes seconds."""
    return _read_pool(Path(external).resolve())


@functools.lru_cache(maxsize=4)
def _read_pool(external: Path) -> tuple[PoolArticle, ...]:
    articles = sorted([*_ecbplus_articles(external / ECBPLUS), *_wikinews_articles(external / WIKINEWS)], key=lambda a: (a.topic, a.source))
    seen: set[str] = set()  # membership only
    pool = []
    for article in articles:
        sentences = []
        for sentence in article.sentences:
            if len(_WORD.findall(sentence)) >= MIN_SENTENCE_WORDS and sentence not in seen:
                seen.add(sentence)
                sentences.append(sentence)
        if sentences:
            pool.append(PoolArticle(article.source, article.topic, article.title, tuple(sentences)))
    return tuple(pool)


def _ecbplus_articles(folder: Path) -> Iterator[PoolArticle]:
    for document in read_ecbplus(folder):
        lines = [" ".join(line.split()) for line in document.text.split("\n")]
        # The "ecbplus" half was collected from the web with its headline as the first sentence; the
        # older "ecb" half starts with the lead.
        titled = document.subtopic.endswith("_ecbplus")
        yield PoolArticle(f"ecbplus/{document.doc_id}", f"ecbplus/{document.subtopic}", lines[0] if titled else None, tuple(lines[1:] if titled else lines))


def _wikinews_articles(path: Path) -> Iterator[PoolArticle]:
    for article in read_articles(path):
        sentences = tuple(" ".join(article.text[start:end].split()) for start, end in article.sentences)
        yield PoolArticle(f"wikinews/{article.doc_id}", f"wikinews/{article.topic}", article.text[slice(*article.title)], sentences)


# ---------------------------------------------------------------------------------------------------
# Base stories: polynomials mod p over a grid of segments (see the module docstring)

SEGMENT_SENTENCES = 1  # 2 read better but let truncated copies of unrelated bases share half their text
SLOTS = 12
BASE_SLOTS = (5, 12)  # a base fills this many of the first slots


def _largest_prime_at_most(limit: int) -> int:
    """The largest prime <= limit, at least SLOTS: with fewer rows than slots, x and x + p would be the
    same point mod p and two lines could share two segments."""
    for candidate in range(limit, SLOTS - 1, -1):
        if all(candidate % d for d in range(2, int(candidate**0.5) + 1)):
            return candidate
    raise ValueError(f"the sentence pool is too small: {limit} rows of segments, fewer than a prime >= {SLOTS}")


@dataclass(frozen=True)
class _Grid:
    segments: tuple[tuple[str, ...], ...]  # segment of (column x, row r) at r * SLOTS + x
    rows: int  # a prime

    @classmethod
    def of(cls, pool: Iterable[PoolArticle]) -> _Grid:
        segments = tuple(a.sentences[i : i + SEGMENT_SENTENCES] for a in pool for i in range(0, len(a.sentences), SEGMENT_SENTENCES))
        rows = _largest_prime_at_most(len(segments) // SLOTS)
        return cls(segments[: rows * SLOTS], rows)

    def base(self, number: int, stride: int, offset: int, slots: int) -> list[str]:
        """The sentences of base ``number``: its polynomial's coefficients are the number's digits in
        base ``rows``; the constant term goes through the seed's bijection ``stride * c + offset``."""
        digits = []
        while True:
            number, digit = divmod(number, self.rows)
            digits.append(digit)
            if not number:
                break
        digits[0] = (stride * digits[0] + offset) % self.rows
        sentences: list[str] = []
        for x in range(slots):
            row = sum(c * x**power for power, c in enumerate(digits)) % self.rows
            sentences += self.segments[row * SLOTS + x]
        return sentences


# ---------------------------------------------------------------------------------------------------
# Templates: every word a document holds that is not a pool word comes from here

_HEADER = ("section_label", "tags", "byline", "dateline", "reading_time", "photo_caption",
           "photo_credit", "audio_notice", "ui_control")
_INLINE = ("related_teaser", "navigation")
# every other label (outlet_promo, newsletter_prompt, comment_prompt, reporting_credits,
# standards_footer) goes to the footer

BOILERPLATE = (
    ("World", "section_label"),
    ("U.S. News", "section_label"),
    ("Business", "section_label"),
    ("Sports", "section_label"),
    ("Entertainment", "section_label"),
    ("Crime, Courts, Local News", "tags"),
    ("Markets, Technology, Companies", "tags"),
    ("By Staff Reporter", "byline"),
    ("By Associated Press", "byline"),
    ("By Reuters Staff", "byline"),
    ("By Sarah Miller and David Chen, News Desk", "byline"),
    ("LONDON (Reuters) –", "dateline"),
    ("NEW YORK (AP) —", "dateline"),
    ("LOS ANGELES (AFP) -", "dateline"),
    ("Published 9:41 AM ET, Tue March 3, 2009", "dateline"),
    ("Updated 2 hours ago", "dateline"),
    ("4 min read", "reading_time"),
    ("2 min read", "reading_time"),
    ("Photo: AP", "photo_credit"),
    ("Photo by Getty Images", "photo_credit"),
    ("(Photo: Reuters/File)", "photo_credit"),
    ("File photo of the scene.", "photo_caption"),
    ("Font Size:", "ui_control"),
    ("Share this article", "ui_control"),
    ("Print Email Share", "ui_control"),
    ("Listen to this article", "audio_notice"),
    ("Latest updates", "navigation"),
    ("Top Stories", "navigation"),
    ("Sign up for our newsletter", "newsletter_prompt"),
    ("Get the day's top stories in your inbox every morning.", "newsletter_prompt"),
    ("Leave a Reply", "comment_prompt"),
    ("Comments are closed.", "comment_prompt"),
    ("Join the conversation: 12 comments", "comment_prompt"),
    ("Our standards: The Trust Principles.", "standards_footer"),
    ("Copyright 2009 The Associated Press. All rights reserved.", "standards_footer"),
    ("Reporting by newsroom staff; Editing by the news desk", "reporting_credits"),
    ("Additional reporting by wire services.", "reporting_credits"),
    ("Read more exclusive news from our newsroom.", "outlet_promo"),
    ("Follow us on Twitter and Facebook for the latest updates.", "outlet_promo"),
)
TEASER_TEMPLATES = ("Related: {}", "See also: {}", "READ MORE: {}", "(RELATED: {})")

# Groups of interchangeable wording; a member is swapped for another member of its group. Members are
# matched case-sensitively as whole words, longest first.
SYNONYMS = (
    ("announced", "declared"),
    ("expected", "anticipated"),
    ("began", "started"),
    ("injured", "hurt", "wounded"),
    ("arrested", "detained"),
    ("company", "firm"),
    ("residents", "locals"),
    ("largest", "biggest"),
    ("nearly", "almost"),
    ("earthquake", "quake"),
    ("vehicle", "car"),
    ("several", "a number of"),
    ("game", "match"),
    ("team", "squad"),
    ("agreement", "deal"),
    ("officials", "authorities"),
)
ATTRIBUTIONS = (
    ("said", "stated", "added", "noted"),
    ("police said", "authorities said", "officials said", "investigators said"),
    ("a spokesman said", "a spokeswoman said", "a spokesperson said"),
    ("told reporters", "told journalists", "told the press"),
    ("said in a statement", "said in a press release", "said in a written statement"),
)

TEMPLATE_TEXTS = (*(text for text, _ in BOILERPLATE), *TEASER_TEMPLATES, *(w for group in SYNONYMS + ATTRIBUTIONS for w in group))


def _boilerplate_pool(pool: Iterable[PoolArticle]) -> dict[str, list[tuple[str, str]]]:
    """{"header"|"inline"|"footer": [(text, label)]}: the templates, and teasers of the pool's titles."""
    items = list(BOILERPLATE)
    titles = sorted({a.title for a in pool if a.title and len(_WORD.findall(a.title)) >= MIN_SENTENCE_WORDS})
    items += [(template.format(title), "related_teaser") for template in TEASER_TEMPLATES for title in titles]
    where: dict[str, list[tuple[str, str]]] = {"header": [], "inline": [], "footer": []}
    for text, label in items:
        where["header" if label in _HEADER else "inline" if label in _INLINE else "footer"].append((text, label))
    return where


def _alternatives(groups: Iterable[tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    return {member: tuple(m for m in group if m != member) for group in groups for member in group}


def _whole_words(keys: Iterable[str]) -> re.Pattern:
    """Literal keys as whole words, longest first (so "police said" wins over "said")."""
    return re.compile(r"\b(?:" + "|".join(re.escape(k) for k in sorted(keys, key=lambda k: (-len(k), k))) + r")\b")


_SYNONYM_OF = _alternatives(SYNONYMS)
_ATTRIBUTION_OF = _alternatives(ATTRIBUTIONS)
_SPIN = _whole_words(_SYNONYM_OF)
_ATTRIBUTION = _whole_words(_ATTRIBUTION_OF)


@functools.lru_cache(maxsize=1 << 16)
def _matches(pattern: re.Pattern, text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, matched text) of each match; cached, as pool sentences recur in many documents."""
    return tuple((m.start(), m.end(), m.group()) for m in pattern.finditer(text))


# ---------------------------------------------------------------------------------------------------
# Documents as pieces

_RANK = {"": 0, " ": 1, "\n": 2, "\n\n": 3}


def _render(pieces: list[Piece]) -> tuple[str, list[dict]]:
    parts, spans, pos = [], [], 0
    for i, (sep, text, label) in enumerate(pieces):
        if i:
            parts.append(sep)
            pos += len(sep)
        if label is not None:
            spans.append({"start": pos, "end": pos + len(text), "text": text, "label": label})
        parts.append(text)
        pos += len(text)
    return "".join(parts), spans


def _from_sentences(rng: random.Random, sentences: list[str]) -> list[Piece]:
    return [("" if i == 0 else "\n\n" if rng.random() < 0.5 else " ", s, None) for i, s in enumerate(sentences)]


def _content(pieces: list[Piece]) -> list[int]:
    return [i for i, p in enumerate(pieces) if p[2] is None]


def _remove(pieces: list[Piece], drop: Iterable[int]) -> list[Piece]:
    """Remove pieces; a removed piece's separator survives on the next piece if it is the stronger."""
    drop = frozenset(drop)  # membership tests only
    out: list[Piece] = []
    carry = ""
    for i, (sep, text, label) in enumerate(pieces):
        if i in drop:
            carry = max(carry, sep, key=_RANK.__getitem__)
            continue
        out.append((max(sep, carry, key=_RANK.__getitem__), text, label))
        carry = ""
    return out


def _rewrite(rng: random.Random, pieces: list[Piece], pattern: re.Pattern, alternatives: dict[str, tuple[str, ...]], p: float) -> list[Piece]:
    """Replace matches of pattern in content sentences by one of their alternatives, each with
    probability p (at least one)."""
    hits = [(i, m) for i in _content(pieces) for m in _matches(pattern, pieces[i][1])]
    chosen = [h for h in hits if rng.random() < p] or [rng.choice(hits)]
    by_piece: dict[int, list[tuple[int, int, str]]] = {}
    for i, m in chosen:
        by_piece.setdefault(i, []).append(m)
    out = list(pieces)
    for i, matches in by_piece.items():
        sep, text, label = pieces[i]
        parts, pos = [], 0
        for start, end, found in matches:  # in text order, as found
            parts += [text[pos:start], rng.choice(alternatives[found])]
            pos = end
        out[i] = (sep, "".join(parts) + text[pos:], label)
    return out


# ---------------------------------------------------------------------------------------------------
# Transformations: (rng, pieces, boilerplate pool) -> pieces


def wrap_boilerplate(rng: random.Random, pieces: list[Piece], pool: dict) -> list[Piece]:
    line = "\n" if rng.random() < 0.5 else "\n\n"
    header = [(line, *item) for item in rng.sample(pool["header"], rng.randint(1, 3))]
    footer = [(line, *item) for item in rng.sample(pool["footer"], rng.randint(1, 3))]
    body = list(pieces)
    lead = "\n\n"
    datelines = [h for h in header if h[2] == "dateline"]
    if datelines and body[0][2] is None and datelines[0][1].endswith(("–", "—", "-")) and rng.random() < 0.8:
        header.remove(datelines[0])
        header.append(datelines[0])
        lead = " "
    body[0] = (lead, *body[0][1:])
    content = _content(body)
    if len(content) >= 3 and rng.random() < 0.4:  # an inline teaser between two sentences
        at = rng.choice(content[1:])
        teaser = (" " if rng.random() < 0.3 else "\n\n", *rng.choice(pool["inline"]))
        body[at] = ("\n\n", *body[at][1:])
        body.insert(at, teaser)
    footer[0] = ("\n\n", *footer[0][1:])
    return [("", *header[0][1:])] + header[1:] + body + footer


def strip_boilerplate(rng: random.Random, pieces: list[Piece], pool: dict) -> list[Piece]:
    boiler = [i for i, p in enumerate(pieces) if p[2] is not None]
    if rng.random() < 0.5:
        return _remove(pieces, boiler)
    return _remove(pieces, [i for i in boiler if rng.random() < 0.6] or [rng.choice(boiler)])


def spin_words(rng: random.Random, pieces: list[Piece], pool: dict) -> list[Piece]:
    return _rewrite(rng, pieces, _SPIN, _SYNONYM_OF, 0.5)


def reattribute_quote(rng: random.Random, pieces: list[Piece], pool: dict) -> list[Piece]:
    return _rewrite(rng, pieces, _ATTRIBUTION, _ATTRIBUTION_OF, 0.3)


def drop_sentences(rng: random.Random, pieces: list[Piece], pool: dict) -> list[Piece]:
    content = _content(pieces)
    k = min(1 if len(content) < 8 else rng.randint(1, 2), len(content) - 3)
    return _remove(pieces, rng.sample(content, k))


def reorder_sentences(rng: random.Random, pieces: list[Piece], pool: dict) -> list[Piece]:
    content = _content(pieces)
    out = list(pieces)
    for _ in range(1 if len(content) < 8 else 2):
        j = rng.randrange(len(content) - 1)
        a, b = content[j], content[j + 1]
        out[a], out[b] = (out[a][0], out[b][1], None), (out[b][0], out[a][1], None)
    return out


def truncate(rng: random.Random, pieces: list[Piece], pool: dict) -> list[Piece]:
    content = _content(pieces)
    keep = min(max(2, round(len(content) * rng.uniform(0.5, 0.8))), len(content) - 1)
    return _remove(pieces, content[keep:])


_APPLY = {f.__name__: f for f in (wrap_boilerplate, strip_boilerplate, spin_words, drop_sentences,
                                   reorder_sentences, truncate, reattribute_quote)}
_WEIGHTS = {"wrap_boilerplate": 3, "strip_boilerplate": 3, "spin_words": 3, "drop_sentences": 2,
            "reorder_sentences": 2, "truncate": 1.5, "reattribute_quote": 2}


def _applicable(pieces: list[Piece], used: list[str]) -> list[str]:
    """The transformations that can change pieces and fit a chain that already used `used`."""
    content = [p[1] for p in pieces if p[2] is None]
    ok = {
        "wrap_boilerplate": "strip_boilerplate" not in used,
        "strip_boilerplate": "wrap_boilerplate" not in used and len(content) < len(pieces),
        "spin_words": any(_matches(_SPIN, t) for t in content),
        "drop_sentences": len(content) >= 4,
        "reorder_sentences": len(content) >= 2,
        "truncate": len(content) >= 4,
        "reattribute_quote": any(_matches(_ATTRIBUTION, t) for t in content),
    }
    return [name for name in _WEIGHTS if ok[name] and name not in used]


def _chain(rng: random.Random, pieces: list[Piece], pool: dict) -> tuple[list[str], list[Piece]]:
    used: list[str] = []
    for _ in range(rng.randint(1, 3)):
        names = _applicable(pieces, used)
        if not names:
            break
        name = rng.choices(names, weights=[_WEIGHTS[x] for x in names])[0]
        pieces = _APPLY[name](rng, pieces, pool)
        used.append(name)
    return used, pieces


# ---------------------------------------------------------------------------------------------------
# The corpus


SHUFFLE_ROWS = 100_000  # rows generated, shuffled and handed out at a time (whole families)
SPLICE_WINDOW = 10_000  # bases kept for splices between chunks, so memory stays bounded at any n


def generate(pool: Iterable[PoolArticle], n: int, seed: int = 0) -> list[dict]:
    """Exactly n synthetic rows (see the module docstring); the same arguments give the same rows."""
    return list(stream(pool, n, seed))


def stream(pool: Iterable[PoolArticle], n: int, seed: int = 0) -> Iterator[dict]:
    """``generate``'s rows one at a time, in memory bounded by SHUFFLE_ROWS rows whatever n is."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    pool = tuple(pool)
    grid = _Grid.of(pool)
    boilerplate = _boilerplate_pool(pool)
    rng = random.Random(seed)
    stride, offset = rng.randrange(1, grid.rows), rng.randrange(grid.rows)
    width = max(6, len(str(n)))
    sizes, size_weights = list(FAMILY_SIZE_WEIGHTS), list(FAMILY_SIZE_WEIGHTS.values())

    records: list[tuple[str, str, list[str], list[Piece]]] = []  # cluster, base, transformations, pieces
    bases: list[tuple[str, list[str]]] = []  # recent (base_id, sentences), for splices
    n_clusters = n_bases = 0
    done = 0  # rows already handed out

    while done + len(records) < n:
        n_clusters += 1
        cluster_id = f"c-{n_clusters:0{width}d}"
        if len(bases) >= 2 and rng.random() < SPLICE_RATE:
            (a_id, a), (b_id, b) = rng.sample(bases, 2)
            pieces = _from_sentences(rng, a[: len(a) // 2] + b[len(b) // 2 :])
            names = ["splice"]
            if rng.random() < 0.5:
                pieces = wrap_boilerplate(rng, pieces, boilerplate)
                names.append("wrap_boilerplate")
            records.append((cluster_id, f"{a_id}+{b_id}", names, pieces))
            continue

        sentences = grid.base(n_bases, stride, offset, rng.randint(*BASE_SLOTS))
        n_bases += 1
        base_id = f"b-{n_bases:0{width}d}"
        bases.append((base_id, sentences))
        members: list[tuple[list[str], list[Piece], int]] = [([], _from_sentences(rng, sentences), 0)]  # (names, pieces, depth)
        size = min(rng.choices(sizes, weights=size_weights)[0], n - done - len(records))
        while len(members) < size:
            if rng.random() < EXACT_COPY_RATE:
                names, pieces, depth = rng.choice(members)
                members.append((names + ["exact_copy"], pieces, depth))
                continue
            direct = [m for m in members[1:] if m[2] == 1 and m[0][-1] != "exact_copy"]
            parent = members[0] if not direct or rng.random() < 0.6 else rng.choice(direct)
            names, pieces = _chain(rng, parent[1], boilerplate)
            members.append((parent[0] + names, pieces, parent[2] + 1))
        records.extend((cluster_id, base_id, names, pieces) for names, pieces, _ in members)
        if len(records) >= SHUFFLE_ROWS and done + len(records) < n:
            yield from _shuffled_rows(rng, records, done, width)
            done += len(records)
            records, bases = [], bases[-SPLICE_WINDOW:]

    yield from _shuffled_rows(rng, records, done, width)


def _shuffled_rows(rng: random.Random, records: list, first: int, width: int) -> Iterator[dict]:
    """Rows of one chunk of records, shuffled, numbered from ``first``."""
    rng.shuffle(records)
    for k, (cluster_id, base_id, names, pieces) in enumerate(records, start=first):
        text, spans = _render(pieces)
        yield {"doc_id": f"syn-{k:0{width}d}", "cluster_id": cluster_id, "base_id": base_id,
               "transformations": list(names), "text": text, "boilerplate_spans": spans}


def family_sizes(rows: Iterable[dict]) -> dict[int, int]:
    """{cluster size: number of clusters of that size}, smallest size first."""
    counts = Counter(Counter(row["cluster_id"] for row in rows).values())
    return dict(sorted(counts.items()))
