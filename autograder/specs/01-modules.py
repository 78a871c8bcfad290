"""Chapter 01's exercises, judged by the grader (see nncourse.specs).

Every case is drawn afresh each grading run; the descriptions are what the
student reads. The probes build the modules themselves, give every parameter
values that depend only on its shape (nncourse.probe.fill_parameters), so the
student's module and the solution's compute the same function whatever their
layers are called, and return plain data: shapes, outputs, gradients, modes.
"""

import torch

from nncourse.specs import (
    Case,
    Exercise,
    close,
    compare_tensor,
    first_fault,
    seed_of,
    wrong_tensor,
)

# What PyTorch raises when a Module's constructor skipped super().__init__().
SUPER_INIT = ("before Module.__init__() call", "has no attribute '_")
FORWARD = (
    "calls .forward(...) on a module directly. Call the module itself, as "
    "self.layer(X) or model(X): that runs PyTorch's hooks (and torch.compile), "
    "which .forward() skips."
)


def shape_text(shape) -> str:
    return str(tuple(shape))


def constructor_fault(name, call, got):
    """The class is an nn.Module and its constructor ran."""
    if not got.get("module_class", True):
        return f"{name} should be a class that subclasses torch.nn.Module."
    error = got.get("init_error")
    if error is None:
        return None
    if any(text in error for text in SUPER_INIT):
        return (
            f"{call} failed with {error}. Call super().__init__() as the first "
            "line of __init__, before assigning any layer."
        )
    return f"{call} raised {error.rstrip('.')}"


def same_init_fault(call, got, expected):
    if got.get("same_init") and not expected.get("same_init"):
        return (
            f"Two {call} built one after the other start with the same weights: "
            "the construction seeds torch's random generator (torch.manual_seed) "
            "or sets constant values. Leave PyTorch's random initialisation "
            "alone; seeding belongs to the caller, and a seed set inside also "
            "resets the random numbers of all the code that runs after it."
        )
    return None


def autograd_fault(what, got, expected):
    """The result keeps the autograd graph and its gradients are right."""
    if expected.get("requires_grad") and not got.get("requires_grad"):
        return (
            f"{what} cuts the autograd graph, so nothing before it could be "
            "trained: no torch.no_grad(), .detach(), .item() or NumPy round trip "
            "inside."
        )
    for key, name in (("X_grad", "the input X"), ("grads", "the parameters")):
        theirs = expected.get(key)
        if theirs is None:
            continue
        mine = got.get(key)
        pairs = (
            list(zip(mine, theirs, strict=True))
            if isinstance(theirs, list)
            and isinstance(mine, list)
            and len(mine) == len(theirs)
            else [(mine, theirs)]
        )
        for a, b in pairs:
            if b is None:
                continue
            if a is None or not close(a, b, 1e-5, 1e-4):
                return (
                    f"{what} gives wrong gradients with respect to {name}: "
                    "compute the output from the input with differentiable tensor "
                    "operations only (nothing detached on the way)."
                )
    return None


def leaked_dtype_fault(what, got, expected):
    if got.get("default_dtype") != expected.get("default_dtype"):
        return (
            f"{what} changed torch's default dtype to {got.get('default_dtype')} "
            "(torch.set_default_dtype) and left it so: that changes every tensor "
            "created after it. Give dtypes to the tensors you make instead."
        )
    return None


# ---- ResidualBlock(in_features, hidden_features, out_features)


