"""Step 1b: the configs of real public news data (``external/``, each corpus with its PROVENANCE.md and
licence), from the importers' plain records to released rows, split into ``validation`` and ``test``.

- ``same_event`` and ``event_alignment`` from ECB+ (``import_ecbplus``), split by topic: the test
  topics of the split most ECB+ work reports on (Cybulska & Vossen 2015: 36-45) are ``test``, every
  other topic ``validation``, so no topic and no event is in two splits.
- ``boilerplate_web`` from the article-extraction benchmark's pages (``import_web_pages``), split by
  page id (a sha256, so sorted order is random order): the first quarter is ``validation``.
"""

import functools
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path

from wirecopy.core.errors import InputError

from .import_ecbplus import EcbDocument, annotated_sentences, read_corpus
from .import_web_pages import read_pages

ECBPLUS = "ecbplus"
WEB_PAGES = "article-extraction-benchmark"
ECB_ARCHIVE = "ecbplus_xml.tar.gz"
ECB_SENTENCES = "ECBplus_coreference_sentences.csv"
ECB_TEST_TOPICS = frozenset(str(topic) for topic in range(36, 46))
WEB_VALIDATION_SHARE = 4  # one page in four


def ecb_split(topic: str) -> str:
    return "test" if topic in ECB_TEST_TOPICS else "validation"


def read_ecbplus(folder: Path) -> tuple[EcbDocument, ...]:
    """The ECB+ documents of ``folder`` (the release's ``ecbplus_xml.tar.gz``, unpacked into a temporary
    folder). A build needs them twice (these configs and the synthetic corpus's sentence pool), so they
    are read once per archive as it is on disk (its path, size and modification time)."""
    archive = (Path(folder) / ECB_ARCHIVE).resolve()
    if not archive.is_file():
        raise InputError(str(Path(folder) / ECB_ARCHIVE), "-", "-", "missing: the ECB+ XML release that the same_event and event_alignment configs come from")
    stat = archive.stat()
    return _read_archive(archive, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=2)
def _read_archive(archive: Path, size: int, modified: int) -> tuple[EcbDocument, ...]:
    with tempfile.TemporaryDirectory() as unpacked:
        try:
            with tarfile.open(archive) as members:
                members.extractall(unpacked, filter="data")  # the "data" filter refuses links and paths outside the folder
        except (tarfile.TarError, OSError, EOFError) as error:
            raise InputError(str(archive), "-", "-", f"not a readable tar.gz archive ({' '.join(str(error).split())})") from None
        return tuple(read_corpus(Path(unpacked)))


def _by_split(rows: Iterable[tuple[str, dict]]) -> dict[str, list[dict]]:
    splits: dict[str, list[dict]] = {"validation": [], "test": []}
    for split, row in rows:
        splits[split].append(row)
    return splits


def same_event_rows(documents: tuple[EcbDocument, ...]) -> dict[str, list[dict]]:
    return _by_split(
        (ecb_split(d.topic), {"doc_id": d.doc_id, "topic": d.topic, "event_id": d.subtopic, "url": d.url, "text": d.text})
        for d in sorted(documents, key=lambda d: d.doc_id)
    )


def _sentence_rows(document: EcbDocument, numbers: set[int]) -> Iterable[dict]:
    """The rows of ``document``'s annotated sentences ``numbers``: each line of its text and the event
    mentions in it that carry a cross-document instance, with offsets into the line."""
    lines: dict[int, tuple[int, int]] = {}
    for token in document.tokens:
        start, end = lines.get(token.sentence, (token.start, token.end))
        lines[token.sentence] = (min(start, token.start), max(end, token.end))
    for number in sorted(numbers & set(lines)):
        start, end = lines[number]
        mentions = [
            {"start": m.start - start, "end": m.end - start, "text": m.text, "tag": m.tag, "instance": m.instance}
            for m in document.mentions
            if m.sentence == number and m.tag.startswith("ACTION_") and m.instance
        ]
        yield {
            "sentence_id": f"{document.doc_id}/{number}", "doc_id": document.doc_id, "topic": document.topic,
            "event_id": document.subtopic, "sentence": number, "text": document.text[start:end], "event_mentions": mentions,
        }


def event_alignment_rows(documents: tuple[EcbDocument, ...], annotated: dict[str, set[int]]) -> dict[str, list[dict]]:
    return _by_split(
        (ecb_split(d.topic), row)
        for d in sorted(documents, key=lambda d: d.doc_id)
        for row in _sentence_rows(d, annotated.get(d.doc_id, set()))
    )


def boilerplate_web_rows(folder: Path) -> dict[str, list[dict]]:
    pages = read_pages(folder)  # in page id order
    cut = len(pages) // WEB_VALIDATION_SHARE
    return _by_split(
        ("validation" if index < cut else "test", {
            "page_id": page.page_id, "url": page.url, "html": page.html, "text": page.text, "gold_body": page.gold_body,
            "body_spans": [{"start": s, "end": e, "text": page.text[s:e]} for s, e in page.body],
            "boilerplate_spans": [{"start": s, "end": e, "text": page.text[s:e]} for s, e in page.boilerplate],
        })
        for index, page in enumerate(pages)
    )


def real_data_rows(external: Path) -> dict[str, dict[str, list[dict]]]:
    """The rows of every real-data config, by config and split, from the corpora in ``external``."""
    external = Path(external)
    documents = read_ecbplus(external / ECBPLUS)
    sentences_csv = external / ECBPLUS / ECB_SENTENCES
    if not sentences_csv.is_file():
        raise InputError(str(sentences_csv), "-", "-", "missing: ECB+'s list of coreference-annotated sentences")
    return {
        "same_event": same_event_rows(documents),
        "event_alignment": event_alignment_rows(documents, annotated_sentences(sentences_csv)),
        "boilerplate_web": boilerplate_web_rows(external / WEB_PAGES),
    }
