"""Checks that the exercise tests call.

Each check raises ``AssertionError`` with a message that says what was wrong
and how to fix it; it returns the checked value when all is well, so a test can
go on with it. The checks look at type first, then shape and dtype, then
values, the order in which a student fixes things. Expected values are computed
in the test cells themselves, from torch, never by these helpers.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable, Sequence
from contextlib import contextmanager

import torch
from torch import nn


# What PyTorch raises when a Module's constructor skipped super().__init__():
# assigning a layer or parameter, or later reading the Module's private state.
def fail(message: str) -> None:
    raise AssertionError(message)


def expect_type(value, expected: type | tuple[type, ...], what: str):
    """``value`` is an instance of ``expected``."""
    if not isinstance(value, expected):
        names = (
            " or ".join(t.__name__ for t in expected)
            if isinstance(expected, tuple)
            else expected.__name__
        )
        fail(f"{what} should be a {names}, but it is a {type(value).__name__}.")
    return value


def expect_module_class(cls, *args, what: str | None = None, **kwargs) -> nn.Module:
    """``cls`` is an ``nn.Module`` subclass; return ``cls(*args, **kwargs)``.

    A constructor that forgets ``super().__init__()`` fails with a message that
    names the fix. ``NotImplementedError`` from an unanswered stub propagates.
    """
    what = what or getattr(cls, "__name__", repr(cls))
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        fail(f"{what} should be a class that subclasses torch.nn.Module.")
    module = cls.__new__(cls)
    try:
        module.__init__(*args, **kwargs)
    except AttributeError as error:
        # nn.Module.__init__ sets ``training``; without it, every layer
        # assignment (or attribute read) fails, whatever the message says.
        if "training" not in vars(module):
            fail(
                f"{what}(...) failed with AttributeError: {error}. Call "
                "super().__init__() as the first line of __init__, before "
                "assigning any layer."
            )
        raise
    return module


def expect_tensor(
    value,
    what: str,
    shape: Sequence[int] | None = None,
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    """``value`` is a tensor with the given shape and dtype."""
    expect_type(value, torch.Tensor, what)
    if shape is not None and tuple(value.shape) != tuple(shape):
        fail(
            f"{what} should have shape {tuple(shape)}, but it has shape "
            f"{tuple(value.shape)}."
        )
    if dtype is not None and value.dtype != dtype:
        fail(f"{what} should have dtype {dtype}, but it has dtype {value.dtype}.")
    return value


def expect_close(
    actual: torch.Tensor,
    expected: torch.Tensor,
    what: str,
    hint: str = "",
    rtol: float = 1e-5,
    atol: float = 1e-6,
) -> torch.Tensor:
    """``actual`` has ``expected``'s shape and values, to tolerance."""
    expect_tensor(actual, what, shape=expected.shape)
    actual_values = actual.detach().to("cpu", torch.float64)
    expected_values = expected.detach().to("cpu", torch.float64)
    if not torch.allclose(actual_values, expected_values, rtol=rtol, atol=atol):
        worst = (actual_values - expected_values).abs().max().item()
        extra = f" {hint}" if hint else ""
        fail(
            f"{what} has the right shape but wrong values (largest difference "
            f"{worst:.3g}).{extra}"
        )
    return actual


def expect_called_as_module(model: nn.Module, run: Callable[[], object], what: str):
    """``run()`` calls ``model(...)`` (which runs hooks), not ``model.forward``.

    Returns whatever ``run()`` returns.
    """
    calls = []
    handle = model.register_forward_hook(lambda *_: calls.append(1))
    try:
        result = run()
    finally:
        handle.remove()
    if not calls:
        fail(
            f"{what} never called the model as model(X). Calling "
            "model.forward(X) directly skips PyTorch's hooks; call model(X)."
        )
    return result


# ---- guards against mistakes that leave a result looking right ----------------
# Each is a context manager around the call of a student's function: it watches
# what the call does (to its arguments, to PyTorch, to a model's submodules)
# and fails afterwards with a message that names the mistake.


@contextmanager
def unchanged(what: str, **tensors: torch.Tensor):
    """The call inside leaves every tensor in ``tensors`` as it was.

    ``with unchanged("softmax(logits, dim)", logits=logits): softmax(...)``
    fails if ``softmax`` shifted, scaled or overwrote ``logits`` in place.
    """
    before = {name: tensor.detach().clone() for name, tensor in tensors.items()}
    yield
    for name, tensor in tensors.items():
        same = tensor.shape == before[name].shape and torch.equal(
            tensor.detach(), before[name]
        )
        if not same:
            fail(
                f"{what} changed its argument {name} in place (an operation such "
                f"as {name} -= ..., {name}[...] = ... or {name}.add_(...)). The "
                "caller still needs it: compute a new tensor instead."
            )


