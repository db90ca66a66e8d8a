"""A seeded generator of a synthetic near-duplicate news corpus with known clusters.

It feeds the deduplication benchmark: every row says which cluster (the same story, copied) it belongs
to, which transformations made it, and where the boilerplate it carries lies, so that a deduplication
system's clusters and a boilerplate remover's spans can both be scored against known answers.

    rows = generate(articles, n=100_000, seed=0)

``articles`` are released article rows (``text``, ``title_start``/``title_end`` or ``title``,
``boilerplate_spans``; other keys are ignored). Each returned row is a plain dict::

    doc_id             "syn-000123" (zero-padded to at least six digits, more when n needs them)
    cluster_id         "c-000045": the ground-truth cluster
    base_id            "b-000040": the base story it derives from; "b-000007+b-000031" for a splice
    transformations    names applied, in order (TRANSFORMATIONS lists them all); [] for a base
    text               the document
    boilerplate_spans  [{start, end, text, label}] for every boilerplate passage the generator put in,
                       code-point offsets into text, half-open: text[start:end] == span["text"];
                       labels come from the release vocabulary (schema/vocabulary.schema.json)

Design
------
Content pool. Each article's text minus its gold boilerplate spans and its title is split into
paragraphs and sentences (a small abbreviation-aware splitter; whitespace runs collapsed; fragments of
fewer than four words dropped). ``content_pool`` returns the (article_id, sentence) pairs.

Base stories. A base is a random sample of 5-12 pool sentences kept in pool order (it reads like a
story, drawn from several articles) and broken into paragraphs at random. Each base is a new cluster;
a sentence set already used is redrawn. The pool is small (65 sentences from the five articles), so
two bases can draw most of the same sentences; each base therefore recasts its sentences: capitalised
words after the first and numbers are replaced by invented names and random numbers (one cast per
base, so a name stays the same throughout the story) and about one in five (RECAST_RATE) longer
lower-case words is swapped for another word of the pool. Bases are then different stories with
news-like structure, not near-copies of each other, at any corpus size (the text is often
ungrammatical; realism of the content is traded for distinct clusters). A base is itself a row
(transformations []) and always the first member of its family, so a family cut short to make
exactly n rows still holds its base.

Families. A family is its base plus 0-7 more members (sizes 1-8 with small sizes more likely, so there
are many singletons). Each further member is either an ``exact_copy`` of an earlier member (about 8%)
or a variant: a chain of 1-3 distinct transformations applied to the base (60%) or to an earlier direct
variant of it (a copy of a copy; its ``transformations`` then list the parent's chain first):

    wrap_boilerplate   header lines (section label, tags, byline, dateline, reading time, photo
                       credit/caption, UI controls), sometimes an inline teaser between paragraphs,
                       and footer lines (newsletter and comment prompts, standards footers, credits,
                       promos); drawn from the seeds' gold boilerplate plus a small generic pool.
                       A dateline ending in a dash leads the first sentence, as in "(Reuters) – ..."
    strip_boilerplate  drop all, or some, of the boilerplate a parent carries
    spin_words         synonym substitution from a small table of news synonyms (said/stated,
                       "no limits"/"borderless", confirmed/elected, ...), at about half the places
    drop_sentences     drop 1 sentence (1-2 in longer documents), keeping at least 3
    reorder_sentences  swap one (or two) pairs of neighbouring sentences
    truncate           keep a prefix of 50-80% of the sentences (boilerplate stays)
    reattribute_quote  change attribution phrases ("told reporters in Moscow" -> "told Reuters",
                       "people familiar with the matter said" -> "sources said", "said." -> "told the
                       outlet.")

Variants stay near-duplicates: word 5-gram Jaccard with their base is mostly 0.3-0.9 (at n=3,000,
seed 0: 88% of variants, median 0.64; two random bases: mean 0.005, none of 3,000 pairs over 0.07). A copy that strips all of what its
parent wrapped can come back to the base's exact text; it stays, as it would in the wild, a member of
the same cluster.

Hard negatives. About 8% of the time a ``splice`` is made instead of a family: the first half of one
earlier base's sentences followed by the second half of another's, sometimes wrapped in boilerplate.
A splice is a different document, so it is a singleton cluster of its own; base_id is "a+b".

Exact offsets. A document is a list of pieces ``(separator_before, text, label)`` (label None for a
content sentence); transformations edit pieces, and offsets are computed only when the pieces are
joined, so every span is exact whatever was applied.

Determinism and scale. All randomness comes from one ``random.Random(seed)``; nothing depends on set
iteration order or string hashing (a cache of regex matches only saves time). Work is constant per row
(one family at a time), so time is linear in n: 100,000 rows take about 40 s on one core. Rows are
made in chunks of whole families of at least SHUFFLE_ROWS rows, each shuffled before doc_ids are given
(so neither order nor ids reveal the clusters within a chunk) and handed out by ``stream``; splices
draw on the bases of the current chunk and the last SPLICE_WINDOW before it. Memory is therefore
bounded at any n (only the sentence sets already used, for uniqueness, grow: a few dozen bytes a
base), and a corpus of at most SHUFFLE_ROWS rows is one chunk, shuffled as a whole.
"""

