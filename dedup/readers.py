"""Readers: stream documents from a folder (or one file) of ``.txt``, JSONL and Parquet inputs.

Nothing is loaded whole: text files are read one at a time, JSONL line by line, Parquet in record
batches. Every record is checked (an id, a unique id, UTF-8, non-empty text); a bad record either
stops the run (``on_error="fail"``, the default) with the file, the record and the field, or is left
out and reported (``on_error="skip"``): never dropped silently.

- ``.txt``: one document per file; its id is the path relative to the input folder, without suffix.
- ``.jsonl``: one JSON object per line with an id (string or integer) and ``text``; any other keys are
  kept as ``metadata`` (a JSON string).
- ``.parquet``: an id column and ``text``; other columns are kept as ``metadata``.

The id of a ``.jsonl`` or ``.parquet`` record is its ``id`` field, or the field ``id_field`` names (the
release's ``dedup_synthetic`` config and ``wirecopy synth`` call it ``doc_id``); a problem with it is
reported under that name, and a record or file without it says which usual id field it has instead.

Suffixes are matched without regard to case (``a.JSONL`` is read). Every other file under a folder is
skipped and reported (``InputFiles.skipped``: the summary and the terminal list them), never ignored
silently. A file that cannot be read as its type (a truncated Parquet file, say) is a bad record like
any other: it stops the run, or with ``on_error="skip"`` it is rejected as a whole.
"""

import hashlib
import json
import os
from collections import deque
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from itertools import count, islice
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from wirecopy.core.errors import InputError
from wirecopy.core.jsonl import json_object
from wirecopy.core.outputs import MARKER

SUFFIXES = (".txt", ".jsonl", ".parquet")
ON_ERROR = ("fail", "skip")
ID_FIELD = "id"  # the id field of .jsonl and .parquet records unless told otherwise
USUAL_ID_FIELDS = ("id", "doc_id")  # suggested when a record lacks the id field asked for


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    metadata: str | None = None  # JSON object of the record's other fields


@dataclass(frozen=True)
class DocumentBatch:
    """Documents as two Arrow ``large_string`` arrays of equal length (no metadata): what
    ``read_batches`` yields, so that ids and texts reach the signature kernel as Arrow buffers without a
    Python object per document. Iterating gives the ``Document``s."""
    ids: pa.Array
    texts: pa.Array

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Document]:
        return (Document(i, t) for i, t in zip(self.ids.to_pylist(), self.texts.to_pylist()))


@dataclass(frozen=True)
class Rejected:
    file: str
    record: str
    field: str
    reason: str


@dataclass(frozen=True)
class InputFiles:
    root: Path  # .txt ids are paths relative to it
    read: list[Path]  # in the fixed order documents are read
    skipped: list[Rejected]  # files under the folder that are not an input type, with the reason


def _kind(path: Path) -> str:
    return path.suffix.lower()


def input_files(source: Path) -> InputFiles:
    """The input files of ``source`` (a file, or a folder searched recursively), in a fixed order."""
    source = Path(source)
    if source.is_file():
        if _kind(source) not in SUFFIXES:
            raise InputError(str(source), "-", "-", f"not an input type ({', '.join(SUFFIXES)}, in any case)")
        return InputFiles(source.parent, [source], [])
    if not source.is_dir():
        raise InputError(_shown(source), "-", "-", "no such file or folder")
    everything = sorted(p for p in source.rglob("*") if not p.is_dir() and p.name != MARKER)  # wirecopy's own output markers are no one's input
    read = [p for p in everything if p.is_file() and _kind(p) in SUFFIXES]
    skipped = [Rejected(_shown(p), "-", "-", "not a regular file" if not p.is_file() else f"not an input type ({', '.join(SUFFIXES)})") for p in everything if p not in read]
    if not read:
        raise InputError(str(source), "-", "-", f"no input files ({', '.join(SUFFIXES)}){f'; skipped {len(skipped)}, first {skipped[0].file}' if skipped else ''}")
    return InputFiles(source, read, skipped)


