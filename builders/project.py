"""Step 0: the project file (``wirecopy.yaml``): what a corpus is, who made it, its version, and which
configs its release holds. The card, Croissant, CITATION.cff and the release's version derive from it
(``schema/project.schema.json``); any folder with one is a wirecopy project, this repository included.
"""

import re
from pathlib import Path

import yaml

from wirecopy.core.errors import InputError
from wirecopy.core.yaml_loader import load_yaml

from .annotations import check_schema
from .arrow_types import CONFIGS
from .documents import changelog_problem
from .sources import sources_of

PROJECT_FILE = "wirecopy.yaml"
ANNOTATED_CONFIGS = ("articles", "claims", "article_pairs", "facts")
REAL_DATA_CONFIGS = ("same_event", "event_alignment", "boilerplate_web")
SYNTHETIC_CONFIG = "dedup_synthetic"
UNLABELLED = "unlabelled"  # relations.default: pairs corpus.yaml does not list are left out


def read_project(root: Path) -> dict:
    """The validated project file of the project in ``root``."""
    path = Path(root) / PROJECT_FILE
    if not path.is_file():
        raise InputError(str(path), "-", "-", "no project file: not a wirecopy project (`wirecopy init DIR` makes one), or give --project")
    project = load_yaml(path)
    check_schema(path, project, "project")
    return project


def release_configs(project: dict) -> list[str]:
    """The configs a release of ``project`` holds, in the schema's order."""
    wanted = set(ANNOTATED_CONFIGS)
    if "synthetic" in project["configs"]:
        wanted.add(SYNTHETIC_CONFIG)
    if project["configs"].get("real_data"):
        wanted |= set(REAL_DATA_CONFIGS)
    return [config for config in CONFIGS if config in wanted]


def needs_external(project: dict) -> bool:
    """Whether the release draws on the public corpora in ``external/``."""
    return bool(sources_of(release_configs(project)))


def check_changelog(project: dict, changelog: str, changelog_path: Path) -> None:
    """CHANGELOG.md's newest entry must be the project's version and date."""
    problem = changelog_problem(changelog, changelog_path, (project["version"], project["date_released"]), PROJECT_FILE)
    if problem is not None:
        raise problem


def _cff_author(author: dict) -> dict:
    keys = {"name": "name", "given_names": "given-names", "family_names": "family-names", "affiliation": "affiliation", "orcid": "orcid", "email": "email"}
    return {keys[key]: value for key, value in author.items()}


def citation_cff(project: dict, configs: list[str]) -> str:
    """CITATION.cff (Citation File Format 1.2.0) of a release of ``project`` holding ``configs``."""
    citation = project["citation"]
    document = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite the exact version you used.",
        "type": "dataset",
        "title": citation["title"],
        "abstract": project["summary"],
        "authors": [_cff_author(author) for author in project["authors"]],
        "version": project["version"],
        "date-released": project["date_released"],
        "license": project["license"]["annotations"],
        **({"keywords": project["keywords"]} if project.get("keywords") else {}),
        **({"url": citation["url"]} if "url" in citation else {}),
        **({"repository-code": citation["repository"]} if "repository" in citation else {}),
        **({"doi": citation["doi"]} if "doi" in citation else {}),
        **({"references": [_cff_reference(source) for source in sources_of(configs)]} if sources_of(configs) else {}),
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def _cff_reference(source: dict) -> dict:
    return {
        "type": "data",
        "title": f"{source['title']}: {', '.join(source['configs'])}",
        "authors": source["authors"],
        "year": source["year"],
        "license": source["license"],
        "url": source["url"],
        "notes": source["citation"],
    }


def cite_as(project: dict) -> str:
    """A one-line citation of this version (Croissant's citeAs)."""
    names = "; ".join(author.get("name") or " ".join(filter(None, [author.get("given_names"), author["family_names"]])) for author in project["authors"])
    return f"{names}. {project['citation']['title']}, version {project['version']} ({project['date_released']}). See CITATION.cff."


def replace_version(project_text: str, version: str, date: str, where: str) -> str:
    """The project file's text with a new version and release date, comments and order kept."""
    for key, value in (("version", version), ("date_released", date)):
        project_text, count = re.subn(rf"^{key}: .*$", f'{key}: "{value}"', project_text, count=1, flags=re.M)
        if count != 1:
            raise InputError(where, "-", key, f"no top-level '{key}:' line to update")
    return project_text