def probe_residual_block(ResidualBlock, sizes, X, fill, double=False, grad=False):
    import torch
    from torch import nn

    from nncourse.probe import error_text, fill_parameters

    if not (isinstance(ResidualBlock, type) and issubclass(ResidualBlock, nn.Module)):
        return {"module_class": False}
    try:
        block = ResidualBlock(*sizes)
        again = ResidualBlock(*sizes)
    except Exception as error:  # noqa: BLE001 -- reported to the grader
        return {"init_error": error_text(error)}
    parameters = list(block.parameters())
    result = {
        "shapes": sorted(list(p.shape) for p in parameters),
        "same_init": bool(parameters)
        and all(
            torch.equal(p, q)
            for p, q in zip(parameters, again.parameters(), strict=False)
        ),
        "shared": any(p is q for p in parameters for q in again.parameters()),
        "default_dtype": str(torch.get_default_dtype()),
    }
    fill_parameters(block, fill)
    if double:
        block.double()
    X = X.clone().requires_grad_(grad)
    before = X.detach().clone()
    try:
        out = block(X)
    except Exception as error:  # noqa: BLE001
        result["forward_error"] = error_text(error)
        return result
    result["out"] = out
    result["X_unchanged"] = torch.equal(X.detach(), before)
    result["requires_grad"] = bool(getattr(out, "requires_grad", False))
    if grad and result["requires_grad"] and out.is_floating_point():
        weights = torch.linspace(-1, 1, out.numel(), dtype=out.dtype)
        (out * weights.reshape(out.shape)).sum().backward()
        result["X_grad"] = X.grad
        ordered = sorted(block.parameters(), key=lambda p: list(p.shape))
        result["grads"] = [p.grad for p in ordered]
    return result


def residual_block_cases(gen):
    # In every case the parameters have shapes that differ from each other
    # (hidden_features differs from both widths), so that the values that
    # fill_parameters gives them do not depend on the order of registration.
    def case(sizes, X, note="", **options):
        block = f"ResidualBlock({', '.join(map(str, sizes))})"
        kind = "float64 " if options.get("double") else ""
        grad = " that requires grad" if options.get("grad") else ""
        return Case(
            f"{block}(X) for {kind}X of shape {shape_text(X.shape)}{grad}{note}",
            {"sizes": sizes, "X": X, "fill": seed_of(gen), **options},
            seed=seed_of(gen),
        )

    yield case([6, 16, 4], torch.randn(5, 6, generator=gen))
    yield case([3, 8, 5], torch.randn(4, 3, generator=gen))
    yield case([5, 7, 5], torch.randn(6, 5, generator=gen))
    yield case([5, 7, 5], torch.randn(5, 5, generator=gen) - 1)
    yield case([4, 2, 4], torch.randn(1, 4, generator=gen))
    yield case(
        [6, 5, 3], torch.randn(3, 6, generator=gen, dtype=torch.float64), double=True
    )
    yield case([4, 9, 4], torch.randn(4, 4, generator=gen), grad=True)
    yield case([7, 3, 2], torch.randn(5, 7, generator=gen), grad=True)


def residual_shapes_fault(call, sizes, got, expected):
    n_in, hidden, n_out = sizes
    mine, theirs = got["shapes"], expected["shapes"]
    if mine == theirs:
        return None
    if not mine:
        return (
            f"{call} registers no parameter: create its layers in __init__ and "
            "assign them to attributes (self.hidden = nn.Linear(...)) after "
            "super().__init__(). A layer made in forward is not registered, and "
            "a new one, with new random weights, is made at every call."
        )
    if n_in == n_out and sorted([*theirs, [n_out, n_in]]) == mine:
        return (
            f"{call} makes a projection ({n_out}, {n_in}): when in_features == "
            "out_features the shortcut is X itself, with no layer."
        )
    if n_in != n_out and sorted([*mine, [n_out, n_in]]) == theirs:
        return (
            f"{call} has no projection: when the widths differ, the shortcut is "
            "X through nn.Linear(in_features, out_features, bias=False), made in "
            "__init__ (a layer made in forward is not registered)."
        )
    if n_in != n_out and sorted([*theirs, [n_out]]) == mine:
        return (
            f"The projection of {call} has a bias: make it "
            "nn.Linear(in_features, out_features, bias=False); the main path's "
            "last layer adds a bias already."
        )
    projection = (
        ""
        if n_in == n_out
        else f", and a projection ({n_out}, {n_in}) without bias for the shortcut"
    )
    return (
        f"The parameters of {call} have shapes {[tuple(s) for s in mine]}; "
        f"expected weights ({hidden}, {n_in}) and ({n_out}, {hidden}) with biases "
        f"({hidden},) and ({n_out},){projection}, all made in __init__."
    )


