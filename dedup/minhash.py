"""Shingling and MinHash over a batch of documents, LSH band keys, and exact Jaccard of shingle sets.

The loops over bytes, words and shingles are compiled with numba and release the GIL, so the signature
threads run in parallel (no Python loop per document or per shingle, except to normalise the few texts
that need it). Shingle sets travel as *flat* arrays: ``values`` (the sorted unique hashes of every
document, one after the other) and ``offsets`` (document ``i`` is ``values[offsets[i]:offsets[i+1]]``).

- Shingles: NFKC, case-folded, words (``\\w+`` as polars' regex defines it), each word's UTF-8 bytes
  hashed to 64 bits (FNV-1a, then splitmix64 mixing), and each run of ``ngram`` consecutive words folded
  into one 64-bit shingle hash (splitmix64 mixing, order-sensitive); one sorted set per document. A text
  of fewer than ``ngram`` words gives one shingle of all its words; an empty text none. Texts of ASCII
  and "inert" characters (``_inert``: 99 % of the synthetic corpus) are read from their raw bytes, which
  gives the same words as normalising them; only the others go through Python's ``unicodedata`` first.
- MinHash, two schemes (``MinHashParams.one_permutation``), each ``num_perm`` unsigned 32-bit values:
  - ``num_perm`` permutations: permutation ``k`` maps a shingle hash ``x`` to
    ``(a_k * x + b_k) mod 2^64 >> 32`` (multiply-shift hashing with wrapping 64-bit arithmetic), and a
    signature keeps the minimum per permutation: ``num_perm`` hashes per shingle.
  - one permutation hashing with optimal densification (Shrivastava 2017, "Optimal densification for
    fast and accurate minwise hashing"): one hash per shingle, whose high bits pick one of ``num_perm``
    bins and whose low 32 bits compete for that bin's minimum; a bin that no shingle fell into copies
    the value of a non-empty bin chosen by a probe sequence fixed per bin (the same in every document),
    so that two similar documents fill their empty bins alike. Its Jaccard estimate is unbiased with a
    variance close to that of ``num_perm`` permutations (the paper's analysis). The default: pairwise F1
    on the 100k synthetic corpus (seeds 42, 1, 2, 3; 32 x 4 bands) 0.9587, 0.9582, 0.9584, 0.9592 against
    0.9580, 0.9574, 0.9581, 0.9587 with 128 permutations (and 0.9596, 0.9583, 0.9565, 0.9580 with the
    polars word hashes used before), 0.8449 against 0.8449 at 1M (seed 42); the signature kernel runs
    1.8x faster, on top of the shingling, which now dominates.
- LSH: ``bands`` bands of ``num_perm / bands`` rows; two documents are candidates when all rows of
  any one band agree. With b bands of r rows, a pair at Jaccard s becomes a candidate with probability
  ``1 - (1 - s^r)^b``: 32 x 4 catches s = 0.4 with p = 0.56, s = 0.5 with p = 0.87, s = 0.6 with
  p = 0.99, and s = 0.2 with p = 0.05 (fewer false candidates to verify). More rows per band mean fewer
  false positives and more false negatives.
- Giant buckets: a band key shared by more than ``bucket_limit`` documents (a story syndicated a
  thousand times, shared boilerplate, a common phrase that happens to hold a band's minima) would give
  k(k-1)/2 candidates. Such a bucket gives only the pairs of each member with its ``anchors`` smallest
  documents (as NeMo Curator's anchor documents do), so work grows linearly with its size. Copies still
  join through the anchors; a pair is missed only if neither document is similar to an anchor and the
  two share no other band. On the 1M synthetic corpus this cut candidates from 12.4M to 3.5M at an
  unchanged F1 (0.9686 -> 0.9685).
"""

import functools
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

import numba
import numpy as np
import polars as pl
import pyarrow as pa

_EMPTY = np.uint64(0xFFFFFFFF)  # the signature value of an empty set: it matches only other empty sets


# Sane ranges: beyond them a run is nonsense (0 permutations) or exhausts memory (100,000 permutations
# in 100,000 bands took 23 GB on 2,000 documents). Published MinHash dedup uses 9..20 x 5..450 = <= 9,000
# hashes; 1,024 covers every setting we know of at one machine's scale.
LIMITS = {"ngram": (1, 32), "num_perm": (1, 1024), "bands": (1, 1024), "bucket_limit": (2, 1_000_000), "anchors": (1, 1_000), "seed": (0, 2**63 - 1)}


