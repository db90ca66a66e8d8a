"""Inter-annotator agreement between two annotation folders of the same texts (``wirecopy agree A B``).

Both folders are complete annotations (``*.txt``, ``*.yaml`` sidecars, ``corpus.yaml``), resolved with
``seed_rows`` as a build resolves them; their texts must be byte-identical. Reading A is the reference
wherever a measure is directional: precision is the share of B's items that A has, recall the share of
A's items that B has.

Every number comes with the n it was computed over: on five articles one disagreement moves an
agreement by 0.2 and Cohen's kappa further, so the counts matter as much as the scores.

Choices the numbers depend on:

- Cohen's kappa (scikit-learn's) only for closed label sets (basis, date_refers_to, boilerplate labels,
  claim type, claimer kind and basis, relation); outlet, credited source and date are open values and get
  the share of equal values only. Kappa is ``None`` where it is undefined: both readings give every item
  one and the same label, so chance agreement is 1.
- Boilerplate is compared character by character over all characters of all texts, a character being
  'content' where no span covers it; and span by span, exactly (same start, end and label) and by
  overlap (any shared character, any label: how the boilerplate benchmark scores a system).
- Claims are matched one-to-one by character overlap: a pair needs an intersection over union of at
  least ``MIN_CLAIM_IOU``; pairs are taken greedily by decreasing IoU, ties by position, so the matching
  is deterministic. Claim type, claimer kind and claimer basis are compared over the matched claims.
- Fact clusters and hard negatives are compared over the matched claims only; an unmatched claim is
  left out (its disagreement is counted once, by the claim spans), so these say whether the two readings
  group the claims they share in the same way. A fact id is only a cluster's name: the two readings'
  ids need not match. A hard negative of two facts stands for every pair of matched claims asserting
  them.
- Relations are compared over the article pairs both readings label; a pair that only takes the
  project's default relation (``relation_source: project_default``), or is left out, is not labelled.
"""

import datetime
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from wirecopy.benchmarks.metrics import bcubed, char_prf, conll_f1, prf_from_counts, span_prf
from wirecopy.builders.card import AGREEMENT_MARKERS, embed
from wirecopy.builders.documents import read_text
from wirecopy.builders.pipeline import seed_rows, unreviewed_labels
from wirecopy.core.errors import NOT_APPLICABLE, InputError, Problems
from wirecopy.core.outputs import atomic_write_text

FORMAT_VERSION = 1  # of the JSON report; a change of a key's meaning bumps it
MIN_CLAIM_IOU = 0.5
CONTENT = "content"  # the label of a character no boilerplate span covers
PROJECT_DEFAULT = "project_default"  # relation_source of a pair no one labelled
DECIMALS = 4  # of every float in the report

# Article-level labels: (field of the articles row, closed label set, so that kappa means something).
ARTICLE_LABELS = (
    ("outlet", False),
    ("outlet_basis", True),
    ("credited_source", False),
    ("credited_source_basis", True),
    ("date", False),
    ("date_refers_to", True),
    ("date_basis", True),
)
CLAIM_LABELS = ("claim_type", "claimer_kind", "claimer_basis")


