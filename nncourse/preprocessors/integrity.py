"""Point the instructor at submitted code that reaches into the kernel.

Where every test of a chapter is judged outside the kernel (the specs of
:mod:`nncourse.specs`), nothing in the kernel can earn a point, and this
scan is advice: the notebook is graded as usual, status ``review``, with the
lines to read. Only a chapter whose tests still run in the kernel is scored
zero, status ``flagged``, until an instructor accepts it (``nncourse grade
--accept``): there, tricks that make failing tests pass or print hidden
tests need the same handful of tools: IPython's hooks and history,
``linecache``, frame and object introspection, dynamic code, or assignments
into imported modules. No exercise of the course needs any of them, so
:class:`ScanIntegrity` reads (with :mod:`ast`, before anything runs) every
code cell the student controls, and records each use with its line. A cell
it cannot read as Python is reported too, never cleared.

Cells identical to one of the release's code cells that are no answers are
the instructor's (nbgrader's ``OverwriteCells`` puts read-only and test cells
back anyway); every other code cell, answers, edited lesson cells and added
cells alike, is scanned.
"""

from __future__ import annotations

import ast
import functools
import re

from nbconvert.preprocessors import Preprocessor
from nbgrader.utils import is_solution
from traitlets import Bool, List, Unicode

from nncourse.preprocessors.cells import cell_name, note

#: Notebook metadata (under ``nncourse``): ``[[cell, line number, line, why]]``.
FOUND = "flagged"

NAMES = {
    "get_ipython": "IPython's hooks",
    "In": "the input history",
    "Out": "the output history",
    "_ih": "the input history",
    "_oh": "the output history",
    "_dh": "the folder history",
    "linecache": "cached source lines",
    "inspect": "introspection",
    "gc": "the garbage collector's objects",
    "eval": "dynamic code",
    "exec": "dynamic code",
    "compile": "dynamic code",
    "__import__": "dynamic imports",
    "importlib": "dynamic imports",
    "globals": "the kernel's namespace",
    "vars": "the kernel's namespace",
    "locals": "the kernel's namespace",
    "__builtins__": "the builtins",
    "breakpoint": "the debugger",
}
ATTRIBUTES = {
    "events": "IPython's hooks",
    "register": "IPython's hooks",
    "set_custom_exc": "IPython's hooks",
    "ast_transformers": "IPython's transformers",
    "input_transformers_cleanup": "IPython's transformers",
    "input_transformers_post": "IPython's transformers",
    "input_transformer_manager": "IPython's transformers",
    "history_manager": "the input history",
    "user_ns": "the kernel's namespace",
    "run_cell": "IPython's hooks",
    "_getframe": "frame introspection",
    "settrace": "tracing",
    "setprofile": "tracing",
    "excepthook": "the exception hook",
    "f_back": "frame introspection",
    "f_globals": "frame introspection",
    "f_locals": "frame introspection",
    "f_code": "frame introspection",
    "tb_frame": "frame introspection",
    "gi_frame": "frame introspection",
    "__code__": "code objects",
    "__globals__": "the namespace of functions",
    "__subclasses__": "object introspection",
    "__builtins__": "the builtins",
    "__dict__": "object internals",
    "__getattribute__": "a computed attribute",
    "__setattr__": "a computed attribute",
    "__traceback__": "frame introspection",
    "tb_next": "frame introspection",
    "__bases__": "object introspection",
    "__base__": "object introspection",
    "__mro__": "object introspection",
    "__closure__": "object internals",
}
MODULES = {"inspect", "gc", "linecache", "importlib", "ctypes", "dis", "code"}
MODULES |= {"codeop", "traceback", "IPython", "ipykernel", "builtins", "atexit"}
MODULES |= {"pdb", "bdb", "types", "marshal", "pickle", "sys", "__main__"}
MODULES |= {"sqlite3", "signal", "faulthandler", "tracemalloc", "threading", "_thread"}
# IPython's display functions show outputs, which the feedback sanitises.
DISPLAY_MODULES = ("IPython.display", "IPython.core.display")
# Names from ``sys`` that answers may use.
SYS_ALLOWED = {"path", "version", "version_info", "platform", "float_info", "maxsize"}
# Magics that only time or draw what runs: the code they time is scanned.
HARMLESS_MAGIC = re.compile(r"^(\s*)%%?(time|timeit|matplotlib)\b\s*(-\S+\s+)*")
# Files that show the kernel's own memory and state.
PROC_FILES = ("/proc", "/dev/mem")
DYNAMIC_NAMES = {"getattr": "a computed attribute", "setattr": "a computed attribute"}
DYNAMIC_NAMES |= {"delattr": "a computed attribute", "hasattr": "a computed attribute"}
INPUT_VARIABLE = re.compile(r"^_i+\d*$|^_\d+$")


