"""Bad input and bad destinations, for every command: exit code != 0, a few lines naming the file and the
record/field (or the option), no traceback, and every file that was there before byte-identical (and
nothing added): inputs, the previous release, the previous dedup results and their resume state.

Each case runs in a sandbox: ``project/`` (a copy of this repository's project: wirecopy.yaml, seeds,
documents, results, a built ``dataset/``, a user's file and folder), ``corpus/`` (a small synthetic dedup input) and ``dedup/`` (an earlier dedup
run's results, with ``.dedup.work/`` beside them). The working directory is ``project/``.
"""

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO, copy_project, snapshot
from wirecopy.builders.project import read_project
from wirecopy.cli import app

A000 = "000_9af1437052fdcfff"
A002 = "002_07d2d95af1c2a203"
VERSION = read_project(REPO)["version"]
MAX_LINES = 4


@dataclass(frozen=True)
class Case:
    args: list[str]
    expected: list[str]  # fragments the output must contain
    setup: Callable[[Path], None] = lambda sandbox: None  # breaks something; runs before the snapshot
    patch: Callable[[pytest.MonkeyPatch], None] | None = None  # a fault of the machine (not the input)
    lines: int = MAX_LINES
    cwd: str = "project"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _seeds(sandbox: Path) -> Path:
    return sandbox / "project" / "seeds"


def _sidecar_edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda sandbox: _edit(_seeds(sandbox) / name, old, new)


def _write(relative: str, content: bytes | str) -> Callable[[Path], None]:
    def setup(sandbox: Path) -> None:
        path = sandbox / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return setup


def _symlink(relative: str, target: str) -> Callable[[Path], None]:
    def setup(sandbox: Path) -> None:
        path = sandbox / relative
        path.unlink()
        path.symlink_to(target)
    return setup


def _truncate(relative: str) -> Callable[[Path], None]:
    def setup(sandbox: Path) -> None:
        path = sandbox / relative
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return setup


def _git_project(sandbox: Path) -> None:
    """The sandbox's project as a committed git tree, but without its project file."""
    project = sandbox / "project"
    (project / "wirecopy.yaml").unlink()
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=project, check=True)


def _read_only(patch: pytest.MonkeyPatch) -> None:
    """As if the output's parent folder were read-only (root ignores permission bits, so chmod can't)."""
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", kwargs.get("dir"))
    patch.setattr("tempfile.mkdtemp", refuse)


def _without_pyspark(patch: pytest.MonkeyPatch) -> None:
    # Its submodules too: a test that ran Spark before leaves them imported, and a cached submodule is
    # found without its parent.
    for name in [name for name in sys.modules if name == "wirecopy.dedup.spark_engine" or name.startswith("pyspark.")]:
        patch.delitem(sys.modules, name)
    patch.setitem(sys.modules, "pyspark", None)  # import pyspark raises ImportError


LAUGHS = "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"l{i}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
NESTED_JSON = "[" * 100_000 + "]" * 100_000
PARQUET = "corpus/part-00000.parquet"
BUILD = ["build"]
DEDUP = ["dedup", "../corpus", "--out", "../dedup"]
SCORE_SPANS = ["bench", "score", "--task", "boilerplate_detection", "--predictions", "../predictions.jsonl"]
SCORE_PAIRS = ["bench", "score", "--task", "dedup_articles", "--predictions", "../predictions.jsonl"]

