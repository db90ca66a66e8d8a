"""The pages: Jinja2 templates with autoescaping, so every text from the data is escaped unless it is
markup built here (highlighted texts, SVG), which escapes its own text."""

from itertools import groupby

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from wirecopy.benchmarks.runner import cell_text, table_columns
from wirecopy.benchmarks.tasks import TASKS
from wirecopy.schema import resolve

from . import plots
from .align import KEPT_MIN, LABELS, REWORDED_MIN, Passage, align, share_by_label
from .data import Release
from .markup import Highlight, highlight
from .scores import RunScores

BOILERPLATE_LABELS = resolve("vocabulary", "#/$defs/boilerplate_label")["enum"]
GOLDEN_ANGLE = 137.508  # successive hues this far apart stay distinct for any number of them


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("wirecopy.explorer", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["metric"] = cell_text
    environment.globals["vocabulary"] = lambda name: resolve("vocabulary", f"#/$defs/{name}")
    return environment


ENVIRONMENT = _environment()


def _render(template: str, **context) -> str:
    return ENVIRONMENT.get_template(template).render(**context)


def short_id(article_id: str) -> str:
    """The article's number (000, 001, ...): enough to tell the articles of this release apart."""
    return article_id.split("_", 1)[0]


def article_page_name(article_id: str) -> str:
    return f"articles/{article_id}.html"


def comparison_page_name(id_a: str, id_b: str) -> str:
    return f"compare/{id_a}--{id_b}.html"


def label_tint(label: str) -> str:
    """A light background per boilerplate label: dark text on it keeps a contrast over 10:1."""
    return f"hsl({BOILERPLATE_LABELS.index(label) * GOLDEN_ANGLE % 360:.0f} 75% 88%)"


def fact_colour(release: Release, fact_id: str) -> str:
    """A dark underline colour per fact, readable against white (contrast over 4.5:1)."""
    return f"hsl({sorted(release.facts).index(fact_id) * GOLDEN_ANGLE % 360:.0f} 80% 25%)"


# --- article pages -------------------------------------------------------------------------------


def _boilerplate_highlight(number: int, span: dict) -> Highlight:
    return Highlight(span["start"], span["end"], "mark", (
        ("class", "bp"),
        ("data-span", f"bp-{number}"),
        ("data-label", span["label"]),
        ("title", f"boilerplate: {span['label']} (basis: {span['basis']})"),
        ("style", f"--tint: {label_tint(span['label'])}"),
    ))


def _claim_highlight(release: Release, claim: dict) -> Highlight:
    fact = release.facts[claim["fact_id"]]
    local_id = claim["claim_id"].split("/")[1]
    return Highlight(claim["start"], claim["end"], "a", (
        ("class", "claim"),
        ("id", f"claim-{local_id}"),
        ("href", f"#fact-{fact['fact_id']}"),
        ("aria-controls", f"fact-{fact['fact_id']}"),
        ("data-span", claim["claim_id"]),
        ("data-claim", claim["claim_id"]),
        ("data-fact", fact["fact_id"]),
        ("data-fact-no", release.fact_number(fact["fact_id"])),
        ("title", f"claim {local_id}, fact {release.fact_number(fact['fact_id'])}: {fact['description']}"),
        ("style", f"--fact: {fact_colour(release, fact['fact_id'])}"),
    ))


def article_text(release: Release, article: dict) -> Markup:
    """The exact text, boilerplate spans as labelled marks and claims as links to their fact's panel."""
    highlights = [_boilerplate_highlight(n, span) for n, span in enumerate(article["boilerplate_spans"])]
    highlights += [_claim_highlight(release, claim) for claim in article["claims"]]
    return highlight(article["text"], highlights)


def _claims_by_article(release: Release, fact_id: str, skip_article: str | None = None) -> list[dict]:
    """[{article, claims}] of the articles (but ``skip_article``) asserting ``fact_id``, in id order."""
    claims = sorted((c for c in release.claims.values() if c["fact_id"] == fact_id and c["article_id"] != skip_article), key=lambda c: c["claim_id"])
    return [{"article": release.articles[article_id], "claims": list(group)} for article_id, group in groupby(claims, key=lambda c: c["article_id"])]


def fact_panels(release: Release, article: dict) -> list[dict]:
    """For each fact the article asserts: its claims here, the same fact in the other articles, and
    the look-alike facts (hard negatives) with the claims that assert them anywhere."""
    panels = []
    for fact_id in dict.fromkeys(claim["fact_id"] for claim in article["claims"]):
        panels.append({
            "fact": release.facts[fact_id],
            "number": release.fact_number(fact_id),
            "colour": fact_colour(release, fact_id),
            "here": [c for c in article["claims"] if c["fact_id"] == fact_id],
            "elsewhere": _claims_by_article(release, fact_id, skip_article=article["article_id"]),
            "look_alikes": [
                {"fact": release.facts[other], "number": release.fact_number(other), "reason": reason, "asserted": _claims_by_article(release, other)}
                for other, reason in release.look_alikes(fact_id).items()
            ],
        })
    return panels


def _pairs_of(release: Release, article_id: str) -> list[dict]:
    return [p for p in release.pairs if article_id in (p["article_id_a"], p["article_id_b"])]


def article_page(release: Release, article_id: str) -> str:
    article = release.articles[article_id]
    labels = sorted({span["label"] for span in article["boilerplate_spans"]}, key=BOILERPLATE_LABELS.index)
    return _render(
        "article.html",
        root="../",
        release=release,
        article=article,
        text=article_text(release, article),
        legend=[{"label": label, "tint": label_tint(label)} for label in labels],
        panels=fact_panels(release, article),
        pairs=_pairs_of(release, article_id),
        short_id=short_id,
        comparison_page_name=comparison_page_name,
    )


# --- index ---------------------------------------------------------------------------------------


def relation_matrix(release: Release) -> list[list[dict | None]]:
    """Rows of the article-by-article matrix: the pair row of each off-diagonal cell (None where ungraded)."""
    by_ids = {}
    for p in release.pairs:
        by_ids[p["article_id_a"], p["article_id_b"]] = by_ids[p["article_id_b"], p["article_id_a"]] = p
    return [[by_ids.get((a, b)) for b in release.articles] for a in release.articles]


def index_page(release: Release, results: list[dict]) -> str:
    return _render(
        "index.html",
        root="",
        release=release,
        matrix=relation_matrix(release),
        results=results,
        short_id=short_id,
        article_page_name=article_page_name,
        comparison_page_name=comparison_page_name,
    )


# --- comparisons ---------------------------------------------------------------------------------


def _passage_highlight(side: str, other_side: str, number: int, passage: Passage) -> Highlight:
    attributes = [("class", f"passage {passage.label}"), ("id", f"{side}-s{number}"), ("data-span", f"{side}-s{number}"), ("data-align", passage.label)]
    if passage.match is None:
        return Highlight(passage.start, passage.end, "mark", (*attributes, ("title", f"{passage.label}: no sentence of the other article is similar")))
    title = f"{passage.label}: like sentence {passage.match + 1} of the other article (similarity {passage.similarity:.2f}); follow to see it"
    return Highlight(passage.start, passage.end, "a", (*attributes, ("href", f"#{other_side}-s{passage.match}"), ("title", title)))


def _aligned_text(text: str, side: str, passages: list[Passage]) -> Markup:
    other_side = "b" if side == "a" else "a"
    return highlight(text, [_passage_highlight(side, other_side, n, p) for n, p in enumerate(passages)])


def shared_facts(release: Release, id_a: str, id_b: str) -> list[dict]:
    """The facts both articles assert, with each article's claims of it."""
    facts_of = {article_id: {c["fact_id"] for c in release.articles[article_id]["claims"]} for article_id in (id_a, id_b)}
    shared = sorted(facts_of[id_a] & facts_of[id_b])
    return [
        {
            "fact": release.facts[fact_id],
            "number": release.fact_number(fact_id),
            "claims": [[c for c in release.articles[article_id]["claims"] if c["fact_id"] == fact_id] for article_id in (id_a, id_b)],
        }
        for fact_id in shared
    ]


def comparison_page(release: Release, pair_row: dict) -> str:
    a, b = release.articles[pair_row["article_id_a"]], release.articles[pair_row["article_id_b"]]
    passages_a, passages_b = align(a["text"], b["text"])
    return _render(
        "compare.html",
        root="../",
        release=release,
        pair=pair_row,
        sides=[
            {"article": a, "text": _aligned_text(a["text"], "a", passages_a), "shares": share_by_label(a["text"], passages_a)},
            {"article": b, "text": _aligned_text(b["text"], "b", passages_b), "shares": share_by_label(b["text"], passages_b)},
        ],
        labels=LABELS,
        kept_min=KEPT_MIN,
        reworded_min=REWORDED_MIN,
        facts=shared_facts(release, a["article_id"], b["article_id"]),
        short_id=short_id,
    )


# --- results -------------------------------------------------------------------------------------


def run_name(system: str, variant: str) -> str:
    return system if variant == "-" else f"{system} · {variant}"


def _task_plots(result: dict, runs: list[RunScores], short_names: dict[str, str]) -> dict:
    """The captioned SVG plots of one task: the primary metric as bars; curves (one plot per input
    variant) and heatmaps (one per run) where the baselines were re-run."""
    task, primary = result["task"], result["primary_metric"]
    bars = plots.bars(f"{task}-bars", f"{task}: {primary} of each run", [(run_name(r["system"], r["input"]), r["scores"].get(primary)) for r in result["results"]])
    curves = []
    for variant in dict.fromkeys(run.variant for run in runs):
        caption = "all systems" if variant == "-" else f"input {variant}"
        series = [(f"{run.system} (AP {run.average_precision:.3f})", run.recall, run.precision) for run in runs if run.variant == variant]
        curves.append({"caption": caption, "svg": plots.pr_curves(f"{task}-pr-{variant}", f"{task}: precision-recall, {caption}", series)})
    heatmaps = [
        {"caption": run_name(run.system, run.variant), "svg": plots.heatmap(f"{task}-heat-{run.system}-{run.variant}", f"{task}: {run_name(run.system, run.variant)}", run.heatmap, short_names)}
        for run in runs
        if run.heatmap is not None
    ]
    return {"bars": bars, "curves": curves, "heatmaps": heatmaps}


def results_page(release: Release, results: list[dict], scores: dict[str, list[RunScores]]) -> str:
    """Each task's table (the columns of results.md) and plots; ``scores`` holds the tasks whose
    baselines were re-run for curves and heatmaps."""
    short_names = {article_id: short_id(article_id) for article_id in release.articles}
    sections = []
    for result in results:
        sections.append({
            "result": result,
            "columns": table_columns(result),
            "pairwise": TASKS[result["task"]].kind.pairwise,
            "scored": result["task"] in scores,
            "plots": _task_plots(result, scores.get(result["task"], []), short_names),
        })
    return _render("results.html", root="", release=release, sections=sections, shade_legend=plots.shade_legend, run_name=run_name)
