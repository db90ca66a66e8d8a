"""The benchmark: pair evaluation on hand cases, the runner's results against the committed ones, the
tables embedded in README.md and the card, and `wirecopy bench` (list, partial runs, score, errors)."""

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import average_precision_score
from typer.testing import CliRunner

from conftest import REPO, copy_project, edit_project
from wirecopy.benchmarks import claim_systems, dedup_systems
from wirecopy.benchmarks.boilerplate_systems import line_rules
from wirecopy.benchmarks.pairs import PairScores, pair
from wirecopy.benchmarks.runner import results_markdown, run_task, select
from wirecopy.benchmarks.task import TaskData
from wirecopy.benchmarks.tasks import TASKS
from wirecopy.builders.card import RESULTS_MARKERS
from wirecopy.builders.pipeline import build
from wirecopy.builders.project import ANNOTATED_CONFIGS
from wirecopy.builders.verify import verify_release
from wirecopy.cli import app
from wirecopy.core.errors import InputError

SYNTHETIC = TASKS["dedup_synthetic"]
CLAIMS = TASKS["claim_alignment"]


def _between_markers(document: str) -> str:
    start, end = RESULTS_MARKERS
    return document.split(start, 1)[1].split(end, 1)[0].removeprefix("\n")


# --- pair evaluation on hand-computed cases ------------------------------------------------------


def test_evaluate_pairs_hand_case():
    # Gold: {a, b, c} and {d}; gold pairs ab, ac, bc. The system scores ab .9, ac .6, cd .2 (bc unscored = 0).
    data = TaskData(texts=dict.fromkeys("abcd", ""), gold_clusters={"a": "x", "b": "x", "c": "x", "d": "y"})
    scores = SYNTHETIC.kind.evaluate(SYNTHETIC, data, PairScores({("a", "b"): 0.9, ("a", "c"): 0.6, ("c", "d"): 0.2}, threshold=0.5))
    assert scores["pairwise_precision"] == 1.0 and scores["pairwise_recall"] == pytest.approx(2 / 3)
    assert scores["pairwise_f1"] == pytest.approx(0.8)
    # Ranking: ab+, ac+, cd-, then the three unscored pairs tied at 0 (bc+, ad-, bd-): 1/3*1 + 1/3*1 + 1/3*3/6.
    assert scores["average_precision"] == pytest.approx(5 / 6)
    # Deciding ab and ac links a, b, c: the gold clustering exactly.
    assert scores["ari"] == 1.0 and scores["bcubed_f1"] == 1.0


def test_evaluate_pairs_without_positives_and_with_nothing_scored():
    data = TaskData(texts=dict.fromkeys("abc", ""), gold_clusters={"a": "x", "b": "y", "c": "z"})
    scores = SYNTHETIC.kind.evaluate(SYNTHETIC, data, PairScores({}, threshold=0.5))
    assert scores["average_precision"] is None  # undefined, not 0
    assert scores["pairwise_f1"] == 0.0 and scores["bcubed_f1"] == 1.0


def test_claim_pairs_within_one_article_are_not_candidates():
    data = TaskData(texts=dict.fromkeys(["a1", "a2", "b1"], ""), groups={"a1": "A", "a2": "A", "b1": "B"}, gold_clusters={"a1": "f", "a2": "f", "b1": "f"})
    assert CLAIMS.kind.candidate_pairs(data) == [("a1", "b1"), ("a2", "b1")]
    # a1/a2 share a fact but sit in one article: not a gold pair, so a perfect system has recall 1.
    scores = CLAIMS.kind.evaluate(CLAIMS, data, PairScores({("a1", "b1"): 1.0, ("a2", "b1"): 1.0}, threshold=0.5))
    assert scores["pairwise_recall"] == 1.0 and scores["average_precision"] == 1.0


