"""``pip install "nncourse[instructor]"`` is all that ``nncourse grade``,
``release``, ``export`` and ``mutants`` need: every third-party module the
package imports belongs to a distribution that its dependencies or its
``instructor`` extra name."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions

import tomllib

from tests.conftest import REPO

PACKAGE = REPO / "nncourse"
#: Imported only where the tool they serve runs, and installed with it: the
#: browser of ``nncourse links --check``... (none today).
OPTIONAL: set[str] = set()


def imported_modules() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"nncourse"} - OPTIONAL


def declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + project["optional-dependencies"]["instructor"]
    return {
        re.split(r"[\[<>=~! ]", name)[0].lower().replace("_", "-") for name in names
    }


def test_every_imported_module_is_a_declared_dependency():
    distributions = packages_distributions()
    missing = {}
    for module in sorted(imported_modules()):
        owners = {d.lower().replace("_", "-") for d in distributions.get(module, [])}
        if not owners & declared():
            missing[module] = sorted(owners) or ["(not installed)"]
    assert missing == {}, f"imported, but in no dependency of pyproject.toml: {missing}"
