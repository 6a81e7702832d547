"""The import graph: no cycles anywhere, and each layer imports only the ones below it.

The layer and sibling rules are import-linter contracts in pyproject.toml (`make lint` runs
them too); the module-level cycle check below also catches a package and its own child
importing each other, which sibling contracts do not look at.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("app", "jobs")


def import_cycles(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    """Every direct import (importer, imported) whose target imports its importer back."""
    return sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.chain_exists(importer=imported, imported=importer)
    )


def test_the_import_contracts_in_pyproject_are_kept() -> None:
    # A subprocess: lint-imports reconfigures logging, which would silence other tests' loggers.
    checked = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_no_module_imports_itself_through_another() -> None:
    assert import_cycles(grimp.build_graph(*PACKAGES, cache_dir=None)) == []


def test_a_cycle_is_found() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    graph.add_import(importer="app.db.engine", imported="app.jobs.service")
    found = import_cycles(graph)
    assert ("app.db.engine", "app.jobs.service") in found
    assert ("app.jobs.service", "app.db.engine") in found
