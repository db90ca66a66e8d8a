"""Importer: the Wikinews articles of SemEval-2015 Task 4 (TimeLine; MEANTIME/NewsReader), as the team's
``articles.jsonl`` holds them (one JSON object a line: ``doc_id``, ``corpus``, ``dct``, ``title``,
``sentences`` of space-separated tokens) -> articles with a plain text and exact sentence spans.

The text is the title on the first line, then the sentences, one per line, each detokenised by
``detokenise.py`` (punctuation and clitics attached). ``date`` is the document creation time the
corpus states (``dct``) when it is an ISO date; one article (120578) gives ``03-02-2009``, which can be
2 March or 3 February: its date is unknown (None), not guessed; ``topic`` is the sub-corpus (Apple, Airbus/Boeing, GM/Chrysler/Ford, stock
market). Wikinews is CC BY 2.5, the corpus CC BY 3.0.
"""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from wirecopy.core.errors import InputError
from wirecopy.core.text import Span

from .detokenise import detokenise

TOPICS = {"trial": "apple", "corpus_1": "airbus_boeing", "corpus_2": "gm_chrysler_ford", "corpus_3": "stock_market"}


@dataclass(frozen=True)
class WikinewsArticle:
    doc_id: str  # the Wikinews id
    topic: str
    date: datetime.date | None  # the corpus's document creation time; None when it is not ISO (see below)
    dct: str  # that time as the corpus gives it
    text: str
    title: Span
    sentences: list[Span]


def read_articles(path: Path) -> list[WikinewsArticle]:
    """Every article of the JSONL file, in file order; ``InputError`` naming the line and field."""
    articles = []
    with Path(path).open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                articles.append(_article(json.loads(line), path, number))
    return articles


def _article(record: dict, path: Path, number: int) -> WikinewsArticle:
    where = (str(path), f"line {number}")
    for field, kind in (("doc_id", str), ("corpus", str), ("dct", str), ("title", str), ("sentences", list)):
        if not isinstance(record.get(field), kind):
            raise InputError(*where, field, f"missing or not a {kind.__name__}")
    if record["corpus"] not in TOPICS:
        raise InputError(*where, "corpus", f"{record['corpus']!r} is not one of {sorted(TOPICS)}")
    try:
        date = datetime.date.fromisoformat(record["dct"]) if len(record["dct"]) == 10 and record["dct"][4] == "-" else None
    except ValueError:
        raise InputError(*where, "dct", f"{record['dct']!r} is not a valid date") from None
    text, spans = detokenise([record["title"].split(), *(sentence.split() for sentence in record["sentences"])])
    lines = [(s[0][0], s[-1][1]) for s in spans if s]
    return WikinewsArticle(record["doc_id"], TOPICS[record["corpus"]], date, record["dct"], text, lines[0], lines[1:])