def residual_forward_fault(what, sizes, got):
    error = got.get("forward_error")
    if error is None:
        return None
    n_in, _, n_out = sizes
    hint = ""
    if "must match the size" in error and n_in != n_out:
        hint = (
            f" X has {n_in} features and the main path {n_out}: when the widths "
            "differ, the shortcut is X through a linear layer without bias."
        )
    if "in-place operation" in error:
        hint = (
            " An in-place addition (+=) changed X, or a tensor that is X itself "
            "(nn.Identity returns its input): return main + shortcut, a new "
            "tensor."
        )
    return f"{what} raised {error.rstrip('.')}.{hint}"


def residual_mistakes(case):
    """(result, hint) of the known mistakes, on the case's input and with the
    values the probe gave the parameters."""
    from torch import nn

    from nncourse.probe import fill_parameters

    n_in, hidden, n_out = case.inputs["sizes"]
    first, last = nn.Linear(n_in, hidden), nn.Linear(hidden, n_out)
    layers = nn.ModuleList([first, last])
    if n_in != n_out:
        layers.append(nn.Linear(n_in, n_out, bias=False))
    fill_parameters(layers, case.inputs["fill"])
    layers.double()
    X = case.inputs["X"].double()
    with torch.no_grad():
        main = last(first(X).relu())
        shortcut = X if n_in == n_out else layers[2](X)
        return [
            (main, "it returns the main path only: add the shortcut to it."),
            (
                (main + shortcut).relu(),
                "it has no negative value, as if a ReLU came after the sum. "
                "Return main + shortcut as it is.",
            ),
            (
                last(first(X)).relu() + shortcut,
                "the ReLU comes after the main path's last layer: it goes "
                "between its two linear layers.",
            ),
            (
                main.relu() + shortcut,
                "the main path ends with a ReLU: its last linear layer's "
                "output is added as it is.",
            ),
            (
                last(first(X)) + shortcut,
                "the main path has no ReLU between its two linear layers.",
            ),
        ]


def check_residual_block(case, got, expected):
    sizes = case.inputs["sizes"]
    call = f"ResidualBlock({', '.join(map(str, sizes))})"
    what = case.description
    fault = constructor_fault("ResidualBlock", call, got)
    if fault:
        return fault
    if got["shared"]:
        return (
            f"Two {call} built one after the other share their layers: make "
            "new layers in __init__ for every block, assigned to self."
        )
    fault = first_fault(
        residual_shapes_fault(call, sizes, got, expected),
        same_init_fault(call, got, expected),
        leaked_dtype_fault(call, got, expected),
        residual_forward_fault(what, sizes, got),
    )
    if fault:
        return fault
    if not got["X_unchanged"]:
        return (
            f"{what} changed X in place: an addition such as X += main, or "
            "shortcut += main when the shortcut is X itself (nn.Identity returns "
            "its input). Return main + shortcut, a new tensor."
        )
    fault = wrong_tensor(got["out"], expected["out"], what, residual_mistakes(case))
    if fault:
        if fault.endswith("returns wrong values."):
            fault += (
                " main is Linear, ReLU, Linear applied to X; the shortcut is X, "
                "or X through the projection when the widths differ."
            )
        return fault
    return autograd_fault(what, got, expected)


# ---- LayerStack(layers)