def input_fingerprint(files: InputFiles) -> str:
    """The input folder (``.txt`` ids are relative to it) and the names, sizes and modification times
    of the input files: a resumed run must read the same input."""
    digest = hashlib.sha256(os.fsencode(files.root.resolve()) + b"\n")
    for path in files.read:
        stat = path.stat()
        digest.update(os.fsencode(path.resolve()) + f"\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _shown(path: Path) -> str:
    """A path as messages show it: a name that is not UTF-8 with its bytes escaped, not as surrogates."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def no_documents(source: Path, rejected: int, first: Rejected | None) -> InputError:
    """The error of an input with no document left: how many records were rejected, and the first."""
    first_problem = f", first: {first.file} {first.record} {first.field}: {first.reason}" if first else ""
    return InputError(str(source), "-", "-", f"no documents to deduplicate ({rejected} rejected{first_problem})")


def check_id_field(id_field: str) -> None:
    """The id field names one field, and not ``text``, which holds the document."""
    if not isinstance(id_field, str) or not id_field or id_field == "text":
        raise ValueError(f"id_field must name a field other than 'text', not {id_field!r}")


def _without_id(id_field: str, fields: Collection[str], message: str, holder: str) -> str:
    """``message`` for a record (or file) that lacks ``id_field``, naming a usual id field it has."""
    other = next((name for name in USUAL_ID_FIELDS if name != id_field and name in fields), None)
    return f"{message} (the {holder} has {other!r}: use --id-field {other})" if other else message


def _records(path: Path, root: Path, batch_rows: int, metadata: bool, seen: set[str] | None = None, id_field: str = ID_FIELD) -> Iterator[tuple[str, dict | Rejected | DocumentBatch]]:
    """(record name, {"id", "text", "metadata"}) for each record of one file, or a Rejected; the id is
    the record's ``id_field`` (a ``.txt`` file's is its name)."""
    if _kind(path) == ".txt":
        record = path.relative_to(root).with_suffix("").as_posix()
        if record != _shown(Path(record)):
            yield _shown(Path(record)), Rejected(_shown(path), _shown(Path(record)), "id", "the file name (the id) is not valid UTF-8")
            return
        try:
            yield record, {"id": record, "text": path.read_bytes().decode("utf-8"), "metadata": None}
        except UnicodeDecodeError as error:
            yield record, Rejected(str(path), record, "text", f"not valid UTF-8 at byte {error.start}")
    elif _kind(path) == ".jsonl":
        yield from jsonl_records(path, metadata, id_field)
    else:
        yield from _parquet_records(path, batch_rows, metadata, seen, id_field)


def jsonl_records(path: Path, metadata: bool, id_field: str, start: int = 0, end: int | None = None, first_line: int = 1) -> Iterator[tuple[str, dict | Rejected]]:
    """The records of a JSONL file whose lines start at a byte in ``[start, end)`` (all of them by
    default: the Spark engine reads a large file in such pieces). Lines are numbered as in the whole
    file: ``first_line`` is 1 + the number of newlines before ``start``."""
    with path.open("rb") as stream:
        if start:
            stream.seek(start - 1)
            stream.readline()  # the rest of the line that began before start: its piece reads it
            first_line += stream.tell() > start  # (or only the newline at start - 1: a line starts at start)
        for number in count(first_line):
            if end is not None and stream.tell() >= end:
                return
            raw = stream.readline()
            if not raw:
                return
            record = f"line {number}"
            if not raw.strip():
                continue
            try:
                value = json_object(raw)
            except ValueError as reason:
                yield record, Rejected(str(path), record, "-", str(reason))
                continue
            if id_field not in value:
                yield record, Rejected(str(path), record, id_field, _without_id(id_field, value, "missing", "record"))
                continue
            yield record, _with_metadata(value, metadata, id_field)


def _parquet_records(path: Path, batch_rows: int, metadata: bool, seen: set[str] | None = None, id_field: str = ID_FIELD) -> Iterator[tuple[str, dict | Rejected | DocumentBatch]]:
    """The rows of one Parquet file; a file that pyarrow cannot read (or that lacks a column) is one
    Rejected for the whole file, after the rows read before the damage. With ``seen`` (the ids read so
    far; no metadata), a record batch whose columns pass ``_good_columns`` comes whole, as one
    ``DocumentBatch`` (its ids added to ``seen``); any other batch row by row, as before."""
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        yield "-", Rejected(str(path), "-", "-", f"not a readable Parquet file: {' '.join(str(error).split())}")
        return
    columns = parquet.schema_arrow.names
    if id_field not in columns:
        yield "-", Rejected(str(path), "-", id_field, _without_id(id_field, columns, "missing column", "file"))
        return
    if "text" not in columns:
        yield "-", Rejected(str(path), "-", "text", "missing column")
        return
    number = 0
    batches = parquet.iter_batches(batch_size=batch_rows, columns=None if metadata else [id_field, "text"])
    while True:
        try:
            batch = next(batches, None)
        except (pa.ArrowException, OSError) as error:
            yield f"after row {number}", Rejected(str(path), f"after row {number}", "-", f"damaged Parquet data: {' '.join(str(error).split())}")
            return
        if batch is None:
            return
        if seen is not None and not metadata and (good := _good_columns(batch, seen, id_field)) is not None:
            number += batch.num_rows
            yield f"rows {number - batch.num_rows + 1}-{number}", good
            continue
        for value in batch.to_pylist():
            number += 1
            text = value.get("text")
            if isinstance(text, bytes):
                try:
                    value["text"] = text.decode("utf-8")
                except UnicodeDecodeError as error:
                    yield f"row {number}", Rejected(str(path), f"row {number}", "text", f"not valid UTF-8 at byte {error.start}")
                    continue
            yield f"row {number}", _with_metadata(value, metadata, id_field)


_BLANK = r"^[\t-\r\x1c-\x1f\x85\p{Z}]*$"  # exactly the strings that Python's str.strip() empties (checked over every code point)


def _good_columns(batch: pa.RecordBatch, seen: set[str], id_field: str) -> DocumentBatch | None:
    """The batch as a ``DocumentBatch`` when no row of it would be a problem for ``_problem`` (ids
    strings or integers, none null, blank or already in ``seen`` or twice in the batch; texts valid
    UTF-8 strings, none null or blank), checked a column at a time with Arrow's compute functions; None
    otherwise, and the caller reads the batch row by row, which reports each problem as it always has."""
    ids, texts = batch.column(id_field), batch.column("text")
    if not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)) or texts.null_count or ids.null_count:
        return None
    if pa.types.is_integer(ids.type):
        ids = ids.cast(pa.large_string())  # "-12", as str(-12) gives
    elif not (pa.types.is_string(ids.type) or pa.types.is_large_string(ids.type)):
        return None
    try:
        ids.validate(full=True)  # UTF-8, which the compiled shingling relies on
        texts.validate(full=True)
    except pa.ArrowInvalid:
        return None
    if len(ids) and (pc.any(pc.match_substring_regex(ids, _BLANK)).as_py() or pc.any(pc.match_substring_regex(texts, _BLANK)).as_py()):
        return None
    names = ids.to_pylist()
    unique = set(names)
    if len(unique) != len(names) or not unique.isdisjoint(seen):
        return None
    seen |= unique
    return DocumentBatch(ids.cast(pa.large_string()), texts.cast(pa.large_string()))


def _with_metadata(value: dict, metadata: bool, id_field: str) -> dict:
    others = {k: v for k, v in value.items() if k not in (id_field, "text")} if metadata else None
    return {"id": value.get(id_field), "text": value.get("text"), "metadata": json.dumps(others, sort_keys=True, default=str) if others else None}


def _problem(path: Path, record: str, value: dict, seen: set[str], id_field: str = ID_FIELD) -> Rejected | None:
    """What is wrong with one record ({"id", "text", ...}), its id read from ``id_field``; None if nothing."""
    doc_id = value["id"]
    if doc_id is None or (isinstance(doc_id, str) and not doc_id.strip()):
        return Rejected(str(path), record, id_field, "missing")
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
        return Rejected(str(path), record, id_field, f"not a string or integer: {doc_id!r}")
    if str(doc_id) in seen:
        return Rejected(str(path), record, id_field, f"duplicate id {str(doc_id)!r}")
    if not isinstance(value["text"], str):
        return Rejected(str(path), record, "text", "missing" if value["text"] is None else f"not a string: {type(value['text']).__name__}")
    if not value["text"].strip():
        return Rejected(str(path), record, "text", "empty")
    return None


def read_documents(source: Path | InputFiles, on_error: str = "fail", rejected: list[Rejected] | None = None, batch_rows: int = 10_000, metadata: bool = True, id_field: str = ID_FIELD) -> Iterator[Document]:
    """Every good document of ``source`` (a path, or its ``input_files``) in a fixed order, its id read
    from ``id_field``; bad ones raise (fail) or go to ``rejected`` (skip). ``metadata=False`` leaves the
    other fields unread (on the synthetic corpus, 100k documents read in 1.2 s instead of 2.9 s)."""
    for item in _read(source, on_error, rejected, batch_rows, metadata, whole=False, id_field=id_field):
        yield from item if isinstance(item, DocumentBatch) else (item,)


def _read(source: Path | InputFiles, on_error: str, rejected: list[Rejected] | None, batch_rows: int, metadata: bool, whole: bool, id_field: str) -> Iterator[Document | DocumentBatch]:
    """``read_documents``; with ``whole`` (and no metadata), Parquet record batches without a problem
    come as one ``DocumentBatch`` each."""
    if on_error not in ON_ERROR:
        raise ValueError(f"on_error must be one of {ON_ERROR}, not {on_error!r}")
    check_id_field(id_field)
    files = source if isinstance(source, InputFiles) else input_files(source)
    seen: set[str] = set()
    for path in files.read:
        for record, value in _records(path, files.root, batch_rows, metadata, seen if whole and not metadata else None, id_field):
            if isinstance(value, DocumentBatch):
                yield value
                continue
            problem = value if isinstance(value, Rejected) else _problem(path, record, value, seen, id_field)
            if problem is not None:
                if on_error == "fail":
                    raise InputError(problem.file, problem.record, problem.field, problem.reason)
                if rejected is not None:
                    rejected.append(problem)
                continue
            seen.add(str(value["id"]))
            yield Document(str(value["id"]), value["text"], value["metadata"])


def read_batches(source: Path | InputFiles, size: int, on_error: str = "fail", rejected: list[Rejected] | None = None, batch_rows: int = 10_000, id_field: str = ID_FIELD) -> Iterator[DocumentBatch]:
    """``batched(read_documents(source, on_error, rejected, batch_rows, metadata=False, id_field), size)`` as
    ``DocumentBatch``es: the same documents in the same batches, the same problems raised or rejected at
    the same points. Parquet record batches without a problem (``_good_columns``) are checked column-wise
    and never become Python objects per document (100k synthetic documents: 0.64 s -> 0.23 s); everything
    else is read record by record, as ``read_documents`` does."""
    chunks: deque[DocumentBatch] = deque()  # read, not yet yielded (zero-copy slices of what was read)
    loose: list[Document] = []
    count = 0
    for item in _read(source, on_error, rejected, batch_rows, metadata=False, whole=True, id_field=id_field):
        if isinstance(item, Document):
            loose.append(item)
            count += 1
        else:
            if loose:
                chunks.append(_as_batch(loose))
                loose = []
            chunks.append(item)
            count += len(item)
        while count >= size:
            if loose:
                chunks.append(_as_batch(loose))
                loose = []
            yield _taken(chunks, size)
            count -= size
    if loose:
        chunks.append(_as_batch(loose))
    if count:
        yield _taken(chunks, count)


def _taken(chunks: deque[DocumentBatch], size: int) -> DocumentBatch:
    """The first ``size`` documents of ``chunks``, removed from it, as one compact batch (a slice would
    keep its parent's buffers alive, and pickle them for Spark)."""
    taken: list[DocumentBatch] = []
    while size:
        chunk = chunks.popleft()
        if len(chunk) > size:
            chunks.appendleft(DocumentBatch(chunk.ids[size:], chunk.texts[size:]))
            chunk = DocumentBatch(chunk.ids[:size], chunk.texts[:size])
        taken.append(chunk)
        size -= len(chunk)
    return _concatenated(taken)


def _as_batch(documents: list[Document]) -> DocumentBatch:
    return DocumentBatch(pa.array([d.id for d in documents], pa.large_string()), pa.array([d.text for d in documents], pa.large_string()))


def _concatenated(chunks: list[DocumentBatch]) -> DocumentBatch:
    return DocumentBatch(pa.concat_arrays([c.ids for c in chunks]), pa.concat_arrays([c.texts for c in chunks]))


def batched(documents: Iterator[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, size)):
        yield batch
