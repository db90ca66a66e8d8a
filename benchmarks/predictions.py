"""Read a user's own predictions (JSONL) for ``wirecopy bench score``, with clear errors.

Pair tasks (dedup_*, claim_alignment): one line per pair,
    {"id_a": "...", "id_b": "...", "score": 0.83}
ids are article ids, synthetic doc ids or claim ids; a higher score means more similar; the decision
threshold is given on the command line. Tasks that require all pairs reject a file missing any.
Span task (boilerplate_detection): one line per article,
    {"article_id": "...", "spans": [[start, end], ...]}   (code-point offsets, half-open)
Spans of one article must not overlap (touching is fine): overlapping spans are refused rather than
merged, since a merge would change the span-level scores behind the system's back.
"""

import json
import math
from pathlib import Path

from wirecopy.core.errors import BuildError

from .pairs import PairScores, pair
from .tasks import Task, TaskData, candidate_pairs, is_candidate


def _lines(path: Path):
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise BuildError(str(path), "-", "-", "no such file") from None
    except IsADirectoryError:
        raise BuildError(str(path), "-", "-", "a folder, not a JSONL file") from None
    with stream:
        for number, raw in enumerate(stream, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise BuildError(str(path), f"line {number}", "-", f"not valid UTF-8 at byte {error.start} of the line") from None
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise BuildError(str(path), f"line {number}", "-", f"not JSON: {error.msg}") from None
                except RecursionError:
                    raise BuildError(str(path), f"line {number}", "-", "not JSON this reader accepts: nested too deeply") from None
                if not isinstance(record, dict):
                    raise BuildError(str(path), f"line {number}", "-", "not a JSON object")
                yield number, record


def _field(path: Path, number: int, record: dict, name: str, kind: type):
    if name not in record:
        raise BuildError(str(path), f"line {number}", name, "missing")
    value = record[name]
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise BuildError(str(path), f"line {number}", name, f"not a finite number: {value!r}")
        return float(value)
    if not isinstance(value, kind):
        raise BuildError(str(path), f"line {number}", name, f"expected {kind.__name__}, got {value!r}")
    return value


def read_pair_predictions(path: Path, task: Task, data: TaskData, threshold: float) -> PairScores:
    scores: dict[tuple[str, str], float] = {}
    for number, record in _lines(path):
        a, b = (_field(path, number, record, name, str) for name in ("id_a", "id_b"))
        for name, value in (("id_a", a), ("id_b", b)):
            if value not in data.texts:
                raise BuildError(str(path), f"line {number}", name, f"unknown id {value!r} for task {task.name}")
        key = pair(a, b)
        if not is_candidate(task, data, a, b):
            raise BuildError(str(path), f"line {number}", "id_b", f"{a} / {b} is not a scored pair of task {task.name}")
        if key in scores:
            raise BuildError(str(path), f"line {number}", "id_b", f"pair {a} / {b} given twice")
        scores[key] = _field(path, number, record, "score", float)
    missing = sorted(set(candidate_pairs(task, data)) - set(scores)) if task.requires_all_pairs else []
    if missing:
        raise BuildError(str(path), "-", "-", f"{len(missing)} pair(s) missing, first {missing[0][0]} / {missing[0][1]}")
    return PairScores(scores, threshold, {"source": str(path)})


def read_span_predictions(path: Path, task: Task, data: TaskData) -> dict[str, list[tuple[int, int]]]:
    predicted: dict[str, list[tuple[int, int]]] = {}
    for number, record in _lines(path):
        doc_id = _field(path, number, record, "article_id", str)
        if doc_id not in data.texts:
            raise BuildError(str(path), f"line {number}", "article_id", f"unknown id {doc_id!r} for task {task.name}")
        if doc_id in predicted:
            raise BuildError(str(path), f"line {number}", "article_id", f"{doc_id} given twice")
        spans = []
        for span in _field(path, number, record, "spans", list):
            if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in span)
                    and 0 <= span[0] < span[1] <= len(data.texts[doc_id])):
                raise BuildError(str(path), f"line {number}", "spans", f"not a [start, end) inside the text: {span!r}")
            spans.append((span[0], span[1]))
        spans.sort()
        for before, after in zip(spans, spans[1:]):
            if after[0] < before[1]:
                raise BuildError(str(path), f"line {number}", "spans", f"spans {list(before)} and {list(after)} overlap; merge them into one")
        predicted[doc_id] = spans
    missing = sorted(set(data.texts) - set(predicted))
    if missing:
        raise BuildError(str(path), "-", "-", f"{len(missing)} article(s) missing, first {missing[0]}")
    return predicted