def probe_layer_stack(LayerStack, layers, X, fill, double=False):
    import torch
    from torch import nn

    from nncourse.probe import error_text, fill_parameters

    built = []
    for kind, *args in layers:
        built.append(built[args[0]] if kind == "again" else getattr(nn, kind)(*args))
    fill_parameters(nn.ModuleList(built), fill)
    if double:
        nn.ModuleList(built).double()
    given = list(built)
    try:
        stack = LayerStack(given)
    except Exception as error:  # noqa: BLE001 -- reported to the grader
        return {"init_error": error_text(error)}
    result = {
        "module": isinstance(stack, nn.Module),
        "list_kept": len(given) == len(built)
        and all(a is b for a, b in zip(given, built, strict=False)),
    }
    if not result["module"]:
        return result
    result["parameters"] = sum(p.numel() for p in stack.parameters())
    result["registered"] = [any(m is layer for m in stack.modules()) for layer in built]
    X = X.clone().requires_grad_()
    torch.manual_seed(fill)  # the same dropout masks, whatever __init__ drew
    try:
        out = stack(X)
    except Exception as error:  # noqa: BLE001
        result["forward_error"] = error_text(error)
        return result
    result["out"] = out
    result["requires_grad"] = bool(getattr(out, "requires_grad", False))
    if result["requires_grad"] and out.is_floating_point():
        weights = torch.linspace(-1, 1, out.numel(), dtype=out.dtype)
        (out * weights.reshape(out.shape)).sum().backward()
        result["X_grad"] = X.grad
    result["buffers"] = [b.clone() for layer in built for b in layer.buffers()]
    stack.eval()
    result["modes"] = [layer.training for layer in built]
    with torch.no_grad():
        try:
            result["eval_out"] = stack(X)
        except Exception as error:  # noqa: BLE001
            result["eval_error"] = error_text(error)
    return result


def layer_text(layers) -> str:
    names = []
    for kind, *args in layers:
        if kind == "again":
            names.append(f"layers[{args[0]}] again")
        else:
            names.append(f"{kind}({', '.join(map(str, args))})")
    return "[" + ", ".join(names) + "]"


def layer_stack_cases(gen):
    def case(layers, X, note="", **options):
        return Case(
            f"LayerStack({layer_text(layers)})(X) for X of shape "
            f"{shape_text(X.shape)}{note}",
            {"layers": layers, "X": X, "fill": seed_of(gen), **options},
            seed=seed_of(gen),
        )

    yield case(
        [["Linear", 5, 3], ["Tanh"], ["Linear", 3, 2]], torch.randn(4, 5, generator=gen)
    )
    squares = [["Linear", 3, 3]] * 4
    yield case(squares, torch.randn(2, 3, generator=gen))
    yield case(squares, torch.randn(2, 3, generator=gen) * 2)
    yield case([], torch.randn(3, 4, generator=gen))
    yield case(
        [
            ["Linear", 4, 6],
            ["BatchNorm1d", 6],
            ["ReLU"],
            ["Dropout", 0.5],
            ["Linear", 6, 2],
        ],
        torch.randn(8, 4, generator=gen),
        " (batch norm and dropout: train, then eval mode)",
    )
    yield case(
        [["Linear", 3, 3], ["ReLU"], ["again", 0]], torch.randn(5, 3, generator=gen)
    )
    yield case(
        [["Linear", 2, 5], ["Sigmoid"], ["Linear", 5, 3]],
        torch.randn(6, 2, generator=gen, dtype=torch.float64),
        " in float64",
        double=True,
    )


def reference_stack(layers, fill, double):
    """The layers of a case as the probe builds them, with the same values."""
    from torch import nn

    from nncourse.probe import fill_parameters

    built = []
    for kind, *args in layers:
        built.append(built[args[0]] if kind == "again" else getattr(nn, kind)(*args))
    fill_parameters(nn.ModuleList(built), fill)
    if double:
        nn.ModuleList(built).double()
    return built