CASES = {
    # build: annotations
    "build: non-UTF-8 seed": Case(BUILD, [f"{A000}.txt", "record 000_", "field text", "not valid UTF-8 at byte 3"], _write(f"project/seeds/{A000}.txt", b"Caf\xe9 au lait\n")),
    "build: missing sidecar": Case(BUILD, [f"{A000}.yaml", "missing annotation sidecar"], lambda s: (_seeds(s) / f"{A000}.yaml").unlink()),
    "build: sidecar without seed": Case(BUILD, [f"{A000}.yaml", "has no seed text"], lambda s: (_seeds(s) / f"{A000}.txt").unlink()),
    "build: quote not found": Case(BUILD, [f"{A000}.yaml", "record claims[", "(c09).claimer.evidence[0]", "field quote", "quote not found"], _sidecar_edit(f"{A000}.yaml", "quote: Peskov said\n", "quote: Peskov never said\n")),
    "build: ambiguous quote": Case(BUILD, [f"{A002}.yaml", "record boilerplate[4]", "field quote", "ambiguous quote"], _sidecar_edit(f"{A002}.yaml", "    occurrence: 1\n", "")),
    "build: overlapping boilerplate": Case(BUILD, [f"{A002}.yaml", "record boilerplate", "field quote", "spans overlap"], _sidecar_edit(f"{A002}.yaml", "  - quote: Read more exclusive news from Political IQ.\n    label", "  - quote: exclusive news from Political IQ.\n    label: outlet_promo\n    basis: stated\n  - quote: Read more exclusive news from Political IQ.\n    label")),
    "build: claim inside boilerplate": Case(BUILD, [f"{A002}.yaml", "record claims[", "(c09): field quote", "claim overlaps boilerplate span 'face-to-face 39 times'"], _sidecar_edit(f"{A002}.yaml", "  - quote: Get the featured stories", "  - quote: face-to-face 39 times\n    label: related_teaser\n    basis: inferred\n  - quote: Get the featured stories")),
    "build: unknown label": Case(BUILD, [f"{A000}.yaml", "record boilerplate[0]", "field label", "'advert' is not one of"], _sidecar_edit(f"{A000}.yaml", "label: extraction_residue", "label: advert")),
    "build: invalid date": Case(BUILD, [f"{A000}.yaml", "record date", "field value", "'2023-02-30' is not a 'date'"], _sidecar_edit(f"{A000}.yaml", 'value: "2023-03-13"', "value: 2023-02-30")),
    "build: date after the release": Case(BUILD, [f"{A000}.yaml", "record date", "field value", "2029-03-13 is after the release date"], _sidecar_edit(f"{A000}.yaml", 'value: "2023-03-13"', 'value: "2029-03-13"')),
    "build: duplicate claim id": Case(BUILD, [f"{A000}.yaml", "record claims[1] (c01)", "field id", "duplicate claim id"], _sidecar_edit(f"{A000}.yaml", "  - id: c02\n", "  - id: c01\n")),
    "build: duplicate pair": Case(BUILD, ["corpus.yaml", "record relations[1]", "field articles", "duplicate relation"], _sidecar_edit("corpus.yaml", "articles: [000_9af1437052fdcfff, 002_07d2d95af1c2a203]", "articles: [001_647a6111658d6202, 000_9af1437052fdcfff]")),
    "build: duplicate fact id": Case(BUILD, ["corpus.yaml", "record facts[1]", "field fact_id", "duplicate fact id"], _sidecar_edit("corpus.yaml", "  - fact_id: putin_said_xi_visit_agreed\n", "  - fact_id: xi_visit_russia_as_soon_as_next_week\n")),
    "build: undeclared fact": Case(BUILD, ["corpus.yaml", "asserts undeclared fact 'a_fact_nobody_declared'"], _sidecar_edit(f"{A000}.yaml", "fact: china_russia_joint_military_exercises", "fact: a_fact_nobody_declared")),
    "build: outlet guessed without evidence": Case(BUILD, [f"{A000}.yaml", "record outlet", "field value", "is not of type 'null'"], _sidecar_edit(f"{A000}.yaml", "outlet:\n  value: null", "outlet:\n  value: Daily Wire")),
    "build: inferred value without reasoning": Case(BUILD, [f"{A000}.yaml", "record date", "field note", "'note' is a required property"], _sidecar_edit(f"{A000}.yaml", "  note: The copy has no date of its own.", "  nota: The copy has no date of its own.")),
    "build: missing required field": Case(BUILD, [f"{A000}.yaml", "record claims[", "(c12): field type", "'type' is a required property"], _sidecar_edit(f"{A000}.yaml", "    type: quantity\n", "")),
    "build: article id that is not the file name": Case(BUILD, [f"{A000}.yaml", "field article_id", "does not match the file name"], _sidecar_edit(f"{A000}.yaml", f"article_id: {A000}", "article_id: 000_aaaaaaaaaaaaaaaa")),
    "build: pair left unlabelled": Case(BUILD, ["corpus.yaml", "duplicate relation"], _sidecar_edit("corpus.yaml", "articles: [002_07d2d95af1c2a203, 004_3e24c38eb7c10fd0]", "articles: [002_07d2d95af1c2a203, 003_5e41d2a6d4963e09]")),
    "build: broken YAML": Case(BUILD, [f"{A000}.yaml", "not valid YAML"], _sidecar_edit(f"{A000}.yaml", "claims:\n", "claims: [\n")),
    "build: duplicate key in a sidecar": Case(BUILD, [f"{A000}.yaml", "not valid YAML", "duplicate key 'title'"], _sidecar_edit(f"{A000}.yaml", "title:", "title:\n  quote: x\ntitle:")),
    "build: duplicate key in corpus.yaml": Case(BUILD, ["corpus.yaml", "duplicate key 'relations'"], lambda s: (_seeds(s) / "corpus.yaml").write_text((_seeds(s) / "corpus.yaml").read_text() + "relations: []\n")),
    "build: billion laughs sidecar": Case(BUILD, [f"{A000}.yaml", "aliases (*name) are not allowed"], _write(f"project/seeds/{A000}.yaml", LAUGHS)),
    "build: YAML nested too deeply": Case(BUILD, [f"{A000}.yaml", "nested too deeply"], _write(f"project/seeds/{A000}.yaml", "a: " + "[" * 20_000 + "]" * 20_000 + "\n")),
    "build: seed with a byte-order mark": Case(BUILD, [f"{A000}.txt", "field text", "byte-order mark"], lambda s: (_seeds(s) / f"{A000}.txt").write_bytes(b"\xef\xbb\xbf" + (_seeds(s) / f"{A000}.txt").read_bytes())),
    "build: seed over the size limit": Case(BUILD, [f"{A000}.txt", "field text", "over the limit of 2,097,152 bytes"], lambda s: (_seeds(s) / f"{A000}.txt").write_text("word " * 500_000)),
    "build: wirecopy.yaml not YAML": Case(BUILD, ["wirecopy.yaml", "not valid YAML"], _write("project/wirecopy.yaml", "name: [\n")),
    "build: wirecopy.yaml with a bad name": Case(BUILD, ["wirecopy.yaml", "field name", "'Wire Copy' does not match"], lambda s: _edit(s / "project/wirecopy.yaml", "name: wirecopy\n", "name: Wire Copy\n")),
    "build: not a project": Case([*BUILD, "--project", "notes"], ["notes/wirecopy.yaml", "no project file", "wirecopy init"]),
    "build: version without its CHANGELOG entry": Case(BUILD, ["CHANGELOG.md", f"newest entry {VERSION}", "differs from wirecopy.yaml's 9.0.0"], lambda s: _edit(s / "project/wirecopy.yaml", f'version: "{VERSION}"', 'version: "9.0.0"')),
    "build: real data without external/": Case(BUILD, ["external", "missing", "need the public corpora in external/"], lambda s: (s / "project" / "external").unlink()),
    "build: DATASHEET.md missing": Case(BUILD, ["DATASHEET.md", "missing document"], lambda s: (s / "project" / "DATASHEET.md").unlink()),
    "build: a datasheet prompt not answered": Case(BUILD, ["DATASHEET.md", "1 prompt(s) of `wirecopy init` not answered", "--draft"], lambda s: _edit(s / "project/DATASHEET.md", "## Motivation\n", "## Motivation\n\nTODO(wirecopy): why?\n")),
    "build: a proposed label": Case(BUILD, [f"{A000}.yaml", "field proposed", "1 proposed label(s) not reviewed (first: boilerplate[0])", "--draft"], _sidecar_edit(f"{A000}.yaml", "label: extraction_residue\n", "label: extraction_residue\n    proposed: {method: test}\n")),
    "build: a seed whose name is not an article id": Case(BUILD, ["My Story.txt", "article id"], lambda s: shutil.copy(_seeds(s) / f"{A000}.txt", _seeds(s) / "My Story.txt")),
    "build: results table not UTF-8": Case(BUILD, ["results.md", "not valid UTF-8"], _write("project/results/results.md", b"\xff\xfe table")),
    # build: destinations
    "build --out the project root": Case([*BUILD, "--out", "."], ["project", "contains", "an input of this command"]),
    "build --out a parent of the project": Case([*BUILD, "--out", ".."], ["contains", "an input of this command"]),
    "build --out seeds": Case([*BUILD, "--out", "seeds"], ["seeds: is an input of this command"]),
    "build --out a file": Case([*BUILD, "--out", "some_file.txt"], ["some_file.txt: is a file, not a folder that wirecopy wrote"]),
    "build --out a user's folder": Case([*BUILD, "--out", "notes"], ["notes: is not empty and was not written by wirecopy"]),
    "build --out a release holding a user's file": Case(BUILD, ["dataset: holds my-notes.txt, which wirecopy did not write"], _write("project/dataset/my-notes.txt", "mine")),
    "build --out dedup results": Case([*BUILD, "--out", "../dedup"], ["dedup: holds a dedup results that wirecopy wrote, not a release"]),
    "build --out a symbolic link": Case([*BUILD, "--out", "link"], ["link: is a symbolic link"], lambda s: (s / "project" / "link").symlink_to(s / "project" / "dataset")),
    "build --out below a file": Case([*BUILD, "--out", "some_file.txt/dataset"], ["some_file.txt: File exists"]),
    "build into a read-only folder": Case([*BUILD, "--out", "../elsewhere/dataset"], ["Permission denied"], patch=_read_only),
    "build: a list as a mapping key": Case(BUILD, [f"{A000}.yaml", "a mapping key that is not a plain value"], _write(f"project/seeds/{A000}.yaml", "? [a, b]\n: 1\n")),
    "build: a tag that does not convert": Case(BUILD, [f"{A000}.yaml", "not valid YAML here"], _sidecar_edit(f"{A000}.yaml", f"article_id: {A000}", "article_id: !!int abc")),
    "build: an impossible tagged date": Case(BUILD, [f"{A000}.yaml", "not valid YAML here", "day is out of range"], _sidecar_edit(f"{A000}.yaml", 'value: "2023-03-13"', "value: !!timestamp 2023-02-30")),
    "build: a 5,000-digit version": Case(BUILD, ["wirecopy.yaml", "not valid YAML here"], lambda s: _edit(s / "project/wirecopy.yaml", f'version: "{VERSION}"', "version: " + "9" * 5000)),
    # verify
    "annotate: a folder without texts": Case(["annotate", "empty"], ["no seed texts (*.txt) found"], lambda s: (s / "project/empty").mkdir()),
    "annotate: a broken sidecar": Case(["annotate"], [f"{A000}.yaml", "not valid YAML"], _sidecar_edit(f"{A000}.yaml", "claims:\n", "claims: [\n")),
    "annotate: a seed that is not UTF-8": Case(["annotate"], [f"{A000}.txt", "not valid UTF-8 at byte 3"], _write(f"project/seeds/{A000}.txt", b"Caf\xe9 au lait\n")),
    "agree: readings of different texts": Case(["agree", "seeds", "../reading"], [f"{A002}.txt"], lambda s: (shutil.copytree(_seeds(s), s / "reading"), _edit(s / "reading" / f"{A002}.txt", "Reuters", "Router"))),
    "agree: a reading that is not a folder of annotations": Case(["agree", "seeds", "wirecopy.yaml"], ["wirecopy.yaml"], lambda s: None),
    "agree: a report written into a reading": Case(["agree", "seeds", "seeds", "--markdown", "seeds/agreement.md"], ["is inside the annotation folder"], lambda s: None),
    "verify: checksums.json not JSON": Case(["verify"], ["checksums.json: not JSON: Expecting property name"], _write("project/dataset/checksums.json", "{not json")),
    "verify: checksums.json without files": Case(["verify"], ["checksums.json: not a manifest", "files"], _write("project/dataset/checksums.json", '{"version": "0.2.0"}')),
    "verify: checksums.json entry without sha256": Case(["verify"], ["checksums.json: not a manifest", "sha256"], _write("project/dataset/checksums.json", '{"version": "0.2.0", "files": [{"path": "README.md"}]}')),
    "verify: card YAML broken": Case(["verify"], ["README.md: not valid YAML"], lambda s: _edit(s / "project/dataset/README.md", "configs:", "configs: [")),
    "verify: card YAML not a mapping": Case(["verify"], ["README.md: the YAML header is not a mapping"], _write("project/dataset/README.md", "---\n- a\n- b\n---\n# wirecopy 0.2.0: x\n")),
    "verify: card not UTF-8": Case(["verify"], ["README.md: not valid UTF-8"], _write("project/dataset/README.md", b"---\nx: \xff\n---\n")),
    "verify: shard is a symlink out of the release": Case(["verify"], ["test-00000-of-00001.parquet: a symbolic link"], _symlink("project/dataset/data/facts/test-00000-of-00001.parquet", "../../../../corpus/part-00000.parquet")),
    "verify: contentUrl out of the release": Case(["verify"], ["croissant.json: a FileObject points to '../../corpus/part-00000.parquet'"], lambda s: _edit(s / "project/dataset/croissant.json", '"contentUrl": "data/articles/test-00000-of-00001.parquet"', '"contentUrl": "../../corpus/part-00000.parquet"')),
    "verify: manifest path out of the release": Case(["verify"], ["checksums.json: lists '../some_file.txt', which is not a file inside the release"], lambda s: _edit(s / "project/dataset/checksums.json", '"path": "README.md"', '"path": "../some_file.txt"'), lines=6),
    "verify: truncated shard": Case(["verify"], ["facts/test-00000-of-00001.parquet: unreadable Parquet"], _truncate("project/dataset/data/facts/test-00000-of-00001.parquet"), lines=6),
    "verify: a file, not a release": Case(["verify", "some_file.txt"], ["some_file.txt: not a folder"]),
    "verify: a NUL in a manifest path": Case(["verify"], ["checksums.json: lists 'READ\\x00ME.md', which is not a file inside the release"], lambda s: _edit(s / "project/dataset/checksums.json", '"path": "README.md"', '"path": "READ\\u0000ME.md"'), lines=6),
    "verify: a RecordSet without an id": Case(["verify"], ["croissant.json: RecordSets"], lambda s: _edit(s / "project/dataset/croissant.json", '"@id": "facts"', '"name_": "facts"'), lines=8),
    "verify: a 5,000-digit number in the manifest": Case(["verify"], ["checksums.json: not JSON this verifier reads (ValueError)"], lambda s: _edit(s / "project/dataset/checksums.json", '"rows": null', '"rows": ' + "9" * 5000)),
    "verify: the manifest lists a folder": Case(["verify"], ["checksums.json: lists data, which is not a file"], lambda s: _edit(s / "project/dataset/checksums.json", '"path": "README.md"', '"path": "data"'), lines=6),
    # dedup: destinations
    "dedup --out the current folder": Case(["dedup", "../corpus", "--out", "."], ["project: is the current folder"]),
    "dedup --out its input": Case(["dedup", "../corpus", "--out", "../corpus"], ["corpus: is an input of this command"]),
    "dedup --out inside its input": Case(["dedup", "../corpus", "--out", "../corpus/results"], ["is inside the input folder"]),
    "dedup --out a file": Case(["dedup", "../corpus", "--out", "some_file.txt"], ["some_file.txt: is a file"]),
    "dedup --out a user's folder": Case(["dedup", "../corpus", "--out", "notes"], ["notes: is not empty and was not written by wirecopy"]),
    "dedup --out a release": Case(["dedup", "../corpus", "--out", "dataset"], ["dataset: holds a release that wirecopy wrote, not a dedup results"]),
    # dedup: options
    "dedup --num-perm 0": Case([*DEDUP, "--num-perm", "0"], ["--num-perm", "must be an integer in 1..1,024"]),
    "dedup --bands 0": Case([*DEDUP, "--bands", "0"], ["--bands", "must be an integer in 1..1,024"]),
    "dedup --bands not dividing --num-perm": Case([*DEDUP, "--num-perm", "130"], ["--bands", "must divide num_perm (130)"]),
    "dedup --num-perm 100000 --bands 100000": Case([*DEDUP, "--num-perm", "100000", "--bands", "100000"], ["--num-perm", "1..1,024"]),
    "dedup --threshold nan": Case([*DEDUP, "--threshold", "nan"], ["--threshold", "must be in (0, 1]"]),
    "dedup --threshold 1.5": Case([*DEDUP, "--threshold", "1.5"], ["--threshold", "must be in (0, 1]"]),
    "dedup --ngram 0": Case([*DEDUP, "--ngram", "0"], ["--ngram", "must be an integer in 1..32"]),
    "dedup --anchors 0": Case([*DEDUP, "--anchors", "0"], ["--anchors", "must be an integer in 1..1,000"]),
    "dedup --batch-size 0": Case([*DEDUP, "--batch-size", "0"], ["--batch-size", "greater than or equal to 1"]),
    "dedup --workers 0": Case([*DEDUP, "--workers", "0"], ["--workers", "greater than or equal to 1"]),
    "dedup --on-error typo": Case([*DEDUP, "--on-error", "skp"], ["--on-error", "'skp' is not one of 'fail', 'skip'"]),
    "dedup --engine typo": Case([*DEDUP, "--engine", "sprak"], ["--engine", "'sprak' is not one of 'local', 'spark'"]),
    "dedup --boilerplate typo": Case([*DEDUP, "--boilerplate", "rule"], ["--boilerplate", "'rule' is not one of 'keep', 'rules'"]),
    # dedup: inputs
    "dedup: no such input": Case(["dedup", "../nothing", "--out", "../dedup"], ["nothing: no such file or folder"]),
    "dedup: a folder without inputs": Case(["dedup", "../other", "--out", "../dedup"], ["other: no input files", "skipped 1, first", "b.csv"], _write("other/b.csv", "id,text\n1,x\n")),
    "dedup: zero-byte Parquet": Case(DEDUP, ["part-00000.parquet", "not a readable Parquet file"], _write(PARQUET, b"")),
    "dedup: corrupt Parquet": Case(DEDUP, ["part-00000.parquet", "not a readable Parquet file"], _truncate(PARQUET)),
    "dedup: Parquet without a text column": Case(["dedup", "../other", "--out", "../dedup"], ["a.parquet", "field text", "missing column"], lambda s: _parquet_without_text(s / "other" / "a.parquet")),
    "dedup: JSON nested 100,000 deep": Case(["dedup", "../other", "--out", "../dedup"], ["a.jsonl", "record line 2", "nested too deeply"], _write("other/a.jsonl", '{"id": 1, "text": "a b c"}\n' + NESTED_JSON + "\n")),
    "dedup: every record bad, skipped": Case(["dedup", "../other", "--out", "../dedup", "--on-error", "skip"], ["no documents to deduplicate (2 rejected, first:", "a.jsonl line 1 text: empty"], _write("other/a.jsonl", '{"id": 1, "text": ""}\n' + NESTED_JSON + "\n")),
    "dedup: duplicate id": Case(["dedup", "../other", "--out", "../dedup"], ["a.jsonl", "record line 2", "field id", "duplicate id '1'"], _write("other/a.jsonl", '{"id": 1, "text": "a b c"}\n{"id": "1", "text": "d e f"}\n')),
    "dedup --engine spark without pyspark": Case([*DEDUP, "--engine", "spark"], ["--engine spark", "pip install 'wirecopy[spark]'"], patch=_without_pyspark),
    "dedup --out a folder of empty folders": Case(["dedup", "../corpus", "--out", "../empties"], ["empties: is not empty and was not written by wirecopy"], lambda s: (s / "empties" / "project" / "src").mkdir(parents=True)),
    "dedup: its work folder is a link to a user's folder": Case(["dedup", "../corpus", "--out", "../fresh"], [".fresh.work: is not a folder of dedup's resume state"], lambda s: ((s / "precious" / "photos").mkdir(parents=True), (s / ".fresh.work").symlink_to(s / "precious"))),
    "dedup: a 5,000-digit id": Case(["dedup", "../other", "--out", "../dedup"], ["a.jsonl", "record line 1", "not JSON this reader accepts"], _write("other/a.jsonl", '{"id": ' + "9" * 5000 + ', "text": "a b c"}\n')),
    "dedup: a file name that is not UTF-8": Case(["dedup", "../other", "--out", "../dedup"], ["caf\\xe9", "field id", "the file name (the id) is not valid UTF-8"], lambda s: ((s / "other").mkdir(), (s / "other" / os.fsdecode(b"caf\xe9.txt")).write_text("a b c d"))),
    "dedup: bad input into new folders leaves none": Case(["dedup", "../other", "--out", "../new/deep/out", "--on-error", "skip"], ["no documents to deduplicate"], _write("other/a.jsonl", '{"id": 1, "text": ""}\n')),
    # synth
    "synth --out the current folder": Case(["synth", "--n", "10", "--out", "."], ["project: is the current folder"]),
    "synth --out the current folder, elsewhere": Case(["synth", "--n", "10", "--out", ".", "--external", "../external"], ["notes: is the current folder"], lambda s: None, cwd="project/notes"),
    "synth --out the corpora it reads": Case(["synth", "--n", "10", "--out", "external"], ["external: is a symbolic link"]),
    "synth --out seeds": Case(["synth", "--n", "10", "--out", "seeds"], ["seeds: is not empty and was not written by wirecopy"]),
    "synth --out a file": Case(["synth", "--n", "10", "--out", "some_file.txt"], ["some_file.txt: is a file"]),
    "synth --n -1": Case(["synth", "--n", "-1", "--out", "../new"], ["--n", "greater than or equal to 0"]),
    "synth --external without the corpora": Case(["synth", "--n", "10", "--out", "../new", "--external", "notes"], ["ecbplus_xml.tar.gz: missing"]),
    "synth --external with a damaged archive": Case(["synth", "--n", "10", "--out", "../new", "--external", "broken"], ["ecbplus_xml.tar.gz: not a readable tar.gz archive"], _write("project/broken/ecbplus/ecbplus_xml.tar.gz", b"\x1f\x8b not really gzip")),
    "build with a damaged archive in external/": Case(["build", "--out", "../new"], ["ecbplus_xml.tar.gz: not a readable tar.gz archive"], lambda s: ((s / "project" / "external").unlink(), _write("project/external/ecbplus/ecbplus_xml.tar.gz", b"\x1f\x8b not really gzip")(s))),
    # init
    "init into a folder that is not empty": Case(["init", "notes"], ["notes", "exists and is not an empty folder"]),
    "init into a file": Case(["init", "some_file.txt"], ["some_file.txt", "exists and is not an empty folder"]),
    "init with a bad name": Case(["init", "../new", "--name", "My Corpus"], ["new", "field name", "'My Corpus' is not a dataset name"]),
    # explore
    "explore --out seeds": Case(["explore", "--out", "seeds"], ["seeds: is not empty and was not written by wirecopy"]),
    "explore --out the current folder": Case(["explore", "--out", "."], ["project: contains", "an input of this command"]),
    "explore --out the release": Case(["explore", "--out", "dataset"], ["dataset: is an input of this command"]),
    "explore --task typo": Case(["explore", "--task", "dedup_artcles"], ["dedup_artcles"]),
    "explore: results missing": Case(["explore", "--results", "notes", "--out", "../site"], ["notes/dedup_articles.json: missing"]),
    "explore: manifest not JSON": Case(["explore", "--out", "../site"], ["checksums.json: not a manifest"], _write("project/dataset/checksums.json", "{")),
    # bench score
    "bench score: predictions not UTF-8": Case(SCORE_SPANS, ["predictions.jsonl", "record line 1", "not valid UTF-8"], _write("predictions.jsonl", b'{"article_id": "\xff"}\n')),
    "bench score: predictions a folder": Case([*SCORE_SPANS[:-1], "notes"], ["notes: a folder, not a JSONL file"]),
    "bench score: predictions missing": Case([*SCORE_SPANS[:-1], "../none.jsonl"], ["none.jsonl: no such file"]),
    "bench score: deeply nested line": Case(SCORE_SPANS, ["predictions.jsonl", "record line 1", "nested too deeply"], _write("predictions.jsonl", NESTED_JSON + "\n")),
    "bench score: overlapping spans": Case(SCORE_SPANS, ["predictions.jsonl", "record line 1", "field spans", "spans [0, 10] and [5, 20] overlap"], _write("predictions.jsonl", json.dumps({"article_id": A000, "spans": [[0, 10], [5, 20]]}) + "\n")),
    "bench score: truncated shard": Case(SCORE_PAIRS, ["article_pairs/test-00000-of-00001.parquet: unreadable Parquet"], _truncate("project/dataset/data/article_pairs/test-00000-of-00001.parquet")),
    "bench score --threshold nan": Case([*SCORE_PAIRS, "--threshold", "nan"], ["--threshold: must be a finite number >= 0"]),
    "bench score --threshold -1": Case([*SCORE_PAIRS, "--threshold", "-1"], ["--threshold: must be a finite number >= 0"]),
    "bench score: unknown task": Case(["bench", "score", "--task", "nope", "--predictions", "../predictions.jsonl"], ["--task: unknown task 'nope'"]),
    "bench score: unknown id": Case(SCORE_PAIRS, ["predictions.jsonl", "record line 1", "field id_a", "unknown id 'x'"], _write("predictions.jsonl", '{"id_a": "x", "id_b": "y", "score": 1}\n')),
    "bench: a release holding a user's file": Case(["bench"], ["dataset: holds my-notes.txt, which wirecopy did not write"], _write("project/dataset/my-notes.txt", "mine")),
    "bench: a shard of another config": Case(SCORE_PAIRS[:3] + ["claim_alignment", "--predictions", "../predictions.jsonl"], ["facts/test-00000-of-00001.parquet", "field fact_id: missing column of config facts"], lambda s: shutil.copy(s / "project/dataset/data/articles/test-00000-of-00001.parquet", s / "project/dataset/data/facts/test-00000-of-00001.parquet")),
    # release
    "release in a git tree that is not a project": Case(["release", "--bump", "patch"], ["wirecopy.yaml", "no project file"], _git_project),
    "release outside a git tree": Case(["release", "--bump", "patch"], ["project", "git status failed", "a release comes from committed sources in a git working tree"]),
    "release --date not a date": Case(["release", "--bump", "patch", "--date", "2026-13-01"], ["--date '2026-13-01': not a date"]),
    "release --bump typo": Case(["release", "--bump", "pach"], ["--bump", "'pach' is not one of"]),
}


