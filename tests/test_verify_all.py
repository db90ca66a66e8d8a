"""`wirecopy verify` reports every problem of a release in one pass: several in one shard, in several
shards and in every description at once, each line starting with the file it concerns, grouped by file,
each once; a shard's row problems capped at a screenful."""

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from conftest import REPO
from wirecopy.builders.documents import release_identity
from wirecopy.builders.project import read_project
from wirecopy.builders.validate import ROWS_LISTED
from wirecopy.builders.verify import verify_release
from wirecopy.cli import app
from wirecopy.core.errors import Problems
from wirecopy.core.layout import shard_path

PROJECT = read_project(REPO)
VERSION = PROJECT["version"]


@pytest.fixture
def copy(built_release: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built_release, tmp_path / "copy"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edit_rows(shard: Path, edit) -> list[dict]:
    """Rewrite ``shard`` with ``edit(rows)`` applied (same Arrow schema); returns the edited rows."""
    table = pq.read_table(shard)
    rows = table.to_pylist()
    edit(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), shard)
    return rows


def _file_of(line: str) -> str:
    return line.split(": ", 1)[0]


def _lines_of(lines: list[str], path: Path) -> list[str]:
    return [line for line in lines if _file_of(line) == str(path)]


def _assert_grouped_once(lines: list[str]) -> None:
    files = [_file_of(line) for line in lines]
    assert files == sorted(files), files  # grouped by file, files in order
    assert len(set(lines)) == len(lines), lines


def _break_citation(release: Path) -> None:
    """Two Citation File Format problems (as in tests/test_verify.py)."""
    _edit(release / "CITATION.cff", "license: CC-BY-4.0", "license: CC-BY-4")
    _edit(release / "CITATION.cff", "type: dataset", "type: corpus")


def _break_croissant(release: Path) -> None:
    """One FileObject pointing out of the release (articles'), another with a wrong sha256 (article_pairs')."""
    path = release / "croissant.json"
    metadata = json.loads(path.read_text(encoding="utf-8"))
    file_objects = {file_object["@id"]: file_object for file_object in metadata["distribution"]}
    file_objects["articles-parquet"]["contentUrl"] = "../../corpus/part-00000.parquet"
    file_objects["article_pairs-parquet"]["sha256"] = "0" * 64
    path.write_text(json.dumps(metadata, indent=2), encoding="utf-8")


def _croissant_lines(release: Path, *changed_shards: str) -> list[str]:
    """What verify says of ``_break_croissant``'s croissant.json, whose FileObjects of ``changed_shards``
    no longer match."""
    croissant = release / "croissant.json"
    return [
        f"{croissant}: sha256 or size differs from checksums.json",
        f"{croissant}: a FileObject points to '../../corpus/part-00000.parquet', which is not a file inside the release",
        *(f"{croissant}: FileObject {config}-parquet: sha256 differs from {shard_path(config)}" for config in ("claims", "article_pairs", "facts") if config in {*changed_shards, "article_pairs"}),
    ]  # the FileObjects after the escaping one are checked too; mlcroissant is not run (it would follow it)


def _citation_lines(release: Path) -> list[str]:
    citation = release / "CITATION.cff"
    return [
        f"{citation}: not valid Citation File Format 1.2.0: field license: 'CC-BY-4' is not valid under any of the given schemas",
        f"{citation}: not valid Citation File Format 1.2.0: field type: 'corpus' is not one of ['dataset', 'software']",
        f"{citation}: sha256 or size differs from checksums.json",
    ]


def _span_line(shard: Path, index: int, row: dict) -> str:
    return f"{shard}: record row {index} ({row['claim_id']}): field text: span [{row['start']}, {row['end']}) does not give its text {row['text']!r}"


def test_every_problem_of_shards_and_descriptions_is_reported_once_grouped_by_file(copy):
    claims, facts, card = copy / shard_path("claims"), copy / shard_path("facts"), copy / "README.md"

    def break_claims(rows: list[dict]) -> None:
        rows[1]["start"] += 1  # two spans and a schema violation in one shard
        rows[4]["end"] -= 1
        rows[7]["claim_type"] = "rumour"

    claim_rows = _edit_rows(claims, break_claims)
    fact_rows = _edit_rows(facts, lambda rows: rows[2].update(description=""))
    _break_citation(copy)
    _break_croissant(copy)
    _edit(copy / "checksums.json", '"path": "README.md"', '"path": "../README.md"')

    lines = verify_release(copy)

    _assert_grouped_once(lines)
    assert {_file_of(line) for line in lines} == {str(path) for path in (claims, facts, card, copy / "CITATION.cff", copy / "checksums.json", copy / "croissant.json")}
    [*spans, claim_type, claims_checksum] = _lines_of(lines, claims)
    assert spans == [_span_line(claims, 1, claim_rows[1]), _span_line(claims, 4, claim_rows[4])]
    assert claim_type.startswith(f"{claims}: record row 7 ({claim_rows[7]['claim_id']}): field claim_type: 'rumour' is not one of [")
    assert claims_checksum == f"{claims}: sha256 or size differs from checksums.json"
    assert _lines_of(lines, facts) == [
        f"{facts}: record row 2 ({fact_rows[2]['fact_id']}): field description: '' should be non-empty",
        f"{facts}: sha256 or size differs from checksums.json",
    ]
    assert _lines_of(lines, copy / "CITATION.cff") == _citation_lines(copy)
    assert _lines_of(lines, copy / "croissant.json") == _croissant_lines(copy, "claims", "facts")
    assert _lines_of(lines, copy / "checksums.json") == [f"{copy / 'checksums.json'}: lists '../README.md', which is not a file inside the release"]
    [claims_info, facts_info, unlisted] = _lines_of(lines, card)
    assert claims_info.startswith(f"{card}: dataset_info of claims/test does not match") and facts_info.startswith(f"{card}: dataset_info of facts/test does not match")
    assert unlisted == f"{card}: file not in checksums.json"


