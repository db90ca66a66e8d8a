"""Step 5b: the dataset card (dataset/README.md): YAML metadata derived from the tables, and prose."""

import polars as pl
import pyarrow as pa
from datasets import Features
from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCardData

from wirecopy.core.layout import shard_path
from wirecopy.schema import load_schema

from .arrow_types import DEFAULT_CONFIG

Tables = dict[str, dict[str, pa.Table]]  # config -> split -> table

RESULTS_MARKERS = ("<!-- results:start -->", "<!-- results:end -->")


def whole_configs(tables: Tables) -> dict[str, pa.Table]:
    """Each config's rows, all splits together (for statistics and diffs)."""
    return {config: pa.concat_tables(splits.values()) for config, splits in tables.items()}


def card_metadata(tables: Tables) -> DatasetCardData:
    """configs, dataset_info (features from the Arrow schema, sizes computed) and descriptive fields."""
    card = DatasetCardData(
        pretty_name="wirecopy: news reuse",
        language=["en"],
        license="other",
        license_name="annotations-cc-by-4.0-texts-publishers",
        license_link="DATASHEET.md",
        annotations_creators=["expert-generated"],
        language_creators=["found"],
        multilinguality=["monolingual"],
        size_categories=["n<1K"],
        source_datasets=["original"],
        task_categories=["text-classification", "sentence-similarity", "token-classification"],
        task_ids=["semantic-similarity-scoring", "fact-checking"],
        tags=["news", "near-duplicate-detection", "deduplication", "claim-alignment", "boilerplate-removal", "media-forensics"],
    )
    MetadataConfigs({
        config: {"data_files": [{"split": split, "path": shard_path(config, split)} for split in splits], **({"default": True} if config == DEFAULT_CONFIG else {})}
        for config, splits in tables.items()
    }).to_dataset_card_data(card)
    DatasetInfosDict({
        config: DatasetInfo(
            features=Features.from_arrow_schema(next(iter(splits.values())).schema),
            splits=SplitDict({split: SplitInfo(name=split, num_bytes=table.nbytes, num_examples=table.num_rows) for split, table in splits.items()}),
            dataset_size=sum(table.nbytes for table in splits.values()),
        )
        for config, splits in tables.items()
    }).to_dataset_card_data(card)
    return card


def _markdown_table(frame: pl.DataFrame) -> str:
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in frame.iter_rows()]
    return "\n".join(lines)


def _statistics(tables: dict[str, pa.Table]) -> str:
    articles = pl.from_arrow(tables["articles"])
    overview = articles.select(
        "article_id",
        pl.col("outlet").fill_null("(unknown)"),
        "outlet_basis",
        pl.col("credited_source").fill_null("(unknown)"),
        pl.col("date").cast(pl.String).fill_null("(unknown)"),
        "date_refers_to",
        "date_basis",
        pl.col("boilerplate_spans").list.len().alias("boilerplate spans"),
        pl.col("claims").list.len().alias("claims"),
    )
    labels = (
        articles.select(pl.col("boilerplate_spans").explode().struct.field("label"))
        .group_by("label").len("spans").sort("label")
    )
    relations = pl.from_arrow(tables["article_pairs"]).group_by("relation", "grade").len("pairs").sort("grade", descending=True)
    facts = pl.from_arrow(tables["facts"])
    shared = facts.filter(pl.col("article_ids").list.len() > 1).height
    negatives = facts.select(pl.col("hard_negatives").list.len().sum()).item() // 2
    return (
        f"### Articles\n\n{_markdown_table(overview)}\n\n"
        f"### Boilerplate labels\n\n{_markdown_table(labels)}\n\n"
        f"### Article pairs\n\n{_markdown_table(relations)}\n\n"
        f"### Facts\n\n{facts.height} facts are asserted by {tables['claims'].num_rows} claims; "
        f"{shared} facts are asserted in more than one article, and {negatives} pairs of look-alike facts are "
        "recorded as hard negatives (they must not be aligned).\n"
    )


def _config_list(tables: Tables) -> str:
    definitions = load_schema("release")["$defs"]
    return "\n".join(
        f"- `{config}`{' (default)' if config == DEFAULT_CONFIG else ''}: "
        + ", ".join(f"{table.num_rows} rows ({split})" for split, table in splits.items())
        + f". {definitions[config]['description']}"
        for config, splits in tables.items()
    )


