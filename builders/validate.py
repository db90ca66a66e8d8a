"""Step 4: check rows against their JSON Schema, and every span against the text it points into.

Used twice: on the rows before they are written, and by ``verify`` on the Parquet shards after (``datasets``
would silently null-fill a column missing from a shard, so every shard is read back and checked).
"""

import datetime
import itertools
from collections.abc import Iterator
from functools import cache

from wirecopy.core.errors import InputError, Problems
from wirecopy.schema import resolve, validator

from .arrow_types import followed, row_key


def json_view(value: object) -> object:
    """The row as JSON Schema sees it: dates as ISO strings."""
    if isinstance(value, dict):
        return {k: json_view(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_view(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def row_name(config: str, index: int, row: dict) -> str:
    return f"row {index} ({row_key(config, row)})"


def _schema_problems(config: str, index: int, row: dict, file: str) -> list[InputError]:
    """Every way row ``index`` of ``config`` breaks its definition in ``schema/release.schema.json``."""
    return [
        InputError(file, row_name(config, index, row), ".".join(str(p) for p in error.absolute_path) or "-", error.message)
        for error in validator("release", config).iter_errors(json_view(row))
    ]


def _is_span(node: dict) -> bool:
    return node.get("type") == "object" and {"start", "end", "text"} <= set(node.get("properties", {}))


@cache
def span_paths(config: str) -> tuple[tuple[str, ...], ...]:
    """Where a row of ``config`` holds spans, found in ``schema/release.schema.json``: the property path
    to each object (or list of objects) with start, end and text; ``()`` when the row itself is one (a
    claim); ``("title",)`` for the flat ``title``/``title_start``/``title_end`` of an article."""
    paths: list[tuple[str, ...]] = []

    def walk(node: dict, path: tuple[str, ...]) -> None:
        node = followed(node)
        if node.get("type") == "array":
            walk(node["items"], path)
            return
        if node.get("type") != "object":
            return
        if _is_span(node):
            paths.append(path)
        properties = node.get("properties", {})
        for name, child in properties.items():
            if f"{name}_start" in properties and f"{name}_end" in properties:
                paths.append((name,))
            if name not in ("start", "end", "text"):
                walk(child, (*path, name))

    walk(resolve("release", f"#/$defs/{config}"), ())
    return tuple(paths)


def _spans_at(node: object, path: tuple[str, ...]) -> list[dict]:
    if isinstance(node, list):
        return [span for item in node for span in _spans_at(item, path)]
    if not path:
        return [node]
    return _spans_at(node[path[0]], path[1:]) if isinstance(node, dict) else []


def _spans_of(config: str, row: dict) -> list[tuple[str, str | None, dict]]:
    """(field, article id or None, span) for every span a row carries (``span_paths``). A span points
    into the article it names, else its row's article, else (None) its row's own text."""
    owner = row.get("article_id")
    spans = []
    for path in span_paths(config):
        if path and f"{path[0]}_start" in row:  # a flat span: title, title_start, title_end
            found = [{"start": row[f"{path[0]}_start"], "end": row[f"{path[0]}_end"], "text": row[path[0]]}]
        else:
            found = _spans_at(row, path)
        spans += [(".".join(path) or "text", span.get("article_id", owner), span) for span in found]
    return spans


def _span_problems(config: str, index: int, row: dict, texts: dict[str, str] | None, file: str) -> list[InputError]:
    """Every span of row ``index`` that breaks ``0 <= start < end <= len(text)`` or ``text[start:end] ==
    span text``, where text is the named article's (``texts``) or, in a row that names none, the row's
    own. ``texts`` None: the articles are unknown (their shard unreadable, reported on its own), so only
    spans into the row's own text are checked."""
    problems = []
    for field, article_id, span in _spans_of(config, row):
        if article_id is not None and texts is None:
            continue
        text = row["text"] if article_id is None else texts.get(article_id)
        start, end = span["start"], span["end"]
        if text is None:
            problems.append(InputError(file, row_name(config, index, row), field, f"unknown article id {article_id!r}"))
        elif not 0 <= start < end <= len(text) or text[start:end] != span["text"]:
            problems.append(InputError(file, row_name(config, index, row), field, f"span [{start}, {end}) does not give its text {span['text']!r}"))
    return problems


def row_problems(config: str, rows: list[dict], texts: dict[str, str] | None, file: str) -> Iterator[list[InputError]]:
    """The problems of each row that has any, row by row and lazily (a caller may list a few rows and
    count the rest): its schema violations, else its spans' (the span checks assume the schema's types)."""
    for index, row in enumerate(rows):
        problems = _schema_problems(config, index, row, file) or _span_problems(config, index, row, texts, file)
        if problems:
            yield problems


ROWS_LISTED = 20  # the bad rows of a shard whose problems are listed one by one; further bad rows are counted


def add_row_problems(config: str, rows: list[dict], texts: dict[str, str] | None, file: str, problems: Problems) -> None:
    """Every row and span problem of one shard into ``problems``: those of its first ``ROWS_LISTED`` bad
    rows, and how many more rows have problems (a broken million-row shard gives a screenful, not a
    million lines)."""
    bad_rows = row_problems(config, rows, texts, file)
    for row_errors in itertools.islice(bad_rows, ROWS_LISTED):
        for error in row_errors:
            problems.add(error)
    unlisted = sum(1 for _ in bad_rows)
    if unlisted:
        problems.add(InputError(file, "-", "-", f"... and {unlisted} more rows with problems"))


def check_dates(articles: list[dict], release_date: datetime.date, seeds_dir, problems: Problems) -> None:
    """No article may be dated after the release that publishes it (a typo in the year, usually)."""
    for article in articles:
        if article["date"] is not None and article["date"] > release_date:
            problems.add(InputError(str(seeds_dir / f"{article['article_id']}.yaml"), "date", "value", f"{article['date']} is after the release date {release_date} (CITATION.cff's date-released)"))
