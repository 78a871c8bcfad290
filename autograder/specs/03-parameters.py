"""Chapter 03's exercises, judged by the grader (see nncourse.specs).

The probes build the modules and models themselves, from the case's inputs
and torch's seed, so that the student's kernel and the solution's start from
the same values; they return what a module registers (parameters, buffers,
state_dict keys), its values and gradients, the flags a function set, and
what the student's code returned. The checks compare that with the
solution's and name the first mistake. Hints that need facts about a model
take them from the solution's outcome, never from the student's.
"""

import math

import torch

from nncourse.specs import (
    Case,
    Exercise,
    close,
    compare_tensor,
    describe,
    seed_of,
)


def robust(check):
    """check, answering a wrong answer (not crashing the grader) when the
    kernel returned data of another form than the probe makes."""

    def judged(case, got, expected):
        try:
            if type(got) is not dict:
                raise TypeError
            return check(case, got, expected)
        except (KeyError, TypeError, AttributeError, IndexError, ValueError):
            return (
                f"{case.description}: what came back to the grader has another "
                "form than the grader's call makes. Run the notebook from the "
                "top in a fresh kernel, without redefining torch or nncourse."
            )

    return judged


def same_kind(got, expected, what: str) -> str | None:
    """What differs in type, shape or dtype (values aside)."""
    if type(got) is not torch.Tensor:
        return f"{what} should be a torch.Tensor, but it is {describe(got)}."
    if got.shape != expected.shape:
        return (
            f"{what} should have shape {tuple(expected.shape)}, but it has shape "
            f"{tuple(got.shape)}."
        )
    if got.dtype != expected.dtype:
        return f"{what} should have dtype {expected.dtype}, but it has {got.dtype}."
    return None


def number(value) -> str:
    if type(value) is torch.Tensor and value.numel() == 1:
        return str(value.item())
    return describe(value)


def batch_label(X) -> str:
    dtype = "float64 " if X.dtype == torch.float64 else ""
    grad = " that requires grad" if X.requires_grad else ""
    return f"a {dtype}{tuple(X.shape)} batch{grad}"


SUPER_INIT = ("before Module.__init__() call", "has no attribute '_")


def construction_fault(what: str, error: str) -> str:
    if any(text in error for text in SUPER_INIT):
        return (
            f"{what} raised {error}. Call super().__init__() as the first line "
            "of __init__, before assigning any parameter or buffer."
        )
    return f"{what} raised {error}"


def not_a_module_class(name: str) -> str:
    return (
        f"{name} should be a class that subclasses torch.nn.Module: "
        f"class {name}(nn.Module)."
    )


# ---- ChannelAffine(num_channels)


def probe_affine(ChannelAffine, num_channels, weight, bias, batches):
    """Build ChannelAffine(num_channels); record what it registers and its
    first values; give weight and bias the case's values; run it on each
    batch X and record the output, X afterwards, whether the parameters are
    still the same objects and the gradients of sum(out * G)."""
    import torch
    from torch import nn

    def snap(value):  # a copy now: later calls may change it in place
        return value.detach().clone() if isinstance(value, torch.Tensor) else value

    if not (isinstance(ChannelAffine, type) and issubclass(ChannelAffine, nn.Module)):
        return {"not_a_module": type(ChannelAffine).__name__}
    try:
        model = ChannelAffine(num_channels)
    except Exception as error:  # noqa: BLE001 -- reported by the check
        return {"init_error": f"{type(error).__name__}: {error}"}
    names = ("weight", "bias")
    named = dict(model.named_parameters())
    result = {
        "attributes": {
            name: type(getattr(model, name, None)).__name__ for name in names
        },
        "views": [
            name
            for name in names
            if getattr(getattr(model, name, None), "grad_fn", None)
        ],
        "parameters": sorted(named),
        "requires_grad": {name: p.requires_grad for name, p in named.items()},
        "start": {name: snap(getattr(model, name, None)) for name in names},
        "calls": [],
    }
    try:
        held = (model.weight, model.bias)
        with torch.no_grad():
            model.weight.copy_(weight)
            model.bias.copy_(bias)
        for X, G in batches:
            out = model(X)
            kept = model.weight is held[0] and model.bias is held[1]
            call = {"out": out, "X": X, "kept": kept, "grads": {}}
            wrt = {
                name: tensor
                for name, tensor in (("weight", held[0]), ("bias", held[1]), ("X", X))
                if isinstance(tensor, torch.Tensor) and tensor.requires_grad
            }
            if (
                isinstance(out, torch.Tensor)
                and out.requires_grad
                and out.shape == G.shape
            ):
                grads = torch.autograd.grad(
                    out, list(wrt.values()), G.to(out.dtype), allow_unused=True
                )
                call["grads"] = dict(zip(wrt, grads, strict=True))
            result["calls"].append(call)
    except Exception as error:  # noqa: BLE001 -- reported by the check
        result["error"] = f"{type(error).__name__}: {error}"
    return result


