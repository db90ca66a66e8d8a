"""Bad input: one clear line naming file, record and field; exit code 1; no traceback; nothing lost."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from wirecopy.cli import app

A000 = "000_9af1437052fdcfff"
A002 = "002_07d2d95af1c2a203"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _non_utf8(seeds: Path) -> None:
    (seeds / f"{A000}.txt").write_bytes(b"Caf\xe9 au lait\n")


def _missing_sidecar(seeds: Path) -> None:
    (seeds / f"{A000}.yaml").unlink()


def _missing_seed(seeds: Path) -> None:
    (seeds / f"{A000}.txt").unlink()


CASES = {
    "non-UTF-8 seed": (_non_utf8, [f"{A000}.txt", "record 000_", "field text", "not valid UTF-8 at byte 3"]),
    "missing sidecar": (_missing_sidecar, [f"{A000}.yaml", "missing annotation sidecar"]),
    "sidecar without seed": (_missing_seed, [f"{A000}.yaml", "has no seed text"]),
    "quote not found": (
        lambda s: _edit(s / f"{A000}.yaml", "quote: Peskov said\n", "quote: Peskov never said\n"),
        [f"{A000}.yaml", "record claims[8] (c09).claimer.evidence[0]", "field quote", "quote not found"],
    ),
    "ambiguous quote": (
        lambda s: _edit(s / f"{A002}.yaml", "    occurrence: 1\n", ""),
        [f"{A002}.yaml", "record boilerplate[4]", "field quote", "ambiguous quote"],
    ),
    "overlapping boilerplate": (
        lambda s: _edit(s / f"{A002}.yaml", "  - quote: Read more exclusive news from Political IQ.\n    label", "  - quote: exclusive news from Political IQ.\n    label: outlet_promo\n    basis: stated\n  - quote: Read more exclusive news from Political IQ.\n    label"),
        [f"{A002}.yaml", "record boilerplate", "field quote", "spans overlap"],
    ),
    "claim inside boilerplate": (
        lambda s: _edit(s / f"{A002}.yaml", "  - quote: Get the featured stories", "  - quote: face-to-face 39 times\n    label: related_teaser\n    basis: inferred\n  - quote: Get the featured stories"),
        [f"{A002}.yaml", "record claims[8] (c09)", "field quote", "claim overlaps boilerplate span 'face-to-face 39 times'"],
    ),
    "unknown label": (
        lambda s: _edit(s / f"{A000}.yaml", "label: extraction_residue", "label: advert"),
        [f"{A000}.yaml", "record boilerplate[0]", "field label", "'advert' is not one of"],
    ),
    "invalid date": (
        lambda s: _edit(s / f"{A000}.yaml", 'value: "2023-03-13"', "value: 2023-02-30"),
        [f"{A000}.yaml", "record date", "field value", "'2023-02-30' is not a 'date'"],
    ),
    "duplicate claim id": (
        lambda s: _edit(s / f"{A000}.yaml", "  - id: c02\n", "  - id: c01\n"),
        [f"{A000}.yaml", "record claims[1] (c01)", "field id", "duplicate claim id"],
    ),
    "duplicate pair": (
        lambda s: _edit(s / "corpus.yaml", "articles: [000_9af1437052fdcfff, 002_07d2d95af1c2a203]", "articles: [001_647a6111658d6202, 000_9af1437052fdcfff]"),
        ["corpus.yaml", "record relations[1]", "field articles", "duplicate relation"],
    ),
    "duplicate fact id": (
        lambda s: _edit(s / "corpus.yaml", "  - fact_id: putin_said_xi_visit_agreed\n", "  - fact_id: xi_visit_russia_as_soon_as_next_week\n"),
        ["corpus.yaml", "record facts[1]", "field fact_id", "duplicate fact id"],
    ),
    "undeclared fact": (
        lambda s: _edit(s / f"{A000}.yaml", "fact: china_russia_joint_military_exercises", "fact: a_fact_nobody_declared"),
        ["corpus.yaml", "asserts undeclared fact 'a_fact_nobody_declared'"],
    ),
    "outlet guessed without evidence": (
        lambda s: _edit(s / f"{A000}.yaml", "outlet:\n  value: null", "outlet:\n  value: Daily Wire"),
        [f"{A000}.yaml", "record outlet", "field value", "is not of type 'null'"],
    ),
    "inferred value without reasoning": (
        lambda s: _edit(s / f"{A000}.yaml", "  note: The copy has no date of its own.", "  nota: The copy has no date of its own."),
        [f"{A000}.yaml", "record date", "field note", "'note' is a required property"],
    ),
    "missing required field": (
        lambda s: _edit(s / f"{A000}.yaml", "    type: quantity\n", ""),
        [f"{A000}.yaml", "record claims[11] (c12)", "field type", "'type' is a required property"],
    ),
    "article id that is not the file name": (
        lambda s: _edit(s / f"{A000}.yaml", f"article_id: {A000}", "article_id: 000_aaaaaaaaaaaaaaaa"),
        [f"{A000}.yaml", "field article_id", "does not match the file name"],
    ),
    "pair left unlabelled": (
        lambda s: _edit(s / "corpus.yaml", "articles: [002_07d2d95af1c2a203, 004_3e24c38eb7c10fd0]", "articles: [002_07d2d95af1c2a203, 003_5e41d2a6d4963e09]"),
        ["corpus.yaml", "duplicate relation"],
    ),
    "broken YAML": (
        lambda s: _edit(s / f"{A000}.yaml", "claims:\n", "claims: [\n"),
        [f"{A000}.yaml", "not valid YAML"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_one_clear_line(case, seeds_copy, tmp_path):
    break_input, expected = CASES[case]
    break_input(seeds_copy)
    out = tmp_path / "dataset"
    result = CliRunner().invoke(app, ["build", "--seeds", str(seeds_copy), "--out", str(out)])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    for fragment in expected:
        assert fragment in lines[0], (fragment, lines[0])
    assert not out.exists()
