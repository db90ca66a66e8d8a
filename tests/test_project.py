"""A project of someone else's corpus: the project file and its schema, `wirecopy init`, what a release
(not a draft) refuses, sparse relations, a release holding only the annotated configs and none of this
repository's words, article ids from file names, and `wirecopy release` in a fresh git project."""

import json
import re
import subprocess
import tempfile
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from conftest import REPO, edit_project, snapshot
from wirecopy.builders.croissant import RAI_SECTIONS
from wirecopy.builders.documents import PROMPT, citation_problems
from wirecopy.builders.pipeline import build, seed_rows
from wirecopy.builders.project import ANNOTATED_CONFIGS, read_project
from wirecopy.builders.scaffold import DATASHEET_SECTIONS, init_project
from wirecopy.builders.verify import verify_release
from wirecopy.cli import app
from wirecopy.core.errors import InputError
from wirecopy.core.layout import shard_path

INIT_DATE = "2026-01-15"

# A second corpus, nothing to do with this repository's: a local report, a copy of it with a newsletter
# prompt, and a story about something else. Each text: title, blank line, content.
TEXTS = {
    "harbour-fire": "Fire at the harbour\n\nA warehouse burned at the harbour on Tuesday, the fire brigade said.\n",
    "harbour-fire-copy": "Fire at the harbour\n\nA warehouse burned at the harbour on Tuesday, the fire brigade said.\n\nSubscribe to our newsletter.\n",
    "council_vote_2": "Council approves budget\n\nThe town council approved the budget, its chair said.\n",
}
FACT_OF = {"harbour-fire": "harbour_fire", "harbour-fire-copy": "harbour_fire", "council_vote_2": "budget_approved"}
BUDGET_FACT = """  - fact_id: budget_approved
    description: The town council approved the budget.
"""
CORPUS = f"""facts:
  - fact_id: harbour_fire
    description: A warehouse at the harbour burned.
{BUDGET_FACT}relations:
  - articles: [harbour-fire, harbour-fire-copy]
    relation: same_report
    evidence:
      - article_id: harbour-fire-copy
        quote: A warehouse burned at the harbour on Tuesday
    note: The second is the first with a newsletter prompt.
"""
# Words of this repository's corpus and identity, and of the public corpora its optional configs come from.
CORPUS_WORDS = ("wirecopy:", "Xi", "Putin", "Reuters", "Moscow", "Political IQ", "Kyiv", "The wirecopy team")
SOURCE_WORDS = ("ECB", "Wikinews", "Scrapinghub", "article-extraction-benchmark", "CC BY 3.0", "CC-BY-3.0", "dedup_synthetic", "same_event", "event_alignment", "boilerplate_web")
ANSWERS = {
    "pretty_name": "Harbour news: one report and its copies",
    "summary": "Three local news texts: a report of a harbour fire, a copy of it, and a council story.",
    "description": "Three local news texts about a harbour fire and a council vote, labelled for reuse.",
    "license": {"annotations": "CC0-1.0", "texts": "Written for this test by its authors."},
    "authors": [{"given_names": "Ada", "family_names": "Lovelace", "affiliation": "Harbour Lab"}],
    "citation": {"title": "Harbour news, a test corpus"},
    "keywords": ["local news"],
}


