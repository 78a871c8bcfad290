"""A solution cell's answer and its mutants (no code is executed here)."""

from __future__ import annotations

import ast
import copy
import difflib
import hashlib
from dataclasses import dataclass, field

from nbgrader.utils import is_solution

from nncourse.mutation.operators import OPERATORS
from nncourse.preprocessors import SOLUTION_MARKER
from nncourse.preprocessors.cells import grade_id, is_test


@dataclass(frozen=True)
class Mutant:
    """The solution cell with one operator applied at one place."""

    operator: str
    line: int  # in the cell's code without marker lines
    description: str  # "`old` -> `new`"
    code: str  # the whole mutated cell, as ast.unparse writes it

    @property
    def id(self) -> str:
        """Stable while the solution cell does not change."""
        return f"{self.operator}:{hashlib.sha1(self.code.encode()).hexdigest()[:8]}"


@dataclass
class Solution:
    """A solution cell: its code without markers, the lines of that code that
    lie between the markers (the answer), and the mutants of the answer."""

    source: str
    code: str = field(init=False)
    answer_lines: set[int] = field(init=False)

    def __post_init__(self):
        lines, inside, self.answer_lines = [], False, set()
        for line in self.source.splitlines():
            marker = SOLUTION_MARKER.match(line)
            if marker:
                inside = marker.group(1) == "BEGIN"
                continue
            lines.append(line)
            if inside:
                self.answer_lines.add(len(lines))
        self.code = "\n".join(lines) + "\n"

    @property
    def unparsed(self) -> str:
        """The code as the mutants are written (no comments), for diffs."""
        return ast.unparse(ast.parse(self.code))

    def mutants(self) -> list[Mutant]:
        """Every mutant of the answer, once each, in line order; none equals
        the original or fails to compile."""
        tree = ast.parse(self.code)
        parameters = _parameters(tree)
        seen = {ast.unparse(tree)}
        found = []
        for node in sorted(self._answer_nodes(tree), key=_position):
            for name, operator in OPERATORS.items():
                for replacement in operator(node, parameters):
                    code = _replaced(tree, node, replacement)
                    if code in seen or not _compiles(code):
                        continue
                    seen.add(code)
                    what = f"`{_short(node)}` -> `{_short(replacement)}`"
                    found.append(Mutant(name, node.lineno, what, code))
        return found

    def diff(self, mutant: Mutant) -> str:
        return "".join(
            difflib.unified_diff(
                self.unparsed.splitlines(keepends=True),
                mutant.code.splitlines(keepends=True),
                "solution",
                mutant.id,
                n=1,
            )
        )

    def _answer_nodes(self, tree: ast.AST):
        for node in ast.walk(tree):
            lines = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
            if None not in lines and set(range(lines[0], lines[1] + 1)).issubset(
                self.answer_lines
            ):
                yield node


def _position(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset


def _parameters(tree: ast.AST) -> frozenset[str]:
    """Names of the parameters of every function in the cell, but ``self``."""
    return frozenset(
        argument.arg
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.Lambda)
        for argument in ast.walk(node.args)
        if isinstance(argument, ast.arg) and argument.arg != "self"
    )


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, replacement):
        self.target, self.replacement = target, replacement

    def visit(self, node):
        if node is self.target:
            return self.replacement
        return self.generic_visit(node)


def _replaced(tree: ast.AST, node: ast.AST, replacement) -> str:
    """The code of ``tree`` with ``node`` replaced (``tree`` is unchanged)."""
    copies: dict = {}
    mutated = copy.deepcopy(tree, copies)
    mutated = _Replace(copies[id(node)], copy.deepcopy(replacement)).visit(mutated)
    return ast.unparse(mutated)


def _compiles(code: str) -> bool:
    try:
        compile(code, "<mutant>", "exec")
    except SyntaxError:
        return False
    return True


def _short(node) -> str:
    """One line of code for a description."""
    if isinstance(node, list):
        text = "; ".join(ast.unparse(statement) for statement in node)
    else:
        text = ast.unparse(node)
    line = text.splitlines()[0] if text else ""
    line = line + " ..." if "\n" in text else line
    return line if len(line) <= 70 else line[:67] + "..."


@dataclass
class Exercise:
    """An exercise of a chapter: its solution cell and its test cell."""

    name: str  # the solution cell's grade_id
    solution_index: int
    test_index: int
    solution: Solution


def exercises(notebook) -> list[Exercise]:
    """The exercises of a source notebook, in order; each solution code cell
    is tested by the test cell whose grade_id is its own plus ``-tests``."""
    tests = {
        grade_id(cell): i for i, cell in enumerate(notebook.cells) if is_test(cell)
    }
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and is_solution(cell):
            name = grade_id(cell)
            test = tests.get(f"{name}-tests")
            if test is None or test < index:
                raise ValueError(
                    f"solution cell {name} has no test cell {name}-tests after it"
                )
            found.append(Exercise(name, index, test, Solution(cell.source)))
    return found
