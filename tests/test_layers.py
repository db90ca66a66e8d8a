"""Imports run one way: core <- builders <- benchmarks <- explorer and annotate, core <- dedup (benchmarks measures
dedup), schema beside core; the CLI (wirecopy/) on top. No package imports one above it, so there is
no cycle, and nothing imports a library's private modules. Lazy imports inside functions count too."""

import ast
import subprocess
import sys
from pathlib import Path

from conftest import REPO

PACKAGES = ("core", "schema", "builders", "dedup", "benchmarks", "explorer", "annotate", "wirecopy")
ALLOWED = {
    "core": set(),
    "schema": set(),
    "builders": {"core", "schema"},
    "dedup": {"core", "schema"},
    "benchmarks": {"core", "schema", "builders", "dedup"},
    "explorer": {"core", "schema", "builders", "benchmarks"},
    "annotate": {"core", "schema", "builders", "benchmarks"},
    "wirecopy": {"core", "schema", "builders", "dedup", "benchmarks", "explorer", "annotate"},
}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def _package_of(module: str) -> str | None:
    """The package of ours that ``wirecopy.X...`` names (``wirecopy`` itself for the CLI's modules)."""
    parts = module.split(".")
    if parts[0] != "wirecopy":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in PACKAGES else "wirecopy"


def test_every_package_imports_only_the_layers_below_it():
    wrong = []
    for package in PACKAGES:
        for path in sorted((REPO / package).glob("*.py")):
            for module in _imports(path):
                used = _package_of(module)
                if used is not None and used != package and used not in ALLOWED[package]:
                    wrong.append(f"{path.relative_to(REPO)} imports {module}")
    assert wrong == []


def test_no_private_modules_of_libraries_are_imported():
    private = [
        f"{path.relative_to(REPO)} imports {module}"
        for package in PACKAGES for path in sorted((REPO / package).glob("*.py"))
        for module in _imports(path) if _package_of(module) is None and any(part.startswith("_") and part != "__future__" for part in module.split("."))
    ]
    assert private == []


def test_the_allowed_layers_have_no_cycle():
    visiting, done = set(), set()

    def visit(package: str) -> None:
        assert package not in visiting, f"cycle through {package}"
        if package in done:
            return
        visiting.add(package)
        for below in ALLOWED[package]:
            visit(below)
        visiting.discard(package)
        done.add(package)

    for package in PACKAGES:
        visit(package)


def test_the_cli_starts_without_the_heavy_libraries():
    """``wirecopy --help`` must not pay for datasets, pandas or the baselines (3 s and 245 MB once)."""
    probe = "import sys, wirecopy.cli; print(sorted(m for m in ('datasets', 'pandas', 'sklearn', 'mlcroissant', 'pyarrow', 'polars', 'numba') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