def affine_cases(gen):
    def randn(*shape, dtype=torch.float32, grad=False):
        return torch.randn(*shape, generator=gen, dtype=dtype).requires_grad_(grad)

    def case(c, batches, description):
        inputs = {
            "num_channels": c,
            "weight": randn(c),
            "bias": randn(c),
            "batches": [(X, randn(*X.shape)) for X in batches],
        }
        return Case(f"ChannelAffine({c}) on {description}", inputs)

    yield case(3, [randn(4, 3, 5, 6), randn(4, 3, 5, 6)], "two different batches")
    yield case(4, [randn(2, 4, 3, 4)], "images as wide as it has channels")
    yield case(5, [randn(3, 5, 5, 2)], "images as high as it has channels")
    yield case(
        6,
        [randn(2, 6, 6, 6, grad=True), randn(5, 6, 1, 7, grad=True)],
        "square images as wide as it has channels, then others, that require grad",
    )
    yield case(1, [randn(3, 1, 4, 4, dtype=torch.float64)], "a float64 batch")
    yield case(
        2,
        [randn(1, 2, 2, 2, dtype=torch.float64, grad=True), randn(2, 2, 3, 2)],
        "a float64 image that requires grad, then a float32 batch",
    )


def affine_structure(got, expected, what):
    for name in ("weight", "bias"):
        kind = got["attributes"][name]
        if kind == "Tensor" and name in got["views"]:
            return (
                f"{what}.{name} is a view of an nn.Parameter, which is a plain "
                "tensor: the module does not register it. Assign the parameter "
                f"itself, self.{name} = nn.Parameter(...), and reshape it in forward."
            )
        if kind == "Tensor":
            return (
                f"{what}.{name} is a plain tensor, so the module does not register "
                "it and parameters() does not yield it (requires_grad=True does not "
                f"change that): wrap it, self.{name} = nn.Parameter(...)."
            )
        if kind == "NoneType":
            return (
                f"{what} has no attribute {name!r}: set self.{name} = "
                "nn.Parameter(...) in __init__."
            )
        if kind != "Parameter":
            return f"{what}.{name} should be an nn.Parameter, but it is a {kind}."
    if got["parameters"] != expected["parameters"]:
        return (
            f"{what} registers the parameters {got['parameters']}; expected exactly "
            "'weight' and 'bias'."
        )
    if not all(got["requires_grad"].values()):
        return (
            f"The weight and bias of {what} must be learnable: keep requires_grad=True."
        )
    for name, start in (("weight", "ones"), ("bias", "zeros")):
        mine, theirs = got["start"][name], expected["start"][name]
        if type(mine) is torch.Tensor and mine.numel() == theirs.numel() != 1:
            if mine.shape != theirs.shape:
                return (
                    f"{what}.{name} has shape {tuple(mine.shape)}: keep it of shape "
                    f"{tuple(theirs.shape)}, one entry per channel as nn.BatchNorm2d "
                    "keeps them, and reshape it in forward, not in __init__."
                )
        fault = compare_tensor(mine, theirs, f"{what}.{name}", 0, 0)
        fault = fault and fault.replace(" returns wrong values.", " has wrong values.")
        if fault:
            return (
                f"{fault} It should start at {start}, float32: "
                f"torch.{start}(num_channels)."
            )
    return None


BROADCAST = (
    "broadcasting lines shapes up from the last dimension, so a parameter of "
    "shape (C,) meets the width W of X, and one of shape (C, 1) its height H. "
    "Reshaped to (C, 1, 1), it meets dimension 1, the channels: "
    "self.weight.view(-1, 1, 1) in forward."
)


def affine_mistakes(X, w, b):
    """(result, hint) of the mistakes that can give a result of X's shape."""
    c = w.shape[0]
    w4, b4 = w.view(-1, 1, 1), b.view(-1, 1, 1)
    mistakes = [
        (X * w4, "it leaves out the bias: return X * weight + bias, per channel."),
        ((X + b4) * w4, "it adds the bias before scaling: X * weight + bias."),
        (X + 0.0, "it computes with ones and zeros: use self.weight and self.bias."),
    ]
    if X.shape[-1] == c:
        mistakes[:0] = [
            (
                X * w + b,
                f"it scales and shifts the columns of every image: {BROADCAST}",
            ),
            (X * w4 + b, f"it shifts the columns of every image: {BROADCAST}"),
            (X * w + b4, f"it scales the columns of every image: {BROADCAST}"),
        ]
    if X.shape[-2] == c:
        mistakes.insert(
            0,
            (
                X * w.view(-1, 1) + b.view(-1, 1),
                f"it scales and shifts the rows of every image: {BROADCAST}",
            ),
        )
    if X.shape[-1] == X.shape[-2] == c:
        mistakes.append(
            (
                (X.permute(0, 2, 3, 1) * w + b),
                "it returns the channels last, (N, H, W, C): permute them back "
                "to (N, C, H, W).",
            )
        )
    return mistakes