def agreement(folder_a: Path, folder_b: Path) -> dict:
    """The agreement of annotation folder ``folder_b`` with ``folder_a`` (the reference), as a
    JSON-serialisable report with a fixed key order and floats rounded to ``DECIMALS`` places.

    Raises an ``InputError`` naming the first article that is in one folder only or whose text differs,
    ``InputError``s for labels still proposed, and those of ``seed_rows`` for a bad annotation."""
    folder_a, folder_b = Path(folder_a), Path(folder_b)
    # Texts first: an edited text would otherwise show as quotes that no longer resolve.
    check_same_texts(folder_a, text_digests(folder_a), folder_b, text_digests(folder_b))
    check_reviewed(folder_a, folder_b)
    # Without a default relation, the pairs corpus.yaml does not list are left out: only labels compare.
    rows_a, rows_b = seed_rows(folder_a), seed_rows(folder_b)
    articles_a = {article["article_id"]: article for article in rows_a["articles"]}
    articles_b = {article["article_id"]: article for article in rows_b["articles"]}
    matched = [pair for article_id in sorted(articles_a) for pair in match_claims(articles_a[article_id]["claims"], articles_b[article_id]["claims"])]
    report = {
        "format": FORMAT_VERSION,
        "readings": {"a": str(folder_a), "b": str(folder_b)},
        "articles": article_agreement(articles_a, articles_b),
        "boilerplate": boilerplate_agreement(articles_a, articles_b),
        "claims": claim_agreement(rows_a["claims"], rows_b["claims"], matched),
        "facts": fact_agreement(rows_a["claims"], rows_b["claims"], matched),
        "hard_negatives": hard_negative_agreement(rows_a["facts"], rows_b["facts"], matched),
        "relations": relation_agreement(rows_a["article_pairs"], rows_b["article_pairs"]),
    }
    return _rounded(report)


def text_digests(folder: Path) -> dict[str, str]:
    """sha256 of each ``*.txt`` of ``folder`` (by article id), as ``seed_rows`` computes ``text_sha256``."""
    return {path.stem: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.glob("*.txt"))}


def check_same_texts(folder_a: Path, digests_a: dict[str, str], folder_b: Path, digests_b: dict[str, str]) -> None:
    """Raise an ``InputError`` for the first article id (in sorted order) that only one folder has, or
    whose text differs between them (``digests_*``: :func:`text_digests`): agreement compares two readings
    of the same texts."""
    for article_id in sorted(digests_a.keys() | digests_b.keys()):
        if article_id not in digests_b:
            raise InputError(str(folder_b), article_id, NOT_APPLICABLE, f"no {article_id}.txt, which {folder_a} has; agreement compares two annotations of the same texts")
        if article_id not in digests_a:
            raise InputError(str(folder_b), article_id, NOT_APPLICABLE, f"{article_id}.txt is not in {folder_a}; agreement compares two annotations of the same texts")
        if digests_a[article_id] != digests_b[article_id]:
            raise InputError(str(folder_b / f"{article_id}.txt"), article_id, "text", f"differs from {folder_a / f'{article_id}.txt'} (sha256 {digests_b[article_id][:12]} vs {digests_a[article_id][:12]}); agreement compares two annotations of the same texts")


def check_reviewed(*folders: Path) -> None:
    """Raise an ``InputError`` for each annotation file with labels still proposed by ``wirecopy
    annotate``: agreement is between two readers, not with a reader's unreviewed proposals."""
    problems = Problems()
    for folder in folders:
        for path, labels in unreviewed_labels(folder).items():
            problems.add(InputError(path, labels[0], "proposed", f"{len(labels)} proposed label(s) not reviewed (first: {labels[0]}); agreement compares two reviewed annotations"))
    problems.check()


# ---------------------------------------------------------------------------
# Labels: share of equal labels and Cohen's kappa
# ---------------------------------------------------------------------------


NULL = "(null)"  # a null label (date_refers_to of an undated article) is a category of its own for kappa


def cohen_kappa(counts: Counter) -> float | None:
    """Cohen's kappa from the counts of (label in A, label in B) over the items; None without items or
    where kappa is undefined (both readings give every item the same one label)."""
    counts = Counter({tuple(NULL if label is None else label for label in pair): count for pair, count in counts.items()})
    labels = sorted({label for pair in counts for label in pair})
    if len(labels) < 2:
        return None
    pairs = sorted(counts)
    # One weighted entry per distinct pair: the same kappa as one entry per item, without a list of
    # every character of the corpus.
    return float(cohen_kappa_score([a for a, _ in pairs], [b for _, b in pairs], labels=labels, sample_weight=[counts[pair] for pair in pairs]))


