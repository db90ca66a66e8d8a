"""Step 4: check rows against their JSON Schema, and every span against the text it points into.

Used twice: on the rows before they are written, and by ``verify`` on the Parquet shards after (``datasets``
would silently null-fill a column missing from a shard, so every shard is read back and checked).
"""

import datetime

from wirecopy.core.errors import BuildError
from wirecopy.schema import validator

from .arrow_types import row_key


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


def check_rows(config: str, rows: list[dict], file: str) -> None:
    """Every row of ``config`` must match its definition in ``schema/release.schema.json``."""
    rows_validator = validator("release", config)
    for index, row in enumerate(rows):
        for error in rows_validator.iter_errors(json_view(row)):
            field = ".".join(str(p) for p in error.absolute_path) or "-"
            raise BuildError(file, row_name(config, index, row), field, error.message)


def _spans_of(config: str, row: dict) -> list[tuple[str, str, dict]]:
    """(field, article_id, span) for every span a row carries."""
    if config == "articles":
        aid = row["article_id"]
        spans = [("title", aid, {"start": row["title_start"], "end": row["title_end"], "text": row["title"]})]
        for field in ("outlet_evidence", "credited_source_evidence", "date_evidence", "boilerplate_spans", "claims"):
            spans += [(field, aid, span) for span in row[field]]
        spans += [("claims.claimer_evidence", aid, ev) for claim in row["claims"] for ev in claim["claimer_evidence"]]
        return spans
    if config == "claims":
        return [("text", row["article_id"], row)] + [("claimer_evidence", row["article_id"], ev) for ev in row["claimer_evidence"]]
    if config == "article_pairs":
        return [("evidence", ev["article_id"], ev) for ev in row["evidence"]]
    if config == "dedup_synthetic":
        return [("boilerplate_spans", row["doc_id"], span) for span in row["boilerplate_spans"]]
    return []


def check_spans(config: str, rows: list[dict], texts: dict[str, str], file: str) -> None:
    """Every span must satisfy ``0 <= start < end <= len(text)`` and ``text[start:end] == span text``."""
    if config == "dedup_synthetic":  # synthetic spans point into their own document
        texts = {row["doc_id"]: row["text"] for row in rows}
    for index, row in enumerate(rows):
        for field, article_id, span in _spans_of(config, row):
            text = texts.get(article_id)
            if text is None:
                raise BuildError(file, row_name(config, index, row), field, f"unknown article id {article_id!r}")
            start, end = span["start"], span["end"]
            if not 0 <= start < end <= len(text) or text[start:end] != span["text"]:
                raise BuildError(file, row_name(config, index, row), field, f"span [{start}, {end}) does not give its text {span['text']!r}")


def check_dates(articles: list[dict], release_date: datetime.date, seeds_dir) -> None:
    """No article may be dated after the release that publishes it (a typo in the year, usually)."""
    for article in articles:
        if article["date"] is not None and article["date"] > release_date:
            raise BuildError(str(seeds_dir / f"{article['article_id']}.yaml"), "date", "value", f"{article['date']} is after the release date {release_date} (CITATION.cff's date-released)")
