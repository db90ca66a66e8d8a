"""The build pipeline: each step a plain function, composed here and nowhere else.

A project (``wirecopy.yaml`` + ``seeds/`` + DATASHEET.md + CHANGELOG.md, and ``external/`` when its
release holds the real-data or synthetic configs) is built into a release folder: read the project file
and documents, read and resolve the annotations, add the optional configs, validate, write.
"""

import datetime
from pathlib import Path

from wirecopy.core.errors import InputError, Problems
from wirecopy.core.layout import SPLIT
from wirecopy.core.outputs import check_replaceable
from wirecopy.core.yaml_loader import load_yaml

from .annotations import CORPUS_FILE, proposed_labels, read_corpus, read_sidecars
from .documents import check_answered, read_documents, read_text
from .project import ANNOTATED_CONFIGS, PROJECT_FILE, SYNTHETIC_CONFIG, UNLABELLED, check_changelog, citation_cff, needs_external, read_project, release_configs
from .real_data import real_data_rows
from .resolve import claim_rows, fact_rows, pair_rows, resolve_article
from .seeds import read_seeds
from .synthetic import generate, sentence_pool
from .validate import add_row_problems, check_dates
from .write import RELEASE, Rows, write_release

RESULTS_TABLE = Path("results") / "results.md"  # written by `wirecopy bench`, embedded in the card
AGREEMENT_TABLE = Path("annotations") / "agreement.md"  # written by `wirecopy agree`, embedded in the card


def seed_rows(seeds_dir: Path, release_date: str | None = None, default_relation: str = UNLABELLED) -> dict[str, list[dict]]:
    """Read the seeds and their annotations (proposed labels included) and resolve them into the rows of
    the annotated configs (``articles``, ``claims``, ``article_pairs``, ``facts``); nothing is written.
    No article may be dated after ``release_date`` (YYYY-MM-DD) when one is given; pairs corpus.yaml does
    not list take ``default_relation`` (or are left out: ``unlabelled``). Raises ``InputErrors`` with
    every problem found (each file's seed, sidecar and corpus problems at once), not only the first."""
    seeds_dir = Path(seeds_dir)
    problems = Problems()  # every problem of the input, reported together (grouped by file)
    seeds = read_seeds(seeds_dir, problems)
    sidecars = read_sidecars(seeds_dir, sorted(path.stem for path in seeds_dir.glob("*.txt")), problems)
    corpus = problems.attempt(read_corpus, seeds_dir)
    project_root = seeds_dir.resolve().parent
    resolved = [
        problems.attempt(resolve_article, seed, sidecars[seed.article_id], seeds_dir / f"{seed.article_id}.yaml", problems, seed.path.resolve().relative_to(project_root).as_posix())
        for seed in seeds if seed.article_id in sidecars
    ]
    articles = [article for article in resolved if article is not None]
    if release_date is not None:
        check_dates(articles, datetime.date.fromisoformat(release_date), seeds_dir, problems)
    problems.check()  # the steps across articles need every article; they would only repeat these problems
    claims = claim_rows(articles)
    corpus_path = seeds_dir / CORPUS_FILE
    default = None if default_relation == UNLABELLED else default_relation
    pairs, facts = pair_rows(corpus, articles, corpus_path, problems, default), fact_rows(corpus, claims, corpus_path, problems)
    problems.check()
    return {"articles": articles, "claims": claims, "article_pairs": pairs, "facts": facts}


def unreviewed_labels(seeds_dir: Path) -> dict[str, list[str]]:
    """The labels still marked ``proposed`` (by ``wirecopy annotate``), by annotation file."""
    found = {}
    for path in sorted(Path(seeds_dir).glob("*.yaml")):
        try:
            document = load_yaml(path)
        except InputError:
            continue  # seed_rows reports it, with every other problem of the input
        if isinstance(document, dict) and (labels := proposed_labels(document)):
            found[str(path)] = labels
    return found