def render_card(tables: Tables, version: str, date: str, results_table: str | None = None) -> str:
    """The full README.md of the release, with the benchmark results table when there is one."""
    body = f"""
# wirecopy {version}: news reuse, copy by copy and claim by claim

Released {date}. Cite this version with `CITATION.cff`; `checksums.json` and `croissant.json` pin
every file (check a copy with `wirecopy verify`); what changed is in `CHANGELOG.md`.

How one wire report is copied, rewritten, spun and wrapped in boilerplate by other outlets, and how its
individual claims travel between them. Version {version} holds five English news articles about
planned Xi–Putin visits: three copies and rewrites of one Reuters exclusive (13 March 2023), a write-up of
an earlier Wall Street Journal report on the same visit, and a look-alike Reuters story from 2024 about a
different visit, which serves as a hard negative. The `dedup_synthetic` config adds a seeded synthetic
corpus of near-duplicate families (known clusters) made of real news sentences (ECB+ and Wikinews), so
that deduplication systems can be scored on thousands of documents rather than five.

Three configs carry real public news data that nobody on this project wrote, with `validation` and
`test` splits, so that conclusions drawn on five articles can be checked: `same_event` (982 ECB+
articles: same event vs. same topic but another event), `event_alignment` (ECB+'s
coreference-annotated sentences: do two sentences mention the same event instance?) and
`boilerplate_web` (181 real news pages as HTML with a human-checked article body). Their licences and
citations are below.

## Configs

{_config_list(tables)}

```python
from datasets import load_dataset
articles = load_dataset("path/to/dataset", split="test")            # default config: articles
claims = load_dataset("path/to/dataset", "claims", split="test")
events = load_dataset("path/to/dataset", "same_event")              # validation and test splits
```

Loading tips. A span struct has its own `text` field, which collides with the row's `text` when the
list is exploded and unnested in polars; prefix the span fields instead (offsets are code points, as
polars' `str.slice` counts them):

```python
import polars as pl
spans = (pl.read_parquet("data/articles/test-00000-of-00001.parquet")
         .select("article_id", "text", "boilerplate_spans").explode("boilerplate_spans")
         .with_columns(pl.col("boilerplate_spans").struct.field("*").name.prefix("span_"))
         .drop("boilerplate_spans"))
```

`end` is a reserved word in DuckDB and SQL: quote it (`SELECT s."start", s."end" FROM ...`). The
`dedup_synthetic` config names its id `doc_id`, as every config names its key; the corpora that
`wirecopy synth` writes and `wirecopy dedup` reads call the same column `id`, as deduplication tools do.

## What is in it

{_statistics(whole_configs(tables))}
## How it was labelled

The real-data configs carry their sources' own labels (ECB+'s events and cross-document coreference,
the article-extraction benchmark's human-checked bodies), imported by documented steps; the rest of
this section is about the five articles.

Every article was annotated by careful reading in a YAML sidecar (`seeds/<article_id>.yaml` in the
source repository), and every relation between articles in `seeds/corpus.yaml`; a second, independent
reading was compared with the first and the disagreements resolved (see DATASHEET.md). Annotations refer
to the text by quote; the builder resolves each quote to offsets and fails on a missing or ambiguous
quote. Offsets are Unicode code points (Python `str` indexing), half-open, on the untouched text
(no-break spaces, curly quotes and all): `text[start:end] == span text` holds for every span.

- `outlet` is who published this copy; `credited_source` is whose reporting it credits or reproduces.
- Each of `outlet`, `credited_source` and `date` has a `*_basis`: `stated` (the text says so),
  `inferred` (quoted evidence plus the reasoning in `*_note`) or `unknown` (the value is null: the text
  does not support one, and we do not guess).
- `date` is the publication date of the copy when the copy is dated (`date_refers_to = publication`),
  otherwise the date of the report it credits (`credited_report`).
- Boilerplate spans carry a label from a closed vocabulary and a basis (`stated`: the span names its own
  role, such as "Photo by" or "See also"; `inferred`: from layout and content).
- Claims carry who asserts them (`claimer`, `claimer_kind`, with the quoted attribution), a
  `claim_type`, and a `fact_id` shared by claims in different articles that assert the same fact.

## Benchmark results

Produced by `wirecopy bench` on this release (see the repository README for the command and timings).
Read each five-article table next to its real-data counterpart: `boilerplate_detection` next to
`boilerplate_web`, `dedup_articles` next to `same_event`, `claim_alignment` next to `event_alignment`.
Conclusions drawn on the five articles alone do not all hold on real data (the repository README's
"What the numbers say" goes through them); thresholds marked `(tuned)` were chosen on the `validation`
split, the others a priori.

{RESULTS_MARKERS[0]}
{RESULTS_MARKERS[1]}

## Licence

The annotations (labels, spans, relations, facts) are released under CC BY 4.0. The article texts are
quoted from their publishers, who keep their copyright; they are included for research on news reuse.
See DATASHEET.md.

The real-data configs keep the licences of their sources (unchanged bytes and provenance are in the
source repository's `external/`):

- `same_event`, `event_alignment`: ECB+ (Cybulska, A. and Vossen, P. 2014. Using a sledgehammer to
  crack a nut? Lexical diversity and event coreference resolution. LREC 2014), CC BY 3.0
  (https://creativecommons.org/licenses/by/3.0/); the texts were detokenised and the offsets computed here.
- `boilerplate_web`: the article-extraction benchmark (Scrapinghub/Zyte, 2020,
  https://github.com/scrapinghub/article-extraction-benchmark), MIT licence; the pages themselves are
  third-party web content fetched in 2019, included as that benchmark distributes them.
- `dedup_synthetic` draws its sentences from ECB+ (CC BY 3.0) and from Wikinews articles of the
  SemEval-2015 TimeLine task (Minard et al. 2015), CC BY 2.5 (https://creativecommons.org/licenses/by/2.5/).

## Files

`checksums.json` lists the sha256, size and row count of every file of this release.
"""
    card = f"---\n{card_metadata(tables).to_yaml()}\n---\n{body}"
    return embed_results(card, results_table or "No benchmark results yet.\n")


def embed_results(document: str, table: str) -> str:
    """``document`` with the text between the results markers replaced by ``table`` (the runner's output)."""
    start, end = RESULTS_MARKERS
    if start not in document or end not in document:
        raise ValueError("document has no results markers")
    before, rest = document.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{table}{end}{after}"
