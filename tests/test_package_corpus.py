"""A second corpus packaged from scratch, as a new user would: init, copy texts, annotate, accept the
proposals, build, verify, load every config. Its release must be entirely its own: no word of ours."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from datasets import load_dataset

from conftest import REPO

from wirecopy.builders.import_wikinews import read_articles

pytestmark = pytest.mark.slow  # four CLI processes and a build: about half a minute

WIKINEWS = REPO / "tests" / "data" / "wikinews" / "articles.jsonl"  # CC BY 2.5, see its README
OUR_WORDS = ("wirecopy:", "Xi", "Putin", "Kremlin", "Reuters", "ECB+", "Wikinews", "dedup_synthetic", "same_event", "The wirecopy team")


def _wikinews() -> list[tuple[str, list[str]]]:
    """(title, sentences) of the sample articles, detokenised (the first sentence is the date line)."""
    return [(a.text[slice(*a.title)], [a.text[slice(*s)] for s in a.sentences[1:]]) for a in read_articles(WIKINEWS)]


def _texts() -> dict[str, str]:
    """The issue's four texts: a story, a rewrite with byline and newsletter prompt, a trimmed copy, and
    a look-alike other story; file stems are their article ids."""
    (title, sentences), (other_title, other_sentences), _ = _wikinews()
    story = "\n\n".join([title, *sentences])
    return {
        "wire-story": story + "\n",
        "rewrite-with-byline": "\n\n".join(["By Jane Example, Staff Writer", title.upper(), *sentences[:4], "Sign up for our newsletter to get the latest tech news every morning."]) + "\n",
        "trimmed-copy": "\n\n".join([title, *sentences[:3]]) + "\n",
        "earlier-story": "\n\n".join([other_title, *other_sentences]) + "\n",
    }


def _wirecopy(*arguments: str, cwd: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "wirecopy", *arguments], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _answer_prompts(path: Path) -> None:
    """A user answering init's prompts, here with plain text of their own."""
    text = path.read_text(encoding="utf-8")
    answered = re.sub(r"TODO\(wirecopy\):[^\"\n]*", "Answered by the corpus's authors.", text)
    answered = answered.replace('pretty_name: "Answered by the corpus\'s authors."', 'pretty_name: "Tech news copies"')
    answered = answered.replace('title: "Answered by the corpus\'s authors."', 'title: "Tech news copies: a small reuse corpus"')
    answered = answered.replace('name: "Answered by the corpus\'s authors."', 'name: "Example Media Lab"')
    path.write_text(answered, encoding="utf-8")


def test_a_second_corpus_packaged_from_scratch_is_its_own(tmp_path):
    project = tmp_path / "tech-copies"
    _wirecopy("init", str(project), cwd=tmp_path)
    for article_id, text in _texts().items():
        (project / "seeds" / f"{article_id}.txt").write_text(text, encoding="utf-8")

    _wirecopy("annotate", "seeds", cwd=project)
    refused = subprocess.run([sys.executable, "-m", "wirecopy", "build"], cwd=project, capture_output=True, text=True)
    assert refused.returncode == 1 and "proposed label(s) not reviewed" in refused.stderr and "prompt(s) of `wirecopy init` not answered" in refused.stderr
    _wirecopy("build", "--draft", "--out", "draft", cwd=project)
    assert "**Draft.**" in (project / "draft" / "README.md").read_text(encoding="utf-8")

    _wirecopy("annotate", "seeds", "--accept", cwd=project)
    for name in ("wirecopy.yaml", "DATASHEET.md"):
        _answer_prompts(project / name)
    _wirecopy("build", cwd=project)
    assert "verified" in _wirecopy("verify", "dataset", cwd=project)

    release = project / "dataset"
    configs = sorted(path.name for path in (release / "data").iterdir())
    assert configs == ["article_pairs", "articles", "claims", "facts"]  # no synthetic or real-data config unless asked
    for config in configs:
        rows = load_dataset(str(release), config, split="test", cache_dir=str(tmp_path / "cache" / config))
        assert rows.num_rows > 0  # article_pairs: the proposed relations of the copies (the rest unlabelled)
        assert rows.info.description
    articles = load_dataset(str(release), split="test", cache_dir=str(tmp_path / "cache" / "default"))
    assert sorted(articles["article_id"]) == sorted(_texts())
    assert set(articles["source_file"]) == {f"seeds/{article_id}.txt" for article_id in _texts()}

    card = (release / "README.md").read_text(encoding="utf-8")
    croissant = json.loads((release / "croissant.json").read_text(encoding="utf-8"))
    citation = (release / "CITATION.cff").read_text(encoding="utf-8")
    assert "\n# Tech news copies\n" in card and "Draft" not in card
    assert croissant["name"] == "tech-copies" and croissant["creator"] == [{"@type": "sc:Organization", "name": "Example Media Lab"}]
    assert "title: 'Tech news copies: a small reuse corpus'" in citation and "references" not in citation
    for document in (card, json.dumps(croissant), citation):
        ours = [word for word in OUR_WORDS if word in document]
        assert ours == [], ours
    shutil.rmtree(tmp_path / "cache")