def check_layer_stack(case, got, expected):
    layers = case.inputs["layers"]
    what = case.description
    call = f"LayerStack({layer_text(layers)})"
    if "init_error" in got:
        return constructor_fault("LayerStack", call, got)
    if not got["module"]:
        return f"{call} should be an nn.Module: LayerStack subclasses nn.Module."
    if not got["list_kept"]:
        return (
            f"{call} changed the list of layers it was given: read it, do not pop "
            "or modify it."
        )
    missing = [
        layer_text([layers[k]])[1:-1]
        for k, registered in enumerate(got["registered"])
        if not registered
    ]
    if got["parameters"] != expected["parameters"]:
        return (
            f"{call} registers {got['parameters']} parameter values instead of "
            f"{expected['parameters']}: keep the layers in an nn.ModuleList, not "
            "a plain Python list or dict."
        )
    if missing:
        return (
            f"{call} does not register the very layers it was given "
            f"({', '.join(missing)}): keep them themselves, not copies, in an "
            "nn.ModuleList, so that what happens to them (training, .eval(), "
            ".to(device)) happens to the stack."
        )
    if "forward_error" in got:
        return f"{what} raised {got['forward_error'].rstrip('.')}"
    mistakes = []
    if all(kind in ("Linear", "Tanh", "ReLU", "Sigmoid") for kind, *_ in layers):
        built = reference_stack(layers, case.inputs["fill"], case.inputs.get("double"))
        reversed_out = case.inputs["X"]
        with torch.no_grad():
            try:
                for layer in reversed(built):
                    reversed_out = layer(reversed_out)
                mistakes.append(
                    (reversed_out, "it applies the layers in reverse order.")
                )
            except RuntimeError:
                pass
    fault = wrong_tensor(got["out"], expected["out"], what, mistakes)
    if fault:
        if fault.endswith("returns wrong values."):
            fault += (
                " Apply every layer, in list order, each to the output of the last."
            )
        if not layers:
            fault += " LayerStack([]) returns its input unchanged."
        return fault
    fault = autograd_fault(what, got, expected)
    if fault:
        return fault
    for mine, theirs in zip(got["buffers"], expected["buffers"], strict=True):
        if not close(mine, theirs):
            return (
                f"In {what}, the batch norm's running statistics are wrong: call "
                "each layer once, as layer(X), in train mode."
            )
    if got["modes"] != expected["modes"]:
        return (
            f"stack.eval() did not reach every layer of {call}: keep them in an "
            "nn.ModuleList so that LayerStack registers them."
        )
    if "eval_error" in got:
        return f"{what} in eval mode raised {got['eval_error'].rstrip('.')}"
    return wrong_tensor(got["eval_out"], expected["eval_out"], f"{what}, in eval mode,")


# ---- make_mlp(sizes)


def probe_make_mlp(make_mlp, sizes, X, fill, double=False):
    import torch
    from torch import nn

    from nncourse.probe import fill_parameters

    given = list(sizes)
    mlp = make_mlp(given)
    result = {
        "type": type(mlp).__name__,
        "sequential": isinstance(mlp, nn.Sequential),
        "sizes_after": list(given) if isinstance(given, list) else str(given),
    }
    if not isinstance(mlp, nn.Module):
        return result
    again = make_mlp(list(sizes))
    parameters = list(mlp.parameters())
    linears = [m for m in mlp.modules() if isinstance(m, nn.Linear)]
    result.update(
        kinds=[type(m).__name__ for m in mlp.modules() if not list(m.children())],
        widths=[[m.in_features, m.out_features] for m in linears],
        biases=[m.bias is not None for m in linears],
        shapes=sorted(list(p.shape) for p in parameters),
        same_init=bool(parameters)
        and all(
            torch.equal(p, q)
            for p, q in zip(parameters, again.parameters(), strict=False)
        ),
        shared=any(p is q for p in parameters for q in again.parameters()),
    )
    fill_parameters(mlp, fill)
    if double:
        mlp.double()
    X = X.clone().requires_grad_()
    out = mlp(X)
    result["out"] = out
    result["requires_grad"] = bool(getattr(out, "requires_grad", False))
    if result["requires_grad"] and out.is_floating_point():
        weights = torch.linspace(-1, 1, out.numel(), dtype=out.dtype)
        (out * weights.reshape(out.shape)).sum().backward()
        result["X_grad"] = X.grad
    return result


def make_mlp_cases(gen):
    def case(sizes, X, **options):
        kind = "float64 " if options.get("double") else ""
        return Case(
            f"make_mlp({sizes}) on a {kind}batch X of shape {shape_text(X.shape)}",
            {"sizes": sizes, "X": X, "fill": seed_of(gen), **options},
            seed=seed_of(gen),
        )

    yield case([784, 256, 64, 10], torch.rand(3, 1, 28, 28, generator=gen))
    yield case([3, 2], torch.randn(4, 3, generator=gen))
    X = torch.randn(5, 3, 2, 2, generator=gen)
    yield case([12, 8, 8, 8, 4], X)
    yield case([12, 8, 8, 8, 4], torch.randn(5, 3, 2, 2, generator=gen) - 0.5)
    yield case([2, 16, 1], torch.randn(7, 2, generator=gen))
    yield case(
        [6, 5, 4], torch.randn(3, 6, generator=gen, dtype=torch.float64), double=True
    )