def _parquet_without_text(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"id": ["1"], "body": ["a b c"]}), path)


@pytest.fixture(scope="session")
def previous_outputs(built_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sandbox every case copies: inputs and the outputs of earlier good runs."""
    from wirecopy.builders.synthetic_corpus import write_corpus
    from wirecopy.dedup.minhash import MinHashParams
    from wirecopy.dedup.pipeline import deduplicate

    sandbox = tmp_path_factory.mktemp("sandbox")
    project = copy_project(sandbox / "project", tables=True)
    shutil.copytree(built_release, project / "dataset")
    (project / "some_file.txt").write_text("a user's file\n")
    (project / "notes").mkdir()
    (project / "notes" / "keep.txt").write_text("a user's notes\n")
    write_corpus(REPO / "external", 300, 5, sandbox / "corpus")
    deduplicate(sandbox / "corpus", sandbox / "dedup", MinHashParams(), batch_size=100, id_field="doc_id")
    return sandbox


# verify's cases each check a whole release with mlcroissant (about 1.3 s): the fast run leaves them out.
@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.slow) if CASES[name].args[0] == "verify" else name for name in sorted(CASES)])
def test_bad_input_gives_a_clear_line_and_loses_nothing(name, previous_outputs, tmp_path, monkeypatch):
    case = CASES[name]
    sandbox = tmp_path / "sandbox"
    shutil.copytree(previous_outputs, sandbox, symlinks=True)
    case.setup(sandbox)
    before = snapshot(sandbox)
    monkeypatch.chdir(sandbox / case.cwd)
    if case.patch:
        case.patch(monkeypatch)
    result = CliRunner().invoke(app, case.args)
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), f"uncaught {result.exception!r}"
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert 1 <= len(lines) <= case.lines, result.output
    for fragment in case.expected:
        assert fragment in result.output, (fragment, result.output)
    assert snapshot(sandbox) == before


def test_the_suite_covers_every_command():
    commands = {" ".join(case.args[:2]) if case.args[0] == "bench" else case.args[0] for case in CASES.values()}
    assert commands == {"build", "init", "annotate", "agree", "verify", "dedup", "synth", "explore", "bench", "bench score", "release"}
    assert len(CASES) >= 60


def test_build_reports_every_problem_at_once_grouped_by_file(seeds_copy, tmp_path):
    """Two sidecars and a seed with a problem each: three lines, in file order, and nothing written.
    corpus.yaml's duplicate fact is checked once every article resolves (its checks need them all)."""
    edits = {
        f"{A000}.yaml": ("label: extraction_residue", "label: advert"),
        f"{A002}.yaml": ("    occurrence: 1\n", ""),
        "corpus.yaml": ("  - fact_id: putin_said_xi_visit_agreed\n", "  - fact_id: xi_visit_russia_as_soon_as_next_week\n"),
    }
    for name, (old, new) in edits.items():
        _edit(seeds_copy / name, old, new)
    (seeds_copy / "004_3e24c38eb7c10fd0.txt").write_bytes(b"\xef\xbb\xbf" + (seeds_copy / "004_3e24c38eb7c10fd0.txt").read_bytes())
    result = CliRunner().invoke(app, ["build", "--project", str(seeds_copy.parent), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert [line.split(": ", 2)[1].rsplit("/", 1)[-1] for line in lines] == [f"{A000}.yaml", f"{A002}.yaml", "004_3e24c38eb7c10fd0.txt"], lines
    assert "'advert' is not one of" in lines[0] and "ambiguous quote" in lines[1] and "byte-order mark" in lines[2]
    assert not (tmp_path / "out").exists()
