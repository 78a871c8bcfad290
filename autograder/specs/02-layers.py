"""Chapter 02's exercises, judged by the grader (see nncourse.specs).

Every case is drawn afresh each grading run; the descriptions are what the
student reads. The hints name a known mistake when the wrong result is that
mistake's result on the same inputs. The functions written by hand
(linear_forward, softmax) are watched below autograd, at PyTorch's dispatcher:
calling the built-in under any name shows there as its operation.
"""

import math

import torch

from nncourse.specs import (
    Case,
    Exercise,
    arguments_unchanged,
    close,
    compare_tensor,
    first_fault,
    seed_of,
    wrong_tensor,
)

# What PyTorch raises when a Module's constructor skipped super().__init__().
SUPER_INIT = ("before Module.__init__() call", "has no attribute '_")


def shape_text(shape) -> str:
    return str(tuple(shape))


def autograd_fault(what, got, expected, names):
    """The result keeps the autograd graph and its gradients are right."""
    if expected.get("requires_grad") and not got.get("requires_grad"):
        return (
            f"{what} cuts the autograd graph, so nothing before it could be "
            "trained: no torch.no_grad(), .detach(), .item() or NumPy round trip "
            "inside."
        )
    theirs = expected.get("grads")
    if theirs is None:
        return None
    mine = got.get("grads") or [None] * len(theirs)
    for name, a, b in zip(names, mine, theirs, strict=False):
        if b is not None and (a is None or not close(a, b, 1e-5, 1e-4)):
            return (
                f"{what} gives wrong gradients with respect to {name}: compute "
                "the result with differentiable tensor operations only (nothing "
                "detached on the way)."
            )
    return None


def builtin_fault(name, got, expected, operations, what_to_write):
    used = sorted(set(got.get("ops", ())) & operations - set(expected.get("ops", ())))
    if used:
        return (
            f"{name} calls PyTorch's own {what_to_write[0]} ({used[0]}): this "
            f"exercise asks you to write it by hand, {what_to_write[1]}. The "
            "grader compares your result with it."
        )
    return None


# ---- linear_forward(X, W, b) and softmax(logits, dim): written by hand


