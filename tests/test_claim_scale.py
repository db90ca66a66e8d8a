"""``wirecopy bench claim-scale`` end to end on a small corpus: each system in its own process, through
its index or (``--exact``) every pair, with time, memory and retrieval scores per row."""

import pytest
from typer.testing import CliRunner

from conftest import REPO
from wirecopy.benchmarks import claim_scale
from wirecopy.cli import app


@pytest.mark.slow
def test_claim_scale_rows_for_the_index_and_the_exact_search(tmp_path):
    lines: list[str] = []
    indexed = claim_scale.run(REPO / "dataset", [600], 5, ["token_jaccard", "tfidf_cosine"], tmp_path, echo=lines.append)
    exact = claim_scale.run(REPO / "dataset", [600], 5, ["token_jaccard"], tmp_path, echo=lines.append, exact=True)
    assert [(r["system"], r["search"]) for r in indexed + exact] == [("token_jaccard", "minhash_lsh"), ("tfidf_cosine", "exact"), ("token_jaccard", "exact")]
    for row in indexed + exact:
        assert row["seconds"] > 0 and row["peak_rss_mib"] >= row["base_rss_mib"] > 0 and row["gold_pairs"] > 0
        assert 0.9 <= row["scores"]["recall@5"] <= 1 and 0 < row["scores"]["mrr"] <= 1  # rewrites are found
    # The index scores its candidates exactly, so it keeps no more pairs than every pair's search.
    assert indexed[0]["pairs"] <= exact[0]["pairs"]
    assert lines[0].startswith("corpus of 600 claims") and "| 600 | token_jaccard | minhash_lsh |" in lines[1]


def test_claim_scale_rejects_an_unknown_system():
    result = CliRunner().invoke(app, ["bench", "claim-scale", "--n", "100", "--system", "no_such_system"])
    assert result.exit_code == 1 and "--system: unknown claim system(s) ['no_such_system']" in result.output