def expected_kinds(sizes):
    kinds = ["Flatten"]
    for k in range(len(sizes) - 1):
        kinds += ["ReLU", "Linear"] if k else ["Linear"]
    return kinds


def check_make_mlp(case, got, expected):
    sizes = case.inputs["sizes"]
    call = f"make_mlp({sizes})"
    what = case.description
    if not got["sequential"]:
        return f"{call} should be a nn.Sequential, but it is a {got['type']}."
    if got["sizes_after"] != sizes:
        return (
            f"make_mlp changed the list of sizes it was given into "
            f"{got['sizes_after']}: read it, do not pop or modify it."
        )
    kinds = got["kinds"]
    wanted = expected_kinds(sizes)
    if not all(got["biases"]):
        return (
            f"A Linear layer of {call} has no bias: keep nn.Linear's default, "
            "bias=True."
        )
    pairs = [list(pair) for pair in zip(sizes[:-1], sizes[1:], strict=True)]
    if got["widths"] != pairs or got["shapes"] != expected["shapes"]:
        return (
            f"The Linear layers of {call} map {[tuple(w) for w in got['widths']]}; "
            f"expected {', '.join(str(tuple(p)) for p in pairs)}."
        )
    if got["shared"]:
        return (
            f"Two calls of {call} return networks that share their layers: build "
            "new layers on every call (a default argument such as layers=[] is "
            "made once and kept between calls)."
        )
    fault = same_init_fault(call, got, expected)
    if fault:
        return fault
    fault = compare_tensor(got["out"], expected["out"], what)
    if fault:
        if kinds and kinds[-1] == "ReLU":
            return (
                f"{call} ends with a ReLU ({kinds}): the last Linear layer must "
                "return raw logits."
            )
        if kinds != wanted:
            return (
                f"{what} returns wrong values: its layers are {kinds}; "
                f"expected {wanted}."
            )
        return (
            fault
            + " Flatten first, then the Linear layers with a ReLU between two of them."
        )
    return autograd_fault(what, got, expected)


# ---- predict(model, X)


def probe_predict(predict, layers, X, fill, double=False, eval=False):
    import torch
    from torch import nn

    from nncourse.probe import fill_parameters

    model = nn.Sequential(*[getattr(nn, kind)(*args) for kind, *args in layers])
    fill_parameters(model, fill)
    with torch.no_grad():
        for buffer in model.buffers():
            if buffer.is_floating_point():
                values = torch.linspace(0.5, 1.5, buffer.numel())
                buffer.copy_(values.reshape(buffer.shape))
    if double:
        model.double()
    if eval:
        model.eval()
    calls = []
    handle = model.register_forward_hook(lambda *_: calls.append(1))
    X_before = X.clone()
    y_pred = predict(model, X)
    handle.remove()
    with torch.no_grad():
        logits = model(X_before)
    return {
        "out": y_pred,
        "called": bool(calls),
        "X_unchanged": torch.equal(X, X_before),
        "logits": logits,
    }


def predict_cases(gen):
    def case(layers, X, note="", **options):
        model = layer_text(layers)
        return Case(
            f"predict(model, X) for the model nn.Sequential(*{model}) and X of "
            f"shape {shape_text(X.shape)}{note}",
            {"layers": layers, "X": X, "fill": seed_of(gen), **options},
            seed=seed_of(gen),
        )

    flat = [["Flatten"], ["Linear", 12, 3]]
    yield case(flat, torch.randn(8, 3, 4, generator=gen))
    yield case(flat, torch.randn(8, 3, 4, generator=gen) + 1)
    yield case([["Linear", 5, 5]], torch.randn(5, 5, generator=gen))
    yield case([["Linear", 4, 7]], torch.randn(1, 4, generator=gen))
    yield case(
        [["Linear", 3, 4]],
        torch.randn(6, 3, generator=gen, dtype=torch.float64),
        " in float64",
        double=True,
    )
    yield case(
        [["Linear", 4, 6], ["BatchNorm1d", 6], ["ReLU"], ["Linear", 6, 10]],
        torch.randn(10, 4, generator=gen),
        " in eval mode",
        eval=True,
    )