def probe_by_hand(function, args, kwargs):
    """Call ``function`` on copies of the arguments, recording PyTorch's
    operations below autograd; return the result, the arguments afterwards
    and the gradients of a weighted sum of the result."""
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode

    from nncourse.probe import error_text

    # The test cell this stands in for imported F into the notebook.
    scope = getattr(function, "__globals__", None)
    if type(scope) is dict and scope.get("__name__") == "__main__":
        scope.setdefault("F", torch.nn.functional)
    ops = set()

    class Operations(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            ops.add(func.overloadpacket.__name__)
            return func(*args, **(kwargs or {}))

    args = [
        a.detach().clone().requires_grad_(a.requires_grad)
        if isinstance(a, torch.Tensor)
        else a
        for a in args
    ]
    try:
        with Operations():
            out = function(*args, **kwargs)
    except RuntimeError as error:
        return {"raised": error_text(error), "args": args, "ops": sorted(ops)}
    result = {
        "out": out,
        "args": args,
        "ops": sorted(ops),
        "returned_an_argument": any(out is a for a in args),
        "requires_grad": bool(getattr(out, "requires_grad", False)),
    }
    if result["requires_grad"] and out.is_floating_point():
        weights = torch.linspace(-1, 1, out.numel(), dtype=out.dtype)
        (out * weights.reshape(out.shape)).sum().backward()
        result["grads"] = [
            a.grad if isinstance(a, torch.Tensor) else None for a in args
        ]
    return result


def linear_cases(gen):
    def rand(*shape, dtype=torch.float32):
        return torch.randn(*shape, generator=gen, dtype=dtype)

    def case(X, W, b, dim=None, note="", positional=False):
        kind = "float64 " if X.dtype == torch.float64 else ""
        grad = " that require grad" if X.requires_grad else ""
        if dim is None:
            call, args, kwargs = "linear_forward(X, W, b)", (X, W, b), {}
        elif positional:
            call, args, kwargs = f"linear_forward(X, W, b, {dim})", (X, W, b, dim), {}
        else:
            call, args, kwargs = (
                f"linear_forward(X, W, b, dim={dim})",
                (X, W, b),
                {"dim": dim},
            )
        return Case(
            f"{call} for {kind}X of shape {shape_text(X.shape)}, W of shape "
            f"{shape_text(W.shape)} and b{grad}{note}",
            {"args": args, "kwargs": kwargs},
        )

    # The features last, as nn.Linear takes them: (N, in), (*, in), (in,).
    X = rand(5, 3)
    yield case(X, rand(2, 3), rand(2))
    W, b = rand(3, 3), rand(3)
    yield case(X, W, b, note=" (a square W)")
    yield case(rand(5, 3) * 2, W, b, note=" (a square W, another X)")
    yield case(rand(2, 4, 3), rand(5, 3), rand(5), -1)
    yield case(rand(3), rand(4, 3), rand(4), note=" (a single vector)")
    yield case(rand(3, 4, 2), rand(6, 2), rand(6), 2, positional=True)
    # The features elsewhere: first, in the middle, counted from the end.
    yield case(rand(3, 6), rand(2, 3), rand(2), 0, " (the features first)")
    yield case(rand(4), rand(3, 4), rand(3), 0, " (a single vector)")
    yield case(rand(2, 4, 6), rand(6, 4), rand(6), 1, " (as many positions as outputs)")
    yield case(rand(2, 4, 4), rand(4, 4), rand(4), 1, " (everything square)")
    yield case(rand(2, 3, 5, 5), rand(4, 3), rand(4), 1, " (images as high as wide)")
    yield case(rand(2, 3, 4, 6), rand(5, 3), rand(5), 1, positional=True)
    yield case(rand(5, 3, 2), rand(4, 3), rand(4), -2)
    f64 = torch.float64
    yield case(
        rand(2, 3, 4, 5, dtype=f64), rand(2, 3, dtype=f64), rand(2, dtype=f64), -3
    )
    for n, d_in, d_out in ((1, 6, 4), (7, 2, 5)):
        yield case(
            rand(n, d_in, dtype=f64),
            rand(d_out, d_in, dtype=f64),
            rand(d_out, dtype=f64),
        )
    # Gradients, through the features last and elsewhere.
    grad = [rand(6, 10), rand(4, 10), rand(4)]
    yield case(*(t.requires_grad_() for t in grad))
    grad = [rand(2, 4, 3, 3, dtype=f64), rand(5, 4, dtype=f64), rand(5, dtype=f64)]
    yield case(*(t.requires_grad_() for t in grad), dim=1)
    yield case(rand(16, 64), rand(32, 64) / 8, rand(32))
    # One drawn at random: the rank, the dim and the sizes.
    rank = int(torch.randint(1, 5, (1,), generator=gen))
    sizes = torch.randint(2, 6, (rank + 1,), generator=gen).tolist()
    dim = int(torch.randint(-rank, rank, (1,), generator=gen))
    X = rand(*sizes[:rank])
    yield case(X, rand(sizes[rank], X.shape[dim]), rand(sizes[rank]), dim)


def linear_mistakes(X, W, b, dim):
    """(result, hint) of the known mistakes on these inputs, where they have
    a result."""
    found = []

    def add(compute, hint):
        try:
            found.append((compute(), hint))
        except (RuntimeError, IndexError):
            pass

    def moved(out):
        return out.movedim(-1, dim)

    last = X.movedim(dim, -1)
    add(lambda: moved(last @ W.T), "it leaves out the bias: add b.")
    if W.shape[0] == W.shape[1]:
        add(
            lambda: moved(last @ W + b),
            "it multiplies by W instead of W.T. W is stored as (out_features, "
            "in_features), so multiply the vectors by its transpose W.T.",
        )
    if dim % X.dim() != X.dim() - 1:
        add(
            lambda: X @ W.T + b,
            "it applies the layer along the last dimension, not along dim: move "
            "dimension dim last first (X.movedim(dim, -1)), and back at the end.",
        )
        add(
            lambda: moved(last @ W.T) + b,
            "it adds b along the last dimension of the result, not along dim: "
            "add b while the features are last, or reshape it to broadcast "
            "along dim.",
        )
        add(
            lambda: (last @ W.T + b).transpose(-1, dim),
            "the other dimensions come back in another order: undo the first "
            "move exactly, movedim(-1, dim) after movedim(dim, -1), or the "
            "same transpose twice.",
        )
        add(
            lambda: W @ X + b[:, None],
            "it multiplies W @ X, which takes the features from dimension -2 "
            "only: move dimension dim last and use @ W.T.",
        )
    return found


def check_linear(case, got, expected):
    X, W, b = (t.detach() for t in case.inputs["args"][:3])
    dim = case.inputs["kwargs"].get("dim", (case.inputs["args"] + (-1,))[3])
    what = case.description
    fault = builtin_fault(
        "linear_forward",
        got,
        expected,
        {"addmm", "linear"},
        ("linear layer", "with @ and W.T"),
    )
    if fault:
        return fault
    if "raised" in got:
        error = got["raised"].rstrip(".")
        if "leaf Variable" in error:
            return (
                f"{what} raised {error}: it changes an argument in place. "
                "Compute a new tensor and leave X, W and b as they were."
            )
        if "must match the size" in error:
            return (
                f"{what} raised {error}. b has one entry per output: add it "
                "while the outputs are in the last dimension, or reshape it to "
                "broadcast along dim."
            )
        return (
            f"{what} raised {error}. W is stored as (out_features, "
            "in_features): multiply the vectors by W.T. @ and the bias act on "
            "the last dimension, so move dimension dim there first "
            "(X.movedim(dim, -1)) and the outputs back to dim at the end."
        )
    fault = wrong_tensor(
        got["out"], expected["out"], what, linear_mistakes(X, W, b, dim)
    )
    if fault and fault.endswith("returns wrong values."):
        fault += (
            " At every index of the other dimensions, the vector along dim "
            "becomes W @ vector + b."
        )
    return first_fault(
        fault,
        arguments_unchanged(case, got, expected),
        autograd_fault(what, got, expected, ("X", "W", "b")),
    )


def softmax_cases(gen):
    def rand(*shape, dtype=torch.float32):
        return torch.randn(*shape, generator=gen, dtype=dtype)

    def case(logits, dim, note=""):
        kind = "float64 " if logits.dtype == torch.float64 else ""
        grad = " that require grad" if logits.requires_grad else ""
        return Case(
            f"softmax(logits, dim={dim}) for {kind}logits of shape "
            f"{shape_text(logits.shape)}{grad}{note}",
            {"args": (logits, dim), "kwargs": {}},
        )

    logits = rand(4, 3)
    yield case(logits, 1)
    yield case(logits * 1000, 1, " (large logits)")
    yield case(rand(4, 3) - 1, 1)
    yield case(rand(3, 5), 0)
    yield case(rand(4, 4), 1, " (square)")
    yield case(rand(4, 4) * 500, 0, " (square, large logits)")
    yield case(rand(2, 3, 4, dtype=torch.float64), -1)
    yield case(rand(2, 3, 4), 1)
    yield case(rand(3, 2, 5), -2)
    offsets = torch.tensor([[0.0], [-2000.0], [2000.0]])
    yield case(rand(3, 4) + offsets, 1, " (rows far apart)")
    yield case(rand(6), 0)
    yield case(rand(5, 6).requires_grad_(), 1)
    yield case(rand(4, 3, dtype=torch.float64).requires_grad_(), 0)


def check_softmax(case, got, expected):
    logits, dim = case.inputs["args"]
    logits = logits.detach()
    what = case.description
    fault = builtin_fault(
        "softmax",
        got,
        expected,
        {"_softmax", "softmax", "_log_softmax", "log_softmax"},
        ("softmax", "from exp and sum"),
    )
    if fault:
        return fault
    if "raised" in got:
        error = got["raised"].rstrip(".")
        if "leaf Variable" in error:
            return (
                f"{what} raised {error}: it changes the logits in place. "
                "Compute new tensors and leave the caller's logits as they were."
            )
        return (
            f"{what} raised {error}. Take the max and the sum with "
            "keepdim=True, so that they keep their dimension and broadcast "
            "against the logits."
        )
    out, theirs = got["out"], expected["out"]
    fault = compare_tensor(out, theirs, what)
    if fault and not fault.endswith("returns wrong values."):
        return fault
    if fault:
        if not bool(torch.isfinite(out).all()):
            return (
                f"{what} contains nan or inf: exp overflowed or every exp "
                "underflowed to 0. Subtract the maximum along dim (keepdim=True) "
                "before exp; it does not change the result."
            )
        ones = torch.ones(1, dtype=out.dtype)
        axis = dim % out.dim()
        if not torch.allclose(out.sum(dim=axis), ones, atol=1e-5):
            if torch.allclose(out.sum(), ones, atol=1e-5):
                return f"The whole result of {what} sums to 1: sum along dim only."
            others = [d for d in range(out.dim()) if d != axis]
            if any(torch.allclose(out.sum(dim=d), ones, atol=1e-5) for d in others):
                return (
                    f"The values of {what} sum to 1 along another dimension, not "
                    f"along dim={dim}: normalise along the dim you are given."
                )
            return (
                f"The values of {what} do not sum to 1 along dim={dim}: divide by "
                "the sum along dim, taken with keepdim=True."
            )
        return (
            f"{fault} Compute exp(logits - max) / sum(exp(logits - max)) along "
            "dim, the max and the sum taken with keepdim=True."
        )
    return first_fault(
        arguments_unchanged(case, got, expected),
        autograd_fault(what, got, expected, ("the logits",)),
    )


# ---- collapse_linear(first, second)


def probe_collapse_linear(collapse_linear, W1, b1, W2, b2, X):
    import torch
    from torch import nn

    from nncourse.probe import error_text

    first = nn.Linear(W1.shape[1], W1.shape[0])
    second = nn.Linear(W2.shape[1], W2.shape[0])
    with torch.no_grad():
        for parameter, value in zip(
            (first.weight, first.bias, second.weight, second.bias),
            (W1, b1, W2, b2),
            strict=True,
        ):
            parameter.copy_(value)
    try:
        merged = collapse_linear(first, second)
    except RuntimeError as error:
        return {"raised": error_text(error)}
    result = {
        "type": type(merged).__name__,
        "linear": isinstance(merged, nn.Linear),
        "returned_an_argument": merged is first or merged is second,
        "unchanged": all(
            torch.equal(parameter, value)
            for parameter, value in zip(
                (first.weight, first.bias, second.weight, second.bias),
                (W1, b1, W2, b2),
                strict=True,
            )
        ),
    }
    if not result["linear"]:
        return result
    parameters = list(merged.parameters())
    theirs = [*first.parameters(), *second.parameters()]
    result.update(
        features=[merged.in_features, merged.out_features],
        weight=merged.weight,
        bias=merged.bias,
        trainable=len(parameters) == 2
        and all(p.is_leaf and p.requires_grad for p in parameters),
        shared=any(p is q for p in parameters for q in theirs),
    )
    try:
        with torch.no_grad():
            result["out"] = merged(X)
    except Exception as error:  # noqa: BLE001 -- reported to the grader
        result["forward_error"] = error_text(error)
    return result


def collapse_cases(gen):
    def case(n_in, middle, n_out, note=""):
        return Case(
            f"collapse_linear(Linear({n_in}, {middle}), Linear({middle}, {n_out}))"
            f"{note}, then applied to X of shape (6, {n_in})",
            {
                "W1": torch.randn(middle, n_in, generator=gen),
                "b1": torch.randn(middle, generator=gen),
                "W2": torch.randn(n_out, middle, generator=gen),
                "b2": torch.randn(n_out, generator=gen),
                "X": torch.randn(6, n_in, generator=gen),
            },
        )

    yield case(4, 3, 2)
    yield case(3, 3, 3, " (square layers)")
    yield case(3, 3, 3, " (other square layers)")
    yield case(5, 2, 6)
    yield case(2, 7, 1)


def check_collapse(case, got, expected):
    inputs = case.inputs
    W1, b1, W2, b2 = (inputs[name] for name in ("W1", "b1", "W2", "b2"))
    n_in, n_out = W1.shape[1], W2.shape[0]
    call = (
        f"collapse_linear(Linear({n_in}, {W1.shape[0]}), "
        f"Linear({W2.shape[1]}, {n_out}))"
    )
    what = case.description
    if "raised" in got:
        if "leaf Variable" in got["raised"]:
            hint = "Copy into the new layer's parameters inside torch.no_grad()."
        else:
            hint = (
                "Check the shapes: the new weight is second.weight @ "
                "first.weight, of shape (second.out_features, "
                "first.in_features), and the new bias has shape "
                "(second.out_features,)."
            )
        return f"{call} raised {got['raised'].rstrip('.')}. {hint}"
    if not got["linear"]:
        return f"{call} should be a nn.Linear, but it is a {got['type']}."
    if got["returned_an_argument"] or not got["unchanged"]:
        return (
            f"{call} changed first or second: build a new nn.Linear and leave "
            "the two layers as they were."
        )
    if got["features"] != expected["features"]:
        a, b = got["features"]
        return f"{call} returns Linear({a}, {b}); expected Linear({n_in}, {n_out})."
    if "forward_error" in got:
        return f"{what} raised {got['forward_error'].rstrip('.')}"
    fault = compare_tensor(got["out"], expected["out"], what)
    if fault:
        weight = got["weight"]
        if close(weight, expected["weight"]):
            return (
                f"{what}: the weight is right but the bias is not. The first "
                "layer's bias also goes through the second layer's weight: "
                "b = W2 b1 + b2."
            )
        if W1.shape == W2.shape[::-1] and close(weight, W1 @ W2):
            return (
                f"{what}: the weight is first.weight @ second.weight. The "
                "combined weight is second.weight @ first.weight, in that order."
            )
        if fault.endswith("returns wrong values."):
            fault += (
                " Expand (X W1^T + b1) W2^T + b2: the weight is W2 W1 and the "
                "bias W2 b1 + b2."
            )
        return fault
    if got["shared"]:
        return (
            f"{call} returns a layer that shares a parameter with first or "
            "second: give the new layer its own weight and bias."
        )
    if not got["trainable"]:
        return (
            f"The layer that {call} returns cannot be trained: its weight and "
            "bias must stay its own parameters (leaves that require grad). Copy "
            "the values into them inside torch.no_grad() (weight.copy_(...))."
        )
    return None


# ---- conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1)


def probe_conv_output_size(conv_output_size, args, kwargs):
    import math

    # The test cell this stands in for imported math into the notebook.
    scope = getattr(conv_output_size, "__globals__", None)
    if type(scope) is dict and scope.get("__name__") == "__main__":
        scope.setdefault("math", math)
    out = conv_output_size(*args, **kwargs)
    return {"out": out, "type": type(out).__name__}


def conv_cases(gen):
    def case(args, kwargs):
        shown = [str(a) for a in args] + [f"{k}={v}" for k, v in kwargs.items()]
        return Case(
            f"conv_output_size({', '.join(shown)})", {"args": args, "kwargs": kwargs}
        )

    yield case((28, 5), {})
    for size, kernel, stride, padding in (
        (28, 5, 1, 2),
        (28, 3, 2, 1),
        (28, 3, 2, 0),
        (24, 2, 2, 0),
        (7, 2, 2, 0),
        (100, 7, 3, 3),
        (5, 5, 1, 0),
        (10, 1, 4, 2),
    ):
        yield case((size, kernel), {"stride": stride, "padding": padding})
    for size, kernel, stride, padding, dilation in (
        (28, 3, 1, 0, 2),
        (28, 3, 1, 2, 2),
        (28, 5, 1, 0, 3),
        (32, 3, 2, 1, 2),
        (29, 4, 3, 1, 3),
        (64, 3, 1, 4, 4),
        (9, 2, 1, 0, 8),
        (40, 1, 2, 0, 5),
        (50, 7, 4, 3, 2),
    ):
        yield case(
            (size, kernel),
            {"stride": stride, "padding": padding, "dilation": dilation},
        )
    yield case((29, 3, 2, 1), {})
    yield case((28, 3, 1, 1, 2), {})
    yield case((31, 4), {"stride": 3})
    yield case((28, 3), {"dilation": 2})
    yield case((27, 5), {"padding": 2, "dilation": 2})
    yield case(
        (), {"size": 27, "kernel_size": 3, "stride": 2, "padding": 1, "dilation": 3}
    )
    for _ in range(8):
        padding = int(torch.randint(0, 4, (1,), generator=gen))
        kernel = int(torch.randint(1, 8, (1,), generator=gen))
        dilation = int(torch.randint(1, 5, (1,), generator=gen))
        span = dilation * (kernel - 1) + 1
        size = int(torch.randint(max(1, span - 2 * padding), 120, (1,), generator=gen))
        stride = int(torch.randint(1, 5, (1,), generator=gen))
        yield case(
            (size, kernel),
            {"stride": stride, "padding": padding, "dilation": dilation},
        )


def conv_arguments(case):
    names = ("size", "kernel_size", "stride", "padding", "dilation")
    values = dict(zip(names, case.inputs["args"], strict=False))
    values.update(case.inputs["kwargs"])
    values.setdefault("stride", 1)
    values.setdefault("padding", 0)
    values.setdefault("dilation", 1)
    return (values[name] for name in names)


def conv_mistakes(size, kernel, stride, padding, dilation):
    """(result, hint) of the known mistakes; those about the dilation only
    where there is one (with dilation=1 they coincide with the formula or
    with rounding up)."""
    padded, span = size + 2 * padding, dilation * (kernel - 1) + 1
    mistakes = [
        (
            (size - span) // stride + 1,
            "the size without padding. Add 2 * padding to the size.",
        ),
        (
            (size + padding - span) // stride + 1,
            "the padding counted once. It is added on both sides: size + 2 * padding.",
        ),
        (
            math.ceil((padded - span) / stride) + 1,
            "rounded up. Round down (floor) with //.",
        ),
    ]
    if dilation > 1:
        mistakes += [
            (
                (padded - kernel) // stride + 1,
                "the size for dilation=1. The dilated kernel covers "
                "dilation * (kernel_size - 1) + 1 pixels.",
            ),
            (
                (padded - dilation * kernel) // stride + 1,
                "a kernel that covers dilation * kernel_size pixels. The gaps lie "
                "between its taps only: it covers dilation * (kernel_size - 1) + 1.",
            ),
            (
                (padded - dilation * (kernel - 1)) // stride + 1,
                "a kernel that covers dilation * (kernel_size - 1) pixels. Count "
                "its first tap too: dilation * (kernel_size - 1) + 1.",
            ),
        ]
    return mistakes


def check_conv(case, got, expected):
    size, kernel, stride, padding, dilation = conv_arguments(case)
    call = case.description
    value, kind = got["out"], got["type"]
    if kind == "float":
        return (
            f"{call} returned the float {value}: use integer division //, which "
            "also takes the floor."
        )
    if kind != "int":
        return f"{call} should return an int, but it returned a {kind}."
    wanted = expected["out"]
    if value == wanted:
        return None
    for result, hint in conv_mistakes(size, kernel, stride, padding, dilation):
        if value == result:
            return f"{call} returned {value}, {hint} Expected {wanted}."
    return (
        f"{call} returned {value}; expected {wanted}. Count the positions where "
        "the dilated kernel, dilation * (kernel_size - 1) + 1 pixels wide, fits "
        "into the padded input, one every stride pixels."
    )


# ---- LeNet(image_shape, num_classes)


def probe_lenet(
    LeNet,
    image_shape,
    num_classes,
    X,
    fill,
    double=False,
    channels_last=False,
    grad=False,
):
    import torch
    from torch import nn

    from nncourse.probe import error_text, fill_parameters

    if not (isinstance(LeNet, type) and issubclass(LeNet, nn.Module)):
        return {"module_class": False}
    # The test cell this stands in for imported F into the notebook.
    for method in vars(LeNet).values():
        scope = getattr(method, "__globals__", None)
        if type(scope) is dict and scope.get("__name__") == "__main__":
            scope.setdefault("F", nn.functional)
    ran = []
    hook = nn.modules.module.register_module_forward_hook(
        lambda module, *_: ran.append(type(module).__name__)
    )
    try:
        model = LeNet(tuple(image_shape), num_classes)
        again = LeNet(tuple(image_shape), num_classes)
    except Exception as error:  # noqa: BLE001 -- reported to the grader
        return {"init_error": error_text(error)}
    finally:
        hook.remove()
    parameters = list(model.parameters())
    result = {
        "ran_in_init": sorted(set(ran)),
        "shapes": sorted(list(p.shape) for p in parameters),
        "convs": [
            list(m.weight.shape) for m in model.modules() if isinstance(m, nn.Conv2d)
        ],
        "widths": [
            [m.in_features, m.out_features]
            for m in model.modules()
            if isinstance(m, nn.Linear)
        ],
        "same_init": bool(parameters)
        and all(
            torch.equal(p, q)
            for p, q in zip(parameters, again.parameters(), strict=False)
        ),
    }
    fill_parameters(model, fill)
    if double:
        model.double()
    if channels_last:
        model.to(memory_format=torch.channels_last)
    X = X.clone().requires_grad_(grad)
    try:
        out = model(X)
    except Exception as error:  # noqa: BLE001
        result["forward_error"] = error_text(error)
        return result
    result["out"] = out
    result["requires_grad"] = bool(getattr(out, "requires_grad", False))
    if grad and result["requires_grad"] and out.is_floating_point():
        weights = torch.linspace(-1, 1, out.numel(), dtype=out.dtype)
        (out * weights.reshape(out.shape)).sum().backward()
        result["X_grad"] = X.grad
        ordered = sorted(model.parameters(), key=lambda p: list(p.shape))
        result["grads"] = [p.grad for p in ordered]
    return result


def lenet_cases(gen):
    # num_classes is never 6, 16, 84 or 120, so that every parameter's shape
    # differs from the others' and the values fill_parameters gives them do
    # not depend on the order in which the layers were registered.
    def case(image_shape, num_classes, n, note="", **options):
        dtype = torch.float64 if options.get("double") else torch.float32
        X = torch.randn(n, *image_shape, generator=gen, dtype=dtype)
        kind = "float64 " if options.get("double") else ""
        grad = " that requires grad" if options.get("grad") else ""
        return Case(
            f"LeNet({tuple(image_shape)}, {num_classes})(X) for {kind}X of shape "
            f"{shape_text(X.shape)}{grad}{note}",
            {
                "image_shape": list(image_shape),
                "num_classes": num_classes,
                "X": X,
                "fill": seed_of(gen),
                **options,
            },
            seed=seed_of(gen),
        )

    yield case((1, 28, 28), 10, 3)
    yield case((3, 32, 32), 10, 4)
    yield case((3, 32, 32), 10, 4, " (another batch)")
    yield case((1, 30, 30), 5, 2, " (the floor: 30 -> 26 -> 13 -> 9 -> 4)")
    yield case((2, 40, 24), 7, 3, " (higher than wide)")
    yield case((1, 24, 64), 3, 2, " (wider than high)")
    yield case((4, 16, 17), 2, 5, " (the smallest images that fit)")
    yield case((1, 28, 28), 10, 1, " (one image)")
    # 27 and 19 pixels: halving 23 and 15 with round() instead of the floor
    # gives 12 and 8, not 11 and 7.
    yield case((3, 27, 33), 4, 2, double=True)
    yield case(
        (1, 28, 36),
        10,
        4,
        ", the model in channels_last memory format",
        channels_last=True,
    )
    yield case((3, 19, 22), 11, 2, grad=True)
    for _ in range(2):
        channels = int(torch.randint(1, 5, (1,), generator=gen))
        height, width = torch.randint(16, 72, (2,), generator=gen).tolist()
        choices = [n for n in range(2, 16) if n != 6]
        num_classes = choices[int(torch.randint(len(choices), (1,), generator=gen))]
        yield case((channels, height, width), num_classes, 2)


def pooled(size):
    """The height (or width) after the two stages of conv 5x5 and pool 2."""
    for _ in range(2):
        size = (size - 4) // 2
    return size


def lenet_widths_fault(case, got):
    channels, height, width = case.inputs["image_shape"]
    num_classes = case.inputs["num_classes"]
    call = f"LeNet({(channels, height, width)}, {num_classes})"
    convs, widths = got["convs"], got["widths"]
    if (len(convs), len(widths)) != (2, 3):
        return (
            f"{call} registers {len(convs)} nn.Conv2d and {len(widths)} nn.Linear "
            "layers; expected 2 and 3. Assign them as attributes (or inside an "
            "nn.Sequential), not in a plain list."
        )
    if sorted(convs) != sorted([[6, channels, 5, 5], [16, 6, 5, 5]]):
        return (
            f"The convolutions of {call} have weights of shapes "
            f"{[tuple(c) for c in convs]}; expected Conv2d({channels}, 6, 5), for "
            f"images of {channels} channels, then Conv2d(6, 16, 5)."
        )
    h, w = pooled(height), pooled(width)
    first = [n_in for n_in, n_out in widths if n_out == 120]
    if first and first[0] != 16 * h * w:
        hint = (
            f" For {height}x{width} images the second max-pool returns 16 maps "
            "of h x w, h and w computed from height and width with the "
            "output-size formula, rounding down."
        )
        if first[0] in (16 * 4 * 4, 16 * 5 * 5) and first[0] != 16 * h * w:
            hint = (
                " That number fits one image size only: compute it in __init__ "
                "from the height and the width of image_shape."
            )
        elif h != w and first[0] in (16 * h * h, 16 * w * w):
            hint = (
                " It uses the height (or the width) twice: the maps after the "
                "last pooling are not square when the images are not."
            )
        return (
            f"The first linear layer of {call} takes {first[0]} features; "
            f"expected {16 * h * w}.{hint}"
        )
    wanted = [[16 * h * w, 120], [120, 84], [84, num_classes]]
    if sorted(widths) != sorted(wanted):
        return (
            f"The linear layers of {call} map {[tuple(w) for w in widths]}; "
            f"expected {', '.join(str(tuple(w)) for w in wanted)}."
        )
    return None


def lenet_construction_fault(case, got, expected):
    if not got.get("module_class", True):
        return "LeNet should be a class that subclasses torch.nn.Module."
    if "init_error" in got:
        error = got["init_error"]
        if any(text in error for text in SUPER_INIT):
            return (
                f"LeNet(...) failed with {error}. Call super().__init__() as the "
                "first line of __init__, before assigning any layer."
            )
        if "float" in error:
            return (
                f"LeNet{tuple(case.inputs['image_shape'])} raised {error}. The "
                "sizes are ints: divide with //, which also rounds down."
            )
        return f"LeNet(...) raised {error.rstrip('.')}"
    if got["ran_in_init"]:
        return (
            f"LeNet(...) runs layers in __init__ ({', '.join(got['ran_in_init'])}) "
            "to measure the flattened size: work it out from height and width "
            "with the output-size formula instead."
        )
    if got["shapes"] != expected["shapes"]:
        biases = sum(len(shape) == 1 for shape in got["shapes"])
        if biases < sum(len(shape) == 1 for shape in expected["shapes"]):
            return (
                "A layer of LeNet has no bias: keep nn.Conv2d's and nn.Linear's "
                "default, bias=True."
            )
        return lenet_widths_fault(case, got) or (
            f"The parameters of LeNet have shapes {got['shapes']}; expected "
            f"{expected['shapes']}."
        )
    if got["same_init"] and not expected["same_init"]:
        return (
            "Two LeNet(...) built one after the other start with the same "
            "weights: __init__ seeds torch's random generator (torch.manual_seed) "
            "or sets constant values. Leave PyTorch's random initialisation "
            "alone; seeding belongs to the caller, and a seed set inside also "
            "resets the random numbers of all the code that runs after it."
        )
    return None


def check_lenet(case, got, expected):
    what = case.description
    fault = lenet_construction_fault(case, got, expected)
    if fault:
        return fault
    if "forward_error" in got:
        error = got["forward_error"].rstrip(".")
        if "view" in error:
            return (
                f"{what} raised {error}. Flatten with an nn.Flatten() layer (or "
                "torch.flatten(X, 1)), not with .view(...), which fails on "
                "tensors whose memory is not laid out row by row."
            )
        return (
            f"{what} raised {error}. Trace the shapes layer by layer with the "
            "output-size formula."
        )
    out, theirs = got["out"], expected["out"]
    fault = compare_tensor(out, theirs, what)
    if fault:
        if not bool((theirs >= 0).all()) and close(out, theirs.clamp(min=0)):
            return (
                f"{what} returns wrong values: no logit is negative. Is there a "
                "ReLU after the last Linear layer? The last layer must return "
                "raw logits."
            )
        if fault.endswith("returns wrong values."):
            fault += (
                " Conv, ReLU, max-pool, conv, ReLU, max-pool, flatten, then "
                "Linear and ReLU twice and a last Linear, in that order."
            )
        return fault
    if expected.get("requires_grad") and not got.get("requires_grad"):
        return (
            f"{what} cuts the autograd graph, so LeNet could not be trained: no "
            "torch.no_grad() or .detach() in forward."
        )
    for key, name in (("X_grad", "the input X"), ("grads", "the parameters")):
        theirs = expected.get(key)
        mine = got.get(key)
        if theirs is None:
            continue
        pairs = (
            zip(mine, theirs, strict=True)
            if isinstance(mine, list) and len(mine) == len(theirs)
            else [(mine, theirs)]
        )
        if not all(close(a, b, 1e-5, 1e-4) for a, b in pairs):
            return (
                f"{what} gives wrong gradients with respect to {name}: compute "
                "the logits with differentiable operations only."
            )
    return None


EXERCISES = [
    Exercise(
        test="linear-forward-tests",
        answer="linear-forward",
        names=("linear_forward",),
        cases=linear_cases,
        check=check_linear,
        probe=probe_by_hand,
        forbidden={
            name: "linear_forward uses PyTorch's own linear layer "
            f"({name}): this exercise asks you to write it by hand, with @ and "
            "W.T."
            for name in ("linear", "Linear", "addmm", "LazyLinear")
        },
    ),
    Exercise(
        test="collapse-linear-tests",
        answer="collapse-linear",
        names=("collapse_linear",),
        cases=collapse_cases,
        check=check_collapse,
        probe=probe_collapse_linear,
    ),
    Exercise(
        test="softmax-tests",
        answer="softmax",
        names=("softmax",),
        cases=softmax_cases,
        check=check_softmax,
        probe=probe_by_hand,
        forbidden={
            name: f"softmax uses PyTorch's {name}: this exercise asks you to "
            "write softmax by hand, from exp and sum."
            for name in ("Softmax", "log_softmax", "LogSoftmax")
        },
    ),
    Exercise(
        test="conv-output-size-tests",
        answer="conv-output-size",
        names=("conv_output_size",),
        cases=conv_cases,
        check=check_conv,
        probe=probe_conv_output_size,
        forbidden={
            name: "conv_output_size runs a layer "
            f"({name}) to measure its output: this exercise asks you to work "
            "out the formula, from the positions where the dilated kernel fits."
            for name in (
                "conv1d",
                "conv2d",
                "conv3d",
                "Conv1d",
                "Conv2d",
                "Conv3d",
                "convolution",
                "max_pool1d",
                "max_pool2d",
                "MaxPool1d",
                "MaxPool2d",
                "avg_pool2d",
                "AvgPool2d",
                "unfold",
                "Unfold",
            )
        },
    ),
    Exercise(
        test="lenet-tests",
        answer="lenet",
        names=("LeNet",),
        cases=lenet_cases,
        check=check_lenet,
        probe=probe_lenet,
        forbidden={
            "forward": "LeNet calls .forward(...) on a module directly. Call "
            "the module itself, as self.features(X): that runs PyTorch's hooks "
            "(and torch.compile), which .forward() skips.",
            "LazyLinear": "LeNet uses nn.LazyLinear, which finds its "
            "in_features on the first call: this exercise asks you to work the "
            "number out from the image shape, with the output-size formula.",
        },
    ),
]
