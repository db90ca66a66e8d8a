"""``wirecopy init``: a new project with nothing of this repository's corpus in it.

A project file whose identity is the folder's name and whose prose is prompts, an empty ``seeds/``, a
datasheet whose required sections are prompts, and a changelog with the first version. A release
refuses prompts left unanswered (``documents.PROMPT``); a ``--draft`` build shows them as they are.
"""

import re
from pathlib import Path

from wirecopy.core.errors import InputError
from wirecopy.schema import load_schema

from .documents import PROMPT

FIRST_VERSION = "0.1.0"

# The sections of the datasheet (Gebru et al. 2021, as this repository's DATASHEET.md has them), each
# with the questions it answers; Croissant's responsible-AI properties quote several of them.
DATASHEET_SECTIONS = {
    "Motivation": "Why was the dataset made, by whom, with what funding? What gap does it fill?",
    "Composition": "What are the texts (how many, which languages, outlets, dates), and what labels does each carry? How were they chosen?",
    "Collection": "Where and how were the texts obtained, when, and with whose permission?",
    "Labelling": "Who annotated the texts, following which guidelines (GUIDELINES.md), with which tools (`wirecopy annotate` proposals reviewed by whom)? Was a second reading compared (`wirecopy agree`)?",
    "Uses": "What is the dataset for, and what should it not be used for?",
    "Biases": "Whose reporting, which topics, languages and periods are over- or under-represented?",
    "Limitations": "What can the labels not tell, and where are they uncertain?",
    "Sensitive information": "Do the texts name private individuals or carry personal or special-category data?",
    "Distribution": "Where is it published, under which licence for the annotations, and on what terms are the texts included?",
    "Maintenance": "Who maintains it, how are errors reported and fixed, and how are versions numbered?",
}


def project_file_text(name: str, date: str) -> str:
    return f"""# wirecopy project file. Format: schema/project.schema.json in the wirecopy package.
# The card, Croissant, CITATION.cff and the release's version derive from it. Answer every prompt
# (the lines marked TODO(wirecopy)): a release refuses them (`wirecopy build --draft` builds one anyway).
name: {name}
pretty_name: "{PROMPT} the dataset's title"
summary: >-
  {PROMPT} one paragraph: what the texts are and what is labelled on them.
description: |-
  {PROMPT} Markdown about this corpus for the dataset card: what the texts are, why they were
  chosen, what is special about them.
version: "{FIRST_VERSION}"
date_released: "{date}"
languages: [en]
license:
  annotations: CC-BY-4.0  # SPDX id of the licence of your labels
  texts: >-
    {PROMPT} whose texts these are, and on what terms they are included.
authors:
  - name: "{PROMPT} your name or organisation"  # or given_names: / family_names: / affiliation: / orcid:
citation:
  title: "{PROMPT} the title to cite the dataset by"
keywords: []
# Optional configs beside articles, claims, article_pairs and facts; both need wirecopy's external/ corpora:
#   synthetic: {{rows: 3000, seed: 0}}   # a synthetic near-duplicate corpus of real news sentences
#   real_data: true                      # ECB+ same_event / event_alignment, web-page boilerplate_web
configs: {{}}
relations:
  # Pairs of articles that seeds/corpus.yaml does not list: unlabelled (left out of article_pairs and of
  # evaluation), or a relation (same_report, same_story, different_story) that they all take.
  default: unlabelled
"""


def datasheet_text(name: str, date: str) -> str:
    sections = "\n".join(f"## {heading}\n\n{PROMPT} {questions}\n" for heading, questions in DATASHEET_SECTIONS.items())
    return f"# Datasheet for {name} {FIRST_VERSION}\n\nFollowing *Datasheets for Datasets* (Gebru et al., 2021). True for release {FIRST_VERSION} ({date}).\n\n{sections}"


def changelog_text(name: str, date: str) -> str:
    return (
        f"# Changelog\n\nAll notable changes to {name}. Versions follow semantic versioning for data (label fixes are\n"
        "patches; new rows, fields or configs are minor; removed rows and removed, renamed or retyped fields are\n"
        f"major): `wirecopy release` enforces it.\n\n## [{FIRST_VERSION}] - {date}\n\nFirst version.\n"
    )


def init_project(directory: Path, name: str | None, date: str) -> list[str]:
    """Write a new project into ``directory`` (absent or empty; nothing else is ever overwritten);
    returns what it made."""
    directory = Path(directory)
    name = name or re.sub(r"[^a-z0-9]+", "-", directory.resolve().name.lower()).strip("-")
    if not re.fullmatch(load_schema("project")["properties"]["name"]["pattern"], name):
        raise InputError(str(directory), "-", "name", f"{name!r} is not a dataset name (lowercase letters, digits and hyphens); give --name")
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InputError(str(directory), "-", "-", "exists and is not an empty folder; `wirecopy init` only makes new projects")
    files = {
        "wirecopy.yaml": project_file_text(name, date),
        "DATASHEET.md": datasheet_text(name, date),
        "CHANGELOG.md": changelog_text(name, date),
    }
    (directory / "seeds").mkdir(parents=True)
    for file_name, text in files.items():
        with open(directory / file_name, "x", encoding="utf-8") as file:  # "x": never over a file that appeared meanwhile
            file.write(text)
    return [*files, "seeds/"]