@settings(max_examples=60, deadline=None)
@given(
    clusters=st.lists(st.integers(0, 3), min_size=2, max_size=8),
    raw=st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), min_size=28, max_size=28),
)
def test_sparse_average_precision_equals_scikit_learn_over_every_pair(clusters, raw):
    """Leaving the zero-score pairs out (one weighted block) gives scikit-learn's AP over all pairs."""
    ids = [f"d{i}" for i in range(len(clusters))]
    data = TaskData(texts=dict.fromkeys(ids, ""), gold_clusters=dict(zip(ids, clusters)))
    every_pair = SYNTHETIC.kind.candidate_pairs(data)
    listed = {p: s for p, s in zip(every_pair, raw) if s > 0}
    gold = [int(data.gold_clusters[a] == data.gold_clusters[b]) for a, b in every_pair]
    expected = average_precision_score(gold, [listed.get(p, 0.0) for p in every_pair]) if any(gold) else None
    assert SYNTHETIC.kind.evaluate(SYNTHETIC, data, PairScores(listed, 0.5))["average_precision"] == pytest.approx(expected)


# --- the runner ---------------------------------------------------------------------------------


def test_select_narrows_tasks_and_systems_and_names_unknown_ones():
    assert select() == {name: list(task.kind.systems) for name, task in TASKS.items()}
    assert select(None, ["minhash_lsh"]) == {"dedup_articles": ["minhash_lsh"], "dedup_synthetic": ["minhash_lsh"], "same_event": ["minhash_lsh"]}
    assert select(["claim_alignment"], ["bm25"]) == {"claim_alignment": ["bm25"]}
    with pytest.raises(InputError, match="unknown system"):
        select(["claim_alignment"], ["minhash_lsh"])
    with pytest.raises(InputError, match="unknown task"):
        select(["nope"])


def test_rerunning_a_task_gives_identical_json():
    first, second = (json.dumps(run_task(TASKS["dedup_articles"], REPO / "dataset"), indent=2) for _ in range(2))
    assert first == second


@pytest.fixture(scope="session")
def bench_run(tmp_path_factory, built_release):
    """One full `wirecopy bench` on a copy of the release, writing into a scratch folder."""
    work = tmp_path_factory.mktemp("bench")
    dataset = Path(shutil.copytree(built_release, work / "dataset"))
    shutil.copy(REPO / "README.md", work / "README.md")
    result = CliRunner().invoke(app, ["bench", "--dataset", str(dataset), "--results", str(work / "results"), "--readme", str(work / "README.md")])
    assert result.exit_code == 0, result.output
    return work, result.output


def _approx_tree(value):
    if isinstance(value, float):
        return pytest.approx(value, rel=1e-9, abs=1e-12)
    if isinstance(value, dict):
        return {k: _approx_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_approx_tree(v) for v in value]
    return value


@pytest.mark.slow
@pytest.mark.parametrize("task", list(TASKS))
def test_committed_results_are_what_the_runner_produces(bench_run, task):
    work, _ = bench_run
    fresh = json.loads((work / "results" / f"{task}.json").read_text())
    committed = json.loads((REPO / "results" / f"{task}.json").read_text())
    assert fresh == _approx_tree(committed)
    assert fresh["task"] == task and fresh["dataset_version"] == json.loads((REPO / "dataset" / "checksums.json").read_text())["version"]
    systems = {(r["system"], r["input"]) for r in fresh["results"]}
    assert {s for s, _ in systems} == set(TASKS[task].kind.systems)


@pytest.mark.slow
def test_results_table_is_generated_and_embedded_unchanged(bench_run):
    work, output = bench_run
    table = (work / "results" / "results.md").read_text()
    assert table == (REPO / "results" / "results.md").read_text()
    assert table == results_markdown([json.loads((work / "results" / f"{t}.json").read_text()) for t in TASKS])
    assert _between_markers((REPO / "README.md").read_text()) == table
    assert _between_markers((REPO / "dataset" / "README.md").read_text()) == table
    assert (work / "README.md").read_text() == (REPO / "README.md").read_text()
    assert "benchmark finished in" in output


@pytest.mark.slow
def test_a_full_run_leaves_a_valid_release_with_the_table_in_its_card(bench_run):
    work, _ = bench_run
    assert verify_release(work / "dataset") == []
    assert (work / "dataset" / "README.md").read_text() == (REPO / "dataset" / "README.md").read_text()


