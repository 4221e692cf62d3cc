"""No function over 40 lines without a comment in it saying why it is long ("# Long because
…"): a reader learns at once whether to split it or to read it whole."""

import ast
from pathlib import Path

import pytest

from tests.structure.test_import_layers import APPS, ROOT

LIMIT = 40


def _long_unexplained(path: Path) -> list[str]:
    source = path.read_text()
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = node.end_lineno - node.lineno + 1  # type: ignore[operator]
        body = "\n".join(lines[node.lineno - 1 : node.end_lineno])
        if length > LIMIT and "# Long because" not in body:
            found.append(
                f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length})"
            )
    return found


@pytest.mark.parametrize("app", APPS)
def test_a_long_function_says_why(app: str) -> None:
    unexplained = [
        where
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for where in _long_unexplained(path)
    ]
    assert unexplained == []
