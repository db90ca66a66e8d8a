"""Importer: ECB+ (Cybulska & Vossen, LREC 2014) XML documents -> articles with exact code-point offsets.

ECB+ gives each article as tokens (``t_id``, ``sentence``), event and entity mentions as markables
anchored on tokens, and cross-document coreference as relations whose ``note`` is the instance a
mention refers to. This step turns one document into a plain text, every token and mention into a
half-open span of it, so that ``text[start:end]`` is the mention (the rest of wirecopy's spans are
the same kind).

The text is ``detokenise.py``'s (sentences one per line, punctuation and clitics attached, PTB
quotes as ``"``). In documents of the "ecbplus" half, sentence 0 is the source URL: its tokens joined
without spaces become ``url`` and are not part of the text.

Topic and sub-topic come from the file name (``1_10ecbplus.xml``: topic 1, sub-topic ``1_ecbplus``,
the second of the topic's two similar but different events); ECB+ gives no date.
"""

import csv
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from wirecopy.core.errors import InputError

from .detokenise import detokenise

_FILE_NAME = re.compile(r"^(?P<topic>\d+)_(?P<number>\d+)(?P<half>ecb|ecbplus)\.xml$")


@dataclass(frozen=True)
class Token:
    t_id: str
    sentence: int
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    m_id: str
    tag: str  # ACTION_OCCURRENCE, HUMAN_PART_PER, LOC_GEO, TIME_DATE, ...
    sentence: int
    start: int
    end: int
    text: str
    instance: str | None  # the cross-document instance (CROSS_DOC_COREF note), None when not linked
    contiguous: bool  # False for the few mentions (88 of 32,297) whose tokens have a gap: the span covers it


@dataclass(frozen=True)
class EcbDocument:
    doc_id: str  # the file stem, e.g. 1_10ecbplus
    topic: str  # "1"
    subtopic: str  # "1_ecb" or "1_ecbplus": one of the topic's two events
    url: str | None
    text: str
    tokens: list[Token]
    mentions: list[Mention]


def read_document(path: Path) -> EcbDocument:
    """One ECB+ XML file as a document with offsets; ``InputError`` naming the file and what is wrong."""
    path = Path(path)
    name = _FILE_NAME.match(path.name)
    if name is None:
        raise InputError(str(path), "-", "-", "not an ECB+ file name (TOPIC_NUMBERecb.xml or TOPIC_NUMBERecbplus.xml)")
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        raise InputError(str(path), "-", "-", f"not valid XML: {error}") from None
    raw = [(token.get("t_id"), int(token.get("sentence")), (token.text or "").strip()) for token in root.iter("token")]
    url = None
    if name["half"] == "ecbplus" and raw and raw[0][1] == 0:
        url = "".join(text for _, sentence, text in raw if sentence == 0)
        raw = [token for token in raw if token[1] != 0]
    numbers = sorted({sentence for _, sentence, _ in raw})
    by_sentence = {number: [token for token in raw if token[1] == number] for number in numbers}
    document_text, spans = detokenise([[text for _, _, text in by_sentence[number]] for number in numbers])
    tokens = [
        Token(t_id, number, start, end)
        for number, sentence_spans in zip(numbers, spans)
        for (t_id, _, _), (start, end) in zip(by_sentence[number], sentence_spans)
    ]
    return EcbDocument(path.stem, name["topic"], f"{name['topic']}_{name['half']}", url, document_text, tokens, _mentions(root, tokens, document_text, path))


def _mentions(root: ElementTree.Element, tokens: list[Token], text: str, path: Path) -> list[Mention]:
    by_id = {token.t_id: token for token in tokens}
    position = {token.t_id: index for index, token in enumerate(tokens)}
    instance_of = {
        source.get("m_id"): relation.get("note")
        for relation in root.iter("CROSS_DOC_COREF") for source in relation.iter("source")
    }
    mentions = []
    markables = root.find("Markables")
    for markable in markables if markables is not None else []:
        anchors = [anchor.get("t_id") for anchor in markable.iter("token_anchor")]
        if not anchors:
            continue  # an instance holder (TAG_DESCRIPTOR, instance_id), not a mention in the text
        missing = [t_id for t_id in anchors if t_id not in by_id]
        if missing:
            raise InputError(str(path), f"markable {markable.get('m_id')}", "token_anchor", f"token {missing[0]} is not in the text (the URL sentence, or absent)")
        spanned = sorted((by_id[t_id] for t_id in anchors), key=lambda token: token.start)
        start, end = spanned[0].start, spanned[-1].end
        contiguous = len({token.t_id for token in spanned}) == position[spanned[-1].t_id] - position[spanned[0].t_id] + 1
        mentions.append(Mention(markable.get("m_id"), markable.tag, spanned[0].sentence, start, end, text[start:end], instance_of.get(markable.get("m_id")), contiguous))
    return sorted(mentions, key=lambda mention: (mention.start, mention.end, mention.m_id))


def read_corpus(folder: Path) -> list[EcbDocument]:
    """Every ``*.xml`` under ``folder`` (the unpacked ECB+ release), in file-name order."""
    paths = sorted(Path(folder).rglob("*.xml"), key=lambda p: p.name)
    if not paths:
        raise InputError(str(folder), "-", "-", "no ECB+ XML files (*.xml) under this folder")
    return [read_document(path) for path in paths]


def annotated_sentences(csv_path: Path) -> dict[str, set[int]]:
    """``ECBplus_coreference_sentences.csv``: the sentences of each document (by doc id, e.g.
    ``1_10ecbplus``) whose mentions were coreference-annotated; the rest is not fully annotated."""
    sentences: dict[str, set[int]] = {}
    with Path(csv_path).open(encoding="utf-8", newline="") as stream:
        for number, row in enumerate(csv.DictReader(stream), start=2):
            try:
                sentences.setdefault(f"{row['Topic']}_{row['File']}", set()).add(int(row["Sentence Number"]))
            except (KeyError, TypeError, ValueError):
                raise InputError(str(csv_path), f"line {number}", "-", "not a row Topic,File,Sentence Number") from None
    return sentences