class InvalidParameter(ValueError):
    """A parameter out of its range; ``name`` is the field of ``MinHashParams``."""

    def __init__(self, name: str, message: str):
        self.name = name
        super().__init__(f"{name} {message}")


@dataclass(frozen=True)
class MinHashParams:
    ngram: int = 3
    num_perm: int = 128
    bands: int = 32
    threshold: float = 0.4  # verified Jaccard at or above which two documents are duplicates
    bucket_limit: int = 50  # band buckets larger than this are verified against their anchors only
    anchors: int = 2
    seed: int = 42
    one_permutation: bool = True  # one hash per shingle (densified) instead of num_perm (module docstring)

    def __post_init__(self):
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise InvalidParameter(name, f"must be an integer in {low}..{high:,}, not {value!r}")
        if self.num_perm % self.bands:
            raise InvalidParameter("bands", f"({self.bands}) must divide num_perm ({self.num_perm})")
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, (int, float)) or not 0 < self.threshold <= 1:
            raise InvalidParameter("threshold", f"must be in (0, 1], not {self.threshold!r}")
        if not isinstance(self.one_permutation, bool):
            raise InvalidParameter("one_permutation", f"must be true or false, not {self.one_permutation!r}")
        if self.anchors > self.bucket_limit:
            raise InvalidParameter("anchors", f"({self.anchors}) must not exceed bucket_limit ({self.bucket_limit})")

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands

    def as_dict(self) -> dict:
        return {**asdict(self), "rows": self.rows}


def permutations(params: MinHashParams) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of each permutation: a odd, both 64-bit, from the seed."""
    rng = np.random.default_rng(params.seed)
    a = rng.integers(1, 2**63, params.num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, params.num_perm, dtype=np.uint64)
    return a, b


def normalised(text: str) -> str:
    """NFKC, case-folded as the benchmark does it (only for texts with characters that ``_inert`` does not cover)."""
    return unicodedata.normalize("NFKC", text).casefold()


def as_lists(values: np.ndarray, offsets: np.ndarray) -> pl.Series:
    """The list column of (values, offsets)."""
    return pl.Series(pl.from_arrow(pa.LargeListArray.from_arrays(pa.array(offsets), pa.array(values))))


@functools.cache
def _word_characters() -> np.ndarray:
    """Whether each code point is ``\\w`` for polars' regex (Rust's Unicode word class), so that compiled
    code splits words exactly where ``str.extract_all(r"\\w+")`` did. Built by polars itself, in 0.1 s."""
    code_points = np.concatenate([np.arange(0xD800), np.arange(0xE000, 0x110000)]).astype(np.uint32)  # all but surrogates
    marked = pl.Series([code_points.tobytes().decode("utf-32-le")]).str.replace_all(r"\W", "\x00").item()
    table = np.zeros(0x110000, dtype=np.bool_)
    table[code_points] = np.frombuffer(marked.encode("utf-32-le"), dtype=np.uint32) != 0
    return table


@functools.cache
def _inert() -> np.ndarray:
    """Non-ASCII code points of the BMP that NFKC and case folding leave alone whatever surrounds them:
    unchanged alone (NFKC and casefold), a starter (combining class 0, so never reordered) and never the
    second character of a canonical composition (so nothing composes with them). A text whose non-ASCII
    characters are all inert is its own NFKC form, and its case fold is its ASCII lower case: compiled
    code reads its words from the raw bytes. Curly quotes, dashes, currency signs and accented small
    letters are inert; ``…``, ``™``, ``½``, capitals and combining marks are not."""
    second = set()
    for code in range(0x10000):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<") and len(decomposition.split()) == 2:
            second.add(int(decomposition.split()[1], 16))
    table = np.zeros(0x10000, dtype=np.bool_)
    for code in range(0x80, 0x10000):
        character = chr(code)
        conjoining_jamo = 0x1100 <= code < 0x1200 or 0xA960 <= code < 0xA980 or 0xD7B0 <= code < 0xD800  # Hangul composes algorithmically
        if not (0xD800 <= code < 0xE000 or conjoining_jamo or code in second):
            table[code] = unicodedata.combining(character) == 0 and unicodedata.normalize("NFKC", character) == character and character.casefold() == character
    return table


def _utf8(texts: "list[str] | pa.Array") -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of ``texts`` one after the other, and each text's byte offsets (Arrow's layout).
    An Arrow string array (no nulls) is used as it is, without a copy."""
    array = texts if isinstance(texts, pa.Array) else pa.array(texts, type=pa.large_string())
    _, offsets, data = array.buffers()
    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(offsets, dtype=width)[array.offset : array.offset + len(array) + 1].astype(np.int64, copy=False)
    return (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)), offsets