def _words_in(text: str, words: tuple[str, ...]) -> list[str]:
    return [word for word in words if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


def _sidecar(article_id: str, text: str, fact: str) -> str:
    title, _, content = text.partition("\n\n")
    return f"""article_id: "{article_id}"
title:
  quote: {title}
outlet: {{value: null, basis: unknown, evidence: []}}
credited_source: {{value: null, basis: unknown, evidence: []}}
date: {{value: null, refers_to: null, basis: unknown, evidence: []}}
boilerplate: []
claims:
  - id: c01
    quote: "{content.splitlines()[0]}"
    fact: {fact}
    type: past_event
    claimer: outlet
    claimer_kind: outlet
    claimer_basis: inferred
    claimer_evidence: []
"""


def add_article(project: Path, article_id: str, text: str | None = None, fact: str | None = None) -> None:
    """A text and its (reviewed) sidecar: the title and one claim, the rest unknown."""
    text = text or TEXTS[article_id]
    (project / "seeds" / f"{article_id}.txt").write_text(text, encoding="utf-8")
    (project / "seeds" / f"{article_id}.yaml").write_text(_sidecar(article_id, text, fact or FACT_OF[article_id]), encoding="utf-8")


def annotated(project: Path, articles=tuple(TEXTS)) -> Path:
    """``project`` (made by init) with texts, their annotations and corpus.yaml."""
    for article_id in articles:
        add_article(project, article_id)
    (project / "seeds" / "corpus.yaml").write_text(CORPUS, encoding="utf-8")
    return project


def answered(project: Path) -> Path:
    """``project`` with every prompt of `wirecopy init` answered (project file and datasheet)."""
    edit_project(project, **ANSWERS)
    datasheet = project / "DATASHEET.md"
    datasheet.write_text(re.sub(rf"^{re.escape(PROMPT)} (.*)$", r"Answered: \1", datasheet.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    return project


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A project just made by `wirecopy init` (library call, fixed date)."""
    init_project(tmp_path / "harbour-news", None, INIT_DATE)
    return tmp_path / "harbour-news"


@pytest.fixture
def second_corpus(fresh: Path) -> Path:
    """A complete, reviewed project of the second corpus: ready for a release."""
    return answered(annotated(fresh))


# --- the project file ------------------------------------------------------------------------------


def _without(field: str):
    def edit(project: dict) -> None:
        del project[field]
    return edit


def _setting(path: str, value):
    def edit(project: dict) -> None:
        *parents, key = path.split(".")
        node = project
        for parent in parents:
            node = node[parent]
        node[key] = value
    return edit


@pytest.mark.parametrize(
    "edit, located, message",
    [
        (_setting("name", "Wire Copy"), "field name", "does not match"),
        (_setting("name", "-wirecopy"), "field name", "does not match"),
        (_without("version"), "field version", "'version' is a required property"),
        (_setting("version", "1.0"), "field version", "does not match"),
        (_setting("date_released", "2026-13-01"), "field date_released", "is not a 'date'"),
        (_setting("relations.default", "copied"), "record relations: field default", "'copied' is not valid"),
        (_setting("configs.synthetic", {"rows": 0, "seed": 0}), "record configs.synthetic: field rows", "less than the minimum of 1"),
        (_setting("configs.ecb", True), "field configs", "Additional properties are not allowed ('ecb' was unexpected)"),
        (_setting("licence", "CC-BY-4.0"), "wirecopy.yaml: Additional", "('licence' was unexpected)"),
        (_setting("license.annotations", "CC BY 4.0"), "record license: field annotations", "does not match"),
        (_setting("authors", [{"name": "A team", "family_names": "Team"}]), "record authors: field 0", "is not valid under any of the given schemas"),
        (_setting("languages", []), "field languages", "should be non-empty"),
    ],
)
def test_the_project_schema_rejects_a_bad_project_file_in_one_line(project_copy, edit, located, message):
    path = project_copy / "wirecopy.yaml"
    project = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(project)
    path.write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_project(project_copy)
    [line] = raised.value.lines()
    assert line.startswith(f"{path}: ") and located in line and message in line, line


def test_every_problem_of_the_project_file_is_listed_at_once(project_copy):
    edit_project(project_copy, name="Wire Copy", version="one", relations={"default": "copied"})
    with pytest.raises(InputError) as raised:
        read_project(project_copy)
    lines = raised.value.lines()
    assert len(lines) == 3 and all(line.startswith(str(project_copy / "wirecopy.yaml")) for line in lines), lines
    assert [field for field in ("field name", "field version", "field default") if any(field in line for line in lines)] == ["field name", "field version", "field default"]


# --- wirecopy init ---------------------------------------------------------------------------------


def test_init_makes_a_valid_project_of_prompts_with_nothing_of_ours(tmp_path):
    result = CliRunner().invoke(app, ["init", str(tmp_path / "My Corpus")])
    assert result.exit_code == 0, result.output
    project = tmp_path / "My Corpus"
    assert f"made {project}: wirecopy.yaml, DATASHEET.md, CHANGELOG.md, seeds/." in result.output
    assert sorted(path.relative_to(project).as_posix() for path in project.rglob("*")) == ["CHANGELOG.md", "DATASHEET.md", "seeds", "wirecopy.yaml"]
    settings = read_project(project)  # valid against the schema as written
    assert (settings["name"], settings["version"], settings["configs"], settings["relations"]["default"]) == ("my-corpus", "0.1.0", {}, "unlabelled")
    datasheet = (project / "DATASHEET.md").read_text()
    assert re.findall(r"^## (.+)$", datasheet, flags=re.M) == list(DATASHEET_SECTIONS)
    assert set(RAI_SECTIONS.values()) <= set(DATASHEET_SECTIONS)  # Croissant's responsible-AI properties find their sections
    assert datasheet.count(PROMPT) == len(DATASHEET_SECTIONS)
    for path in project.rglob("*.*"):
        assert _words_in(path.read_text().replace(PROMPT, ""), CORPUS_WORDS) == [], path.name


def test_init_refuses_a_folder_that_is_not_empty_and_changes_nothing(tmp_path):
    folder = tmp_path / "existing"
    (folder / "seeds").mkdir(parents=True)
    (folder / "wirecopy.yaml").write_text("name: mine\n")
    (folder / "seeds" / "story.txt").write_text("my text\n")
    before = snapshot(tmp_path)
    result = CliRunner().invoke(app, ["init", str(folder)])
    assert result.exit_code == 1
    assert result.output == f"error: {folder}: exists and is not an empty folder; `wirecopy init` only makes new projects\n"
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / ".git").mkdir()
    assert CliRunner().invoke(app, ["init", str(hidden)]).exit_code == 1  # a hidden file counts
    assert snapshot(tmp_path) == before | {"hidden": "folder", "hidden/.git": "folder"}


def test_init_fills_an_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert init_project(tmp_path / "empty", "harbour", INIT_DATE) == ["wirecopy.yaml", "DATASHEET.md", "CHANGELOG.md", "seeds/"]
    assert read_project(tmp_path / "empty")["name"] == "harbour"


def test_init_never_writes_over_a_file_that_appears_meanwhile(tmp_path, monkeypatch):
    """init checks the folder first, then creates each file exclusively: a file made in between is kept."""
    from wirecopy.builders import scaffold

    target = tmp_path / "racing"
    real_datasheet = scaffold.datasheet_text

    def someone_writes_meanwhile(name: str, date: str) -> str:
        target.mkdir()
        (target / "CHANGELOG.md").write_text("someone else's\n")
        return real_datasheet(name, date)

    monkeypatch.setattr(scaffold, "datasheet_text", someone_writes_meanwhile)
    with pytest.raises(FileExistsError):
        init_project(target, None, INIT_DATE)
    assert (target / "CHANGELOG.md").read_text() == "someone else's\n"


def test_a_project_made_by_init_builds_as_a_draft_once_texts_and_annotations_are_there(fresh, tmp_path):
    assert "no seed texts" in CliRunner().invoke(app, ["build", "--project", str(fresh), "--draft"]).output
    annotated(fresh)
    result = CliRunner().invoke(app, ["build", "--project", str(fresh), "--draft"])
    assert result.exit_code == 0, result.output
    assert result.output == f"built draft {fresh / 'dataset'}: articles 3 rows, claims 3 rows, article_pairs 1 rows, facts 2 rows\n"
    release = fresh / "dataset"
    assert verify_release(release) == []
    card = (release / "README.md").read_text()
    assert "**Draft.** This release was built with `--draft`" in card and "Do not cite it as a release." in card


# --- what a release refuses, and what a draft says ------------------------------------------------


def _propose(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_release_refuses_unanswered_prompts_and_proposed_labels_all_at_once(fresh, tmp_path):
    annotated(fresh)
    seeds = fresh / "seeds"
    _propose(seeds / "harbour-fire.yaml", "  quote: Fire at the harbour\n", "  quote: Fire at the harbour\n  proposed: {method: first line}\n")
    _propose(seeds / "harbour-fire.yaml", "    claimer_evidence: []\n", "    claimer_evidence: []\n    proposed: {method: pysbd sentence}\n")
    _propose(seeds / "corpus.yaml", "    description: A warehouse at the harbour burned.\n", "    description: A warehouse at the harbour burned.\n    proposed: {method: claim alignment}\n")
    result = CliRunner().invoke(app, ["build", "--project", str(fresh), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines == [
        f"error: {fresh / 'DATASHEET.md'}: {len(DATASHEET_SECTIONS)} prompt(s) of `wirecopy init` not answered yet (first: {lines[0].split('(first: ', 1)[1]}",
        f"error: {seeds / 'corpus.yaml'}: record facts[0] (harbour_fire): field proposed: 1 proposed label(s) not reviewed (first: facts[0] (harbour_fire)); review each and delete its `proposed:` key (GUIDELINES.md), or build a draft with --draft",
        f"error: {seeds / 'harbour-fire.yaml'}: record title: field proposed: 2 proposed label(s) not reviewed (first: title); review each and delete its `proposed:` key (GUIDELINES.md), or build a draft with --draft",
        f"error: {fresh / 'wirecopy.yaml'}: 6 prompt(s) of `wirecopy init` not answered yet (first: {lines[3].split('(first: ', 1)[1]}",
    ], lines
    assert not (tmp_path / "out").exists()
    answered(fresh)
    assert "2 proposed label(s)" in CliRunner().invoke(app, ["build", "--project", str(fresh), "--out", str(tmp_path / "out")]).output


def test_a_draft_with_proposed_labels_says_how_many_in_its_card(second_corpus):
    _propose(second_corpus / "seeds" / "council_vote_2.yaml", "  quote: Council approves budget\n", "  quote: Council approves budget\n  proposed: {method: first line}\n")
    build(second_corpus, draft=True)
    card = (second_corpus / "dataset" / "README.md").read_text()
    assert "**Draft.** This release was built with `--draft`: 1 of its labels are proposals of `wirecopy annotate`" in card
    assert "- machine-generated" in card.split("\n---\n", 1)[0]  # annotations_creators
    assert verify_release(second_corpus / "dataset") == []


def test_a_reviewed_release_is_not_a_draft(second_corpus):
    build(second_corpus)
    card = (second_corpus / "dataset" / "README.md").read_text()
    assert "Draft" not in card and "machine-generated" not in card


# --- sparse relations -----------------------------------------------------------------------------


def test_unlisted_pairs_take_the_project_default_relation_without_evidence(second_corpus):
    pairs = seed_rows(second_corpus / "seeds", default_relation="different_story")["article_pairs"]
    by_pair = {(row["article_id_a"], row["article_id_b"]): row for row in pairs}
    assert sorted(by_pair) == [("council_vote_2", "harbour-fire"), ("council_vote_2", "harbour-fire-copy"), ("harbour-fire", "harbour-fire-copy")]
    listed = by_pair[("harbour-fire", "harbour-fire-copy")]
    assert (listed["relation"], listed["grade"], listed["relation_source"]) == ("same_report", 2, "annotated") and listed["evidence"]
    for pair in (("council_vote_2", "harbour-fire"), ("council_vote_2", "harbour-fire-copy")):
        row = by_pair[pair]
        assert (row["relation"], row["grade"], row["evidence"], row["relation_source"]) == ("different_story", 0, [], "project_default")


def test_unlisted_pairs_are_left_out_when_unlabelled(second_corpus):
    pairs = seed_rows(second_corpus / "seeds", default_relation="unlabelled")["article_pairs"]
    assert [(row["article_id_a"], row["article_id_b"], row["relation_source"]) for row in pairs] == [("harbour-fire", "harbour-fire-copy", "annotated")]


@pytest.mark.parametrize("default, rows", [("unlabelled", 1), ("different_story", 3)])
def test_the_project_file_decides_the_released_pairs(second_corpus, default, rows):
    edit_project(second_corpus, relations={"default": default})
    assert build(second_corpus)["article_pairs"] == rows
    table = pq.read_table(second_corpus / "dataset" / shard_path("article_pairs"))
    assert sorted(table["relation_source"].to_pylist()) == ["annotated"] + ["project_default"] * (rows - 1)
    card = (second_corpus / "dataset" / "README.md").read_text()
    assert ("the other pairs are unlabelled and left out of evaluation" in card) == (default == "unlabelled")
    assert (f"the project's default relation `{default}`" in card) == (default != "unlabelled")


def test_this_repository_labels_every_pair_itself():
    pairs = seed_rows(REPO / "seeds", default_relation="different_story")["article_pairs"]
    assert len(pairs) == 10 and {row["relation_source"] for row in pairs} == {"annotated"}


# --- a release of the second corpus: its own, with none of our words ------------------------------


def test_a_project_without_optional_configs_releases_the_annotated_ones_as_its_own(second_corpus):
    counts = build(second_corpus)
    release = second_corpus / "dataset"
    assert list(counts) == list(ANNOTATED_CONFIGS) and sorted(p.name for p in (release / "data").iterdir()) == sorted(ANNOTATED_CONFIGS)
    assert verify_release(release) == []
    for config in ANNOTATED_CONFIGS:
        with tempfile.TemporaryDirectory() as cache:
            assert len(datasets.load_dataset(str(release), config, split="test", cache_dir=cache)) == counts[config]
    card, citation_text, croissant = ((release / name).read_text() for name in ("README.md", "CITATION.cff", "croissant.json"))
    for name, text in (("README.md", card), ("CITATION.cff", citation_text), ("croissant.json", croissant)):
        assert _words_in(text, CORPUS_WORDS + SOURCE_WORDS) == [], name
    assert re.search(r"^# (.+)$", card.split("\n---\n", 1)[1], flags=re.M).group(1) == ANSWERS["pretty_name"]
    assert "Version 0.1.0, released 2026-01-15." in card and ANSWERS["description"] in card and ANSWERS["license"]["texts"] in card
    citation = yaml.safe_load(citation_text)
    assert citation_problems(citation_text) == []
    assert (citation["title"], citation["license"], citation["version"], "references" in citation) == (ANSWERS["citation"]["title"], "CC0-1.0", "0.1.0", False)
    assert citation["authors"] == [{"given-names": "Ada", "family-names": "Lovelace", "affiliation": "Harbour Lab"}]
    metadata = json.loads(croissant)
    assert (metadata["name"], metadata["creator"], "isBasedOn" in metadata) == ("harbour-news", [{"@type": "sc:Person", "name": "Ada Lovelace", "affiliation": "Harbour Lab"}], False)
    assert metadata["citeAs"].startswith("Ada Lovelace. Harbour news, a test corpus, version 0.1.0")
    articles = pq.read_table(release / shard_path("articles")).to_pylist()
    assert {row["source_file"] for row in articles} == {f"seeds/{article_id}.txt" for article_id in TEXTS}


# --- article ids are file names --------------------------------------------------------------------


@pytest.mark.parametrize("stem", ["My Story", "a.b", "-lead", "Capital", "x" * 101, "café"])
def test_a_seed_name_that_is_not_an_article_id_is_one_clear_line(second_corpus, stem):
    """Any safe slug is an article id; anything else is named by its file, with the rule, in one line."""
    text = TEXTS["council_vote_2"]
    (second_corpus / "seeds" / f"{stem}.txt").write_text(text, encoding="utf-8")
    (second_corpus / "seeds" / f"{stem}.yaml").write_text(_sidecar("council_vote_2", text, "budget_approved").replace("article_id: council_vote_2", f"article_id: {stem!r}"), encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--project", str(second_corpus)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    [line] = result.output.splitlines()
    assert line.startswith(f"error: {second_corpus / 'seeds' / stem}.txt: ") and "article id" in line, line


def test_any_safe_slug_is_an_article_id(second_corpus):
    for stem in ("0", "a_b-c", "z" * 100):
        add_article(second_corpus, stem, TEXTS["council_vote_2"].replace("council", f"council {stem}"), "budget_approved")
    assert build(second_corpus)["articles"] == 6


# --- wirecopy release in a fresh project -----------------------------------------------------------

GIT_IDENTITY = {"GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.org"}


def _git(project: Path, *arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=project, check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
def test_release_in_a_fresh_git_project_made_by_init(fresh, monkeypatch):
    for name, value in GIT_IDENTITY.items():
        monkeypatch.setenv(name, value)
    answered(annotated(fresh, ["harbour-fire", "harbour-fire-copy"]))
    corpus = fresh / "seeds" / "corpus.yaml"
    corpus.write_text(CORPUS.replace(BUDGET_FACT, ""), encoding="utf-8")  # no claim asserts it yet
    runner = CliRunner()
    first = runner.invoke(app, ["build", "--project", str(fresh)])  # release 0.1.0, in dataset/
    assert first.exit_code == 0, first.output
    _git(fresh, "init", "-q")
    _git(fresh, "add", "-A")
    _git(fresh, "commit", "-qm", "0.1.0")
    add_article(fresh, "council_vote_2")
    corpus.write_text(CORPUS, encoding="utf-8")
    _git(fresh, "add", "-A")
    _git(fresh, "commit", "-qm", "a third article")
    assert "these changes need a minor release, not patch" in runner.invoke(app, ["release", "--project", str(fresh), "--bump", "patch", "--date", "2026-02-01"]).output
    result = runner.invoke(app, ["release", "--project", str(fresh), "--bump", "minor", "--date", "2026-02-01"])
    assert result.exit_code == 0, result.output
    assert f"released 0.2.0 in {fresh / 'dataset'}, committed and tagged v0.2.0:" in result.output
    settings = read_project(fresh)
    assert (settings["version"], settings["date_released"]) == ("0.2.0", "2026-02-01")
    changelog = (fresh / "CHANGELOG.md").read_text()
    entry = changelog.split("## [0.2.0] - 2026-02-01\n", 1)[1].split("\n## [", 1)[0]
    assert "Changes since 0.1.0 (a minor release" in entry and "- Rows of `articles`: 1 added (`council_vote_2`)." in entry
    assert "- Rows of `facts`: 1 added (`budget_approved`)." in entry
    assert changelog.index("## [0.2.0]") < changelog.index(f"## [0.1.0] - {INIT_DATE}")
    assert (fresh / "DATASHEET.md").read_text().startswith("# Datasheet for harbour-news 0.2.0\n")
    assert verify_release(fresh / "dataset") == [] and yaml.safe_load((fresh / "dataset" / "CITATION.cff").read_text())["version"] == "0.2.0"
    assert _git(fresh, "tag", "--points-at", "HEAD") == "v0.2.0\n" and _git(fresh, "status", "--porcelain") == ""


def test_a_text_whose_name_ends_in_upper_case_txt_is_named_not_skipped(tmp_path):
    from wirecopy.builders.seeds import read_seeds
    from wirecopy.core.errors import Problems

    (tmp_path / "story.txt").write_text("A story.\n", encoding="utf-8")
    (tmp_path / "other-story.TXT").write_text("Another story.\n", encoding="utf-8")
    problems = Problems()
    seeds = read_seeds(tmp_path, problems)
    assert [seed.article_id for seed in seeds] == ["story"]
    assert [(error.file, error.message) for error in problems.errors] == [(str(tmp_path / "other-story.TXT"), "a text's name must end in lowercase .txt to be read as a seed; rename it")]


def test_every_broken_annotation_file_is_reported_in_one_pass(project_copy):
    from wirecopy.builders.pipeline import build
    from wirecopy.core.errors import InputErrors

    seeds = project_copy / "seeds"
    broken = sorted(seeds.glob("*.yaml"))[:2]
    for path in broken:
        path.write_text("claims: [\n", encoding="utf-8")
    for draft in (False, True):
        with pytest.raises(InputErrors) as raised:
            build(project_copy, project_copy.parent / "out", draft=draft)
        assert [error.file for error in raised.value.errors if "not valid YAML" in error.message] == [str(path) for path in broken]