def categorical_agreement(counts: Counter, closed: bool = True) -> dict:
    """``n`` items, the share of them with equal labels (None without items) and, for a closed label
    set, Cohen's kappa."""
    n = sum(counts.values())
    equal = sum(count for (a, b), count in counts.items() if a == b)
    result = {"n": n, "agreement": equal / n if n else None}
    if closed:
        result["kappa"] = cohen_kappa(counts)
    return result


def label_agreement(labels: dict[str, tuple], closed: bool = True) -> dict:
    """:func:`categorical_agreement` of ``{item: (label in A, label in B)}``, with the items whose labels
    differ (sorted) so that the two readers can find them."""
    result = categorical_agreement(Counter(labels.values()), closed)
    result["differences"] = [{"item": item, "a": a, "b": b} for item, (a, b) in sorted(labels.items()) if a != b]
    return result


def _plain(value):
    # Dates are datetime.date in the rows; the report is JSON.
    return value.isoformat() if isinstance(value, datetime.date) else value


def article_agreement(articles_a: dict[str, dict], articles_b: dict[str, dict]) -> dict:
    """Outlet, credited source and date (value, basis, what the date refers to), article by article."""
    return {
        field: label_agreement({article_id: (_plain(articles_a[article_id][field]), _plain(articles_b[article_id][field])) for article_id in articles_a}, closed)
        for field, closed in ARTICLE_LABELS
    }


# ---------------------------------------------------------------------------
# Spans: precision, recall and F1 with A as the reference
# ---------------------------------------------------------------------------


def _prf(tp: int, fp: int, fn: int, tp_gold: int | None = None) -> dict:
    """Items in A and in B, then precision, recall and F1 of B against A; all three None when neither
    reading has an item (nothing to agree on is not disagreement)."""
    tp_gold = tp if tp_gold is None else tp_gold
    n_a, n_b = tp_gold + fn, tp + fp
    scores = prf_from_counts(tp, fp, fn, tp_gold) if n_a or n_b else dict.fromkeys(("precision", "recall", "f1"))
    return {"n_a": n_a, "n_b": n_b, **scores}


def _summed(counts: Iterable[dict]) -> dict:
    """The micro average of per-text counts (``char_prf``/``span_prf`` results)."""
    total = Counter()
    for count in counts:
        total.update({"tp": count["tp"], "fp": count["fp"], "fn": count["fn"], "tp_gold": count.get("tp_gold", count["tp"])})
    return _prf(total["tp"], total["fp"], total["fn"], total["tp_gold"])


def _spans(spans: list[dict], label: str | None = None) -> list[tuple[int, int]]:
    return [(span["start"], span["end"]) for span in spans if label is None or span["label"] == label]


def _labelled_exact(spans_a: list[dict], spans_b: list[dict]) -> Iterable[dict]:
    # An exact match needs the same label too: match within each label.
    for label in sorted({span["label"] for span in spans_a + spans_b}):
        yield span_prf(_spans(spans_a, label), _spans(spans_b, label), mode="exact")


def character_labels(length: int, spans_a: list[dict], spans_b: list[dict]) -> Counter:
    """Counts of (label in A, label in B) over the ``length`` characters of one text."""
    labels_a, labels_b = [CONTENT] * length, [CONTENT] * length
    for labels, spans in ((labels_a, spans_a), (labels_b, spans_b)):
        for span in spans:  # boilerplate spans of one reading never overlap (resolve checks)
            labels[span["start"] : span["end"]] = [span["label"]] * (span["end"] - span["start"])
    return Counter(zip(labels_a, labels_b))


def boilerplate_agreement(articles_a: dict[str, dict], articles_b: dict[str, dict]) -> dict:
    """Boilerplate character by character (boilerplate or content; and label by label) and span by span."""
    labels = Counter()
    for article_id, article in articles_a.items():
        labels.update(character_labels(len(article["text"]), article["boilerplate_spans"], articles_b[article_id]["boilerplate_spans"]))
    binary = Counter()
    for (a, b), count in labels.items():
        binary[(a != CONTENT, b != CONTENT)] += count
    pairs = [(articles_a[article_id]["boilerplate_spans"], articles_b[article_id]["boilerplate_spans"]) for article_id in sorted(articles_a)]
    return {
        "characters": categorical_agreement(binary),
        "character_labels": categorical_agreement(labels),
        "characters_prf": _summed(char_prf(_spans(a), _spans(b)) for a, b in pairs),
        "spans_exact": _summed(counts for a, b in pairs for counts in _labelled_exact(a, b)),
        "spans_overlap": _summed(span_prf(_spans(a), _spans(b), mode="overlap") for a, b in pairs),
    }