from __future__ import annotations

import functools
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from wirecopy.core.text import remove_spans, sentence_spans

__all__ = ["TRANSFORMATIONS", "content_pool", "family_sizes", "generate", "stream"]

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
BASE_SENTENCES = (5, 12)
RECAST_RATE = 0.2  # share of longer lower-case words a base swaps for other pool words

# (separator before, text, boilerplate label or None for a content sentence)
Piece = tuple[str, str, str | None]

# ---------------------------------------------------------------------------------------------------
# Content pool

def _sentences(paragraph: str) -> list[str]:
    return [" ".join(paragraph[start:end].split()) for start, end in sentence_spans(paragraph)]


def content_pool(articles: Iterable[dict]) -> list[tuple[str, str]]:
    """(article_id, sentence) for every content sentence: text less gold boilerplate and title."""
    pool: list[tuple[str, str]] = []
    seen: dict[str, None] = {}
    for article in articles:
        text = article["text"]
        cuts = [(s["start"], s["end"]) for s in article.get("boilerplate_spans") or []]
        if article.get("title_start") is not None and article.get("title_end") is not None:
            cuts.append((article["title_start"], article["title_end"]))
        elif article.get("title") and article["title"] in text:
            start = text.index(article["title"])
            cuts.append((start, start + len(article["title"])))
        for paragraph in remove_spans(text, cuts).split("\n"):
            for sentence in _sentences(paragraph):
                if len(sentence.split()) >= 4 and sentence not in seen:
                    seen[sentence] = None
                    pool.append((str(article.get("article_id", "")), sentence))
    return pool


# ---------------------------------------------------------------------------------------------------
# Boilerplate pool

_HEADER = ("section_label", "tags", "byline", "dateline", "reading_time", "photo_caption",
           "photo_credit", "audio_notice", "ui_control")
_INLINE = ("related_teaser", "navigation")
# every other label (outlet_promo, newsletter_prompt, comment_prompt, reporting_credits,
# standards_footer, ...) goes to the footer