@numba.njit(cache=True, nogil=True)
def _code_point(data, at):
    """The code point that starts at byte ``at`` of valid UTF-8, and its length in bytes."""
    lead = np.int64(data[at])
    if lead < 0x80:
        return lead, 1
    if lead < 0xE0:
        return ((lead & 0x1F) << 6) | (np.int64(data[at + 1]) & 0x3F), 2
    if lead < 0xF0:
        return ((lead & 0x0F) << 12) | ((np.int64(data[at + 1]) & 0x3F) << 6) | (np.int64(data[at + 2]) & 0x3F), 3
    return ((lead & 0x07) << 18) | ((np.int64(data[at + 1]) & 0x3F) << 12) | ((np.int64(data[at + 2]) & 0x3F) << 6) | (np.int64(data[at + 3]) & 0x3F), 4


@numba.njit(cache=True, nogil=True)
def _plain(data, offsets, inert):
    """Per text: whether every character is ASCII or inert (see ``_inert``)."""
    out = np.ones(len(offsets) - 1, dtype=np.bool_)
    for i in range(len(out)):
        at = offsets[i]
        while at < offsets[i + 1]:
            if data[at] < 0x80:
                at += 1
                continue
            code, size = _code_point(data, at)
            if code >= len(inert) or not inert[code]:
                out[i] = False
                break
            at += size
    return out


@numba.njit(cache=True, nogil=True)
def _mix(h):
    h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


@functools.cache
def _ascii_words() -> np.ndarray:
    """For each ASCII byte: 0 when it is not a word character, else the byte case-folded (the kernel's
    fast path: no code point to decode, no case to fold)."""
    table = np.zeros(128, dtype=np.uint8)
    for byte in np.flatnonzero(_word_characters()[:128]):
        table[byte] = byte + 32 if 65 <= byte <= 90 else byte
    return table


_FNV_OFFSET, _FNV_PRIME = np.uint64(0xCBF29CE484222325), np.uint64(0x100000001B3)


@numba.njit(cache=True, nogil=True)
def _word_hashes(data, start, end, word_characters, ascii_words, words):
    """The FNV-1a hash of each word of ``data[start:end]`` (its case-folded UTF-8 bytes), in order, into
    ``words`` (room for ``(end - start) // 2 + 2``: a word has at least one byte and a separator after
    it); returns how many. An ASCII byte takes no branch: the running hash is stored at the next word's
    place on every byte and that place moves on only where a word ends, so the word boundaries (a coin
    toss every few bytes) cost no mispredicted jumps (0.48 -> 0.39 s per 100k documents on one core)."""
    count, h, in_word = 0, _FNV_OFFSET, np.uint64(0)
    at = start
    while at < end:
        if data[at] < 0x80:
            folded = np.uint64(ascii_words[data[at]])  # 0: not a word character
            is_word = np.uint64(folded != 0)
            words[count] = h
            count += in_word & (is_word ^ np.uint64(1))
            extended = (h ^ folded) * _FNV_PRIME
            h = extended if is_word else _FNV_OFFSET
            size = 1
        else:  # a non-ASCII character: its texts come case-folded
            code, size = _code_point(data, at)
            is_word = np.uint64(word_characters[code])
            words[count] = h
            count += in_word & (is_word ^ np.uint64(1))
            if is_word:
                for b in range(at, at + size):
                    h = (h ^ np.uint64(data[b])) * _FNV_PRIME
            else:
                h = _FNV_OFFSET
        in_word = is_word
        at += size
    words[count] = h  # the end of the text ends a word
    return count + np.int64(in_word)