def affine_call(case, index, mine, theirs):
    X, _ = case.inputs["batches"][index]
    w, b = case.inputs["weight"], case.inputs["bias"]
    c = case.inputs["num_channels"]
    what = f"ChannelAffine({c})(X) of {batch_label(X)}"
    Xd = X.detach()
    fault = compare_tensor(mine["out"], theirs["out"], what)
    if fault:
        for result, hint in affine_mistakes(Xd, w, b):
            if close(mine["out"], result.to(theirs["out"].dtype)):
                return f"{what} is wrong: {hint}"
        return f"{fault} Channel c is X[:, c] * weight[c] + bias[c]."
    if not close(mine["X"], Xd, 0, 0):
        return (
            f"{what} changed X in place. Compute a new tensor and leave the "
            "input as it was (no `*=`, `+=` or methods ending in `_`)."
        )
    if not mine["kept"]:
        return (
            f"After {what}, self.weight or self.bias is a new parameter: forward "
            "replaced it, so an optimizer made before would train the old one. "
            "Reshape into a local variable, weight = self.weight.view(-1, 1, 1), "
            "and leave the parameter as it is."
        )
    for name, grad in theirs["grads"].items():
        if mine["grads"].get(name) is None:
            source = "X" if name == "X" else f"self.{name}"
            return (
                f"{what} gives no gradient to {source}: forward must compute "
                f"with {source} itself, in the autograd graph (no .data, .detach() "
                "or .item())."
            )
        fault = compare_tensor(
            mine["grads"][name], grad, f"The gradient of {name} after {what}"
        )
        if fault:
            return fault
    return None


def check_affine(case, got, expected):
    c = case.inputs["num_channels"]
    what = f"ChannelAffine({c})"
    if "not_a_module" in got:
        return not_a_module_class("ChannelAffine")
    if "init_error" in got:
        return construction_fault(what, got["init_error"])
    fault = affine_structure(got, expected, what)
    if fault:
        return fault
    if "error" in got:
        hint = f": {BROADCAST}" if "must match the size" in got["error"] else ""
        return f"{case.description} raised {got['error']}{hint}"
    for index, (mine, theirs) in enumerate(
        zip(got["calls"], expected["calls"], strict=True)
    ):
        fault = affine_call(case, index, mine, theirs)
        if fault:
            return fault
    return None


# ---- mlp_parameter_count(sizes)


def probe_mlp_count(mlp_parameter_count, sizes):
    """The count, and the list of sizes after the call."""
    out = mlp_parameter_count(sizes)
    return {"out": out, "sizes": sizes}


def mlp_count_cases(gen):
    for sizes in ([784, 512, 512, 10], [20, 10, 5], [3, 2], [5, 4, 3, 2, 7], [1, 1]):
        yield Case(f"mlp_parameter_count({sizes})", {"sizes": list(sizes)})
    for length in (4, 4, 6):
        sizes = (torch.randperm(60, generator=gen)[:length] + 1).tolist()
        yield Case(f"mlp_parameter_count({sizes})", {"sizes": sizes})


def check_mlp_count(case, got, expected):
    sizes = case.inputs["sizes"]
    what = case.description
    out = got["out"]
    if type(out) is not int:
        return (
            f"{what} should return a Python int, but it returns {describe(out)}: "
            "add up products of the ints in sizes, without float() or /."
        )
    if got["sizes"] != sizes:
        return (
            f"{what} changed the list it was given into {got['sizes']}: read "
            "sizes, do not pop or modify it."
        )
    if out == expected["out"]:
        return None
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    if out == sum(n_in * n_out for n_in, n_out in pairs):
        return (
            f"{what} is {out}, the weights only: add the biases, one per output "
            "feature of each layer."
        )
    if out == sum(n_in * n_out + n_in for n_in, n_out in pairs):
        return (
            f"{what} is {out}: a layer has one bias per *output* feature "
            "(in * out + out), not per input."
        )
    return (
        f"{what} is {out}, expected {expected['out']}: sum in * out + out over "
        "the pairs of neighbouring widths."
    )


# ---- init_weights(model)


def probe_init_weights(init_weights, model, dtype):
    """Build a model (its layers drawn from torch's seed), call init_weights
    on it and record its parameters; then the same on a second model of the
    same architecture, to see whether the two got different weights."""
    import torch
    from torch import nn

    def build():
        if model == "mlp":
            net = nn.Sequential(nn.Linear(400, 300), nn.ReLU(), nn.Linear(300, 100))
        elif model == "cnn":
            net = nn.Sequential(
                nn.Conv2d(1, 4, 3),
                nn.Flatten(),
                nn.Sequential(nn.Linear(144, 500), nn.ReLU(), nn.Linear(500, 200)),
            )
        else:
            net = nn.ModuleDict(
                {
                    "embed": nn.Embedding(50, 200),
                    "body": nn.Sequential(
                        nn.Linear(200, 200), nn.Tanh(), nn.Linear(200, 200)
                    ),
                    "norm": nn.LayerNorm(200),
                    "head": nn.Linear(200, 50),
                }
            )
        return net.to(getattr(torch, dtype))

    net = build()
    modules = dict(net.named_modules())
    before = {
        name: (p, p.detach().clone(), p._version) for name, p in net.named_parameters()
    }
    init_weights(net)
    parameters = {}
    for name, p in net.named_parameters():
        owner = modules.get(name.rpartition(".")[0])
        old, old_value, version = before.get(name, (None, None, None))
        parameters[name] = {
            "layer": type(owner).__name__,
            "value": p.detach().clone(),
            "same_tensor": p is old,
            "changed": old is None or not torch.equal(old.detach(), old_value),
            "version_moved": old is not None and old._version != version,
            "requires_grad": p.requires_grad,
        }
    twin = build()
    init_weights(twin)
    return {
        "parameters": parameters,
        "twin": {
            name: p.detach().flatten()[:100] for name, p in twin.named_parameters()
        },
    }