# ---------------------------------------------------------------------------
# Claims, fact clusters and hard negatives
# ---------------------------------------------------------------------------


def _iou(a: dict, b: dict) -> float:
    shared = min(a["end"], b["end"]) - max(a["start"], b["start"])
    return max(shared, 0) / (max(a["end"], b["end"]) - min(a["start"], b["start"]))


def match_claims(claims_a: list[dict], claims_b: list[dict]) -> list[tuple[dict, dict]]:
    """One article's claims of A and B matched one-to-one: candidate pairs have an IoU of at least
    ``MIN_CLAIM_IOU`` and are taken by decreasing IoU, ties in the order of the claims (by position),
    each claim at most once. Identical spans (IoU 1) therefore match first, one to one even where a
    reading gives one span to two claims."""
    candidates = sorted((-iou, i, j) for i, a in enumerate(claims_a) for j, b in enumerate(claims_b) if (iou := _iou(a, b)) >= MIN_CLAIM_IOU)
    used_a, used_b, matched = set(), set(), []
    for _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matched.append((claims_a[i], claims_b[j]))
    return sorted(matched, key=lambda pair: pair[0]["claim_id"])


def claim_agreement(claims_a: list[dict], claims_b: list[dict], matched: list[tuple[dict, dict]]) -> dict:
    """Claim spans (exact, and matched by overlap) and the labels of the matched claims.

    Exact matches are counted on the one-to-one matching rather than with ``span_prf``, which compares
    sets of spans: two claims of one reading may share a span (a sentence asserting two facts), and a
    set would count them once."""
    exact = sum((a["start"], a["end"]) == (b["start"], b["end"]) for a, b in matched)
    unmatched_a = sorted({claim["claim_id"] for claim in claims_a} - {a["claim_id"] for a, _ in matched})
    unmatched_b = sorted({claim["claim_id"] for claim in claims_b} - {b["claim_id"] for _, b in matched})
    return {
        "min_iou": MIN_CLAIM_IOU,
        "spans_exact": _prf(exact, len(claims_b) - exact, len(claims_a) - exact),
        "spans_matched": _prf(len(matched), len(unmatched_b), len(unmatched_a)),
        **{label: label_agreement({a["claim_id"]: (a[label], b[label]) for a, b in matched}) for label in CLAIM_LABELS},
        "unmatched": {"a": unmatched_a, "b": unmatched_b},
    }


def fact_agreement(claims_a: list[dict], claims_b: list[dict], matched: list[tuple[dict, dict]]) -> dict:
    """B-cubed and CoNLL F1 of B's fact clusters against A's, over the matched claims (each named by its
    claim id in A); unmatched claims are left out and counted."""
    facts_a = {a["claim_id"]: a["fact_id"] for a, _ in matched}
    facts_b = {a["claim_id"]: b["fact_id"] for a, b in matched}
    result = {
        "n": len(matched),
        "left_out_a": len(claims_a) - len(matched),
        "left_out_b": len(claims_b) - len(matched),
        "clusters_a": len(set(facts_a.values())),
        "clusters_b": len(set(facts_b.values())),
    }
    if not matched:  # the clustering metrics need at least one item
        return result | {"bcubed": dict.fromkeys(("precision", "recall", "f1")), "conll_f1": None}
    return result | {"bcubed": bcubed(facts_a, facts_b), "conll_f1": conll_f1(facts_a, facts_b)}