def test_a_missing_card_does_not_hide_the_documents_manifest_and_croissant(copy):
    (copy / "README.md").unlink()
    _break_citation(copy)
    _break_croissant(copy)
    _edit(copy / "CHANGELOG.md", "## [", "## [9.9.9] - 2020-01-01\n\n## [")

    lines = verify_release(copy)

    assert lines == [
        f"{copy / 'CHANGELOG.md'}: record [9.9.9]: newest entry 9.9.9 (2020-01-01) differs from CITATION.cff's {VERSION} ({PROJECT['date_released']})",
        f"{copy / 'CHANGELOG.md'}: sha256 or size differs from checksums.json",
        *_citation_lines(copy),
        f"{copy / 'README.md'}: missing dataset card",
        f"{copy / 'checksums.json'}: lists README.md, which is missing",
        *_croissant_lines(copy),  # no RecordSet checks: without the card, the shards are unknown
    ]


def test_the_row_problems_of_a_shard_are_capped(copy):
    claims = copy / shard_path("claims")
    bad = ROWS_LISTED + 5
    _edit_rows(claims, lambda rows: [row.update(claim_type="rumour") for row in rows[:bad]])

    lines = _lines_of(verify_release(copy), claims)

    assert len(lines) == ROWS_LISTED + 2  # the rows listed, the count of the others, the checksum
    assert all(f"record row {index} (" in line for index, line in enumerate(lines[:ROWS_LISTED]))
    assert lines[ROWS_LISTED:] == [f"{claims}: ... and 5 more rows with problems", f"{claims}: sha256 or size differs from checksums.json"]


def test_an_unreadable_articles_shard_does_not_fail_every_span_pointing_into_it(copy):
    articles = copy / shard_path("articles")
    articles.write_bytes(articles.read_bytes()[:1000])

    lines = verify_release(copy)

    assert any(line.startswith(f"{articles}: unreadable Parquet") for line in lines)
    assert not any("unknown article id" in line for line in lines), lines


def test_the_cli_prints_every_problem_grouped_by_file(copy):
    (copy / "README.md").unlink()
    _break_citation(copy)
    _break_croissant(copy)

    result = CliRunner().invoke(app, ["verify", str(copy)])

    problems = verify_release(copy)
    assert len({_file_of(line) for line in problems}) == 4  # CITATION.cff, README.md, checksums.json, croissant.json
    assert result.exit_code == 1
    lines = [line for line in result.output.strip().splitlines() if not line.startswith("note:")]  # note: without mlcroissant
    assert lines == [*problems, f"{copy}: not verified, {len(problems)} problem(s) above"]


def test_release_identity_reports_every_citation_and_changelog_problem_and_the_version(built_release):
    citation = (built_release / "CITATION.cff").read_text(encoding="utf-8")
    documents = {
        "CITATION.cff": citation.replace("license: CC-BY-4.0", "license: CC-BY-4").replace("type: dataset", "type: corpus"),
        "CHANGELOG.md": "# Changelog\n\n## [9.9.9] - 2020-01-01\n",
    }
    problems = Problems()
    assert release_identity(documents, Path("release"), problems) == (VERSION, PROJECT["date_released"])
    assert [str(error) for error in problems.errors] == [
        "release/CITATION.cff: not valid Citation File Format 1.2.0: field license: 'CC-BY-4' is not valid under any of the given schemas",
        "release/CITATION.cff: not valid Citation File Format 1.2.0: field type: 'corpus' is not one of ['dataset', 'software']",
        f"release/CHANGELOG.md: record [9.9.9]: newest entry 9.9.9 (2020-01-01) differs from CITATION.cff's {VERSION} ({PROJECT['date_released']})",
    ]


def test_a_version_that_an_invalid_citation_states_is_still_checked_everywhere(copy):
    _break_citation(copy)
    _edit(copy / "checksums.json", f'"version": "{VERSION}"', '"version": "9.9.9"')

    lines = verify_release(copy)

    assert _lines_of(lines, copy / "checksums.json") == [f"{copy / 'checksums.json'}: version 9.9.9 differs from CITATION.cff's {VERSION}"]