def init_weights_cases(gen):
    for model, dtype, description in (
        ("mlp", "float32", "an MLP Linear(400, 300), ReLU, Linear(300, 100)"),
        (
            "cnn",
            "float32",
            "a Conv2d followed by a nested Sequential of two Linear layers",
        ),
        (
            "dict",
            "float32",
            "an nn.ModuleDict of an Embedding, two Linear(200, 200) in a Sequential, "
            "a LayerNorm and a Linear(200, 50)",
        ),
        ("mlp", "float64", "a float64 MLP Linear(400, 300), ReLU, Linear(300, 100)"),
    ):
        yield Case(description, {"model": model, "dtype": dtype}, seed_of(gen))


def he_normal_fault(weight, bias, name, what):
    if not torch.all(bias == 0):
        return f"The bias {name} is not zero after {what}: nn.init.zeros_(module.bias)."
    w = weight.double().flatten()
    fan_in = weight.shape[1]
    std = math.sqrt(2 / fan_in)
    ratio = w.std().item() / std
    if not 0.95 < ratio < 1.05:
        return (
            f"The weights {name} have std {w.std().item():.4f} after {what}, expected "
            f"sqrt(2 / in_features) = {std:.4f}: use nn.init.kaiming_normal_"
            "(weight, nonlinearity='relu') in its default fan_in mode."
        )
    if abs(w.mean().item()) > 6 * std / math.sqrt(w.numel()):
        return (
            f"The weights {name} have mean {w.mean().item():.4f} after {what}: He "
            "initialisation draws from a normal distribution centred on 0."
        )
    if (w.abs() > 2 * std).double().mean() < 0.02:
        return (
            f"The weights {name} have the right std after {what} but no values "
            "beyond two standard deviations: they look uniform. Use "
            "kaiming_normal_, not kaiming_uniform_."
        )
    return None


def init_parameter_fault(name, mine, theirs, what):
    if not mine["same_tensor"]:
        return (
            f"After {what}, {name} is a new tensor: init_weights replaced the "
            "parameter instead of filling it in place (an optimizer made before "
            "would still hold the old one). Fill it with nn.init functions, or "
            "in place under torch.no_grad()."
        )
    fault = same_kind(mine["value"], theirs["value"], f"{name} after {what}")
    if fault:
        return fault
    if not mine["requires_grad"]:
        return f"After {what}, {name} no longer requires grad: keep it learnable."
    if mine["changed"] and not mine["version_moved"]:
        return (
            f"{name} changed during {what} without autograd noticing (its version "
            "counter did not move): initialise through nn.init (or in place under "
            "torch.no_grad()), not through .data."
        )
    return None


def check_init_weights(case, got, expected):
    what = f"init_weights(model) of {case.description}"
    mine, theirs = got["parameters"], expected["parameters"]
    if sorted(mine) != sorted(theirs):
        return (
            f"After {what}, the model's parameters are {sorted(mine)}; expected "
            f"{sorted(theirs)}: change the values of the parameters, do not add, "
            "remove or replace layers."
        )
    for name, ref in theirs.items():
        fault = init_parameter_fault(name, mine[name], ref, what)
        if fault:
            return fault
        if ref["layer"] != "Linear" and not close(
            mine[name]["value"], ref["value"], 0, 0
        ):
            return (
                f"{what} changed {name}, a parameter of a {ref['layer']} layer: "
                "touch the nn.Linear layers only (isinstance(module, nn.Linear))."
            )
    linears = [
        n.rpartition(".")[0] for n, r in theirs.items() if r["layer"] == "Linear"
    ]
    for layer in dict.fromkeys(linears):
        weight, bias = mine[f"{layer}.weight"]["value"], mine[f"{layer}.bias"]["value"]
        fault = he_normal_fault(weight, bias, f"of Linear layer {layer!r}", what)
        if fault:
            return fault
    weights = {
        n: mine[n]["value"]
        for n, r in theirs.items()
        if n.endswith("weight") and r["layer"] == "Linear"
    }
    for name, value in weights.items():
        twins = [
            n
            for n, v in weights.items()
            if n < name and v.shape == value.shape and torch.equal(v, value)
        ]
        if twins:
            return (
                f"After {what}, {twins[0]} and {name} hold the same weights: draw "
                "every layer's weights afresh (do not reseed torch between layers)."
            )
        if torch.equal(got["twin"][name], value.flatten()[:100]):
            return (
                f"init_weights gave two models of {case.description} exactly the "
                "same weights: draw from torch's generator as it stands. Do not "
                "reseed it (torch.manual_seed resets it for all the code after "
                "init_weights) or use a generator seeded the same at every call."
            )
    return None


