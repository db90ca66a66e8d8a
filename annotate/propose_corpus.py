"""Proposed labels across articles: fact clusters of claims (the claim-alignment baseline) and relations of
article pairs (a document-similarity baseline), for the claims and articles that are new.

Both baselines are BM25 (bm25s), the benchmarks' own systems:

- facts: ``benchmarks.claim_systems.bm25``, at the threshold tuned on ECB+ event alignment's validation
  split (``results/event_alignment.json``: 0.193; the best pairwise F1 of the lexical claim systems on
  real sentences, 0.56 on test, where its a-priori 0.25 gives 0.49). Each new claim is linked to its
  most similar claim of another article at or above it; linked claims form one fact (an existing one
  when a claim already has it). ECB+ pairs sentences that share an event, a looser relation than
  asserting the same fact, so this threshold errs towards merging: a reviewer splits facts more often
  than joining them (scripts/proposal-quality measures it on our five articles).
- relations: ``benchmarks.dedup_systems.bm25`` at its a-priori threshold 0.25 (the 99.9th percentile of
  unrelated ECB+ documents), which decides every pair of our five articles correctly as same_report or
  not (``dedup_articles``). Only pairs at or above it are proposed: the project's default relation
  covers the rest, so relations grow with the reuse there is, not with the square of the corpus.
"""

import re
import unicodedata
from dataclasses import dataclass

from .quotes import Span, library, locator, proposed

FACT_THRESHOLD = 0.193
# Each claim's this many most similar claims are scored (the top-k path of the claim system, exact): a
# fact is asserted by at most a few claims per article, and memory stays linear in the claims.
NEAREST_CLAIMS = 20
RELATION = "same_report"
FACT_ID_WORDS = 6
# Words left out of a fact id: it names the fact by the claim's content words.
_STOPWORDS = frozenset(
    "a an the of to in on at for and or but with from by as that this these those is are was were be been being has have "
    "had it its he she they his her their will would could should may might can said says told about after before into "
    "than then also not no so which who whom what when where while".split()
)


@dataclass(frozen=True)
class ClaimRef:
    """A claim of the corpus: ``article_id/cNN``, its span and text, and its fact when it has one."""

    claim_id: str
    article_id: str
    span: Span
    text: str
    fact: str | None = None


def fact_slug(text: str, taken: set[str]) -> str:
    """A fact id from the first content words of ``text`` (ASCII, lower case), unique among ``taken``."""
    plain = unicodedata.normalize("NFKD", text.replace("’", "").replace("'", "")).encode("ascii", "ignore").decode().lower()
    words = [word for word in re.findall(r"[a-z0-9]+", plain) if word not in _STOPWORDS]
    base = "_".join(words[:FACT_ID_WORDS]) or "fact"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}_{number}", number + 1
    return slug


def claim_pair_scores(claims: list[ClaimRef]) -> dict[tuple[str, str], float]:
    """BM25 similarities of claim pairs (each claim's ``NEAREST_CLAIMS`` most similar)."""
    from wirecopy.benchmarks.claim_systems import bm25  # the [bench] extra, needed by annotate alone (not by accept)

    if len(claims) < 2:
        return {}
    return bm25.index({claim.claim_id: claim.text for claim in claims}).top_k(NEAREST_CLAIMS)


def best_links(claims: list[ClaimRef], new_ids: set[str], scores: dict[tuple[str, str], float]) -> list[tuple[float, tuple[str, str]]]:
    """Each new claim's link to its most similar claim of another article, at or above
    ``FACT_THRESHOLD`` (strongest first). One link per claim: linking every pair above the threshold
    chains most claims of five articles on one story into a single fact."""
    article = {claim.claim_id: claim.article_id for claim in claims}
    best: dict[str, tuple[float, tuple[str, str]]] = {}
    for pair, score in sorted(scores.items()):
        if score < FACT_THRESHOLD or article[pair[0]] == article[pair[1]]:
            continue
        for claim in new_ids & set(pair):
            if claim not in best or score > best[claim][0]:
                best[claim] = (score, pair)
    return sorted(set(best.values()), key=lambda link: (-link[0], link[1]))


