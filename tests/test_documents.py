"""README, the project file, CHANGELOG.md and .ci/run tell the same story as the code and the release."""

import re
import subprocess

import pyarrow.parquet as pq
import yaml

from conftest import REPO
from wirecopy.builders.arrow_types import CONFIGS, SPLITS
from wirecopy.builders.project import citation_cff, read_project, release_configs
from wirecopy.core.layout import shard_path


def _bash_blocks(markdown: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)\n```", markdown, flags=re.S)


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_prose = readme.index("The first command")
    build_command, test_command = _bash_blocks(readme[:first_prose])
    assert "wirecopy build" in build_command and "-c constraints.txt" in build_command
    assert "pytest" in test_command and "-c constraints.txt" in test_command
    ci_pattern = re.search(r'grep -m1 -- "(.*?)" README.md', (REPO / ".ci" / "run").read_text()).group(1)
    found = subprocess.run(["grep", "-m1", "--", ci_pattern, "README.md"], cwd=REPO, capture_output=True, text=True)
    assert found.stdout.strip() == test_command


def test_version_and_date_agree_across_project_file_changelog_and_citation():
    project = read_project(REPO)
    newest = re.search(r"^## \[(.+?)\] - (\d{4}-\d{2}-\d{2})$", (REPO / "CHANGELOG.md").read_text(), flags=re.M)
    assert (project["version"], project["date_released"]) == newest.groups()
    citation = yaml.safe_load(citation_cff(project, release_configs(project)))
    assert (str(citation["version"]), str(citation["date-released"])) == newest.groups()
    assert citation["cff-version"] == "1.2.0" and citation["type"] == "dataset"


def test_readme_row_counts_are_the_release_row_counts():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for config in CONFIGS:
        row = re.search(rf"^\| `{config}`[^|]*\| ([\d +]+) \|", readme, flags=re.M)
        assert row, config
        counts = [pq.read_metadata(REPO / "dataset" / shard_path(config, split)).num_rows for split in SPLITS[config]]
        assert [int(n) for n in row.group(1).split(" + ")] == counts, config