# ---- freeze_all_but_last(model)


def probe_freeze(freeze_all_but_last, model, frozen, eval_mode):
    """Build an nn.Sequential (from torch's seed), freeze the parameters
    named in frozen (or all), call freeze_all_but_last and record every
    parameter's flag, the modules' modes and the values."""
    from torch import nn

    if model == "mlp":
        net = nn.Sequential(
            nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 2)
        )
    elif model == "nested":
        net = nn.Sequential(
            nn.Linear(3, 3),
            nn.Tanh(),
            nn.Linear(3, 3),
            nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1)),
        )
    elif model == "cnn":
        net = nn.Sequential(
            nn.Conv2d(1, 2, 3),
            nn.BatchNorm2d(2),
            nn.ReLU(),
            nn.Flatten(),
            nn.Linear(18, 4),
        )
    else:
        net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Sigmoid())
    for name, p in net.named_parameters():
        if frozen == "all" or name in frozen:
            p.requires_grad_(False)
    if eval_mode:
        net.eval()
    freeze_all_but_last(net)
    return {
        "requires_grad": {name: p.requires_grad for name, p in net.named_parameters()},
        "module_attribute": any("requires_grad" in vars(m) for m in net.modules()),
        "training": {name: m.training for name, m in net.named_modules()},
        "values": dict(net.named_parameters()),
        "buffers": dict(net.named_buffers()),
    }


def freeze_cases(gen):
    for model, frozen, eval_mode, description in (
        ("mlp", [], False, "an MLP of three Linear layers"),
        (
            "nested",
            "all",
            False,
            "a frozen nn.Sequential whose last module is an nn.Sequential of "
            "two Linear layers",
        ),
        (
            "mlp",
            ["4.bias", "2.weight"],
            False,
            "an MLP whose last bias was frozen before",
        ),
        ("cnn", ["1.weight"], True, "a CNN with BatchNorm2d, in eval mode"),
        ("activation", [], False, "an MLP whose last module is a Sigmoid"),
    ):
        yield Case(
            f"freeze_all_but_last(model) of {description}",
            {"model": model, "frozen": frozen, "eval_mode": eval_mode},
            seed_of(gen),
        )


def check_freeze(case, got, expected):
    what = case.description
    flags, reference = got["requires_grad"], expected["requires_grad"]
    if sorted(flags) != sorted(reference):
        return (
            f"After {what}, the model's parameters are {sorted(flags)}; expected "
            f"{sorted(reference)}: change requires_grad only."
        )
    if flags != reference:
        if got["module_attribute"] and all(
            flags[name] for name, flag in reference.items() if not flag
        ):
            return (
                f"{what} froze nothing: module.requires_grad = False only adds an "
                "attribute to the module object. Set it on the parameters, with "
                "p.requires_grad_(False) or module.requires_grad_(False)."
            )
        if not any(flags.values()) and any(reference.values()):
            return (
                f"After {what} every parameter is frozen, the last module's too: "
                "the last module's parameters must end with requires_grad=True, "
                "even if they were frozen before."
            )
        trainable = sorted(name for name, flag in flags.items() if flag)
        last = sorted(name for name, flag in reference.items() if flag)
        return (
            f"After {what} the trainable parameters are {trainable}; expected "
            f"exactly those of the last module, model[-1]: {last}."
        )
    if got["training"] != expected["training"]:
        changed = sorted(
            name or "the model"
            for name, mode in expected["training"].items()
            if got["training"].get(name) != mode
        )
        return (
            f"{what} changed the training mode of {', '.join(changed)}: freezing "
            "sets requires_grad only; model.eval() and model.train() are a "
            "different switch (dropout, batch norm), leave it as it was."
        )
    for kind in ("values", "buffers"):
        for name, value in expected[kind].items():
            if not close(got[kind].get(name), value, 0, 0):
                return (
                    f"{what} changed the values of {name}: change requires_grad only."
                )
    return None


# ---- count_by_module(model)