def assign_facts(existing: list[ClaimRef], new: list[ClaimRef], taken: set[str], scores: dict[tuple[str, str], float]) -> tuple[dict[str, str], list[dict]]:
    """The fact of every new claim, and the proposed corpus.yaml entries of the facts that are new.

    New claims joined by their best links (``best_links``) form a group; a group linked to a claim that
    has a fact asserts that fact (the strongest such link's), any other group a new fact named after its
    first claim (``fact_slug``, unique among ``taken``)."""
    from wirecopy.benchmarks.metrics import clusters_from_pairs

    known = {claim.claim_id: claim.fact for claim in existing}
    new_ids = {claim.claim_id for claim in new}
    links = best_links([*existing, *new], new_ids, scores)
    groups: dict[str, list[str]] = {}
    for claim_id, root in clusters_from_pairs(new_ids | {c for _, pair in links for c in pair}, [pair for _, pair in links]).items():
        groups.setdefault(root, []).append(claim_id)
    text = {claim.claim_id: claim.text for claim in new}
    method = f"{library('bm25s')} BM25 claim alignment (benchmarks claim_systems bm25) at {FACT_THRESHOLD}, its threshold tuned on ECB+ event_alignment validation; each claim joins its most similar claim of another article"
    root_of = {claim_id: root for root, members in groups.items() for claim_id in members}
    links_of: dict[str, list[tuple[float, tuple[str, str]]]] = {}
    for link in links:  # strongest first, in every group
        links_of.setdefault(root_of[link[1][0]], []).append(link)
    facts_of, new_facts, taken = {}, [], set(taken)
    for root, members in groups.items():
        inside = links_of.get(root, [])
        joined = next((known.get(a) or known.get(b) for _, (a, b) in inside if known.get(a) or known.get(b)), None)
        if joined is None:
            first = min(c for c in members if c in new_ids)
            joined = fact_slug(text[first], taken)
            taken.add(joined)
            found = "; ".join(f"{a} ~ {b} {score:.2f}" for score, (a, b) in inside) or "none of another article this similar"
            new_facts.append({"fact_id": joined, "description": text[first], "proposed": proposed(f"{method}; links {found}")})
        facts_of |= {claim_id: joined for claim_id in members if claim_id in new_ids}
    return facts_of, new_facts


def undeclared_facts(existing: list[ClaimRef], declared: set[str]) -> list[dict]:
    """A proposed fact entry for every fact that an existing claim asserts and corpus.yaml lacks."""
    facts = {}
    for claim in existing:
        if claim.fact not in declared and claim.fact not in facts:
            facts[claim.fact] = {"fact_id": claim.fact, "description": claim.text, "proposed": proposed(f"declared for claim {claim.claim_id}, which asserts it; its text as the description")}
    return list(facts.values())


def propose_relations(texts: dict[str, str], new_articles: set[str], listed: set[tuple[str, str]], claims: list[ClaimRef], titles: dict[str, Span], claim_scores: dict[tuple[str, str], float]) -> list[dict]:
    """A proposed relation for every pair with a new article, not yet listed, whose BM25 document
    similarity reaches the system's threshold; its evidence is the pair's most similar claims (their
    titles when no claims are alike)."""
    from wirecopy.benchmarks.dedup_systems import bm25

    if len(texts) < 2:
        return []
    scored = bm25(texts)
    by_id = {claim.claim_id: claim for claim in claims}
    most_alike: dict[tuple[str, str], tuple[float, tuple[str, str]]] = {}  # article pair -> its most similar claims
    for pair, score in claim_scores.items():
        articles = tuple(sorted({by_id[pair[0]].article_id, by_id[pair[1]].article_id}))
        if len(articles) == 2 and (score, pair) > most_alike.get(articles, (-1.0, pair)):
            most_alike[articles] = (score, pair)
    method = f"{library('bm25s')} BM25 document similarity (benchmarks dedup_systems bm25) at its threshold {scored.threshold}"
    relations = []
    for (a, b), score in sorted(scored.scores.items()):
        if score < scored.threshold or (a, b) in listed or not new_articles & {a, b}:
            continue
        if (a, b) in most_alike:
            best, pair = most_alike[a, b]
            spans = {by_id[c].article_id: by_id[c].span for c in pair}
            evidence_note = f"evidence: the pair's most similar claims (BM25 {best:.2f})"
        else:
            spans, evidence_note = {a: titles[a], b: titles[b]}, "evidence: the titles (no claims alike)"
        relations.append({
            "articles": [a, b],
            "relation": RELATION,
            "evidence": [{"article_id": article_id, **locator(texts[article_id], *spans[article_id])} for article_id in (a, b)],
            "note": f"BM25 document similarity {score:.3f} (at or above {scored.threshold}: more alike than 99.9% of unrelated news); {evidence_note}. Same report, or the same story from other reporting (same_story)?",
            "proposed": proposed(method),
        })
    return relations
