"""Step 5b: the dataset card (dataset/README.md): YAML metadata derived from the tables and the project
file, the project's own prose, and the statistics, licences and tables derived from the release."""

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
from .dictionary import FieldEntry, config_description, dictionary, vocabularies
from .project import UNLABELLED
from .sources import sources_of

Tables = dict[str, dict[str, pa.Table]]  # config -> split -> table

RESULTS_MARKERS = ("<!-- results:start -->", "<!-- results:end -->")
AGREEMENT_MARKERS = ("<!-- agreement:start -->", "<!-- agreement:end -->")


def whole_configs(tables: Tables) -> dict[str, pa.Table]:
    """Each config's rows, all splits together (for statistics and diffs)."""
    return {config: pa.concat_tables(splits.values()) for config, splits in tables.items()}


SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M"))


def size_category(rows: int) -> str:
    """Hugging Face's size category of a dataset with ``rows`` rows in its largest config."""
    return next((category for limit, category in SIZE_CATEGORIES if rows < limit), "n>1T" if rows > 10**12 else "10M<n<100M")


class _DescribedInfo(DatasetInfo):
    """A DatasetInfo whose description goes into the card's YAML ``dataset_info`` as well, where ``datasets``
    reads it back (``load_dataset(...).info.description``); DatasetInfo writes sizes and features only."""

    _INCLUDED_INFO_IN_YAML = [*DatasetInfo._INCLUDED_INFO_IN_YAML, "description"]