def _attribute(dotted: str):
    """(owner, attribute name) of a dotted name such as ``torch.Tensor.exp``."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:-1]:
            owner = getattr(owner, part)
        return owner, parts[-1]
    raise ValueError(f"cannot resolve {dotted}")


@contextmanager
def written_by_hand(what: str, *builtins: str):
    """The call inside uses none of ``builtins`` (dotted names such as
    ``"torch.nn.functional.softmax"`` or ``"torch.Tensor.softmax"``).

    The exercise asks to write that computation by hand; the built-in is the
    reference the test compares with, outside this block.
    """
    saved = []

    def refuse(name):
        def refused(*args, **kwargs):
            fail(
                f"{what} calls {name}: this exercise asks you to write that "
                "computation by hand, from basic tensor operations. The tests "
                "compare your result with it."
            )

        return refused

    for name in builtins:
        owner, attribute = _attribute(name)
        saved.append((owner, attribute, owner.__dict__.get(attribute, _ABSENT)))
        setattr(owner, attribute, refuse(name))
    try:
        yield
    finally:
        for owner, attribute, original in reversed(saved):
            if original is _ABSENT:
                delattr(owner, attribute)
            else:
                setattr(owner, attribute, original)


_ABSENT = object()


@contextmanager
def called_as_modules(model: nn.Module, what: str):
    """Inside, ``model`` and each of its submodules that runs is called as
    ``module(X)``, never as ``module.forward(X)`` (which skips hooks)."""
    direct: list[str] = []
    watched = [(name or "the model itself", m) for name, m in model.named_modules()]
    handles = []
    for name, module in watched:
        depth = [0]
        original = module.forward

        def forward(*args, _original=original, _depth=depth, _name=name, **kw):
            if _depth[0] == 0 and _name not in direct:
                direct.append(_name)
            return _original(*args, **kw)

        def enter(*_, _depth=depth):
            _depth[0] += 1

        def leave(*_, _depth=depth):
            _depth[0] -= 1

        module.forward = forward
        handles.append(module.register_forward_pre_hook(enter))
        handles.append(module.register_forward_hook(leave, always_call=True))
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()
        for _, module in watched:
            del module.forward
    if direct:
        fail(
            f"{what} calls .forward(...) on {', '.join(direct)} directly. Call "
            "the module itself, as self.layer(X): that runs PyTorch's hooks "
            "(and torch.compile), which .forward() skips."
        )


def expect_no_graph(tensor: torch.Tensor, what: str) -> torch.Tensor:
    """``tensor`` is not part of an autograd graph."""
    if tensor.requires_grad or tensor.grad_fn is not None:
        fail(
            f"{what} is still attached to the autograd graph (requires_grad="
            f"{tensor.requires_grad}): compute it from .detach()ed tensors or "
            "under torch.no_grad(), or every later step keeps the old graph alive."
        )
    return tensor


class OffDevice(torch.Tensor):
    """A tensor that stands for a batch still on the wrong device.

    Tests hand these to a training or evaluation loop: ``.to(device)`` returns
    an ordinary tensor, so a model that receives an ``OffDevice`` tensor was
    given a batch that never went through ``.to(device)``. It works on a
    CPU-only machine, where forgetting ``.to(device)`` raises no error.
    """

    def to(self, *args, **kwargs):
        return torch.Tensor.to(self.as_subclass(torch.Tensor), *args, **kwargs)


def off_device(tensor: torch.Tensor) -> OffDevice:
    return tensor.as_subclass(OffDevice)


@contextmanager
def batches_moved(model: nn.Module, what: str):
    """Inside, every input the model receives went through ``.to(device)``
    (see :class:`OffDevice`)."""
    stale: list[int] = []

    def check(_, args):
        if any(isinstance(arg, OffDevice) for arg in args):
            stale.append(1)

    handle = model.register_forward_pre_hook(check)
    try:
        yield
    finally:
        handle.remove()
    if stale:
        fail(
            f"{what} passes batches that never went through .to(device) to "
            f"{type(model).__name__}: write X, y = X.to(device), y.to(device) "
            "at the top of the loop, or a GPU run fails with tensors on two "
            "devices."
        )


def guarded(function: Callable, *builtins: str) -> Callable:
    """``function``, wrapped so that every call leaves its tensor arguments
    as they were (:func:`unchanged`) and uses none of ``builtins``
    (:func:`written_by_hand`)."""
    name = getattr(function, "__name__", "the function")

    @functools.wraps(function)
    def call(*args, **kwargs):
        try:
            named = inspect.signature(function).bind(*args, **kwargs).arguments
        except (TypeError, ValueError):
            named = {f"#{k + 1}": value for k, value in enumerate(args)}
        tensors = {k: v for k, v in named.items() if isinstance(v, torch.Tensor)}
        with written_by_hand(name, *builtins), unchanged(name, **tensors):
            return function(*args, **kwargs)

    return call