_GENERIC = (
    ("World", "section_label"),
    ("Politics", "section_label"),
    ("Asia Pacific", "section_label"),
    ("Europe, Russia, China, Diplomacy", "tags"),
    ("By Staff Reporter", "byline"),
    ("By Anna Petrova and Li Wei, World Desk", "byline"),
    ("MOSCOW (Reuters) –", "dateline"),
    ("BEIJING (AP) —", "dateline"),
    ("March 20, 2023 9:41 AM GMT", "dateline"),
    ("Updated 2 hours ago", "dateline"),
    ("4 min read", "reading_time"),
    ("Photo: AP", "photo_credit"),
    ("Photo by Getty Images", "photo_credit"),
    ("(Photo: Reuters/Pool)", "photo_credit"),
    ("Font Size:", "ui_control"),
    ("Share this article", "ui_control"),
    ("Listen to this article", "audio_notice"),
    ("Latest updates", "navigation"),
    ("Related:", "related_teaser"),
    ("Sign up for our newsletter", "newsletter_prompt"),
    ("Get the day's top stories in your inbox every morning.", "newsletter_prompt"),
    ("Leave a Reply", "comment_prompt"),
    ("Comments are closed.", "comment_prompt"),
    ("Our standards: The Trust Principles.", "standards_footer"),
    ("Reporting by newsroom staff; Editing by the world desk", "reporting_credits"),
    ("Read more exclusive news from our newsroom.", "outlet_promo"),
    ("Follow us on X and Facebook for the latest updates.", "outlet_promo"),
)
_TEASER_TEMPLATES = ("Related: {}", "See also: {}", "READ MORE: {}", "(RELATED: {})")
_GENERIC_HEADLINES = (
    "Markets slip as investors weigh rate outlook",
    "Storm leaves thousands without power",
    "AAA predicts busiest ever holiday travel season",
)


def _boilerplate_pool(articles: list[dict]) -> dict[str, list[tuple[str, str]]]:
    """{"header"|"inline"|"footer": [(text, label)]}, the seeds' gold boilerplate first."""
    items: dict[tuple[str, str], None] = {}
    for article in articles:
        for span in article.get("boilerplate_spans") or []:
            text = span["text"].strip()
            if span["label"] != "extraction_residue" and len(text) >= 4:
                items[(text, span["label"])] = None
    for item in _GENERIC:
        items[item] = None
    headlines = [a["title"] for a in articles if a.get("title")] + list(_GENERIC_HEADLINES)
    for template in _TEASER_TEMPLATES:
        for headline in headlines:
            items[(template.format(headline), "related_teaser")] = None
    pool: dict[str, list[tuple[str, str]]] = {"header": [], "inline": [], "footer": []}
    for text, label in items:
        where = "header" if label in _HEADER else "inline" if label in _INLINE else "footer"
        pool[where].append((text, label))
    return pool


# ---------------------------------------------------------------------------------------------------
# Word tables

_SYNONYMS = (
    ("said", "stated"),
    ("plans to", "intends to", "is planning to"),
    ("the visit", "the trip"),
    ("visit to", "trip to"),
    ("’s visit", "’s trip"),
    ("'s visit", "'s trip"),
    ("meet with", "hold talks with"),
    ("partnership", "alliance"),
    ("no limits", "borderless"),
    ("confirmed", "elected"),
    ("war", "conflict"),
    ("peace talks", "peace negotiations"),
    ("expected", "anticipated"),
    ("skepticism", "doubts"),
    ("top diplomat", "chief diplomat"),
    ("counterpart", "opposite number"),
    ("strengthen", "bolster"),
    ("as soon as", "as early as"),
    ("possibly", "potentially"),
    ("announced", "declared"),
    ("in person", "face-to-face"),
    ("sanctions", "penalties"),
    ("Kremlin spokesman", "Kremlin spokesperson"),
    ("Chinese President", "Chinese leader"),
    ("Russian President", "Russian leader"),
    ("weeks before", "weeks ahead of"),
)
_SYNONYM_OF: dict[str, tuple[str, ...]] = {}
for _group in _SYNONYMS:
    for _word in _group:
        _SYNONYM_OF.setdefault(_word, tuple(w for w in _group if w != _word))

_ATTRIBUTIONS = (
    (r"people familiar with the matter said", ("sources said", "sources told Reuters", "officials said")),
    (r"sources familiar with the matter", ("people familiar with the matter", "sources")),
    (r"told reporters in Moscow", ("told Reuters", "told reporters", "said in Moscow")),
    (r"told reporters", ("told Reuters", "told the outlet", "said")),
    (r"told Reuters", ("told reporters", "told the outlet", "told the news agency")),
    (r"sources told", ("people familiar with the matter told", "officials told")),
    (r"Reuters reported", ("the news agency reported", "Reuters said")),
    (r"WSJ reported", ("the Journal reported", "the newspaper reported")),
    (r"according to WSJ", ("according to the Journal", "according to the newspaper")),
    (r"according to sources", ("according to people familiar with the matter", "sources said")),
    (r"said(?= that\b|\.$)", ("told the outlet", "told reporters")),
)


