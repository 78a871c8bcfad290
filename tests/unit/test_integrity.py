"""The integrity scan: what it flags, and that no honest answer is flagged."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from nncourse.grade.results import Findings, Status, classify
from nncourse.preprocessors import ScanIntegrity
from nncourse.preprocessors.cells import notes
from nncourse.preprocessors.integrity import (
    instructor_sources,
    names_tests_use,
    notebook_imports,
    scan,
)
from tests import autograding
from tests.conftest import REPO, chapter_ids
from tests.helpers import answer_cell

SUSPICIOUS = {
    "hook": "get_ipython().events.register('pre_run_cell', f)",
    "custom exception": "ip = get_ipython()\nip.set_custom_exc((Exception,), h)",
    "transformer": "ip.input_transformers_cleanup.append(t)",
    "ast transformer": "shell.ast_transformers.append(t)",
    "input history": "print(In[-1])",
    "history alias": "print(_ih)",
    "numbered input": "print(_i3)",
    "output history": "Out.clear()",
    "history manager": "x = shell.history_manager",
    "history magic": "%history -g",
    "shell line": "!cat /proc/self/cmdline",
    "linecache": "import linecache",
    "linecache from": "from linecache import getlines",
    "frame": "import sys\nf = sys._getframe(1)",
    "sys from": "from sys import _getframe",
    "inspect": "import inspect as i",
    "gc": "import gc",
    "settrace": "sys.settrace(t)",
    "setprofile": "threading.setprofile(t)",
    "code object": "f.__code__ = g.__code__",
    "function globals": "f.__globals__['x'] = 1",
    "subclasses": "object.__subclasses__()",
    "builtins": "__builtins__.print = p",
    "traceback frame": "try:\n    f()\nexcept Exception as e:\n    e.__traceback__",
    "help": "f??",
    "assigned magic": "x = %history -n",
    "timed hook": "%time get_ipython()",
    "eval": "eval('1')",
    "exec": "exec(code)",
    "compile": "compile(s, 'x', 'exec')",
    "import function": "__import__('os')",
    "importlib": "import importlib",
    "computed getattr": "getattr(torch.testing, name)",
    "computed setattr": "setattr(checks, name, f)",
    "patched module": "torch.testing.assert_close = accept",
    "patched checks": "import nncourse.checks\nnncourse.checks.unchanged = f",
    "patched alias": "import numpy as np\nnp.allclose = f",
    "main module": "import __main__",
    "sys renamed": "import sys as s",
    "locals": "locals()['f'] = g",
    "IPython": "from IPython import get_ipython",
    "globals": "globals()['f'] = g",
    "process memory": "open('/proc/self/mem', 'rb')",
    "history file": "open('/tmp/.ipython/profile_default/history.sqlite')",
    "sqlite": "import sqlite3",
    "signal frame": "import signal",
    "indented magic": "if True:\n    %history",
}
HONEST = {
    "constant getattr": "value = getattr(net, 'weight', None)",
    "modules method": "for module in model.modules():\n    pass",
    "own attribute": "self.linear = nn.Linear(2, 3)",
    "timing magic": "%%time\nx = 1",
    "display": "from IPython.display import HTML, display\nimport IPython.display",
    "sys.version": "import sys\nprint(sys.version)",
    "own object": "class A:\n    pass\n\na = A()\na.x = 1",
}


@pytest.mark.parametrize("source", SUSPICIOUS.values(), ids=SUSPICIOUS.keys())
def test_the_scan_flags_what_can_reach_into_the_grading(source):
    assert scan(source), source


@pytest.mark.parametrize("source", HONEST.values(), ids=HONEST.keys())
def test_the_scan_leaves_ordinary_code(source):
    assert scan(source) == []


def honest_answers():
    for chapter in chapter_ids():
        for cell, source in autograding.solution_cells(chapter).items():
            yield f"{chapter}/{cell}", source
    for kind in ("right-answers", "wrong-answers"):
        for path in sorted((REPO / "autograder" / kind).glob("*/*.py")):
            yield f"{kind}/{path.parent.name}/{path.stem}", path.read_text()


def context(chapter: str):
    """(imported, protected) names of the chapter's release."""
    release = REPO / "notebooks" / chapter / f"{chapter}.ipynb"
    sources = instructor_sources(nbformat.read(release, 4))
    return notebook_imports(sources), names_tests_use(sources)


def test_no_answer_of_the_course_is_flagged():
    answers = dict(honest_answers())
    assert len(answers) > 50
    flagged = {}
    for name, source in answers.items():
        chapter = name.split("/")[-2] if name.count("/") == 2 else name.split("/")[0]
        flagged[name] = scan(source, *context(chapter))
    assert {name: found for name, found in flagged.items() if found} == {}


def test_replacing_what_the_tests_use_is_flagged():
    imported, protected = context("02-layers")
    assert "expect_close" in protected and "nn" in protected
    assert scan("def expect_close(*args):\n    pass", imported, protected)
    assert scan("unchanged = lambda *args: True", imported, protected)
    assert scan("nn.Module.__call__ = f", imported, protected)
    assert scan("expect_close.x = 1", imported, protected)
    assert (
        scan("from torch import nn\nlayer = nn.Linear(2, 3)", imported, protected) == []
    )


def test_the_release_cells_are_not_scanned_but_everything_else_is():
    lesson = new_code_cell("import importlib  # the release's own setup")
    release = new_notebook(cells=[lesson, answer_cell("a", "pass")])
    added = new_code_cell("print(In)")
    submitted = new_notebook(cells=[lesson, answer_cell("a", "f = eval('1')"), added])
    scanning = ScanIntegrity(release_sources=instructor_sources(release))
    found, _ = scanning.preprocess(submitted, {})
    assert notes(found)["flagged"] == [
        ["a", 1, "f = eval('1')", "dynamic code"],
        ["number 3", 1, "print(In)", "the input history"],
    ]


def test_a_flagged_notebook_scores_nothing_and_quotes_its_lines():
    lines = [["a", n, f"print(In[{n}])", "the input history"] for n in range(1, 8)]
    status, message = classify(Findings(flagged=lines))
    assert status is Status.FLAGGED
    assert "cell a, line 1: `print(In[1])` (the input history)" in message
    assert "and 2 more" in message and "until an instructor" in message


def test_a_cell_the_scan_cannot_read_is_reported_not_cleared():
    from nncourse.preprocessors.integrity import UNREADABLE

    assert scan("def f(:\n") == [(1, UNREADABLE)]
    # IPython's automagic runs this as %time; Python cannot parse it.
    assert scan("time get_ipython().user_ns\n") == [(1, UNREADABLE)]


def test_a_huge_cell_is_scanned_but_its_tree_is_not_kept():
    from nncourse.preprocessors import integrity

    small = "get_ipython().events.register(1, 2)  # a hook, seen once\n"
    huge = "x = 1\n" * (integrity.CACHED_SOURCE // 6 + 1) + small
    before = integrity._parse_cached.cache_info().currsize
    assert [reason for _, reason in scan(huge)] == ["IPython's hooks"]
    assert [reason for _, reason in scan(small)] == ["IPython's hooks"]
    assert integrity._parse_cached.cache_info().currsize == before + 1  # the small one
