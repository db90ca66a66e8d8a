"""The build pipeline: each step a plain function, composed here and nowhere else."""

import datetime
from pathlib import Path

from wirecopy.core.errors import Problems
from wirecopy.core.layout import SPLIT
from wirecopy.core.outputs import check_replaceable

from .annotations import CORPUS_FILE, read_corpus, read_sidecars
from .documents import read_documents, read_text, release_identity
from .real_data import real_data_rows
from .resolve import claim_rows, fact_rows, pair_rows, resolve_article
from .seeds import read_seeds
from .synthetic import generate, sentence_pool
from .validate import check_dates, check_rows, check_spans
from .write import RELEASE, Rows, write_release

# The released synthetic deduplication corpus; the generator makes any size (``wirecopy synth``).
SYNTHETIC_ROWS = 3000
SYNTHETIC_SEED = 0


def seed_rows(seeds_dir: Path, release_date: str | None = None) -> dict[str, list[dict]]:
    """Read the seeds and their annotations and resolve them into the rows of the annotated configs
    (``articles``, ``claims``, ``article_pairs``, ``facts``); nothing is written. No article may be dated
    after ``release_date`` (YYYY-MM-DD) when one is given. Raises ``InputErrors`` with every problem found
    (each file's seed, sidecar and corpus problems at once), not only the first."""
    seeds_dir = Path(seeds_dir)
    problems = Problems()  # every problem of the input, reported together (grouped by file)
    seeds = read_seeds(seeds_dir, problems)
    sidecars = read_sidecars(seeds_dir, sorted(path.stem for path in seeds_dir.glob("*.txt")), problems)
    corpus = problems.attempt(read_corpus, seeds_dir)
    resolved = [problems.attempt(resolve_article, seed, sidecars[seed.article_id], seeds_dir / f"{seed.article_id}.yaml", problems) for seed in seeds if seed.article_id in sidecars]
    articles = [article for article in resolved if article is not None]
    if release_date is not None:
        check_dates(articles, datetime.date.fromisoformat(release_date), seeds_dir, problems)
    problems.check()  # the steps across articles need every article; they would only repeat these problems
    claims = claim_rows(articles)
    corpus_path = seeds_dir / CORPUS_FILE
    pairs, facts = pair_rows(corpus, articles, corpus_path, problems), fact_rows(corpus, claims, corpus_path, problems)
    problems.check()
    return {"articles": articles, "claims": claims, "article_pairs": pairs, "facts": facts}


def build_rows(seeds_dir: Path, release_date: str, external: Path) -> Rows:
    """The rows of every config, by split: the annotated ones from the seeds (``seed_rows``), the
    synthetic and real-data ones from ``external`` (nothing is written)."""
    seeds_dir = Path(seeds_dir)
    annotated = seed_rows(seeds_dir, release_date)
    rows = {config: {SPLIT: config_rows} for config, config_rows in annotated.items()}
    rows["dedup_synthetic"] = {SPLIT: generate(sentence_pool(external), n=SYNTHETIC_ROWS, seed=SYNTHETIC_SEED)}
    rows |= real_data_rows(external)
    texts = {a["article_id"]: a["text"] for a in annotated["articles"]}
    for config, splits in rows.items():
        source = seeds_dir if config in annotated else external
        for split, config_rows in splits.items():
            check_rows(config, config_rows, f"{source} ({config}/{split})")
            check_spans(config, config_rows, texts, f"{source} ({config}/{split})")
    return rows


def build(seeds_dir: Path, out: Path, documents_dir: Path | None = None, results_table: Path | None = None, external: Path | None = None) -> dict[str, int]:
    """Build the release from ``seeds_dir`` into ``out``; returns the row count of each config.

    ``documents_dir`` holds DATASHEET.md, CITATION.cff and CHANGELOG.md (default: the folder above
    ``seeds_dir``, the project root); the release copies them and takes its version and date from them.
    ``external`` holds the real corpora of the real-data configs (default: ``documents_dir/external``).
    ``results_table`` is the benchmark runner's Markdown table (``results/results.md``), embedded in the
    card when the file exists.
    """
    documents_dir = Path(documents_dir) if documents_dir else Path(seeds_dir).resolve().parent
    external = Path(external) if external else documents_dir / "external"
    documents = read_documents(documents_dir)
    version, date = release_identity(documents, documents_dir)
    inputs = [seeds_dir, documents_dir, external]
    check_replaceable(out, RELEASE, inputs)  # before the work, not only when it is done
    return publish(build_rows(seeds_dir, date, external), out, documents, version, date, results_table, inputs)


def publish(rows: Rows, out: Path, documents: dict[str, str], version: str, date: str, results_table: Path | None = None, inputs: list[Path] = ()) -> dict[str, int]:
    """Write already built ``rows`` with their ``documents`` as release ``version`` in ``out``; returns the
    row counts. ``out`` may be neither nor contain one of ``inputs`` (nor the results table)."""
    table = read_text(results_table) if results_table and results_table.exists() else None
    write_release(rows, out, documents, version, date, table, inputs=[*inputs, *([results_table] if results_table else [])])
    return {config: sum(map(len, splits.values())) for config, splits in rows.items()}