def _alternation(keys: Iterable[str]) -> str:
    """Literal keys, longest first; keys that start and end with a letter must be whole words."""
    keys = sorted(keys, key=lambda k: (-len(k), k))
    words = [re.escape(k) for k in keys if k[0].isalnum() and k[-1].isalnum()]
    others = [re.escape(k) for k in keys if not (k[0].isalnum() and k[-1].isalnum())]
    return "|".join(others + ["\\b(?:" + "|".join(words) + ")\\b"])


_SPIN = re.compile(_alternation(_SYNONYM_OF))
_ATTRIBUTION = re.compile("|".join(f"({pattern})" for pattern, _ in _ATTRIBUTIONS))


@functools.lru_cache(maxsize=1 << 16)
def _matches(pattern: re.Pattern, text: str) -> tuple[tuple[int, int, str, int], ...]:
    """(start, end, matched text, group number) of each match; cached, as most sentences recur."""
    return tuple((m.start(), m.end(), m.group(), m.lastindex or 0) for m in pattern.finditer(text))


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


_TOKEN = re.compile(r"\w+|\W+")
_SYLLABLES = ("ka", "lo", "mi", "ra", "ten", "vo", "sa", "del", "ni", "or", "ba", "ru", "ze", "an", "ti",
              "mar", "ol", "es", "ko", "lin", "da", "vi", "gor", "pe", "su", "hal", "it", "no", "bre", "ul")


def _vocabulary(sentences: list[str]) -> list[str]:
    return sorted({w for s in sentences for w in re.findall(r"\b[a-z]{4,}\b", s)})


