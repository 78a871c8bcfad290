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

    def case(X, W, b, note=""):
        kind = "float64 " if X.dtype == torch.float64 else ""
        grad = " that require grad" if X.requires_grad else ""
        return Case(
            f"linear_forward(X, W, b) for {kind}X of shape {shape_text(X.shape)}, "
            f"W of shape {shape_text(W.shape)} and b{grad}{note}",
            {"args": (X, W, b), "kwargs": {}},
        )

    X = rand(5, 3)
    yield case(X, rand(2, 3), rand(2))
    W, b = rand(3, 3), rand(3)
    yield case(X, W, b, " (a square W)")
    yield case(rand(5, 3) * 2, W, b, " (a square W, another X)")
    for n, d_in, d_out in ((1, 6, 4), (7, 2, 5), (3, 4, 4)):
        f64 = torch.float64
        yield case(
            rand(n, d_in, dtype=f64),
            rand(d_out, d_in, dtype=f64),
            rand(d_out, dtype=f64),
        )
    grad = [rand(6, 10), rand(4, 10), rand(4)]
    yield case(*(t.requires_grad_() for t in grad))
    grad = [rand(3, 4, dtype=torch.float64), rand(4, 4, dtype=torch.float64)]
    grad.append(rand(4, dtype=torch.float64))
    yield case(*(t.requires_grad_() for t in grad))
    yield case(rand(16, 64), rand(32, 64) / 8, rand(32))


def check_linear(case, got, expected):
    X, W, b = (t.detach() for t in case.inputs["args"])
    what = case.description
    fault = builtin_fault(
        "linear_forward",
        got,
        expected,
        {"addmm", "linear"},
        ("linear layer", "as X @ W.T + b"),
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
        return (
            f"{what} raised {error}. W is stored as (out_features, "
            "in_features): multiply X by W.T."
        )
    mistakes = [(X @ W.T, "it leaves out the bias: add b.")]
    if W.shape[0] == W.shape[1]:
        mistakes.append(
            (
                X @ W + b,
                "with a square W it computes X @ W + b. W is stored as "
                "(out_features, in_features), so multiply by its transpose W.T.",
            )
        )
    fault = wrong_tensor(got["out"], expected["out"], what, mistakes)
    if fault and fault.endswith("returns wrong values."):
        fault += " Compute X @ W.T + b."
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


# ---- conv_output_size(size, kernel_size, stride=1, padding=0)


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
        (32, 5, 1, 0),
        (7, 2, 2, 0),
        (100, 7, 3, 3),
        (5, 5, 1, 0),
        (10, 1, 4, 2),
        (64, 4, 2, 1),
    ):
        yield case((size, kernel), {"stride": stride, "padding": padding})
    yield case((29, 3, 2, 1), {})
    yield case((28, 5), {"padding": 2})
    yield case((31, 4), {"stride": 3})
    yield case((), {"size": 27, "kernel_size": 3, "stride": 2, "padding": 1})
    for _ in range(6):
        padding = int(torch.randint(0, 4, (1,), generator=gen))
        kernel = int(torch.randint(1, 12, (1,), generator=gen))
        size = int(
            torch.randint(max(1, kernel - 2 * padding), 120, (1,), generator=gen)
        )
        stride = int(torch.randint(1, 5, (1,), generator=gen))
        yield case((size, kernel), {"stride": stride, "padding": padding})


def conv_arguments(case):
    names = ("size", "kernel_size", "stride", "padding")
    values = dict(zip(names, case.inputs["args"], strict=False))
    values.update(case.inputs["kwargs"])
    values.setdefault("stride", 1)
    values.setdefault("padding", 0)
    return (values[name] for name in names)


def check_conv(case, got, expected):
    size, kernel, stride, padding = conv_arguments(case)
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
    if padding and value == (size - kernel) // stride + 1:
        return (
            f"{call} returned {value}, the size without padding; expected "
            f"{wanted}. Add 2 * padding to the size."
        )
    if padding and value == (size + padding - kernel) // stride + 1:
        return (
            f"{call} returned {value}; expected {wanted}. The padding is added "
            "on both sides: size + 2 * padding."
        )
    if value == math.ceil((size + 2 * padding - kernel) / stride) + 1:
        return (
            f"{call} returned {value}, rounded up; expected {wanted}. Round down "
            "(floor) with //."
        )
    return (
        f"{call} returned {value}; expected {wanted}. Use "
        "floor((size + 2 * padding - kernel_size) / stride) + 1."
    )


# ---- LeNet()


