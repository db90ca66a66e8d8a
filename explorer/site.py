"""Write the explorer: a self-contained static site (relative links, no server, no network).

The site is written into a staging folder beside ``out`` and swapped in only when complete (and only
over a site that wirecopy wrote: ``core/outputs.py``), and
the same release and results always give byte-identical files (nothing depends on time or order of
iteration over sets).
"""

from importlib.resources import files
from pathlib import Path

from wirecopy.benchmarks.tasks import TASKS
from wirecopy.core.outputs import check_replaceable, replace_folder

from . import render
from .data import load_release, load_results
from .scores import task_scores

STATIC_FILES = ("style.css", "explorer.js")
SITE = "explorer site"  # the kind of output in core.outputs' marker


def site_files(dataset: Path, results_dir: Path, plot_tasks: list[str] | None = None) -> dict[str, str]:
    """Every file of the site (relative path -> text). Curves and heatmaps are drawn for ``plot_tasks``
    (default: every pair task), whose baselines this re-runs."""
    release = load_release(dataset)
    results = load_results(results_dir, release.version)
    scored = [r["task"] for r in results if TASKS[r["task"]].kind.pairwise and (plot_tasks is None or r["task"] in plot_tasks)]
    scores = {name: task_scores(TASKS[name], dataset) for name in scored}
    site = {"index.html": render.index_page(release, results), "results.html": render.results_page(release, results, scores)}
    site |= {render.article_page_name(article_id): render.article_page(release, article_id) for article_id in release.articles}
    site |= {render.comparison_page_name(p["article_id_a"], p["article_id_b"]): render.comparison_page(release, p) for p in release.pairs}
    site |= {f"assets/{name}": files("wirecopy.explorer").joinpath("static", name).read_text(encoding="utf-8") for name in STATIC_FILES}
    return site


def _write_all(folder: Path, site: dict[str, str]) -> None:
    for name, text in site.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")


def build_site(dataset: Path, results: Path, out: Path, plot_tasks: list[str] | None = None) -> list[str]:
    """Render the explorer of the release in ``dataset`` and the results in ``results``, then write it
    to ``out`` in one swap; return the pages' paths. Raises ``InputError`` on bad input, before
    anything is written."""
    check_replaceable(out, SITE, [dataset, results])  # before the work, not only when it is done
    site = site_files(Path(dataset), Path(results), plot_tasks)
    replace_folder(Path(out), SITE, lambda staging: _write_all(staging, site), [dataset, results])
    return sorted(name for name in site if name.endswith(".html"))
