"""Checks that the exercise tests call.

Each check raises ``AssertionError`` with a message that says what was wrong
and how to fix it; it returns the checked value when all is well, so a test can
go on with it. The checks look at type first, then shape and dtype, then
values, the order in which a student fixes things. Expected values are computed
in the test cells themselves, from torch, never by these helpers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

# What PyTorch raises when a Module's constructor skipped super().__init__():
# assigning a layer or parameter, or later reading the Module's private state.
_SUPER_INIT_MESSAGES = ("before Module.__init__() call", "has no attribute '_")


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
    try:
        module = cls(*args, **kwargs)
    except AttributeError as error:
        if any(text in str(error) for text in _SUPER_INIT_MESSAGES):
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