@numba.njit(cache=True, nogil=True)
def _shingle_sets(data, starts, ends, word_characters, ascii_words, ngram):
    # Text i is data[starts[i]:ends[i]]; a text of L bytes holds at most L // 2 + 1 words, and as many
    # shingles at most. Each shingle hash folds ``ngram`` mixed word hashes, oldest first, read straight
    # from the text's word hashes: shingles do not depend on each other, so the processor overlaps their
    # folds (folding from a ring of the last ``ngram`` words instead: 0.39 s per 100k documents, not 0.32).
    total, longest = 0, 0
    for i in range(len(starts)):
        total += (ends[i] - starts[i]) // 2 + 1
        longest = max(longest, ends[i] - starts[i])
    values = np.empty(total, dtype=np.uint64)
    out = np.zeros(len(starts) + 1, dtype=np.int64)
    words = np.empty(longest // 2 + 2, dtype=np.uint64)
    counts, scratch = np.empty(_BUCKET_SORT_MAX + 1, dtype=np.int64), np.empty(_BUCKET_SORT_MAX, dtype=np.uint64)
    for i in range(len(starts)):
        kept = out[i]
        n_words = _word_hashes(data, starts[i], ends[i], word_characters, ascii_words, words)
        for w in range(n_words):
            words[w] = _mix(words[w])
        count = n_words - ngram + 1 if n_words >= ngram else min(n_words, 1)  # a short text: one shingle of all its words
        for s in range(count):
            h = np.uint64(ngram)
            for w in range(s, min(s + ngram, n_words)):
                h = _mix(h ^ words[w])
            values[kept + s] = h
        out[i + 1] = kept + _sort_unique(values, kept, count, counts, scratch)
    return values[: out[-1]], out


_BUCKET_SORT_MAX = 8192  # a longer set goes to np.sort: its buckets would outgrow insertion sort


@numba.njit(cache=True, nogil=True)
def _sort_unique(values, start, count, counts, scratch):
    """Sort ``values[start : start + count]`` and drop repeats in place; returns how many are left.
    Shingle hashes are uniform 64-bit values, so a counting sort on their top bits (about one bucket
    per value) followed by an insertion sort of the nearly sorted result beats numba's quicksort 4x on
    sets of ~170 (it was half of the shingling time: branch mispredictions). Same result as np.sort."""
    if count > _BUCKET_SORT_MAX:
        block = np.sort(values[start : start + count])
    else:
        bits = 1
        while (1 << bits) < count:
            bits += 1
        shift, buckets = np.uint64(64 - bits), 1 << bits
        counts[: buckets + 1] = 0
        for j in range(start, start + count):
            counts[np.int64(values[j] >> shift) + 1] += 1
        for k in range(buckets):
            counts[k + 1] += counts[k]
        for j in range(start, start + count):
            bucket = np.int64(values[j] >> shift)
            scratch[counts[bucket]] = values[j]
            counts[bucket] += 1
        for j in range(1, count):  # only within a bucket are values out of order
            x, k = scratch[j], j
            while k > 0 and scratch[k - 1] > x:
                scratch[k] = scratch[k - 1]
                k -= 1
            scratch[k] = x
        block = scratch[:count]
    unique = 0
    for j in range(count):
        if j == 0 or block[j] != block[j - 1]:
            values[start + unique] = block[j]
            unique += 1
    return unique


def shingle_hashes(texts: "list[str] | pa.Array", ngram: int) -> tuple[np.ndarray, np.ndarray]:
    """The shingle sets of ``texts`` (a list, or an Arrow string array without nulls, read in place) as
    flat (values, offsets), each document's values sorted and unique.

    Words are ``\\w+`` runs (polars' regex class; curly quotes count as word boundaries, as in the
    benchmark) of the NFKC, case-folded text. Compiled code reads them from the UTF-8 bytes without the
    GIL; only texts with characters that are not ASCII or inert (``_inert``: about 1 % of the synthetic
    corpus) are normalised by Python first, and appended after the others' bytes."""
    data, offsets = _utf8(texts)
    starts, ends = offsets[:-1], offsets[1:]
    plain = _plain(data, offsets, _inert())
    if not plain.all():
        others = np.flatnonzero(~plain)
        more, more_offsets = _utf8([normalised(texts[i].as_py() if isinstance(texts, pa.Array) else texts[i]) for i in others])
        starts, ends = starts.copy(), ends.copy()
        starts[others], ends[others] = more_offsets[:-1] + len(data), more_offsets[1:] + len(data)
        data = np.concatenate([data, more])
    return _shingle_sets(data, starts, ends, _word_characters(), _ascii_words(), ngram)


@numba.njit(cache=True, nogil=True)
def _signatures(values, offsets, a, b):
    out = np.empty((len(offsets) - 1, len(a)), dtype=np.uint32)
    row = np.empty(len(a), dtype=np.uint64)
    for i in range(len(offsets) - 1):
        row[:] = _EMPTY
        for j in range(offsets[i], offsets[i + 1]):
            for k in range(len(a)):
                row[k] = min(row[k], (a[k] * values[j] + b[k]) >> np.uint64(32))
        out[i] = row
    return out


_PROBES_KEPT = 16  # probes per bin computed once per call; a bin needs more in sparse documents only


@numba.njit(cache=True, nogil=True)
def _probe(key, k, attempt, num_perm):
    """The bin that bin ``k``'s ``attempt``-th probe reads (the same in every document)."""
    probe = _mix(key ^ _mix((np.uint64(k) << np.uint64(32)) | np.uint64(attempt)))
    return ((probe >> np.uint64(32)) * np.uint64(num_perm)) >> np.uint64(32)


@numba.njit(cache=True, nogil=True)
def _one_permutation(values, offsets, num_perm, key):
    out = np.empty((len(offsets) - 1, num_perm), dtype=np.uint32)
    unset = np.uint64(1) << np.uint64(32)  # above every 32-bit value
    row = np.empty(num_perm, dtype=np.uint64)
    probes = np.empty((num_perm, _PROBES_KEPT), dtype=np.uint64)  # about 35 of 128 bins are empty at 165 shingles: no hashing per document
    for k in range(num_perm):
        for attempt in range(_PROBES_KEPT):
            probes[k, attempt] = _probe(key, k, attempt + 1, num_perm)
    for i in range(len(offsets) - 1):
        row[:] = unset
        for j in range(offsets[i], offsets[i + 1]):
            h = _mix(values[j] ^ key)
            slot = ((h >> np.uint64(32)) * np.uint64(num_perm)) >> np.uint64(32)  # high bits choose the bin
            row[slot] = min(row[slot], h & np.uint64(0xFFFFFFFF))  # low bits rank within it (no branch: a new minimum is a coin toss)
        for k in range(num_perm):
            if offsets[i + 1] == offsets[i]:
                out[i, k] = _EMPTY
                continue
            # Optimal densification: an empty bin takes the value of the first non-empty bin that its own
            # sequence of probes (the same in every document) reaches.
            attempt, source = 0, np.uint64(k)
            while row[source] == unset:
                attempt += 1
                source = probes[k, attempt - 1] if attempt <= _PROBES_KEPT else _probe(key, k, attempt, num_perm)
            out[i, k] = row[source]
    return out


def signatures(values: np.ndarray, offsets: np.ndarray, params: MinHashParams) -> np.ndarray:
    """MinHash signatures (n_documents x num_perm, uint32) of flat shingle sets; an empty set gives
    all 2^32 - 1 (it matches nothing but other empty documents). ``params.one_permutation`` picks one
    permutation hashing, densified (one hash per shingle), or ``num_perm`` permutations (``num_perm``)."""
    a, b = permutations(params)
    if params.one_permutation:
        return _one_permutation(values, offsets, params.num_perm, b[0])
    return _signatures(values, offsets, a, b)


@numba.njit(cache=True, nogil=True)
def _band_keys(signature_matrix, bands, rows):
    keys = np.empty((len(signature_matrix), bands), dtype=np.uint64)
    for i in range(len(signature_matrix)):
        for band in range(bands):
            key = np.uint64(0)
            for r in range(band * rows, (band + 1) * rows):
                key = (key ^ np.uint64(signature_matrix[i, r])) * _FNV_PRIME  # FNV-style mixing, wrapping
            keys[i, band] = key
    return keys


def band_keys(signature_matrix: np.ndarray, params: MinHashParams) -> np.ndarray:
    """One 64-bit key per (document, band): the band's rows hashed together (n_documents x bands).
    Compiled: numpy's version made five temporary arrays per batch, the largest 5 MB."""
    return _band_keys(np.ascontiguousarray(signature_matrix, dtype=np.uint32), params.bands, params.rows)


def bucket_pairs(keys: np.ndarray, bucket_limit: int, anchors: int) -> np.ndarray:
    """The candidate pairs of one band, as sorted codes ``a * n + b`` (a < b, n = len(keys); a pair may
    repeat): documents with equal ``keys[doc]``; a bucket over ``bucket_limit`` pairs each member with
    its ``anchors`` smallest documents only."""
    order = np.argsort(keys)  # not stable (5x faster than a stable sort at 1M): _codes_in_runs orders each bucket
    bounds = np.concatenate([[0], np.flatnonzero(np.diff(keys[order])) + 1, [len(keys)]])
    codes = _codes_in_runs(order, bounds, bucket_limit, anchors, len(keys))
    codes.sort()
    return codes


def band_candidates(keys_of: Callable[[int], np.ndarray], bands: Iterable[int], bucket_limit: int, anchors: int) -> np.ndarray:
    """The sorted, distinct candidate codes (``bucket_pairs``) of ``bands``, band ``b``'s keys being
    ``keys_of(b)``. Similar documents share many bands (19M pairs at 1M documents hold 3M distinct
    ones): each band's codes are merged into the set as they come, in two buffers in turn (fresh memory
    costs page faults; sorting them all at the end was 0.7 s on one core)."""
    union, spare, size = np.zeros(0, np.int64), np.zeros(0, np.int64), 0
    for band in bands:
        codes = bucket_pairs(keys_of(band), bucket_limit, anchors)  # one code per pair (np.unique is 50x slower here)
        if len(spare) < size + len(codes):
            spare = np.empty(2 * (size + len(codes)), np.int64)
        size = sorted_union(union[:size], codes, spare)
        union, spare = spare, union
    return union[:size]


_INSERTION_SORT_MAX = 32  # a bucket of more documents is ordered by np.sort


@numba.njit(cache=True, nogil=True)
def _codes_in_runs(order, bounds, bucket_limit, anchors, n):
    sizes = np.diff(bounds)
    for run in range(len(sizes)):  # each bucket's documents in increasing order: a < b, and the anchors are its smallest
        start, end = bounds[run], bounds[run + 1]
        if end - start > _INSERTION_SORT_MAX:
            order[start:end] = np.sort(order[start:end])
            continue
        for j in range(start + 1, end):  # most buckets hold 2 or 3 documents: no array to allocate (3x faster)
            x, k = order[j], j
            while k > start and order[k - 1] > x:
                order[k] = order[k - 1]
                k -= 1
            order[k] = x
    partners = np.where(sizes <= bucket_limit, sizes, np.minimum(anchors, sizes))
    codes = np.empty((partners * sizes - partners * (partners + 1) // 2).sum(), dtype=np.int64)
    at = 0
    for run in range(len(sizes)):
        start, end = bounds[run], bounds[run + 1]
        for i in range(start, start + partners[run]):
            for j in range(i + 1, end):
                codes[at] = order[i] * n + order[j]
                at += 1
    return codes


@numba.njit(cache=True, nogil=True)
def sorted_union(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> int:
    """The sorted union, without repeats, of two sorted int64 arrays (which may hold repeats), merged
    into ``out`` (another buffer, at least ``len(a) + len(b)`` long); returns its length."""
    i, j, k = 0, 0, 0
    while i < len(a) or j < len(b):
        if j == len(b) or (i < len(a) and a[i] <= b[j]):
            x = a[i]
            i += 1
        else:
            x = b[j]
            j += 1
        if k == 0 or out[k - 1] != x:
            out[k] = x
            k += 1
    return k


@numba.njit(cache=True, nogil=True)
def _needed(size, threshold):
    """The fewest common shingles ``c`` for which ``c / (size - c)`` (float64, as the result is computed)
    is at least ``threshold``, for two sets of ``size`` members in all (``size // 2 + 1``: none can)."""
    if size == 0:
        return 0  # two empty sets: 1.0
    c = min(max(np.int64(threshold * size / (1.0 + threshold)), 0), size // 2 + 1)
    while c > 0 and (c - 1) / (size - (c - 1)) >= threshold:
        c -= 1
    while c <= size // 2 and c / (size - c) < threshold:
        c += 1
    return c


@numba.njit(cache=True, nogil=True)
def _merged(x, i, i_end, y, j, j_end, common, need):
    """``common`` plus the members that sorted ``x[i:i_end]`` and ``y[j:j_end]`` share; it stops as soon as
    those found plus those still possible fall short of ``need`` (exact: float division is monotone)."""
    while i < i_end and j < j_end:  # a merge without branches to mispredict
        if common + min(i_end - i, j_end - j) < need:
            break
        a, b = x[i], y[j]
        common += a == b
        i += a <= b
        j += b <= a
    return common


@numba.njit(cache=True, nogil=True)
def _similarity(common, size, need):
    """The Jaccard of two sets of ``size`` members in all with ``common`` shared; -1 below ``need``."""
    if common < need:
        return -1.0
    union = size - common
    return common / union if union > 0 else 1.0


@numba.njit(cache=True, parallel=True)
def _jaccard(parts, part, begin, end, left, right, threshold):
    # Two pairs' merges in one loop: each merge is a chain of dependent steps (load, compare, advance),
    # and the processor runs the other chain in their gaps (1.45 -> 0.98 s for the 3.1M pairs of 1M
    # documents; four chains gave 0.87 s for twice the code). With an odd count the last pair runs twice.
    out = np.empty(len(left), dtype=np.float64)
    for q in numba.prange((len(left) + 1) // 2):
        p, r = 2 * q, min(2 * q + 1, len(left) - 1)
        x, y, u, v = parts[part[left[p]]], parts[part[right[p]]], parts[part[left[r]]], parts[part[right[r]]]
        i, i_end, j, j_end = begin[left[p]], end[left[p]], begin[right[p]], end[right[p]]
        k, k_end, m, m_end = begin[left[r]], end[left[r]], begin[right[r]], end[right[r]]
        size_p, size_r = (i_end - i) + (j_end - j), (k_end - k) + (m_end - m)
        need_p = _needed(size_p, threshold) if threshold >= 0.0 else 0
        need_r = _needed(size_r, threshold) if threshold >= 0.0 else 0
        common_p, common_r = 0, 0
        while i < i_end and j < j_end and k < k_end and m < m_end:  # both merges, until one ends
            if common_p + min(i_end - i, j_end - j) < need_p or common_r + min(k_end - k, m_end - m) < need_r:
                break
            a, b, c, d = x[i], y[j], u[k], v[m]
            common_p += a == b
            i += a <= b
            j += b <= a
            common_r += c == d
            k += c <= d
            m += d <= c
        out[p] = _similarity(_merged(x, i, i_end, y, j, j_end, common_p, need_p), size_p, need_p)
        out[r] = _similarity(_merged(u, k, k_end, v, m, m_end, common_r, need_r), size_r, need_r)
    return out


def jaccard(values: np.ndarray, offsets: np.ndarray, left: np.ndarray, right: np.ndarray, threshold: float | None = None) -> np.ndarray:
    """Exact Jaccard of the shingle sets of documents ``left[p]`` and ``right[p]`` (1.0 for two empty sets).
    With ``threshold``, a pair below it may get -1.0 instead (its merge stops once it cannot reach it);
    every pair at or above it gets its exact value."""
    return jaccard_in_parts([(values, offsets)], left, right, threshold)


def _read_only(values: np.ndarray) -> np.ndarray:
    """A read-only uint64 view: parts read back from Parquet are read-only and parts held in memory are
    not, and a numba list takes one array type (a mix is cast, with a warning, to its first item's)."""
    view = np.asarray(values, dtype=np.uint64).view()
    view.flags.writeable = False
    return view


def jaccard_in_parts(parts: list[tuple[np.ndarray, np.ndarray]], left: np.ndarray, right: np.ndarray, threshold: float | None = None) -> np.ndarray:
    """``jaccard`` of flat shingle sets held in consecutive parts (a batch's ``values, offsets`` each,
    documents numbered across them in order), read where they are: one flat copy of 1.3 GB at 1M
    documents cost 3 s, mostly the kernel's page faults on fresh memory."""
    part = np.repeat(np.arange(len(parts), dtype=np.int64), [len(offsets) - 1 for _, offsets in parts])
    begin = np.concatenate([offsets[:-1] for _, offsets in parts] or [np.zeros(0, np.int64)]).astype(np.int64, copy=False)
    end = np.concatenate([offsets[1:] for _, offsets in parts] or [np.zeros(0, np.int64)]).astype(np.int64, copy=False)
    typed = numba.typed.List([_read_only(values) for values, _ in parts] or [_read_only(np.zeros(0, np.uint64))])
    return _jaccard(typed, part, begin, end, np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64), -1.0 if threshold is None else float(threshold))