def probe_count_by_module(count_by_module, model, frozen):
    """Build a model, freeze the parameters named in frozen (or all), and
    call count_by_module(model) twice. Facts about the model, the results of
    known mistakes, serve the hints (the grader reads them from the
    solution's run only)."""
    import torch
    from torch import nn

    def language_model(bias):
        net = nn.ModuleDict(
            {
                "embed": nn.Embedding(20, 6),
                "body": nn.Sequential(nn.Linear(6, 6), nn.Tanh()),
                "head": nn.Linear(6, 20, bias=bias),
            }
        )
        net.head.weight = net.embed.weight  # weight tying
        return net

    if model == "mlp":
        net = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 512), nn.ReLU(),
            nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10),
        )  # fmt: skip
    elif model == "lenet":
        net = nn.Sequential(
            nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(256, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
        )  # fmt: skip
    elif model == "nested":
        net = nn.Sequential(
            nn.Sequential(nn.Linear(4, 8), nn.ReLU()),
            nn.Sequential(nn.Linear(8, 8), nn.LayerNorm(8)),
            nn.Linear(8, 2),
        )
    elif model == "shared":
        shared = nn.Linear(10, 10)
        net = nn.Sequential(shared, nn.BatchNorm1d(10), shared)
    elif model in ("tied", "tied-no-bias"):
        net = language_model(bias=model == "tied")
    elif model == "own":
        net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
        net.register_parameter("temperature", nn.Parameter(torch.ones(())))
    elif model == "linear":
        net = nn.Linear(3, 2)
    elif model == "dict":
        net = nn.ModuleDict(
            {
                "embed": nn.Embedding(20, 6),
                "gains": nn.ParameterDict(
                    {
                        "scale": nn.Parameter(torch.ones(6)),
                        "shift": nn.Parameter(torch.zeros(6)),
                    }
                ),
            }
        )
    else:
        net = nn.Sequential(nn.Flatten(), nn.ReLU())
    for name, p in net.named_parameters():
        if frozen == "all" or name in frozen:
            p.requires_grad_(False)

    def grouped(pairs):
        counts = {}
        for key, size in pairs:
            counts[key] = counts.get(key, 0) + size
        return counts

    named = list(net.named_parameters())
    modules = list(net.named_modules())
    facts = {
        "twice": grouped(
            (n, p.numel()) for n, m in modules for p in m.parameters(recurse=False)
        ),
        "every_path": grouped(
            (k.rpartition(".")[0], p.numel())
            for k, p in net.named_parameters(remove_duplicate=False)
        ),
        "subtree": grouped((n, p.numel()) for n, m in modules for p in m.parameters()),
        "top": grouped((k.split(".")[0], p.numel()) for k, p in named),
        "children": grouped(
            (n, p.numel()) for n, m in net.named_children() for p in m.parameters()
        ),
        "rsplit": grouped((k.rsplit(".", 1)[0], p.numel()) for k, p in named),
        "trainable": grouped(
            (k.rpartition(".")[0], p.numel()) for k, p in named if p.requires_grad
        ),
        "state_dict": grouped(
            (k.rpartition(".")[0], t.numel()) for k, t in net.state_dict().items()
        ),
        "tensors": grouped((k.rpartition(".")[0], 1) for k, p in named),
        "per_parameter": {k: p.numel() for k, p in named},
    }
    first = count_by_module(net)
    first = dict(first) if isinstance(first, dict) else first
    again = count_by_module(net)
    again = dict(again) if isinstance(again, dict) else again
    return {"out": first, "again": again, "facts": facts}


def count_cases(gen):
    for model, frozen, description in (
        (
            "mlp",
            ["1.weight", "1.bias"],
            "the MLP 784-512-512-10, its first layer frozen",
        ),
        ("lenet", [], "a LeNet-style CNN"),
        (
            "nested",
            ["1.1.weight"],
            "two nn.Sequential blocks and a Linear in an nn.Sequential, one weight "
            "frozen",
        ),
        (
            "shared",
            [],
            "a model that uses one Linear(10, 10) twice, with a BatchNorm1d",
        ),
        (
            "tied",
            [],
            "a language model whose head shares the embedding's weight (weight tying)",
        ),
        (
            "tied-no-bias",
            ["embed.weight"],
            "a language model whose head, without a bias, shares the embedding's "
            "frozen weight",
        ),
        (
            "own",
            "all",
            "a frozen nn.Sequential that holds a parameter 'temperature' of its own",
        ),
        ("linear", [], "nn.Linear(3, 2) itself"),
        ("dict", [], "an nn.ModuleDict of an Embedding and an nn.ParameterDict"),
        ("empty", [], "nn.Sequential(nn.Flatten(), nn.ReLU()), without parameters"),
    ):
        yield Case(
            f"count_by_module(model) of {description}",
            {"model": model, "frozen": frozen},
            seed_of(gen),
        )


COUNT_HINTS = (
    (
        "twice",
        "a parameter shared by two modules is counted for both: count each "
        "parameter once, for the module through which model.named_parameters() "
        "names it.",
    ),
    (
        "every_path",
        "a module used at two places is counted at both: count each parameter "
        "once, as model.named_parameters() names it.",
    ),
    (
        "subtree",
        "module.parameters() walks the submodules too, so every module around a "
        "layer counts its parameters again: count only those a module holds "
        "itself.",
    ),
    (
        "children",
        "it counts the direct submodules of the model, with all that is inside "
        "them: name the module that holds each parameter itself, at any depth.",
    ),
    (
        "rsplit",
        "a parameter of the model itself has a name without a dot, such as "
        "'weight': its module is the model, whose name is ''.",
    ),
    (
        "top",
        "it names the top-level module of each parameter: name the module that "
        "holds it, the whole path without the parameter's own name.",
    ),
    ("trainable", "it leaves out the frozen parameters, which count too."),
    (
        "state_dict",
        "the state_dict holds buffers (BatchNorm's running statistics) and "
        "names a shared tensor at every place: count model.named_parameters().",
    ),
    ("tensors", "it counts parameter tensors: count their values, param.numel()."),
    (
        "per_parameter",
        "it counts each parameter under its own name: add up the parameters of "
        "each module, under the module's name.",
    ),
)


def shown(counts: dict) -> str:
    return "{" + ", ".join(f"{k!r}: {v}" for k, v in counts.items()) + "}"


def check_count(case, got, expected):
    what = case.description
    out, facts, want = got["out"], expected["facts"], expected["out"]
    if type(out) is not dict:
        return f"{what} should return a dict, but it returns {describe(out)}."
    for key, value in out.items():
        if type(key) is not str:
            return (
                f"{what} has the key {key!r}: use the module's name, the str "
                "that model.named_modules() gives it."
            )
        if type(value) is not int:
            return (
                f"{what} maps {key!r} to {describe(value)}: make it a Python int, "
                "a sum of param.numel()."
            )
    again = got["again"]
    if again != out:
        second = shown(again) if type(again) is dict else describe(again)
        return (
            f"{what} gives {second} when called a second time, {shown(out)} the "
            "first: start from a new dict at every call, not from one kept "
            "between calls (a default argument or a global)."
        )
    if out == want:
        return None
    zeros = sorted(key for key, value in out.items() if value == 0)
    if zeros and {k: v for k, v in out.items() if v} == want:
        return (
            f"{what} lists {zeros}, modules without a parameter of their own: "
            "leave them out."
        )
    for name, hint in COUNT_HINTS:
        if out == facts[name] != want:
            return f"{what} is {shown(out)}: {hint}"
    return f"{what} is {shown(out)}, expected {shown(want)}."


# ---- RunningMean(num_features)


def probe_running_mean(RunningMean, num_features, batches, reload_after):
    """Build RunningMean(num_features) and a second one; record what it
    registers; feed it the batches (reloading it from its state_dict into a
    new instance after batch number reload_after); record each mean and the
    buffers after it, then the second instance, then where the buffers of a
    third go with .to("meta")."""
    import torch
    from torch import nn

    def snap(value):  # a copy now: later calls may change it in place
        return value.detach().clone() if isinstance(value, torch.Tensor) else value

    def graph(tensor):
        return isinstance(tensor, torch.Tensor) and (
            tensor.requires_grad or tensor.grad_fn is not None
        )

    if not (isinstance(RunningMean, type) and issubclass(RunningMean, nn.Module)):
        return {"not_a_module": type(RunningMean).__name__}
    try:
        model = RunningMean(num_features)
        other = RunningMean(num_features)
    except Exception as error:  # noqa: BLE001 -- reported by the check
        return {"init_error": f"{type(error).__name__}: {error}"}
    names = ("total", "count")
    result = {
        "attributes": {
            name: type(getattr(model, name, None)).__name__ for name in names
        },
        "buffers": sorted(name for name, _ in model.named_buffers()),
        "parameters": sorted(name for name, _ in model.named_parameters()),
        "state_dict": sorted(model.state_dict()),
        "start": {name: snap(getattr(model, name, None)) for name in names},
        "steps": [],
    }
    try:
        for index, X in enumerate(batches):
            mean = model(X)
            result["steps"].append(
                {
                    "mean": snap(mean),
                    "mean_graph": graph(mean),
                    "total": snap(model.total),
                    "total_graph": graph(model.total),
                    "count": snap(model.count),
                }
            )
            if index == reload_after:
                state = model.state_dict()
                model = RunningMean(num_features)
                model.load_state_dict(state)
        result["other"] = {name: getattr(other, name, None) for name in names}
        moved = RunningMean(2).to("meta")
        result["devices"] = {
            name: getattr(
                getattr(moved, name, None), "device", torch.device("cpu")
            ).type
            for name in names
        }
    except Exception as error:  # noqa: BLE001 -- reported by the check
        result["error"] = f"{type(error).__name__}: {error}"
    return result


def running_mean_cases(gen):
    def randn(*shape):
        return torch.randn(*shape, generator=gen)

    yield Case(
        "RunningMean(3) fed batches of 4 and 2 rows",
        {"num_features": 3, "batches": [randn(4, 3), randn(2, 3)], "reload_after": -1},
    )
    yield Case(
        "a RunningMean(5) loaded from the state_dict of one fed 7 rows, then "
        "fed 3 more",
        {"num_features": 5, "batches": [randn(7, 5), randn(3, 5)], "reload_after": 0},
    )
    yield Case(
        "RunningMean(3) fed two batches of 4 rows that require grad",
        {
            "num_features": 3,
            "batches": [
                (randn(4, 3) * 2).requires_grad_(),
                randn(4, 3).requires_grad_(),
            ],
            "reload_after": -1,
        },
    )
    yield Case(
        "RunningMean(1) fed batches of 1, 3 and 2 rows, reloaded after the second",
        {
            "num_features": 1,
            "batches": [randn(1, 1) + 3, randn(3, 1), randn(2, 1).requires_grad_()],
            "reload_after": 1,
        },
    )


def running_mean_structure(got, expected, what):
    for name in ("total", "count"):
        kind = got["attributes"][name]
        if kind == "Parameter":
            return (
                f"{what}.{name} is an nn.Parameter, so an optimizer would update "
                "it: register it with self.register_buffer(...)."
            )
        if name not in got["buffers"] and kind == "Tensor":
            return (
                f"{what}.{name} is a plain tensor attribute: it is not saved in the "
                "state_dict and does not move with .to(device). Register it with "
                "self.register_buffer(...)."
            )
        if name not in got["buffers"]:
            return (
                f"{what} has no buffer named {name!r}; its buffers are "
                f"{got['buffers']}."
            )
    if got["parameters"]:
        return (
            f"{what} should have no parameters (it has {got['parameters']}): "
            "nothing in it is learned."
        )
    missing = sorted(set(expected["state_dict"]) - set(got["state_dict"]))
    if missing:
        return (
            f"The buffers {missing} are not in the state_dict: do not pass "
            "persistent=False to register_buffer."
        )
    for name, kind in (
        ("total", "float32 zeros of shape (num_features,)"),
        ("count", "an int64 scalar zero, shape ()"),
    ):
        fault = compare_tensor(
            got["start"][name], expected["start"][name], f"{what}.{name}", 0, 0
        )
        fault = fault and fault.replace(" returns wrong values.", " has wrong values.")
        if fault:
            return f"{fault} It should start as {kind}."
    return None


def running_mean_step(case, index, mine, theirs):
    batches = case.inputs["batches"]
    X = batches[index]
    what = f"{case.description}: its call on batch {index + 1} ({batch_label(X)})"
    fault = compare_tensor(mine["mean"], theirs["mean"], what)
    if fault:
        if close(mine["mean"], X.detach().mean(dim=0)):
            return (
                f"{what} is the mean of that batch only: return the mean of all "
                "the rows seen so far, total / count."
            )
        return f"{fault} Return the mean of all the rows seen so far, total / count."
    rows = sum(len(batch) for batch in batches[: index + 1])
    if not close(mine["count"], theirs["count"], 0, 0):
        return (
            f"{case.description}: count is {number(mine['count'])} after {rows} "
            f"rows; expected {rows}. Add each batch's number of rows, len(X)."
        )
    fault = compare_tensor(
        mine["total"],
        theirs["total"],
        f"{case.description}: total after batch {index + 1}",
    )
    if fault:
        return f"{fault} Add the column sums of each batch to total."
    for key, name in (
        ("total_graph", "the buffer total"),
        ("mean_graph", "the mean that RunningMean returns"),
    ):
        if mine[key] and not theirs[key]:
            return (
                f"{case.description}: after batch {index + 1}, {name} is still "
                "attached to the autograd graph: add X.detach() to the buffers "
                "(or update them under torch.no_grad()), or every later step "
                "keeps the old graph alive."
            )
    return None


def check_running_mean(case, got, expected):
    n = case.inputs["num_features"]
    what = f"RunningMean({n})"
    if "not_a_module" in got:
        return not_a_module_class("RunningMean")
    if "init_error" in got:
        return construction_fault(what, got["init_error"])
    fault = running_mean_structure(got, expected, what)
    if fault:
        return fault
    if "error" in got:
        return f"{case.description} raised {got['error']}"
    for index, (mine, theirs) in enumerate(
        zip(got["steps"], expected["steps"], strict=True)
    ):
        fault = running_mean_step(case, index, mine, theirs)
        if fault:
            return fault
    for name, value in expected["other"].items():
        if not close(got["other"][name], value, 0, 0):
            return (
                f"In {case.description}, a second RunningMean({n}), made before "
                f"and never called, has a {name} that changed: each instance must "
                "make its own tensors in __init__, not share one made outside."
            )
    if got["devices"] != expected["devices"]:
        return (
            "The buffers must move with .to(device): register them with "
            "self.register_buffer(...)."
        )
    return None


EXERCISES = [
    Exercise(
        test="affine-tests",
        answer="affine",
        names=("ChannelAffine",),
        cases=affine_cases,
        check=robust(check_affine),
        probe=probe_affine,
    ),
    Exercise(
        test="mlp-parameter-count-tests",
        answer="mlp-parameter-count",
        names=("mlp_parameter_count",),
        cases=mlp_count_cases,
        check=robust(check_mlp_count),
        probe=probe_mlp_count,
        forbidden={
            "Linear": "mlp_parameter_count builds nn.Linear layers: this exercise "
            "asks for the count from the formula, in * out + out for each pair of "
            "neighbouring widths, without building the model.",
        },
    ),
    Exercise(
        test="init-weights-tests",
        answer="init-weights",
        names=("init_weights",),
        cases=init_weights_cases,
        check=robust(check_init_weights),
        probe=probe_init_weights,
    ),
    Exercise(
        test="freeze-all-but-last-tests",
        answer="freeze-all-but-last",
        names=("freeze_all_but_last",),
        cases=freeze_cases,
        check=robust(check_freeze),
        probe=probe_freeze,
    ),
    Exercise(
        test="count-parameters-tests",
        answer="count-parameters",
        names=("count_by_module",),
        cases=count_cases,
        check=robust(check_count),
        probe=probe_count_by_module,
    ),
    Exercise(
        test="running-mean-tests",
        answer="running-mean",
        names=("RunningMean",),
        cases=running_mean_cases,
        check=robust(check_running_mean),
        probe=probe_running_mean,
    ),
]