def _recast(rng: random.Random, sentence: str, cast: dict[str, str], vocabulary: list[str]) -> str:
    """A base's own version of a pool sentence: capitalised words (after the first) and numbers replaced,
    consistently within the base, and about one longer word in RECAST_RATE swapped for another pool word.

    All bases come from one small pool of sentences, so without this two bases that drew most of the
    same sentences would be near-copies of each other while belonging to different clusters."""
    out = []
    for position, token in enumerate(_TOKEN.findall(sentence)):
        if not (token[0].isalnum() or token[0] == "_"):
            out.append(token)
        elif token.isdigit():
            out.append(str(rng.randrange(10 ** (len(token) - 1) if len(token) > 1 else 0, 10 ** len(token))))
        elif token[0].isupper() and position > 0:
            out.append(cast.setdefault(token, "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()))
        elif len(token) > 3 and rng.random() < RECAST_RATE:
            out.append(rng.choice(vocabulary))
        else:
            out.append(token)
    return "".join(out)


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


def _rewrite(rng: random.Random, pieces: list[Piece], pattern: re.Pattern, choose, p: float) -> list[Piece]:
    """Replace matches of pattern in content sentences, each with probability p (at least one).

    choose(matched text, group number) gives the replacement."""
    hits = [(i, m) for i in _content(pieces) for m in _matches(pattern, pieces[i][1])]
    chosen = [h for h in hits if rng.random() < p] or [rng.choice(hits)]
    by_piece: dict[int, list[tuple[int, int, str, int]]] = {}
    for i, m in chosen:
        by_piece.setdefault(i, []).append(m)
    out = list(pieces)
    for i, matches in by_piece.items():
        sep, text, label = pieces[i]
        parts, pos = [], 0
        for start, end, found, group in matches:  # in text order, as found
            parts += [text[pos:start], choose(found, group)]
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
    return _rewrite(rng, pieces, _SPIN, lambda found, _: rng.choice(_SYNONYM_OF[found]), 0.5)


def reattribute_quote(rng: random.Random, pieces: list[Piece], pool: dict) -> list[Piece]:
    return _rewrite(rng, pieces, _ATTRIBUTION, lambda _, group: rng.choice(_ATTRIBUTIONS[group - 1][1]), 0.3)


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


def generate(articles: list[dict], n: int, seed: int = 0) -> list[dict]:
    """Exactly n synthetic rows (see the module docstring); the same arguments give the same rows."""
    return list(stream(articles, n, seed))


def stream(articles: list[dict], n: int, seed: int = 0) -> Iterator[dict]:
    """``generate``'s rows one at a time, in memory bounded by SHUFFLE_ROWS rows whatever n is."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    articles = list(articles)
    sentences = [s for _, s in content_pool(articles)]
    if len(sentences) < BASE_SENTENCES[0]:
        raise ValueError(f"need at least {BASE_SENTENCES[0]} content sentences, found {len(sentences)}")
    pool = _boilerplate_pool(articles)
    rng = random.Random(seed)
    width = max(6, len(str(n)))
    sizes, size_weights = list(FAMILY_SIZE_WEIGHTS), list(FAMILY_SIZE_WEIGHTS.values())
    lo, hi = BASE_SENTENCES[0], min(BASE_SENTENCES[1], len(sentences))

    vocabulary = _vocabulary(sentences)
    records: list[tuple[str, str, list[str], list[Piece]]] = []  # cluster, base, transformations, pieces
    bases: list[tuple[str, list[str]]] = []  # (base_id, its recast sentences)
    seen: dict[tuple[int, ...], None] = {}  # membership only
    n_clusters = 0
    done = 0  # rows already handed out

    while done + len(records) < n:
        n_clusters += 1
        cluster_id = f"c-{n_clusters:0{width}d}"
        if len(bases) >= 2 and rng.random() < SPLICE_RATE:
            (a_id, a), (b_id, b) = rng.sample(bases, 2)
            pieces = _from_sentences(rng, a[: len(a) // 2] + b[len(b) // 2 :])
            names = ["splice"]
            if rng.random() < 0.5:
                pieces = wrap_boilerplate(rng, pieces, pool)
                names.append("wrap_boilerplate")
            records.append((cluster_id, f"{a_id}+{b_id}", names, pieces))
            continue

        for _ in range(100):  # a fresh sentence set; almost always the first draw
            idx = tuple(sorted(rng.sample(range(len(sentences)), rng.randint(lo, hi))))
            if idx not in seen:
                break
        seen[idx] = None
        base_id = f"b-{len(bases) + 1:0{width}d}"
        cast: dict[str, str] = {}  # one cast of characters per story
        recast = [_recast(rng, sentences[i], cast, vocabulary) for i in idx]
        bases.append((base_id, recast))
        base = _from_sentences(rng, recast)
        members: list[tuple[list[str], list[Piece], int]] = [([], base, 0)]  # (names, pieces, depth)
        size = min(rng.choices(sizes, weights=size_weights)[0], n - done - len(records))
        while len(members) < size:
            if rng.random() < EXACT_COPY_RATE:
                names, pieces, depth = rng.choice(members)
                members.append((names + ["exact_copy"], pieces, depth))
                continue
            direct = [m for m in members[1:] if m[2] == 1 and m[0][-1] != "exact_copy"]
            parent = members[0] if not direct or rng.random() < 0.6 else rng.choice(direct)
            names, pieces = _chain(rng, parent[1], pool)
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


if __name__ == "__main__":  # python -m wirecopy.builders.synthetic ARTICLES.parquet N [SEED]
    import sys
    import time

    import pyarrow.parquet as pq

    corpus = pq.read_table(sys.argv[1]).to_pylist()
    began = time.perf_counter()
    result = generate(corpus, int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    print(f"{len(result)} rows in {time.perf_counter() - began:.2f} s")
    print("family sizes:", family_sizes(result))
    print("transformations:", dict(Counter(t for row in result for t in row["transformations"]).most_common()))
