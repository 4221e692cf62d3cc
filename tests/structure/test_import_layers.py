"""The apps import in one direction (pyproject's import-linter contracts, docs/layers.md),
no module takes part in an import cycle, and an import inside a function says why."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts",
    "notifications",
    "audit",
    "backups",
    "consent",
    "dossiers",
    "ecd",
    "keystore",
    "portal",
    "practice",
)


def test_the_layer_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is in requirements-dev.txt"
    run = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-3000:]


def test_no_module_is_part_of_an_import_cycle() -> None:
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*APPS, exclude_type_checking_imports=True)
    ours = {m for m in graph.modules if ".migrations" not in m}
    cycles = [
        (module, imported)
        for module in sorted(ours)
        for imported in graph.find_modules_directly_imported_by(module) & ours
        if graph.chain_exists(importer=imported, imported=module)
    ]
    assert cycles == []


def _unexplained_function_imports(path: Path) -> list[str]:
    source = path.read_text()
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            above = node.lineno - 2
            while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
                above -= 1  # one comment may explain a block of imports
            explained = "#" in lines[node.lineno - 1] or (
                above >= 0 and lines[above].strip().startswith("#")
            )
            if not explained:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


@pytest.mark.parametrize("app", APPS)
def test_an_import_inside_a_function_says_why(app: str) -> None:
    unexplained = [
        where
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for where in _unexplained_function_imports(path)
    ]
    assert unexplained == []