def card_metadata(tables: Tables, project: dict, draft: bool = False) -> DatasetCardData:
    """configs, dataset_info (features from the Arrow schema, sizes computed) and descriptive fields,
    from the tables and the project file."""
    card = DatasetCardData(
        pretty_name=project["pretty_name"],
        language=project["languages"],
        license="other",  # the annotations' licence and the texts' terms differ (both in the card's Licence)
        license_name=f"annotations-{project['license']['annotations'].lower()}-texts-see-datasheet",
        license_link="DATASHEET.md",
        annotations_creators=["expert-generated", *(["machine-generated"] if draft else [])],
        language_creators=["found"],
        multilinguality=["monolingual" if len(project["languages"]) == 1 else "multilingual"],
        size_categories=[size_category(max(sum(t.num_rows for t in splits.values()) for splits in tables.values()))],
        source_datasets=["original"],
        task_categories=["text-classification", "sentence-similarity", "token-classification"],
        task_ids=["semantic-similarity-scoring", "fact-checking"],
        tags=project.get("keywords", []),
    )
    MetadataConfigs({
        config: {"data_files": [{"split": split, "path": shard_path(config, split)} for split in splits], **({"default": True} if config == DEFAULT_CONFIG else {})}
        for config, splits in tables.items()
    }).to_dataset_card_data(card)
    DatasetInfosDict({
        config: _DescribedInfo(
            description=config_description(config),
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


OVERVIEW_ROWS = 50  # articles listed one by one in the card; a larger corpus shows its first ones


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
    shown = f" (the first {OVERVIEW_ROWS} of {overview.height})" if overview.height > OVERVIEW_ROWS else ""
    return (
        f"### Articles{shown}\n\n{_markdown_table(overview.head(OVERVIEW_ROWS))}\n\n"
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


def _cell(text: str) -> str:
    """``text`` as one Markdown table cell: no column break, no emphasis, no HTML tag."""
    return text.replace("|", "\\|").replace("*", "\\*").replace("<", "&lt;")


def _field_row(entry: FieldEntry) -> dict[str, str]:
    # A field that only refers to a vocabulary is explained once, in the vocabularies table.
    meaning = "" if entry.description == vocabularies().get(entry.vocabulary or "", {}).get("description") else entry.description
    description = " ".join(filter(None, [meaning, entry.values_note("`")]))
    return {"field": f"`{entry.name}`", "type": f"`{entry.type}`" + (" or null" if entry.nullable else ""), "description": _cell(description)}


def data_dictionary(tables: Tables) -> str:
    """The card's data dictionary: every field of each config the release holds, struct members as
    ``list[].member`` (from ``schema/release.schema.json``), then the vocabularies their values come from."""
    sections = [f"### `{config}`\n\n{_markdown_table(pl.DataFrame([_field_row(entry) for entry in dictionary(config)]))}" for config in tables]
    used = dict.fromkeys(entry.vocabulary for config in tables for entry in dictionary(config) if entry.vocabulary)
    rows = [{"vocabulary": f"`{name}`", "values": ", ".join(f"`{value}`" for value in vocabularies()[name]["enum"]), "meaning": _cell(vocabularies()[name].get("description", ""))} for name in used]
    sections.append(f"### Vocabularies\n\n{_markdown_table(pl.DataFrame(rows))}")
    return "\n\n".join(sections) + "\n"


def _licence(tables: Tables, project: dict) -> str:
    lines = [
        f"The annotations (labels, spans, relations, facts) are released under {project['license']['annotations']}.",
        "",
        f"The texts: {project['license']['texts']}",
    ]
    sources = sources_of(tables)
    if sources:
        lines += ["", "The configs built from public corpora keep the licences of their sources (unchanged bytes and provenance are in the source repository's `external/`):", ""]
        lines += [f"- `{'`, `'.join(c for c in source['configs'] if c in tables)}`: {source['citation']} Licence {source['license']} ({source['license_url']}); {source['note']}." for source in sources]
    return "\n".join(lines)


def agreement_section(table: str | None) -> str:
    if table is None:
        return "No second, independent reading has been compared with this one yet (`wirecopy agree` measures one).\n"
    return f"A second, independent reading of the same texts was compared with this one (`wirecopy agree`; the readings are in the source repository):\n\n{table}"


def render_card(tables: Tables, project: dict, embedded: dict[str, str], unreviewed: int | None = None) -> str:
    """The full README.md of the release of ``project``: its identity and prose from the project file, the
    rest derived from the tables; ``embedded`` holds the benchmark ("results") and agreement tables when
    there are some; ``unreviewed`` is the number of proposed labels of a draft (None: not a draft)."""
    version, date = project["version"], project["date_released"]
    draft = "" if unreviewed is None else (
        f"\n**Draft.** This release was built with `--draft`: {unreviewed} of its labels are proposals of "
        "`wirecopy annotate` that nobody has reviewed yet, and its datasheet may be unfinished. Do not cite it as a release.\n"
    )
    body = f"""
# {project["pretty_name"]}

Version {version}, released {date}. Cite this version with `CITATION.cff`; `checksums.json` and
`croissant.json` pin every file (check a copy with `wirecopy verify`); what changed is in `CHANGELOG.md`.
{draft}
{project["description"].strip()}

## Configs

{_config_list(tables)}

```python
from datasets import load_dataset
articles = load_dataset("path/to/dataset", split="test")            # default config: articles
claims = load_dataset("path/to/dataset", "claims", split="test")
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

`end` is a reserved word in DuckDB and SQL: quote it (`SELECT s."start", s."end" FROM ...`). Every
config names its key after what a row is (`article_id`, `claim_id`, `doc_id`, ...); `wirecopy dedup`
reads any of them with `--id-field`.

## Data dictionary

Every field of every config, struct members as `list[].member`; offsets are Unicode code points, half-open.

{data_dictionary(tables)}

## What is in it

{_statistics(whole_configs(tables))}
## How it was labelled

Every article was annotated in a YAML sidecar (`seeds/<article_id>.yaml` in the source repository)
following the project's annotation guidelines, and the relations between articles in `seeds/corpus.yaml`.
Annotations refer to the text by quote; the builder resolves each quote to offsets and fails on a
missing or ambiguous quote. Offsets are Unicode code points (Python `str` indexing), half-open, on the
untouched text (no-break spaces, curly quotes and all): `text[start:end] == span text` holds for every span.

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
- `article_pairs` holds {_pairs_sentence(project)}

### Agreement

{AGREEMENT_MARKERS[0]}
{AGREEMENT_MARKERS[1]}

## Benchmark results

Produced by `wirecopy bench` on this release (see the source repository for the command and timings).
Thresholds marked `(tuned)` were chosen on the `validation` split, the others a priori.

{RESULTS_MARKERS[0]}
{RESULTS_MARKERS[1]}

## Licence

{_licence(tables, project)}

## Files

`checksums.json` lists the sha256, size and row count of every file of this release.
"""
    card = f"---\n{card_metadata(tables, project, unreviewed is not None).to_yaml()}\n---\n{body}"
    card = embed(card, embedded.get("results", "No benchmark results yet.\n"), RESULTS_MARKERS)
    return embed(card, agreement_section(embedded.get("agreement")), AGREEMENT_MARKERS)


def _pairs_sentence(project: dict) -> str:
    default = project["relations"]["default"]
    if default == UNLABELLED:
        return "the pairs of articles that `seeds/corpus.yaml` labels; the other pairs are unlabelled and left out of evaluation."
    return f"every pair of articles: those `seeds/corpus.yaml` labels (`relation_source = annotated`, with evidence) and, for the rest, the project's default relation `{default}` (`relation_source = project_default`)."


def embed(document: str, table: str, markers: tuple[str, str] = RESULTS_MARKERS) -> str:
    """``document`` with the text between ``markers`` replaced by ``table`` (the benchmark runner's or
    ``wirecopy agree``'s output)."""
    start, end = markers
    if start not in document or end not in document:
        raise ValueError(f"document has no {start} ... {end} markers")
    before, rest = document.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{table}{end}{after}"