def probe_lenet(LeNet, X, fill, double=False, channels_last=False, grad=False):
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
    try:
        model = LeNet()
        again = LeNet()
    except Exception as error:  # noqa: BLE001 -- reported to the grader
        return {"init_error": error_text(error)}
    parameters = list(model.parameters())
    result = {
        "shapes": sorted(list(p.shape) for p in parameters),
        "convs": sorted(
            list(m.weight.shape) for m in model.modules() if isinstance(m, nn.Conv2d)
        ),
        "widths": [
            [m.in_features, m.out_features]
            for m in model.modules()
            if isinstance(m, nn.Linear)
        ],
        "count": sum(p.numel() for p in parameters),
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
    def case(X, note="", **options):
        kind = "float64 " if X.dtype == torch.float64 else ""
        return Case(
            f"LeNet()(X) for {kind}X of shape {shape_text(X.shape)}{note}",
            {"X": X, "fill": seed_of(gen), **options},
            seed=seed_of(gen),
        )

    yield case(torch.rand(3, 1, 28, 28, generator=gen))
    yield case(torch.randn(16, 1, 28, 28, generator=gen))
    yield case(torch.randn(16, 1, 28, 28, generator=gen) + 0.5, " (another batch)")
    yield case(torch.rand(1, 1, 28, 28, generator=gen), " (one image)")
    yield case(
        torch.randn(4, 1, 28, 28, generator=gen),
        ", the model in channels_last memory format",
        channels_last=True,
    )
    yield case(
        torch.randn(2, 1, 28, 28, generator=gen, dtype=torch.float64), double=True
    )
    yield case(
        torch.randn(2, 1, 28, 28, generator=gen), " that requires grad", grad=True
    )


def check_lenet(case, got, expected):
    what = case.description
    if not got.get("module_class", True):
        return "LeNet should be a class that subclasses torch.nn.Module."
    if "init_error" in got:
        error = got["init_error"]
        if any(text in error for text in SUPER_INIT):
            return (
                f"LeNet() failed with {error}. Call super().__init__() as the "
                "first line of __init__, before assigning any layer."
            )
        return f"LeNet() raised {error.rstrip('.')}"
    if got["shapes"] != expected["shapes"]:
        convs, widths = got["convs"], got["widths"]
        if (len(convs), len(widths)) != (2, 3):
            return (
                f"LeNet registers {len(convs)} nn.Conv2d and {len(widths)} "
                "nn.Linear layers; expected 2 and 3. Assign them as attributes "
                "(or inside an nn.Sequential), not in a plain list."
            )
        biases = sum(len(shape) == 1 for shape in got["shapes"])
        if biases < sum(len(shape) == 1 for shape in expected["shapes"]):
            return (
                "A layer of LeNet has no bias: keep nn.Conv2d's and nn.Linear's "
                "default, bias=True."
            )
        if convs != expected["convs"]:
            return (
                f"The convolutions' weights have shapes {[tuple(c) for c in convs]}; "
                "expected Conv2d(1, 6, 5) then Conv2d(6, 16, 5)."
            )
        first = [n_in for n_in, n_out in widths if n_out == 120]
        if first and first[0] != 400:
            return (
                f"The first linear layer takes {first[0]} features. With "
                "padding=2 the second max-pool returns 16 maps of 5x5, so it "
                "needs 16 * 5 * 5 = 400."
            )
        return (
            f"The linear layers map {[tuple(w) for w in widths]}; expected "
            "(400, 120), (120, 84), (84, 10)."
        )
    if got["same_init"] and not expected["same_init"]:
        return (
            "Two LeNet() built one after the other start with the same weights: "
            "__init__ seeds torch's random generator (torch.manual_seed) or sets "
            "constant values. Leave PyTorch's random initialisation alone; "
            "seeding belongs to the caller, and a seed set inside also resets "
            "the random numbers of all the code that runs after it."
        )
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
                " Conv (padding=2), ReLU, max-pool, conv, ReLU, max-pool, "
                "flatten, then Linear and ReLU twice and a last Linear, in that "
                "order."
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
            f"({name}): this exercise asks you to write X @ W.T + b by hand."
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
            name: "conv_output_size runs a convolution "
            f"({name}) to measure its output: this exercise asks for the "
            "formula, floor((size + 2 * padding - kernel_size) / stride) + 1."
            for name in (
                "conv1d",
                "conv2d",
                "conv3d",
                "Conv1d",
                "Conv2d",
                "Conv3d",
                "convolution",
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
        },
    ),
]