def _negative_claim_pairs(facts: list[dict], fact_of: dict[str, str]) -> set[tuple[str, str]]:
    """The claim pairs (items of ``fact_of``) whose facts are hard negatives of each other."""
    claims_of = defaultdict(list)
    for item, fact_id in fact_of.items():
        claims_of[fact_id].append(item)
    return {
        tuple(sorted((first, second)))
        for fact in facts for negative in fact["hard_negatives"]
        for first in claims_of[fact["fact_id"]] for second in claims_of[negative["fact_id"]]
    }


def hard_negative_agreement(facts_a: list[dict], facts_b: list[dict], matched: list[tuple[dict, dict]]) -> dict:
    """Which pairs of matched claims the two readings make hard negatives (through their facts): B's
    pairs against A's, with each reading's number of hard-negative fact pairs."""
    pairs_a = _negative_claim_pairs(facts_a, {a["claim_id"]: a["fact_id"] for a, _ in matched})
    pairs_b = _negative_claim_pairs(facts_b, {a["claim_id"]: b["fact_id"] for a, b in matched})
    return {
        # facts rows list each hard negative on both of its facts
        "fact_pairs_a": sum(len(fact["hard_negatives"]) for fact in facts_a) // 2,
        "fact_pairs_b": sum(len(fact["hard_negatives"]) for fact in facts_b) // 2,
        "claim_pairs": _prf(len(pairs_a & pairs_b), len(pairs_b - pairs_a), len(pairs_a - pairs_b)),
    }


# ---------------------------------------------------------------------------
# Relations
# ---------------------------------------------------------------------------


def _labelled_pairs(rows: list[dict]) -> dict[str, dict]:
    # agreement() asks seed_rows for no default, but released rows hold the project-default pairs too,
    # which no one labelled; rows of releases before relation_source are all labelled.
    return {" / ".join(sorted((row["article_id_a"], row["article_id_b"]))): row for row in rows if row.get("relation_source") != PROJECT_DEFAULT}


def relation_agreement(pairs_a: list[dict], pairs_b: list[dict]) -> dict:
    """Relation agreement and kappa, and the mean absolute grade difference, over the article pairs both
    readings label (``article_pairs`` rows); the pairs only one labels are counted."""
    labelled_a, labelled_b = _labelled_pairs(pairs_a), _labelled_pairs(pairs_b)
    both = sorted(labelled_a.keys() & labelled_b.keys())
    grade_difference = sum(abs(labelled_a[pair]["grade"] - labelled_b[pair]["grade"]) for pair in both)
    return {
        **label_agreement({pair: (labelled_a[pair]["relation"], labelled_b[pair]["relation"]) for pair in both}),
        "grade_mean_absolute_difference": grade_difference / len(both) if both else None,
        "only_a": len(labelled_a.keys() - labelled_b.keys()),
        "only_b": len(labelled_b.keys() - labelled_a.keys()),
    }


def _rounded(value):
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


def write_agreement(report: dict, json_path: Path | None = None, markdown_path: Path | None = None, embed_in: list[Path] = ()) -> None:
    """Write the report as JSON and/or its Markdown (:func:`agreement_markdown`), and put the Markdown
    between the agreement markers of each document of ``embed_in`` (e.g. DATASHEET.md), each file
    replaced in one rename. A path inside either annotation folder is refused, so that no text or
    sidecar can be overwritten by a report."""
    texts = {}
    if json_path is not None:
        texts[Path(json_path)] = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if markdown_path is not None:
        texts[Path(markdown_path)] = agreement_markdown(report)
    for document in map(Path, embed_in):
        try:
            texts[document] = embed(read_text(document), agreement_markdown(report), AGREEMENT_MARKERS)
        except ValueError:
            raise InputError(str(document), NOT_APPLICABLE, NOT_APPLICABLE, f"has no {' ... '.join(AGREEMENT_MARKERS)} markers to put the table between") from None
    for path in texts:
        for folder in report["readings"].values():
            if path.resolve().is_relative_to(Path(folder).resolve()):
                raise InputError(str(path), NOT_APPLICABLE, NOT_APPLICABLE, f"is inside the annotation folder {folder}; write the report elsewhere")
    for path, text in texts.items():
        atomic_write_text(path, text)


