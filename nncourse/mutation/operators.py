"""The mutants of a solution cell: one operator applied at one place.

Operators work on Python's ``ast`` and only touch code between the cell's
``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers (not the ``def`` line or
the docstring the student is given). The generic ones follow mutmut's set
(arithmetic and comparison operators, numbers and booleans, ``and``/``or``,
removed statements, ``return None``); the others are the mistakes that leave
tensor code looking right: a wrong ``dim``, ``sum`` for ``mean``, a dropped
``keepdim``, ``.detach()``, ``torch.no_grad()``, ``.to(device)`` or
transpose, an argument changed in place, ``.forward()`` called directly, a
missing bias or activation.

An operator is a function ``(node, parameters) -> replacements``: given an
ast node of the cell and the names of the cell's function parameters, it
yields the nodes (or statement lists) that replace it, one per mutant. It
must not change ``node``.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator

Replacement = ast.AST | list[ast.stmt]
Operator = Callable[[ast.AST, frozenset[str]], Iterator[Replacement]]

ARITHMETIC = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.Div,
    ast.Pow: ast.Mult,
    ast.MatMult: ast.Mult,
}
COMPARISON = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
# Methods (x.sum(1)) and torch functions (torch.sum(x, 1)) that take a dim.
DIM_FUNCTIONS = {
    "sum", "mean", "amax", "amin", "max", "min", "argmax", "argmin", "softmax",
    "log_softmax", "logsumexp", "cumsum", "prod", "std", "var", "norm",
    "unsqueeze", "squeeze", "cat", "stack", "transpose",
}  # fmt: skip
TENSOR_MODULES = {"torch", "F", "functional"}
# Binary operators and methods whose in-place form changes the argument.
INPLACE_OPERATORS = {
    ast.Add: "add_",
    ast.Sub: "sub_",
    ast.Mult: "mul_",
    ast.Div: "div_",
}
INPLACE_METHODS = {
    "add", "sub", "mul", "div", "pow", "neg", "abs", "exp", "log", "sqrt",
    "clamp", "clamp_min", "clamp_max", "relu", "sigmoid", "tanh", "masked_fill",
}  # fmt: skip
# Parameter names that hold a module, so calling it can become .forward().
MODULE_PARAMETERS = {"model", "module", "layer", "net", "loss_fn"}
# nn.Module's own methods: self.<one of these>(...) is not a submodule call.
MODULE_METHODS = {
    "add_module", "apply", "parameters", "named_parameters", "buffers",
    "children", "modules", "state_dict", "load_state_dict", "to", "train",
    "eval", "zero_grad", "requires_grad_", "step", "forward",
}  # fmt: skip
ACTIVATION_FUNCTIONS = {"relu", "sigmoid", "tanh", "gelu", "leaky_relu"}
ACTIVATION_MODULES = {"ReLU", "Sigmoid", "Tanh", "GELU", "LeakyReLU"}
BIASED_LAYERS = {"Linear", "Conv1d", "Conv2d", "Bilinear"}


def _call_of(node: ast.AST, names: set[str]) -> ast.expr | None:
    """The receiver ``x`` when ``node`` is a call ``x.<name>(...)``."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in names
    ):
        return node.func.value
    return None