def near_ties_only(out, theirs, logits) -> bool:
    """The classes differ only on rows whose two largest logits are so close
    that summing in another order (another machine's threads) may swap them."""
    if type(out) is not torch.Tensor or out.shape != theirs.shape:
        return False
    if out.dtype != theirs.dtype or out.min() < 0 or out.max() >= logits.shape[1]:
        return False
    rows = (out != theirs).nonzero().flatten()
    if len(rows) == 0:
        return False
    top = logits.double()[rows]
    picked = top.gather(1, out[rows, None]).flatten()
    best = top.gather(1, theirs[rows, None]).flatten()
    return bool(((best - picked).abs() <= 1e-5 * (1 + best.abs())).all())


def check_predict(case, got, expected):
    what = case.description
    if not got["called"]:
        return (
            f"{what} never called the model as model(X). Calling "
            "model.forward(X) directly skips PyTorch's hooks; call model(X)."
        )
    out, theirs = got["out"], expected["out"]
    logits = expected["logits"]
    N, C = logits.shape
    if type(out) is torch.Tensor and tuple(out.shape) == (C,) and N != C:
        return (
            f"{what} has shape {(C,)}, one value per class: take the argmax over "
            "dim=1, the class dimension, not dim=0 (the batch)."
        )
    if (
        type(out) is torch.Tensor
        and out.shape == theirs.shape
        and out.dtype != theirs.dtype
    ):
        return (
            f"{what} should have dtype {theirs.dtype}, the indices argmax returns, "
            f"but it has dtype {out.dtype}."
        )
    mistakes = [
        (
            logits.argmax(dim=0),
            "it takes the argmax over dim=0, the batch: take it over dim=1, the "
            "class dimension.",
        ),
        (logits.argmin(dim=1), "it takes the smallest logit: use argmax."),
    ]
    fault = wrong_tensor(out, theirs, what, mistakes)
    if fault and near_ties_only(out, theirs, logits):
        fault = None
    if fault:
        if fault.endswith("returns wrong values."):
            fault = (
                f"{what} returns the wrong classes: take the argmax over dim=1, "
                "the class dimension."
            )
        return fault
    if not got["X_unchanged"]:
        return f"{what} changed X in place: leave the caller's batch as it was."
    return None


# ---- to_device(model, X, y, device)


def probe_to_device(to_device, layers, X, y, device, as_object=False):
    import torch
    from torch import nn

    model = nn.Sequential(*[getattr(nn, kind)(*args) for kind, *args in layers])
    X_before, y_before = X.clone(), y.clone()
    result = to_device(model, X, y, torch.device(device) if as_object else device)
    outcome = {
        "type": type(result).__name__,
        "length": len(result) if isinstance(result, tuple | list) else -1,
        "X_in": [X.device.type, X.dtype == X_before.dtype and torch.equal(X, X_before)],
        "y_in": [y.device.type, y.dtype == y_before.dtype and torch.equal(y, y_before)],
        "default_device": torch.empty(0).device.type,
    }
    if isinstance(result, tuple) and len(result) == 3:
        moved, X_moved, y_moved = result
        outcome["model"] = (
            [
                sorted({p.device.type for p in moved.parameters()}),
                sorted({b.device.type for b in moved.buffers()}),
            ]
            if isinstance(moved, nn.Module)
            else type(moved).__name__
        )
        outcome["X"] = X_moved
        outcome["y"] = y_moved
    return outcome