def _number(value: float | None) -> str:
    # Three decimals: with two, 0.996 would read as perfect agreement.
    return "–" if value is None else f"{value:.3f}"


def _label_row(name: str, result: dict) -> str:
    return f"| {name} | {result['n']:,} | {_number(result['agreement'])} | {_number(result.get('kappa'))} |"


def _prf_row(name: str, result: dict) -> str:
    return f"| {name} | {result['n_a']:,} / {result['n_b']:,} | {_number(result['precision'])} | {_number(result['recall'])} | {_number(result['f1'])} |"


def agreement_markdown(report: dict) -> str:
    """The report as a heading-less block for a dataset card or a datasheet: a note on method and n,
    a table of label agreement (share of equal labels, Cohen's kappa) and one of spans and clusters
    (precision, recall, F1 with A as the reference)."""
    articles, boilerplate, claims = report["articles"], report["boilerplate"], report["claims"]
    facts, negatives, relations = report["facts"], report["hard_negatives"], report["relations"]
    n_articles = articles["outlet"]["n"]
    iou = claims["min_iou"]
    note = (
        f"Reading B against reading A on {n_articles} articles; n is the number of items behind each number (articles, "
        f"characters, claims matched one-to-one at IoU ≥ {iou:g}, article pairs both readings label), and on few items "
        "kappa is unstable. κ is Cohen's kappa, – where it is undefined (one label throughout) or the values are open. "
        "Fact clusters and hard negatives compare the matched claims only."
    )
    labels = [
        "| label | n | agreement | κ |",
        "|---|---:|---:|---:|",
        _label_row("outlet", articles["outlet"]),
        _label_row("outlet basis", articles["outlet_basis"]),
        _label_row("credited source", articles["credited_source"]),
        _label_row("credited source basis", articles["credited_source_basis"]),
        _label_row("date", articles["date"]),
        _label_row("date refers to", articles["date_refers_to"]),
        _label_row("date basis", articles["date_basis"]),
        _label_row("boilerplate or content (characters)", boilerplate["characters"]),
        _label_row("boilerplate label (characters)", boilerplate["character_labels"]),
        _label_row("claim type (matched claims)", claims["claim_type"]),
        _label_row("claimer kind (matched claims)", claims["claimer_kind"]),
        _label_row("claimer basis (matched claims)", claims["claimer_basis"]),
        _label_row("relation (article pairs)", relations),
    ]
    conll = {"n_a": facts["n"], "n_b": facts["n"], "precision": None, "recall": None, "f1": facts["conll_f1"]}
    spans = [
        "| spans and clusters (A as reference) | n (A / B) | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|",
        _prf_row("boilerplate characters", boilerplate["characters_prf"]),
        _prf_row("boilerplate spans, exact (start, end, label)", boilerplate["spans_exact"]),
        _prf_row("boilerplate spans, overlapping (any label)", boilerplate["spans_overlap"]),
        _prf_row("claim spans, exact", claims["spans_exact"]),
        _prf_row(f"claim spans, matched (IoU ≥ {iou:g})", claims["spans_matched"]),
        _prf_row("fact clusters, B³ (matched claims)", {"n_a": facts["n"], "n_b": facts["n"], **facts["bcubed"]}),
        _prf_row("fact clusters, CoNLL F1 (matched claims)", conll),
        _prf_row("hard-negative claim pairs", negatives["claim_pairs"]),
    ]
    relation_note = (
        f"Relation grades differ by {_number(relations['grade_mean_absolute_difference'])} on average (n = {relations['n']}); "
        f"{relations['only_a']} pair(s) are labelled by A only, {relations['only_b']} by B only. "
        f"Claims left unmatched: {facts['left_out_a']} of A's, {facts['left_out_b']} of B's."
    )
    return "\n".join([note, "", *labels, "", *spans, "", relation_note]) + "\n"
