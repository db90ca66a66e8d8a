"""Step 3: resolve quotes to spans and assemble the rows of every config.

Checks that need the text or more than one record live here: quotes that are missing or
ambiguous, overlapping boilerplate, claims inside boilerplate, duplicate ids, pairs not covered
exactly once, facts that are declared but never asserted (or asserted but never declared).
"""

import datetime
from itertools import combinations
from pathlib import Path

from wirecopy.core.errors import InputError, Problems
from wirecopy.schema import resolve

from .seeds import Seed
from .spans import QuoteError, resolve_quote

GRADES: dict[str, int] = resolve("vocabulary", "#/$defs/relation")["x-grades"]  # relation -> the pair's grade
_LOCATOR_KEYS = ("occurrence", "prefix", "suffix")


def _span(file: Path, record: str, field: str, text: str, locator: dict) -> dict:
    try:
        start, end = resolve_quote(text, locator["quote"], **{k: locator[k] for k in _LOCATOR_KEYS if k in locator})
    except QuoteError as error:
        raise InputError(str(file), record, field, str(error)) from None
    return {"start": start, "end": end, "text": text[start:end]}


def _evidence(file: Path, record: str, text: str, locators: list[dict]) -> list[dict]:
    return [_span(file, f"{record}.evidence[{i}]", "quote", text, loc) for i, loc in enumerate(locators)]


def _attribution(file: Path, name: str, text: str, annotation: dict) -> dict:
    return {
        name: annotation["value"],
        f"{name}_basis": annotation["basis"],
        f"{name}_evidence": _evidence(file, name, text, annotation["evidence"]),
        f"{name}_note": annotation.get("note"),
    }


def _boilerplate(file: Path, text: str, annotations: list[dict], problems: Problems) -> list[dict]:
    spans = []
    for i, item in enumerate(annotations):
        span = problems.attempt(_span, file, f"boilerplate[{i}]", "quote", text, item)
        if span is not None:
            spans.append({**span, "label": item["label"], "basis": item["basis"]})
    spans.sort(key=lambda s: (s["start"], s["end"]))
    for before, after in zip(spans, spans[1:]):
        if after["start"] < before["end"]:
            problems.add(InputError(str(file), "boilerplate", "quote", f"spans overlap: {before['text']!r} and {after['text']!r}"))
    return spans


def _claim(file: Path, record: str, article_id: str, text: str, item: dict, boilerplate: list[dict]) -> dict:
    span = _span(file, record, "quote", text, item)
    for bp in boilerplate:
        if span["start"] < bp["end"] and bp["start"] < span["end"]:
            raise InputError(str(file), record, "quote", f"claim overlaps boilerplate span {bp['text']!r} ({bp['label']})")
    return {
        "claim_id": f"{article_id}/{item['id']}",
        **span,
        "fact_id": item["fact"],
        "claim_type": item["type"],
        "claimer": item["claimer"],
        "claimer_kind": item["claimer_kind"],
        "claimer_basis": item["claimer_basis"],
        "claimer_evidence": _evidence(file, f"{record}.claimer", text, item["claimer_evidence"]),
    }


def _claims(file: Path, article_id: str, text: str, annotations: list[dict], boilerplate: list[dict], problems: Problems) -> list[dict]:
    claims, seen = [], set()
    for i, item in enumerate(annotations):
        record = f"claims[{i}] ({item['id']})"
        if item["id"] in seen:
            problems.add(InputError(str(file), record, "id", f"duplicate claim id {item['id']!r}"))
            continue
        seen.add(item["id"])
        claim = problems.attempt(_claim, file, record, article_id, text, item, boilerplate)
        if claim is not None:
            claims.append(claim)
    claims.sort(key=lambda c: (c["start"], c["end"]))
    for before, after in zip(claims, claims[1:]):  # one fact per claim: a sentence of two facts is split, never overlapped (GUIDELINES.md 7.2)
        if after["start"] < before["end"]:
            problems.add(InputError(str(file), "claims", "quote", f"claims {before['claim_id']} and {after['claim_id']} overlap"))
    return claims


def resolve_article(seed: Seed, sidecar: dict, sidecar_path: Path, problems: Problems, source_file: str) -> dict | None:
    """The ``articles`` row of one seed (``source_file``: its path as the release names it): every quote
    of its sidecar resolved on the untouched text; None (with every problem recorded in ``problems``)
    when any quote does not resolve."""
    text, file = seed.text, sidecar_path
    found = len(problems.errors)
    title = problems.attempt(_span, file, "title", "quote", text, sidecar["title"])
    outlet = problems.attempt(_attribution, file, "outlet", text, sidecar["outlet"])
    credited_source = problems.attempt(_attribution, file, "credited_source", text, sidecar["credited_source"])
    date = sidecar["date"]
    date_evidence = problems.attempt(_evidence, file, "date", text, date["evidence"])
    boilerplate = _boilerplate(file, text, sidecar["boilerplate"], problems)
    claims = _claims(file, seed.article_id, text, sidecar["claims"], boilerplate, problems)
    if len(problems.errors) > found:
        return None
    return {
        "article_id": seed.article_id,
        "source_file": source_file,
        "text_sha256": seed.sha256,
        "text": text,
        "title": title["text"],
        "title_start": title["start"],
        "title_end": title["end"],
        **outlet,
        **credited_source,
        "date": None if date["value"] is None else datetime.date.fromisoformat(date["value"]),
        "date_refers_to": date["refers_to"],
        "date_basis": date["basis"],
        "date_evidence": date_evidence,
        "date_note": date.get("note"),
        "boilerplate_spans": boilerplate,
        "claims": claims,
    }