@pytest.fixture(scope="module")
def annotated_only(tmp_path_factory) -> Path:
    """A release of this project's four annotated configs only (wirecopy.yaml without optional configs)."""
    project = copy_project(tmp_path_factory.mktemp("annotated") / "project")
    edit_project(project, configs={})
    build(project)
    return project / "dataset"


@pytest.mark.slow
def test_a_release_without_the_optional_configs_runs_the_tasks_it_holds(annotated_only, tmp_path):
    dataset = Path(shutil.copytree(annotated_only, tmp_path / "dataset"))
    result = CliRunner().invoke(app, ["bench", "--dataset", str(dataset), "--results", str(tmp_path / "results")])
    assert result.exit_code == 0, result.output
    runnable = {name for name, task in TASKS.items() if set(task.configs) <= set(ANNOTATED_CONFIGS)}
    assert runnable and {path.stem for path in (tmp_path / "results").glob("*.json")} == runnable
    assert verify_release(dataset) == []


def test_a_task_whose_config_the_release_lacks_is_one_line(annotated_only, tmp_path):
    result = CliRunner().invoke(app, ["bench", "--task", "same_event", "--dataset", str(annotated_only), "--results", str(tmp_path / "results")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output == f"error: --task: same_event needs config(s) ['same_event'], which the release in {annotated_only} does not hold\n"


# --- the command line ---------------------------------------------------------------------------


def test_bench_list_names_every_task_and_system():
    result = CliRunner().invoke(app, ["bench", "list"])
    assert result.exit_code == 0
    for name, task in TASKS.items():
        assert f"{name} [{task.kind.name}] primary={task.primary_metric}" in result.output
        assert all(system in result.output for system in task.kind.systems)


def test_partial_bench_prints_and_writes_nothing(tmp_path):
    result = CliRunner().invoke(app, ["bench", "--task", "dedup_articles", "--system", "tfidf_cosine", "--results", str(tmp_path / "results")])
    assert result.exit_code == 0, result.output
    assert "| tfidf_cosine | kept |" in result.output and "minhash_lsh" not in result.output
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["bench", "--task", "nope"], "unknown task(s) ['nope']"),
        (["bench", "--task", "claim_alignment", "--system", "minhash_lsh"], "unknown system(s) ['minhash_lsh']"),
        (["bench", "--dataset", "no/such/folder"], "not a built release"),
        (["bench", "score", "--task", "nope", "--predictions", "x.jsonl"], "unknown task 'nope'"),
    ],
)
def test_bench_usage_errors_are_one_line(arguments, message):
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _score(task: str, predictions: Path, *options: str) -> dict:
    result = CliRunner().invoke(app, ["bench", "score", "--task", task, "--predictions", str(predictions), *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["scores"]


def _committed_scores(task: str, system: str, variant: str) -> dict:
    results = json.loads((REPO / "results" / f"{task}.json").read_text())["results"]
    return next(r["scores"] for r in results if r["system"] == system and r["input"] == variant)


def test_score_reproduces_a_baseline_from_its_pair_predictions(tmp_path):
    """A user's file holding exactly a baseline's scores gets exactly the baseline's row."""
    data = CLAIMS.load(REPO / "dataset")
    prediction = claim_systems.tfidf_cosine(data.texts)
    records = [{"id_a": b, "id_b": a, "score": prediction.scores.get(pair(a, b), 0.0)} for a, b in CLAIMS.kind.candidate_pairs(data)]
    scored = _score("claim_alignment", _write_jsonl(tmp_path / "mine.jsonl", records), "--threshold", str(prediction.threshold))
    assert scored == _approx_tree(_committed_scores("claim_alignment", "tfidf_cosine", "-"))


def test_score_accepts_sparse_predictions_where_the_task_allows_them(tmp_path):
    data = SYNTHETIC.load(REPO / "dataset")
    prediction = dedup_systems.minhash_lsh(data.texts)
    records = [{"id_a": a, "id_b": b, "score": s} for (a, b), s in prediction.scores.items()]
    scored = _score("dedup_synthetic", _write_jsonl(tmp_path / "mine.jsonl", records), "--threshold", str(prediction.threshold))
    assert scored == _approx_tree(_committed_scores("dedup_synthetic", "minhash_lsh", "kept"))


def test_score_reproduces_a_baseline_from_its_span_predictions(tmp_path):
    data = TASKS["boilerplate_detection"].load(REPO / "dataset")
    records = [{"article_id": doc_id, "spans": [list(s) for s in line_rules(text)]} for doc_id, text in data.texts.items()]
    scored = _score("boilerplate_detection", _write_jsonl(tmp_path / "mine.jsonl", records))
    assert scored == _approx_tree(_committed_scores("boilerplate_detection", "line_rules", "-"))


ARTICLES = ["000_9af1437052fdcfff", "001_647a6111658d6202", "002_07d2d95af1c2a203", "003_5e41d2a6d4963e09", "004_3e24c38eb7c10fd0"]


def _all_article_pairs(score=0.5) -> list[str]:
    return [json.dumps({"id_a": a, "id_b": b, "score": score}) for i, a in enumerate(ARTICLES) for b in ARTICLES[i + 1 :]]


@pytest.mark.parametrize(
    "task, lines, located, message",
    [
        ("dedup_articles", ["{not json"], "line 1", "not JSON"),
        ("dedup_articles", ["[1, 2]"], "line 1", "not a JSON object"),
        ("dedup_articles", [*_all_article_pairs()[:9], '{"id_a": "nope", "id_b": "000_9af1437052fdcfff", "score": 1}'], "line 10: field id_a", "unknown id 'nope'"),
        ("dedup_articles", [*_all_article_pairs()[:9], json.dumps({"id_a": ARTICLES[3], "id_b": ARTICLES[4], "score": "high"})], "line 10: field score", "not a finite number: 'high'"),
        ("dedup_articles", [*_all_article_pairs()[:9], json.dumps({"id_a": ARTICLES[3], "id_b": ARTICLES[4]})], "line 10: field score", "missing"),
        ("dedup_articles", [*_all_article_pairs()[:9], f'{{"id_a": "{ARTICLES[3]}", "id_b": "{ARTICLES[4]}", "score": NaN}}'], "line 10: field score", "not a finite number: nan"),
        ("dedup_articles", [*_all_article_pairs(), json.dumps({"id_a": ARTICLES[1], "id_b": ARTICLES[0], "score": 1})], "line 11: field id_b", "given twice"),
        ("dedup_articles", _all_article_pairs()[:9], "mine.jsonl", "1 pair(s) missing, first 003_5e41d2a6d4963e09 / 004_3e24c38eb7c10fd0"),
        ("dedup_articles", [json.dumps({"id_a": ARTICLES[0], "id_b": ARTICLES[0], "score": 1})], "line 1: field id_b", "is not a scored pair"),
        ("claim_alignment", [json.dumps({"id_a": "000_9af1437052fdcfff/c01", "id_b": "000_9af1437052fdcfff/c02", "score": 1})], "line 1: field id_b", "is not a scored pair of task claim_alignment"),
        ("boilerplate_detection", [json.dumps({"article_id": ARTICLES[0], "spans": [[5, 99999]]})], "line 1: field spans", "not a [start, end) inside the text"),
        ("boilerplate_detection", [json.dumps({"article_id": "nope", "spans": []})], "line 1: field article_id", "unknown id 'nope'"),
        ("boilerplate_detection", [json.dumps({"article_id": ARTICLES[0], "spans": []})], "mine.jsonl", "4 article(s) missing"),
    ],
)
def test_malformed_predictions_are_named_by_file_line_and_field(tmp_path, task, lines, located, message):
    predictions = tmp_path / "mine.jsonl"
    predictions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["bench", "score", "--task", task, "--predictions", str(predictions)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"error: {predictions}") and located in result.output
    assert message in result.output and "Traceback" not in result.output
