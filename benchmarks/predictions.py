"""Reading a user's own predictions (JSONL) for ``wirecopy bench score``, with clear errors: the lines
and fields every task kind's reader (``kinds/*.read_predictions``) is made of."""

import math
from pathlib import Path

from wirecopy.core.errors import InputError
from wirecopy.core.jsonl import json_object


def jsonl_records(path: Path):
    """(line number, object) of each non-blank line of a JSONL file; ``InputError`` naming the line."""
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise InputError(str(path), "-", "-", "no such file") from None
    except IsADirectoryError:
        raise InputError(str(path), "-", "-", "a folder, not a JSONL file") from None
    with stream:
        for number, raw in enumerate(stream, start=1):
            if raw.strip():
                try:
                    record = json_object(raw)
                except ValueError as reason:
                    raise InputError(str(path), f"line {number}", "-", str(reason)) from None
                yield number, record


def record_field(path: Path, number: int, record: dict, name: str, kind: type):
    """``record[name]`` checked to be a ``kind`` (``float``: a finite number); ``InputError`` naming line and field."""
    if name not in record:
        raise InputError(str(path), f"line {number}", name, "missing")
    value = record[name]
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError(str(path), f"line {number}", name, f"not a finite number: {value!r}")
        return float(value)
    if not isinstance(value, kind):
        raise InputError(str(path), f"line {number}", name, f"expected {kind.__name__}, got {value!r}")
    return value