def claim_rows(articles: list[dict]) -> list[dict]:
    """The ``claims`` config: the articles' nested claims, one row each, with their article id."""
    return [{"article_id": a["article_id"], **claim} for a in articles for claim in a["claims"]]


def _pair_row(corpus_path: Path, record: str, relation: dict, texts: dict[str, str]) -> dict:
    a, b = sorted(relation["articles"])
    for article_id in (a, b):
        if article_id not in texts:
            raise InputError(str(corpus_path), record, "articles", f"unknown article id {article_id!r}")
    if a == b:
        raise InputError(str(corpus_path), record, "articles", f"an article paired with itself: {a!r}")
    evidence = []
    for j, loc in enumerate(relation["evidence"]):
        if loc["article_id"] not in (a, b):
            raise InputError(str(corpus_path), f"{record}.evidence[{j}]", "article_id", f"{loc['article_id']!r} is not one of the pair")
        span = _span(corpus_path, f"{record}.evidence[{j}]", "quote", texts[loc["article_id"]], loc)
        evidence.append({"article_id": loc["article_id"], **span})
    return {
        "article_id_a": a,
        "article_id_b": b,
        "relation": relation["relation"],
        "grade": GRADES[relation["relation"]],
        "evidence": evidence,
        "note": relation["note"],
        "relation_source": "annotated",
    }


def _default_pair_row(a: str, b: str, relation: str) -> dict:
    return {
        "article_id_a": a,
        "article_id_b": b,
        "relation": relation,
        "grade": GRADES[relation],
        "evidence": [],
        "note": f"Not listed in corpus.yaml: the project's default relation ({relation}).",
        "relation_source": "project_default",
    }


def pair_rows(corpus: dict, articles: list[dict], corpus_path: Path, problems: Problems, default_relation: str | None = None) -> list[dict]:
    """The ``article_pairs`` config: every pair corpus.yaml labels (each at most once) and, when
    ``default_relation`` is a relation, every other unordered pair with that relation; with None the
    other pairs are unlabelled and left out (relations grow with the reuse that exists, not n²)."""
    texts = {a["article_id"]: a["text"] for a in articles}
    rows: dict[tuple[str, str], dict] = {}
    labelled: set[tuple[str, ...]] = set()  # a bad relation still labels its pair: no "missing pair" on top
    for i, relation in enumerate(corpus["relations"]):
        key = tuple(sorted(relation["articles"]))
        if key in labelled:
            problems.add(InputError(str(corpus_path), f"relations[{i}]", "articles", f"duplicate relation for pair {key[0]} / {key[1]}"))
            continue
        labelled.add(key)
        row = problems.attempt(_pair_row, corpus_path, f"relations[{i}]", relation, texts)
        if row is not None:
            rows[key] = row
    if default_relation is not None:
        rows |= {pair: _default_pair_row(*pair, default_relation) for pair in combinations(sorted(texts), 2) if pair not in labelled}
    return [rows[pair] for pair in sorted(rows)]


def fact_rows(corpus: dict, claims: list[dict], corpus_path: Path, problems: Problems) -> list[dict]:
    """The ``facts`` config: each declared fact with the claims asserting it and its hard negatives (made symmetric)."""
    declared, negatives = {}, {}
    for i, fact in enumerate(corpus["facts"]):
        fact_id = fact["fact_id"]
        if fact_id in declared:
            problems.add(InputError(str(corpus_path), f"facts[{i}]", "fact_id", f"duplicate fact id {fact_id!r}"))
            continue
        declared[fact_id] = fact
        negatives[fact_id] = {}
    for i, fact in enumerate(corpus["facts"]):
        for j, negative in enumerate(fact.get("hard_negatives", [])):
            record, other = f"facts[{i}].hard_negatives[{j}]", negative["fact_id"]
            if other not in declared or other == fact["fact_id"]:
                problems.add(InputError(str(corpus_path), record, "fact_id", f"{other!r} is not another declared fact"))
            elif other in negatives[fact["fact_id"]]:
                problems.add(InputError(str(corpus_path), record, "fact_id", f"hard negative {fact['fact_id']} / {other} is declared twice"))
            else:
                negatives[fact["fact_id"]][other] = negatives[other][fact["fact_id"]] = negative["reason"]
    asserted: dict[str, list[dict]] = {}
    for claim in claims:
        if claim["fact_id"] not in declared:
            problems.add(InputError(str(corpus_path), "facts", "fact_id", f"claim {claim['claim_id']} asserts undeclared fact {claim['fact_id']!r}"))
            continue
        asserted.setdefault(claim["fact_id"], []).append(claim)
    for fact_id in declared:
        if fact_id not in asserted:
            problems.add(InputError(str(corpus_path), f"facts ({fact_id})", "fact_id", "declared fact is asserted by no claim"))
    if problems.errors:
        return []
    return [
        {
            "fact_id": fact_id,
            "description": declared[fact_id]["description"],
            "claim_ids": sorted(c["claim_id"] for c in asserted[fact_id]),
            "article_ids": sorted({c["article_id"] for c in asserted[fact_id]}),
            "hard_negatives": [{"fact_id": other, "reason": reason} for other, reason in sorted(negatives[fact_id].items())],
        }
        for fact_id in sorted(declared)
    ]
