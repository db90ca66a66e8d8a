"""Step 1b: the release's documents (datasheet, changelog, citation) and the version and date they state.

A project holds DATASHEET.md and CHANGELOG.md; its release adds the CITATION.cff derived from the project
file. In a release, CITATION.cff states the version and date; CHANGELOG.md's newest entry must state the
same, as must the card, the manifest and Croissant (``wirecopy release`` updates all at once).
"""

import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from jsonschema import Draft7Validator

from wirecopy.core.errors import InputError, Problems
from wirecopy.core.yaml_loader import parse_yaml

DATASHEET = "DATASHEET.md"
PROJECT_DOCUMENTS = (DATASHEET, "CHANGELOG.md")  # written by the project's people, copied into the release
DOCUMENTS = (*PROJECT_DOCUMENTS, "CITATION.cff")  # the documents of a release
# Marks a prompt of `wirecopy init`'s skeletons (datasheet, project file) that nobody has answered yet.
PROMPT = "TODO(wirecopy):"
_CHANGELOG_ENTRY = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})\s*$", re.M)


def read_text(path: Path, missing: str = "no such file") -> str:
    """The text of a file a user gives us, strict UTF-8; a ``InputError`` naming it otherwise."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "-", "-", missing) from None
    except IsADirectoryError:
        raise InputError(str(path), "-", "-", "a folder, not a file") from None
    except UnicodeDecodeError as error:
        raise InputError(str(path), "-", "-", f"not valid UTF-8 at byte {error.start}") from None


def read_documents(folder: Path, names: tuple[str, ...] = PROJECT_DOCUMENTS) -> dict[str, str]:
    """The text of each document ``names`` in ``folder`` (a project's, by default)."""
    return {name: read_text(Path(folder) / name, "missing document") for name in names}


def check_answered(text: str, path: Path) -> None:
    """A released document (the datasheet, the project file) answers every prompt that ``wirecopy init``
    wrote into it."""
    open_prompts = [line.strip() for line in text.splitlines() if PROMPT in line]
    if open_prompts:
        raise InputError(str(path), "-", "-", f"{len(open_prompts)} prompt(s) of `wirecopy init` not answered yet (first: {open_prompts[0][:80]!r}); answer them, or build a draft with --draft")


@cache
def _citation_validator() -> Draft7Validator:
    return Draft7Validator(json.loads(files("wirecopy.schema").joinpath("vendor/citation-file-format-1.2.0.json").read_text(encoding="utf-8")))


def citation_problems(citation_text: str, where: str = "CITATION.cff") -> list[str]:
    """Every violation of the Citation File Format 1.2.0 schema, one line each (as ``cffconvert --validate``)."""
    try:
        citation = parse_yaml(citation_text, where)  # keeps CFF dates strings, as the schema wants them
    except InputError as error:
        return [str(error)]
    return [
        f"{where}: field {'.'.join(map(str, error.absolute_path)) or '-'}: {error.message}"
        for error in sorted(_citation_validator().iter_errors(citation), key=lambda e: list(map(str, e.absolute_path)))
    ]


def release_identity(documents: dict[str, str], folder: Path, problems: Problems) -> tuple[str, str]:
    """(version, date) of the release: what CITATION.cff states ("" for what it does not). Every problem
    of CITATION.cff and of CHANGELOG.md's newest entry (which must state the same) goes to ``problems``;
    the version is returned even then, for the other files to be checked against it."""
    citation_path, changelog_path = Path(folder) / "CITATION.cff", Path(folder) / "CHANGELOG.md"
    for problem in citation_problems(documents["CITATION.cff"], str(citation_path)):
        problems.add(InputError(str(citation_path), "-", "-", f"not valid Citation File Format 1.2.0: {problem.removeprefix(f'{citation_path}: ')}"))
    try:
        citation = parse_yaml(documents["CITATION.cff"], str(citation_path))
    except InputError:
        citation = None  # reported by citation_problems
    stated = {field: str(citation.get(field, "")) for field in ("version", "date-released")} if isinstance(citation, dict) else {}
    for field in [field for field, value in stated.items() if not value]:
        problems.add(InputError(str(citation_path), "-", field, "missing; the release takes its version and date from here"))
    version, date = stated.get("version", ""), stated.get("date-released", "")
    problem = changelog_problem(documents["CHANGELOG.md"], changelog_path, (version, date) if version and date else None, "CITATION.cff")
    if problem is not None:
        problems.add(problem)
    return version, date


def changelog_problem(changelog: str, changelog_path: Path, stated: tuple[str, str] | None, stated_by: str) -> InputError | None:
    """What is wrong with CHANGELOG.md's newest entry, if anything: there must be one, and it must be the
    (version, date) that ``stated_by`` states (when it states one)."""
    newest = _CHANGELOG_ENTRY.search(changelog)
    if not newest:
        return InputError(str(changelog_path), "-", "-", "no entry '## [version] - YYYY-MM-DD'")
    if stated is not None and (newest["version"], newest["date"]) != stated:
        return InputError(str(changelog_path), f"[{newest['version']}]", "-", f"newest entry {newest['version']} ({newest['date']}) differs from {stated_by}'s {stated[0]} ({stated[1]})")
    return None