def check_releasable(project_dir: Path, documents: dict[str, str]) -> None:
    """What a release (not a draft) needs beyond a good build, every problem at once: the prompts of
    ``wirecopy init`` answered (project file and documents), and every label reviewed (each file with
    proposals named with their count)."""
    problems = Problems()
    for name, text in {**documents, PROJECT_FILE: read_text(project_dir / PROJECT_FILE)}.items():
        problems.attempt(check_answered, text, project_dir / name)
    for path, labels in unreviewed_labels(project_dir / "seeds").items():
        problems.add(InputError(path, labels[0], "proposed", f"{len(labels)} proposed label(s) not reviewed (first: {labels[0]}); review each and delete its `proposed:` key (GUIDELINES.md), or build a draft with --draft"))
    problems.check()


def project_rows(project_dir: Path, project: dict) -> Rows:
    """The rows of every config the project's release holds, by split (nothing is written)."""
    seeds_dir, external = project_dir / "seeds", project_dir / "external"
    annotated = seed_rows(seeds_dir, project["date_released"], project["relations"]["default"])
    rows = {config: {SPLIT: config_rows} for config, config_rows in annotated.items()}
    configs = release_configs(project)
    if needs_external(project) and not external.is_dir():
        raise InputError(str(external), "-", "-", f"missing: {', '.join(c for c in configs if c not in ANNOTATED_CONFIGS)} need the public corpora in external/ (or leave them out in wirecopy.yaml's configs)")
    if SYNTHETIC_CONFIG in configs:
        synthetic = project["configs"]["synthetic"]
        rows[SYNTHETIC_CONFIG] = {SPLIT: generate(sentence_pool(external), n=synthetic["rows"], seed=synthetic["seed"])}
    if project["configs"].get("real_data"):
        rows |= real_data_rows(external)
    texts = {a["article_id"]: a["text"] for a in annotated["articles"]}
    problems = Problems()
    for config, splits in rows.items():
        source = seeds_dir if config in annotated else external
        for split, config_rows in splits.items():
            add_row_problems(config, config_rows, texts, f"{source} ({config}/{split})", problems)
    problems.check()
    return rows


def build(project_dir: Path, out: Path | None = None, draft: bool = False) -> dict[str, int]:
    """Build the release of the project in ``project_dir`` into ``out`` (default: its ``dataset/``);
    returns the row count of each config.

    A release holds reviewed labels only, and a datasheet without prompts left; ``draft`` builds one
    anyway and its card says so. The card embeds the project's benchmark table (``results/results.md``)
    and agreement table (``annotations/agreement.md``) when they exist.
    """
    project_dir = Path(project_dir)
    project = read_project(project_dir)
    documents = read_documents(project_dir)
    check_changelog(project, documents["CHANGELOG.md"], project_dir / "CHANGELOG.md")
    if draft:
        unreviewed = sum(map(len, unreviewed_labels(project_dir / "seeds").values()))
    else:
        check_releasable(project_dir, documents)
        unreviewed = None
    out = Path(out) if out else project_dir / "dataset"
    inputs = [project_dir / "seeds", project_dir / "external", *(project_dir / name for name in documents)]
    check_replaceable(out, RELEASE, inputs)  # before the work, not only when it is done
    return publish(project_rows(project_dir, project), out, project, documents, project_dir, inputs, unreviewed)


def publish(rows: Rows, out: Path, project: dict, documents: dict[str, str], project_dir: Path, inputs: list[Path] = (), unreviewed: int | None = None) -> dict[str, int]:
    """Write already built ``rows`` of ``project`` with its ``documents`` (and the CITATION.cff derived from
    the project) in ``out``; returns the row counts. ``unreviewed``: the number of proposed labels of a
    draft (None: not a draft). ``out`` may be neither nor contain one of ``inputs`` nor the tables."""
    tables = {name: project_dir / path for name, path in (("results", RESULTS_TABLE), ("agreement", AGREEMENT_TABLE))}
    embedded = {name: read_text(path) for name, path in tables.items() if path.is_file()}
    release_documents = documents | {"CITATION.cff": citation_cff(project, list(rows))}
    write_release(rows, out, project, release_documents, embedded, unreviewed, inputs=[*inputs, *tables.values()])
    return {config: sum(map(len, splits.values())) for config, splits in rows.items()}
