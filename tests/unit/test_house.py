"""The house rules of nncourse/, checked on its source: modules and functions
within their budgets, and no private name of another project used except in
the one listed adapter."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "nncourse"
MODULE_LINES, FUNCTION_LINES = 350, 60
#: Upstream private names we use, each in an adapter with a contract test.
ADAPTERS = {
    # nbconvert has no public way to reuse compiled templates or skip its
    # BeautifulSoup re-parse: tests/unit/test_feedback_exporter.py pins it.
    "grade/feedback.py": {"_create_environment", "_init_resources", "_nb_metadata"},
}
#: ``os._exit`` is the documented exit of a forked child, not a private name.
PUBLIC = {"_exit"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_functions_keep_to_their_budgets(path):
    source = path.read_text()
    assert len(source.splitlines()) <= MODULE_LINES, f"{path}: split it"
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            assert length <= FUNCTION_LINES, f"{path}:{node.lineno} {node.name}"


def private_upstream_names(path: Path) -> set[str]:
    """Names ``_x`` reached as an attribute of something that is not this
    module's own (``self._x`` of our classes, ``cls._x``), or defined as an
    override of a private method of a base class from another project."""
    tree = ast.parse(path.read_text())
    ours = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    } | {
        target.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Attribute)
    }
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and re.fullmatch(r"_[a-z]\w*", node.attr):
            owner = node.value
            is_super = (
                isinstance(owner, ast.Call)
                and isinstance(owner.func, ast.Name)
                and owner.func.id == "super"
            )
            if is_super or node.attr not in ours:
                found.add(node.attr)
    return found - PUBLIC


def test_no_private_upstream_name_outside_the_listed_adapters():
    found = {
        str(path.relative_to(PACKAGE)): names
        for path in modules()
        if (names := private_upstream_names(path))
    }
    assert found == ADAPTERS