def _is_tensor_module(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id in TENSOR_MODULES


def _int_value(node: ast.AST) -> int | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _int_value(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def _int_node(value: int) -> ast.expr:
    if value < 0:
        return ast.UnaryOp(ast.USub(), ast.Constant(-value))
    return ast.Constant(value)


def _with(node: ast.AST, **fields) -> ast.AST:
    """A copy of ``node`` with some fields replaced."""
    new = copy.deepcopy(node)
    for name, value in fields.items():
        setattr(new, name, value)
    return new


def arithmetic(node, parameters):
    if isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in ARITHMETIC:
        yield _with(node, op=ARITHMETIC[type(node.op)]())


def comparison(node, parameters):
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in COMPARISON:
                ops = list(node.ops)
                ops[i] = COMPARISON[type(op)]()
                yield _with(node, ops=ops)


def number(node, parameters):
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        yield ast.Constant(node.value + 1)
        yield ast.Constant(node.value - 1)


def boolean(node, parameters):
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield ast.Constant(not node.value)
    if isinstance(node, ast.BoolOp):
        yield _with(node, op=ast.Or() if isinstance(node.op, ast.And) else ast.And())
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield copy.deepcopy(node.operand)


def unary_minus(node, parameters):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield copy.deepcopy(node.operand)


def remove_statement(node, parameters):
    if isinstance(node, ast.stmt) and not isinstance(node, ast.Pass | ast.Return):
        yield ast.Pass()


def return_none(node, parameters):
    if isinstance(node, ast.Return) and node.value is not None:
        if not (isinstance(node.value, ast.Constant) and node.value.value is None):
            yield ast.Return(ast.Constant(None))


def _other_dims(value: ast.expr) -> list[int]:
    dim = _int_value(value)
    if dim is None:  # a variable: the answer ignores the dim it is given
        return [0, 1, -1] if isinstance(value, ast.Name) else []
    return {0: [1], 1: [0], -1: [-2, 0], -2: [-1]}.get(dim, [dim - 1])


def dim(node, parameters):
    if not isinstance(node, ast.Call):
        return
    for i, keyword in enumerate(node.keywords):
        if keyword.arg in ("dim", "axis"):
            for other in _other_dims(keyword.value):
                keywords = copy.deepcopy(node.keywords)
                keywords[i].value = _int_node(other)
                yield _with(node, keywords=keywords)
    receiver = _call_of(node, DIM_FUNCTIONS)
    first = 1 if receiver is not None and _is_tensor_module(receiver) else 0
    for i in range(first, len(node.args) if receiver is not None else 0):
        if _int_value(node.args[i]) is not None:
            for other in _other_dims(node.args[i]):
                args = copy.deepcopy(node.args)
                args[i] = _int_node(other)
                yield _with(node, args=args)


def _renaming(pairs: dict[str, str]) -> Operator:
    """An operator that renames an attribute, ``x.sum`` -> ``x.mean``."""
    mapping = {**pairs, **{new: old for old, new in pairs.items()}}

    def rename(node, parameters):
        if isinstance(node, ast.Attribute) and node.attr in mapping:
            yield _with(node, attr=mapping[node.attr])

    return rename


def _dropping(methods: set[str], attributes: frozenset[str] = frozenset()) -> Operator:
    """An operator that drops a method call or attribute: ``x.detach()`` -> ``x``."""

    def drop(node, parameters):
        receiver = _call_of(node, methods)
        if receiver is not None and not _is_tensor_module(receiver):
            yield copy.deepcopy(receiver)
        if isinstance(node, ast.Attribute) and node.attr in attributes:
            yield copy.deepcopy(node.value)

    return drop


def keepdim(node, parameters):
    if isinstance(node, ast.Call):
        kept = [k for k in node.keywords if k.arg != "keepdim"]
        if len(kept) < len(node.keywords):
            yield _with(node, keywords=kept)


def no_grad(node, parameters):
    grad_modes = {"no_grad", "enable_grad", "inference_mode"}
    if isinstance(node, ast.With) and len(node.items) == 1:
        if _call_of(node.items[0].context_expr, grad_modes) is not None:
            yield copy.deepcopy(node.body)


def _is_argument(node: ast.AST, parameters: frozenset[str]) -> bool:
    return isinstance(node, ast.Name) and node.id in parameters


def inplace(node, parameters):
    if isinstance(node, ast.BinOp) and type(node.op) in INPLACE_OPERATORS:
        if _is_argument(node.left, parameters):
            method = ast.Attribute(
                copy.deepcopy(node.left), INPLACE_OPERATORS[type(node.op)]
            )
            yield ast.Call(method, [copy.deepcopy(node.right)], [])
    receiver = _call_of(node, INPLACE_METHODS)
    if receiver is not None and _is_argument(receiver, parameters):
        yield _with(node, func=_with(node.func, attr=node.func.attr + "_"))


def forward(node, parameters):
    if not isinstance(node, ast.Call):
        return
    function = node.func
    submodule = (
        isinstance(function, ast.Attribute)
        and isinstance(function.value, ast.Name)
        and function.value.id == "self"
        and function.attr not in MODULE_METHODS
        and not function.attr.startswith("register_")
    )
    if submodule or (
        isinstance(function, ast.Name) and function.id in MODULE_PARAMETERS
    ):
        yield _with(node, func=ast.Attribute(copy.deepcopy(function), "forward"))


def swap_operands(node, parameters):
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub | ast.MatMult):
        yield _with(
            node, left=copy.deepcopy(node.right), right=copy.deepcopy(node.left)
        )


def activation(node, parameters):
    receiver = _call_of(node, ACTIVATION_FUNCTIONS)
    if receiver is not None and node.args:
        yield copy.deepcopy(node.args[0] if _is_tensor_module(receiver) else receiver)
    if _call_of(node, ACTIVATION_MODULES) is not None:
        yield _with(node, func=_with(node.func, attr="Identity"), args=[], keywords=[])


def exp_log(node, parameters):
    receiver = _call_of(node, {"exp", "log"})
    if receiver is None:
        return
    argument = node.args[0] if _is_tensor_module(receiver) and node.args else receiver
    yield copy.deepcopy(argument)
    if node.func.attr == "exp":
        yield _with(node, func=_with(node.func, attr="log"))


def bias(node, parameters):
    if _call_of(node, BIASED_LAYERS) is None:
        return
    kept = [k for k in node.keywords if k.arg != "bias"]
    if len(kept) < len(node.keywords):
        yield _with(node, keywords=kept)
    else:
        yield _with(node, keywords=[*kept, ast.keyword("bias", ast.Constant(False))])


OPERATORS: dict[str, Operator] = {
    "dim": dim,
    "sum_mean": _renaming({"sum": "mean"}),
    "max_min": _renaming({"amax": "amin", "max": "min", "argmax": "argmin"}),
    "zeros_ones": _renaming(
        {"zeros": "ones", "zeros_like": "ones_like", "zeros_": "ones_"}
    ),
    "keepdim": keepdim,
    "detach": _dropping({"detach", "clone"}),
    "no_grad": no_grad,
    "inplace": inplace,
    "forward": forward,
    "swap_operands": swap_operands,
    "transpose": _dropping({"t", "transpose"}, frozenset({"T", "mT"})),
    "to_device": _dropping({"to", "cuda", "cpu"}),
    "bias": bias,
    "activation": activation,
    "exp_log": exp_log,
    "arithmetic": arithmetic,
    "comparison": comparison,
    "number": number,
    "boolean": boolean,
    "unary_minus": unary_minus,
    "return_none": return_none,
    "remove_statement": remove_statement,
}