def _imported(tree: ast.AST) -> set[str]:
    """Names bound by imports in ``tree``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add((alias.asname or alias.name).split(".")[0])
    return names


def _import_reasons(node) -> list[str]:
    if isinstance(node, ast.Import):
        modules = [alias.name for alias in node.names]
        renamed = [a.name for a in node.names if a.name == "sys" and a.asname]
        if renamed:  # sys.* is flagged by its name
            return ["imports sys under another name"]
    elif isinstance(node, ast.ImportFrom):
        modules = [node.module or ""]
        allowed = {"sys": SYS_ALLOWED, "IPython": {"display"}}.get(modules[0])
        if allowed is not None:
            names = {alias.name for alias in node.names}
            return [] if names <= allowed else [f"imports from {modules[0]}"]
    else:
        return []
    return [
        f"imports {module}"
        for module in modules
        if module.split(".")[0] in MODULES - {"sys"}
        and not module.startswith(DISPLAY_MODULES)
    ]


def _reasons(node, modules: set[str]) -> list[str]:
    """Why ``node`` alone is suspicious (no reason: fine)."""
    found = _import_reasons(node)
    if isinstance(node, ast.Name) and (
        node.id in NAMES or INPUT_VARIABLE.match(node.id)
    ):
        found.append(NAMES.get(node.id, "the input history"))
    elif isinstance(node, ast.Attribute):
        if node.attr in ATTRIBUTES:
            found.append(ATTRIBUTES[node.attr])
        elif _root(node) == "sys" and node.attr not in SYS_ALLOWED:
            found.append(f"sys.{node.attr}")
        if isinstance(node.ctx, (ast.Store, ast.Del)) and _root(node) in modules:
            found.append("changes an imported module")
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        if node.value.startswith(PROC_FILES) or ".ipython" in node.value:
            found.append("reads the kernel's process files")
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        computed = len(node.args) < 2 or not isinstance(node.args[1], ast.Constant)
        if name in DYNAMIC_NAMES and computed:
            found.append(DYNAMIC_NAMES[name])
    return found


def _root(node) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _python(source: str) -> str:
    """The cell as IPython runs it: every magic, shell line or ``?`` help
    becomes a call of ``get_ipython()`` (flagged), but for the timing and
    plotting magics, whose code stands in their place."""
    from IPython.core.inputtransformer2 import TransformerManager

    lines = []
    for line in source.splitlines():
        match = HARMLESS_MAGIC.match(line)
        if match:
            rest = line[match.end() :]
            magic = match.group(2)
            line = match.group(1) + (
                "pass" if magic == "matplotlib" or not rest else rest
            )
        lines.append(line)
    return TransformerManager().transform_cell("\n".join(lines) + "\n")


def _parse(source: str) -> ast.AST | None:
    try:
        return ast.parse(_python(source))
    except SyntaxError:  # IPython too would stop before running any of it
        return None


#: Sources up to this long keep their tree for the next scan (the release's
#: cells, and a student's, are parsed several times per notebook); a larger
#: one is parsed afresh, so that a huge cell does not stay in memory.
CACHED_SOURCE = 20_000
_parse_cached = functools.lru_cache(maxsize=4096)(_parse)


def _parsed(source: str) -> ast.AST | None:
    """The cell's syntax tree (shared between scans: only read it)."""
    return _parse(source) if len(source) > CACHED_SOURCE else _parse_cached(source)


def _rebinds(node, protected: frozenset[str]) -> list[str]:
    """A name the tests use (the course's checks, torch) bound anew."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        name = node.id
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        name = node.name
    else:
        return []
    return [f"replaces {name}, which the tests use"] if name in protected else []


def scan(
    source: str, imported: frozenset[str] = frozenset(), protected=frozenset()
) -> list[tuple[int, str]]:
    """(line number, reason) of every suspicious use in a cell's source;
    ``imported``: the names the notebook imports (modules, functions,
    classes: changing their attributes is flagged); ``protected``: names the
    tests use (binding them anew is flagged)."""
    tree = _parsed(source)
    if tree is None:
        # Not fail-open: IPython may still run what ast cannot read (an
        # automagic line, a character Python's parser refuses).
        return [(1, UNREADABLE)]
    modules = _imported(tree) | imported | {"nncourse", "torch"}
    found = []
    for node in ast.walk(tree):
        reasons = _reasons(node, modules) + _rebinds(node, protected)
        found += [(getattr(node, "lineno", 1), reason) for reason in reasons]
    return sorted(set(found))


def notebook_imports(sources: list[str]) -> frozenset[str]:
    """Every name the cells import."""
    trees = [tree for tree in map(_parsed, sources) if tree is not None]
    return frozenset(name for tree in trees for name in _imported(tree))


def names_tests_use(sources: list[str]) -> frozenset[str]:
    """Names the release imports from the course's checks and from torch."""
    names = {"torch", "nn", "F", "nncourse"}
    for tree in filter(None, map(_parsed, sources)):
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                ("nncourse", "torch")
            ):
                names |= {alias.asname or alias.name for alias in node.names}
    return frozenset(names)


def instructor_sources(release) -> list[str]:
    """The sources of the release's code cells that are not answers."""
    return [
        cell.source
        for cell in release.cells
        if cell.cell_type == "code" and not is_solution(cell)
    ]


#: The reason given for a cell the scan cannot read as Python.
UNREADABLE = "cannot be read as Python, as IPython would run it: read the cell"


class ScanIntegrity(Preprocessor):
    """Record, in the notebook's metadata, every suspicious line of the code
    cells that are not the release's own."""

    enabled = Bool(True)
    release_sources = List(
        Unicode(), help="sources of the release's read-only and test cells"
    ).tag(config=True)

    def preprocess(self, nb, resources):
        instructors = {source.strip() for source in self.release_sources}
        code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
        imported = notebook_imports(code + list(self.release_sources))
        protected = names_tests_use(list(self.release_sources))
        found = []
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or cell.source.strip() in instructors:
                continue
            lines = cell.source.splitlines()
            for number, reason in scan(cell.source, imported, protected):
                line = lines[number - 1].strip() if number <= len(lines) else ""
                found.append([cell_name(cell, index), number, line, reason])
        note(nb, FOUND, found)
        return nb, resources
