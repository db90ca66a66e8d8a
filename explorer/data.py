"""Read a built release and the benchmark results into plain dicts for the pages."""

import json
from dataclasses import dataclass
from pathlib import Path

from wirecopy.benchmarks.runner import RESULTS_FORMAT
from wirecopy.benchmarks.tasks import TASKS, read_config
from wirecopy.core.errors import NOT_APPLICABLE, InputError
from wirecopy.core.layout import MANIFEST


@dataclass(frozen=True)
class Release:
    version: str
    articles: dict[str, dict]  # article_id -> articles row, in id order
    claims: dict[str, dict]  # claim_id -> claims row (with its article_id)
    facts: dict[str, dict]  # fact_id -> facts row
    pairs: list[dict]  # article_pairs rows

    def fact_number(self, fact_id: str) -> str:
        """A short visible tag for a fact (F01, F02, ... in fact_id order), so that a fact is told by
        text as well as by colour."""
        return f"F{sorted(self.facts).index(fact_id) + 1:02d}"

    def look_alikes(self, fact_id: str) -> dict[str, str]:
        """The facts declared hard negatives of ``fact_id``, in either direction, with the reason."""
        found = {n["fact_id"]: n["reason"] for n in self.facts[fact_id]["hard_negatives"]}
        for other in self.facts.values():
            for negative in other["hard_negatives"]:
                if negative["fact_id"] == fact_id:
                    found.setdefault(other["fact_id"], negative["reason"])
        return dict(sorted(found.items()))


def _error(path: Path, message: str) -> InputError:
    return InputError(str(path), NOT_APPLICABLE, NOT_APPLICABLE, message)


def load_release(dataset: Path) -> Release:
    manifest = dataset / MANIFEST
    if not manifest.is_file():
        raise _error(dataset, f"not a built release (no {MANIFEST}); run `wirecopy build` first")
    try:
        version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    except (UnicodeDecodeError, ValueError, RecursionError, KeyError, TypeError):
        raise _error(manifest, "not a manifest with a version; run `wirecopy verify`") from None
    articles = sorted(read_config(dataset, "articles"), key=lambda a: a["article_id"])
    return Release(
        version=version,
        articles={a["article_id"]: a for a in articles},
        claims={c["claim_id"]: c for c in read_config(dataset, "claims")},
        facts={f["fact_id"]: f for f in sorted(read_config(dataset, "facts"), key=lambda f: f["fact_id"])},
        pairs=sorted(read_config(dataset, "article_pairs"), key=lambda p: (p["article_id_a"], p["article_id_b"])),
    )


def load_results(results: Path, dataset_version: str) -> list[dict]:
    """Every task's ``results/<task>.json``, in task order; they must describe this release."""
    loaded = []
    for name in TASKS:
        path = results / f"{name}.json"
        if not path.is_file():
            raise _error(path, "missing; run `wirecopy bench` first")
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            raise _error(path, f"not JSON: {error.__class__.__name__}") from None
        if not isinstance(result, dict) or result.get("format_version") != RESULTS_FORMAT:
            raise _error(path, f"not a results file of format {RESULTS_FORMAT}")
        if result.get("dataset_version") != dataset_version:
            raise _error(path, f"results of dataset {result.get('dataset_version')}, not of this release ({dataset_version}); run `wirecopy bench`")
        loaded.append(result)
    return loaded