def to_device_cases(gen):
    def case(layers, X, y, note="", **options):
        device = "torch.device('meta')" if options.get("as_object") else "'meta'"
        return Case(
            f"to_device(model, X, y, {device}) for the model "
            f"nn.Sequential(*{layer_text(layers)}), "
            f"{X.dtype} X of shape {shape_text(X.shape)} and {y.dtype} y{note}",
            {"layers": layers, "X": X, "y": y, "device": "meta", **options},
            seed=seed_of(gen),
        )

    yield case(
        [["Linear", 3, 2]],
        torch.zeros(4, 3),
        torch.zeros(4, dtype=torch.long),
    )
    yield case(
        [["Identity"]],
        torch.ones(3, 1),
        torch.arange(3),
    )
    yield case(
        [["Linear", 4, 5], ["BatchNorm1d", 5]],
        torch.randn(6, 4, generator=gen, dtype=torch.float64),
        torch.randint(0, 5, (6,), generator=gen),
        " (batch norm: its running statistics are buffers)",
        as_object=True,
    )
    yield case(
        [["Flatten"], ["Linear", 9, 2]],
        torch.randint(0, 256, (2, 1, 3, 3), generator=gen, dtype=torch.uint8),
        torch.randint(0, 2, (2,), generator=gen, dtype=torch.int32),
    )


def check_to_device(case, got, expected):
    what = case.description
    if got["type"] != "tuple":
        return f"to_device(...) should be a tuple, but it is a {got['type']}."
    if got["length"] != 3:
        return f"to_device should return 3 values (model, X, y), not {got['length']}."
    model = got["model"]
    if isinstance(model, str):
        return (
            f"The first value that {what} returns should be the model (an "
            f"nn.Module), but it is a {model}."
        )
    if model[0] != expected["model"][0]:
        return "The model's parameters did not move: call model.to(device)."
    if model[1] != expected["model"][1]:
        return (
            f"In {what}, the model's buffers did not move: model.to(device) "
            "moves its parameters and buffers alike."
        )
    for name in ("X", "y"):
        mine, theirs = got[name], expected[name]
        if type(mine) is torch.Tensor:
            return (
                f"{name} is still on {mine.device}: move it to the device given "
                f"as argument and keep the result ({name} = {name}.to(device)); "
                "tensor.to(device) returns a new tensor."
            )
        if type(mine) is not dict:
            return f"{name} in {what} should be a torch.Tensor."
        if mine != theirs:
            return (
                f"{what} changed the dtype or shape of {name}: {name} should stay "
                f"{theirs.get('dtype')} of shape "
                f"{tuple(theirs.get('meta tensor', ()))}, but it became "
                f"{mine.get('dtype')} of shape "
                f"{tuple(mine.get('meta tensor', ()))}. Move it with "
                f"{name}.to(device) only."
            )
    for name in ("X", "y"):
        if got[f"{name}_in"] != expected[f"{name}_in"]:
            return (
                f"{what} changed the caller's {name}: leave the original tensors "
                "untouched and return the moved ones."
            )
    if got["default_device"] != expected["default_device"]:
        return (
            f"{what} changed torch's default device (torch.set_default_device) "
            "and left it so: move the model and the tensors with .to(device) "
            "instead."
        )
    return None


EXERCISES = [
    Exercise(
        test="residual-block-tests",
        answer="residual-block",
        names=("ResidualBlock",),
        cases=residual_block_cases,
        check=check_residual_block,
        probe=probe_residual_block,
        forbidden={"forward": f"ResidualBlock {FORWARD}"},
    ),
    Exercise(
        test="layer-stack-tests",
        answer="layer-stack",
        names=("LayerStack",),
        cases=layer_stack_cases,
        check=check_layer_stack,
        probe=probe_layer_stack,
        forbidden={"forward": f"LayerStack {FORWARD}"},
    ),
    Exercise(
        test="make-mlp-tests",
        answer="make-mlp",
        names=("make_mlp",),
        cases=make_mlp_cases,
        check=check_make_mlp,
        probe=probe_make_mlp,
    ),
    Exercise(
        test="predict-tests",
        answer="predict",
        names=("predict",),
        cases=predict_cases,
        check=check_predict,
        probe=probe_predict,
        forbidden={"forward": f"predict {FORWARD}"},
    ),
    Exercise(
        test="to-device-tests",
        answer="to-device",
        names=("to_device",),
        cases=to_device_cases,
        check=check_to_device,
        probe=probe_to_device,
    ),
]
