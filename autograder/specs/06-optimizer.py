"""Chapter 06's exercises, judged by the grader (see nncourse.specs).

Every case is drawn afresh each grading run; the descriptions are what the
student reads. For the training exercises the probe builds the model, the
data, the loss function and the optimizer from seeds, calls the student's
code, and returns what must match the solution's: the path or the losses,
the parameters afterwards, the optimizer's state, whether an update was
hidden from autograd. The hints name a known mistake when the wrong result
is that mistake's result on the same inputs.
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


def field(got, key):
    return got.get(key) if type(got) is dict else None


#: How an error reads when code used a .grad that is None.
GRAD_NONE = ("and 'NoneType'", "'NoneType' object has no attribute", "not NoneType")
SKIP_NONE = "Skip the parameters whose .grad is None."


def raised(case, got, hints=()):
    """The message for an error the probe caught, with the hint of the first
    known cause it names."""
    text = field(got, "raised")
    if not isinstance(text, str):
        return None
    hint = next((hint for cause, hint in hints if cause in text), "")
    message = f"{case.description} raised {text}"
    if hint:
        message += f"{'' if text.endswith('.') else '.'} {hint}"
    return message


def wrong_tensor(got, expected, what, mistakes=(), atol=1e-5, rtol=1e-4):
    """What is wrong with ``got``: the hint of the first known mistake whose
    result it is, or else what differs; None when it is right."""
    fault = compare_tensor(got, expected, what, atol, rtol)
    if fault is None:
        return None
    for result, hint in mistakes:
        if result is not None and close(got, result, atol, rtol):
            return f"{what} is wrong: {hint}"
    return fault


# ---- descend(f, x0, lr, num_steps)

DESCEND_FUNCTIONS = {
    "bowl": lambda x: (x[0] - 1) ** 2 + 4 * (x[1] + 0.5) ** 2,
    "rosenbrock": lambda x: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2,
    "coupled": lambda x: (
        (x[0] + 2 * x[1] - 1) ** 2 + 0.5 * (x[0] - x[1]) ** 2 + 0.1 * x[0] ** 4
    ),
}

DESCEND_TEXT = {
    "bowl": "f(x) = (x0 - 1)^2 + 4 (x1 + 0.5)^2",
    "rosenbrock": "the Rosenbrock function",
    "coupled": "f(x) = (x0 + 2 x1 - 1)^2 + 0.5 (x0 - x1)^2 + 0.1 x0^4",
}


def descend_probe(descend, f, x0, lr, num_steps, x0_requires_grad):
    """Call descend on one of these functions, noting each point f is called
    at; return the path, x0 afterwards and whether x changed between two
    calls of f without its version counter moving (an update through .data)."""
    import torch

    functions = {
        "bowl": lambda x: (x[0] - 1) ** 2 + 4 * (x[1] + 0.5) ** 2,
        "rosenbrock": lambda x: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2,
        "coupled": lambda x: (
            (x[0] + 2 * x[1] - 1) ** 2 + 0.5 * (x[0] - x[1]) ** 2 + 0.1 * x[0] ** 4
        ),
    }
    calls = []

    def recorded(x):
        calls.append((x, x._version, x.detach().clone()))
        return functions[f](x)

    if x0_requires_grad:
        x0 = x0.clone().requires_grad_()
    path = descend(recorded, x0, lr, num_steps)
    hidden = any(
        after is before and version == later and not torch.equal(old, new)
        for (before, version, old), (after, later, new) in zip(
            calls, calls[1:], strict=False
        )
    )
    return {
        "out": path,
        "requires_grad": bool(getattr(path, "requires_grad", False)),
        "x0": x0,
        "x0_grad": x0.grad,
        "hidden_update": hidden,
    }


def descend_path(f, x0, lr, num_steps, sign=1.0, zero_grad=True):
    x = x0.detach().clone().requires_grad_()
    points = [x.detach().clone()]
    for _ in range(num_steps):
        if zero_grad:
            x.grad = None
        f(x).backward()
        with torch.no_grad():
            x -= sign * lr * x.grad
        points.append(x.detach().clone())
    return torch.stack(points)


def descend_cases(gen):
    def case(f, x0, lr, num_steps, text="", x0_requires_grad=False):
        description = (
            f"descend(f, x0, lr={lr}, num_steps={num_steps}) with "
            f"{DESCEND_TEXT[f]}, x0 = {[round(v, 4) for v in x0.tolist()]}{text}"
        )
        inputs = {
            "f": f,
            "x0": x0,
            "lr": lr,
            "num_steps": num_steps,
            "x0_requires_grad": x0_requires_grad,
        }
        return Case(description, inputs)

    yield case("bowl", torch.tensor([-2.0, 1.0]), 0.1, 6)
    yield case("rosenbrock", torch.tensor([-1.5, 2.0]), 1e-3, 25)
    yield case("bowl", torch.tensor([3.0, 3.0]), 0.2, 0)
    yield case(
        "bowl",
        torch.tensor([0.5, 0.5]),
        0.1,
        3,
        ", an x0 that requires grad",
        x0_requires_grad=True,
    )

    def start():  # small enough that no path overflows
        return 3 * torch.rand(2, generator=gen) - 1.5

    yield case("coupled", start(), 0.05, 8)
    yield case("coupled", start(), 0.12, 5)
    yield case("bowl", 2 * start(), 0.3, 4)


def check_descend(case, got, expected):
    inputs = case.inputs
    x0, lr, num_steps = inputs["x0"], inputs["lr"], inputs["num_steps"]
    f = DESCEND_FUNCTIONS[inputs["f"]]
    what = case.description
    path = field(got, "out")
    if isinstance(path, torch.Tensor) and path.shape == expected["out"].shape:
        if path.dtype == expected["out"].dtype:
            if (
                num_steps > 1
                and (path == path[-1]).all()
                and not torch.equal(expected["out"][0], expected["out"][-1])
            ):
                return (
                    f"{what}: every row of the path is the last point. Append "
                    "a copy of x after each step, x.detach().clone(): "
                    "x.detach() alone shares its memory with x, which the "
                    "following steps change in place."
                )
            if not torch.equal(path[0], x0):
                return (
                    f"{what}: row 0 of the path should be x0 = {x0.tolist()}, "
                    f"not {path[0].tolist()}."
                )
    mistakes = [
        (
            descend_path(f, x0, lr, num_steps, sign=-1.0),
            "it climbs uphill: subtract the gradient, x -= lr * x.grad.",
        ),
        (
            descend_path(f, x0, lr, num_steps, zero_grad=False),
            "the gradients accumulate from step to step: clear x.grad after "
            "each update (x.grad = None or x.grad.zero_()).",
        ),
    ]
    fault = wrong_tensor(path, expected["out"], f"The path of {what}", mistakes)
    if fault:
        return fault
    if field(got, "requires_grad"):
        return (
            f"The path of {what} requires a gradient: store detached copies "
            "of the points, x.detach().clone()."
        )
    if not close(field(got, "x0"), x0, 0, 0):
        return (
            f"{what} changed the caller's x0: start from a copy, "
            "x = x0.detach().clone().requires_grad_()."
        )
    if inputs["x0_requires_grad"] and field(got, "x0_grad") is not None:
        return (
            f"{what} sent gradients back to x0: start from a copy that is cut "
            "from x0's graph, x0.detach().clone()."
        )
    if field(got, "hidden_update"):
        return (
            f"In {what}, x changed between two steps without autograd "
            "noticing (its version counter did not move): update it with "
            "x -= lr * x.grad inside torch.no_grad(), not through x.data."
        )
    return None


# ---- sgd_step(params, lr)


def sgd_step_probe(sgd_step, sizes, frozen, unused, lr, dtype, X):
    """Build the model (torch is seeded), fill the gradients with one
    backward(), call sgd_step on its parameters (and, with unused, on one
    that requires grad but took no part in the loss); return the parameters
    and gradients before and after, and which changed without autograd
    noticing."""
    import torch
    from torch import nn

    dtype = getattr(torch, dtype)
    layers = []
    for index in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[index], sizes[index + 1]))
        if index < len(sizes) - 2:
            layers.append(nn.Tanh())
    model = nn.Sequential(*layers).to(dtype)
    if frozen is not None:
        model[frozen].requires_grad_(False)
    params = list(model.parameters())
    if unused:
        params.append(nn.Parameter(torch.randn(3, dtype=dtype)))
    (model(X.to(dtype)) ** 2).mean().backward()
    before = [p.detach().clone() for p in params]
    versions = [p._version for p in params]
    grads = [None if p.grad is None else p.grad.clone() for p in params]
    try:
        sgd_step(params, lr)
    except Exception as error:  # reported with a hint where one fits
        return {"raised": f"{type(error).__name__}: {error}"[:500]}
    return {
        "params": [p.detach().clone() for p in params],
        "before": before,
        "grads": [None if p.grad is None else p.grad.clone() for p in params],
        "grads_before": grads,
        "hidden": [
            p._version == version and not torch.equal(p.detach(), old)
            for p, version, old in zip(params, versions, before, strict=True)
        ],
    }


def sgd_step_cases(gen):
    def case(text, sizes, lr, frozen=None, unused=False, dtype="float32", N=8):
        X = torch.randn(N, sizes[0], generator=gen)
        inputs = {
            "sizes": sizes,
            "frozen": frozen,
            "unused": unused,
            "lr": lr,
            "dtype": dtype,
            "X": X,
        }
        return Case(
            f"sgd_step(params, {lr}) on the parameters of {text}",
            inputs,
            seed_of(gen),
        )

    yield case("an nn.Linear(4, 2)", [4, 2], 0.1)
    yield case(
        "a (3, 5, 1) network whose first layer is frozen (its .grad is None)",
        [3, 5, 1],
        0.3,
        frozen=0,
    )
    yield case("a float64 (3, 4, 2) network", [3, 4, 2], 0.05, dtype="float64")
    yield case(
        "an nn.Linear(3, 2), plus one parameter that requires grad but took no "
        "part in the loss (its .grad is None)",
        [3, 2],
        0.2,
        unused=True,
    )
    yield case("another nn.Linear(4, 2)", [4, 2], 0.7, N=5)


def check_sgd_step(case, got, expected):
    what = case.description
    fault = raised(
        case,
        got,
        [
            ("leaf Variable", "Do the update inside `with torch.no_grad():`."),
            *((cause, SKIP_NONE) for cause in GRAD_NONE),
        ],
    )
    if fault:
        return fault
    params = field(got, "params")
    if type(params) is not list or len(params) != len(expected["params"]):
        return f"{what} did not run to its end."
    before, grads = expected["before"], expected["grads_before"]
    for k, (mine, theirs) in enumerate(zip(params, expected["params"], strict=True)):
        if close(mine, theirs, 1e-6, 1e-5):
            continue
        grad = grads[k]
        if grad is None:
            return (
                f"{what} changed a parameter whose .grad is None: skip "
                "those (if p.grad is not None)."
            )
        if close(mine, before[k], 0, 0):
            return (
                f"{what} did not change the parameters. Update each one in "
                "place (p -= lr * p.grad): `p = p - lr * p.grad` only makes a "
                "new tensor and the model keeps the old one."
            )
        if close(mine, before[k] + case.inputs["lr"] * grad, 1e-6, 1e-5):
            return (
                f"{what} moved the parameters uphill: subtract lr * p.grad, "
                "do not add it."
            )
        return (
            f"{what} left a parameter with wrong values: the update is "
            "p <- p - lr * p.grad, for every parameter whose .grad is not None."
        )
    for mine, theirs in zip(field(got, "grads") or [], expected["grads"], strict=False):
        if (mine is None) != (theirs is None) or (
            theirs is not None and not close(mine, theirs, 0, 0)
        ):
            return (
                f"{what} changed the gradients: leave p.grad as it is (the "
                "training loop clears it with zero_grad())."
            )
    if any(field(got, "hidden") or []):
        return (
            f"In {what}, the parameters changed without autograd noticing "
            "(their version counter did not move): update them with "
            "`p -= lr * p.grad` under torch.no_grad(), not through p.data."
        )
    return None


# ---- train_steps(model, loss_fn, optimizer, X, y, num_steps, max_norm)

TRAIN_LOSSES = {
    "mse": "nn.MSELoss()",
    "l1": "nn.L1Loss()",
    "huber": "nn.HuberLoss(delta=0.5)",
    "mse_sum": "nn.MSELoss(reduction='sum')",
    "cross_entropy": "nn.CrossEntropyLoss()",
    "weighted_cross_entropy": "a class-weighted nn.CrossEntropyLoss with "
    "label smoothing",
}


def train_steps_probe(
    train_steps,
    sizes,
    norm,
    frozen,
    dtype,
    optimizer,
    loss,
    X,
    y,
    num_steps,
    fraction,
    seed,
):
    """Build the model, loss_fn and optimizer (from seed); max_norm is
    `fraction` times the global norm of the first step's gradients. Call
    train_steps; return what it returned, the parameters and the data
    afterwards, and, for the hints, the losses and norms of loops that never
    clip, clip each parameter on its own or never zero the gradients."""
    import torch
    from torch import nn

    dtype = getattr(torch, dtype)

    def build():
        torch.manual_seed(seed)
        layers = []
        for index in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[index], sizes[index + 1]))
            if index < len(sizes) - 2:
                if norm:
                    layers.append(nn.BatchNorm1d(sizes[index + 1]))
                layers.append(nn.Tanh())
        model = nn.Sequential(*layers).to(dtype)
        if frozen:
            model[0].requires_grad_(False)
        classes = sizes[-1]
        losses = {
            "mse": lambda: nn.MSELoss(),
            "l1": lambda: nn.L1Loss(),
            "huber": lambda: nn.HuberLoss(delta=0.5),
            "mse_sum": lambda: nn.MSELoss(reduction="sum"),
            "cross_entropy": lambda: nn.CrossEntropyLoss(),
            "weighted_cross_entropy": lambda: nn.CrossEntropyLoss(
                weight=torch.linspace(0.5, 2.0, classes, dtype=dtype),
                label_smoothing=0.1,
            ),
        }
        settings = dict(optimizer)
        kind = getattr(torch.optim, settings.pop("name"))
        return model, losses[loss](), kind(model.parameters(), **settings)

    def run(clip, zero=True):
        """The losses and global norms of a loop that clips with `clip`."""
        model, loss_fn, opt = build()
        losses, norms = [], []
        with torch.enable_grad():
            for _ in range(num_steps):
                if zero:
                    opt.zero_grad()
                value = loss_fn(model(X), y)
                value.backward()
                grads = [p.grad for p in model.parameters() if p.grad is not None]
                norms.append(torch.stack([g.norm() for g in grads]).norm().item())
                clip(model)
                opt.step()
                losses.append(value.item())
        return [losses, norms]

    def rescale(model):  # to max_norm, even a shorter gradient
        grads = [p.grad for p in model.parameters() if p.grad is not None]
        total = torch.stack([g.norm() for g in grads]).norm()
        for g in grads:
            g.mul_(max_norm / total)

    X = X.to(dtype)
    y = y if y.dtype == torch.int64 else y.to(dtype)
    max_norm = fraction * run(lambda model: None)[1][0]
    model, loss_fn, opt = build()
    out = train_steps(model, loss_fn, opt, X, y, num_steps, max_norm)
    result = {
        "out": out,
        "params": [p.detach().clone() for p in model.parameters()],
        "X": X,
        "y": y,
        "max_norm": max_norm,
        "unclipped": run(lambda model: None),
        "each": run(
            lambda model: [
                nn.utils.clip_grad_norm_([p], max_norm) for p in model.parameters()
            ]
        ),
        "accumulated": run(
            lambda model: nn.utils.clip_grad_norm_(model.parameters(), max_norm),
            zero=False,
        ),
        "value": run(
            lambda model: nn.utils.clip_grad_value_(model.parameters(), max_norm)
        ),
        "rescaled": run(rescale),
    }
    return result


def train_steps_cases(gen):
    def case(
        text,
        sizes,
        optimizer,
        loss,
        num_steps,
        fraction,
        *,
        N=16,
        norm=False,
        frozen=False,
        dtype="float32",
    ):
        X = torch.randn(N, sizes[0], generator=gen, dtype=getattr(torch, dtype))
        if "cross_entropy" in loss:
            y = torch.randint(0, sizes[-1], (N,), generator=gen)
        else:
            weights = torch.randn(sizes[0], sizes[-1], generator=gen, dtype=X.dtype)
            y = 3 * X @ weights + 0.1 * torch.randn(
                N, sizes[-1], generator=gen, dtype=X.dtype
            )
        settings = ", ".join(f"{k}={v}" for k, v in optimizer.items() if k != "name")
        limit = (
            "far above every gradient's norm"
            if fraction > 1
            else f"{fraction} times the first step's gradient norm"
        )
        description = (
            f"train_steps(..., num_steps={num_steps}, max_norm {limit}) of "
            f"{text} with loss_fn = {TRAIN_LOSSES[loss]} and "
            f"torch.optim.{optimizer['name']}({settings})"
        )
        inputs = {
            "sizes": sizes,
            "norm": norm,
            "frozen": frozen,
            "dtype": dtype,
            "optimizer": optimizer,
            "loss": loss,
            "X": X,
            "y": y,
            "num_steps": num_steps,
            "fraction": fraction,
            "seed": seed_of(gen),
        }
        return Case(description, inputs, inputs["seed"])

    yield case("an nn.Linear(4, 1)", [4, 1], {"name": "SGD", "lr": 0.1}, "mse", 5, 0.5)
    yield case(
        "an nn.Linear(4, 2)", [4, 2], {"name": "SGD", "lr": 0.05}, "l1", 5, 100.0
    )
    yield case(
        "a (5, 8, 3) tanh classifier",
        [5, 8, 3],
        {"name": "Adam", "lr": 0.05},
        "cross_entropy",
        6,
        0.3,
        N=20,
    )
    yield case(
        "an nn.Linear(5, 3) classifier",
        [5, 3],
        {"name": "SGD", "lr": 0.2, "momentum": 0.9},
        "cross_entropy",
        4,
        0.8,
        N=20,
    )
    yield case(
        "a (4, 6, 3) tanh classifier whose first layer is frozen",
        [4, 6, 3],
        {"name": "SGD", "lr": 0.3},
        "weighted_cross_entropy",
        5,
        0.5,
        frozen=True,
    )
    yield case(
        "a float64 (3, 5, 2) tanh network",
        [3, 5, 2],
        {"name": "Adam", "lr": 0.02, "weight_decay": 0.01},
        "mse_sum",
        4,
        0.2,
        dtype="float64",
    )
    yield case(
        "a (3, 6, 1) network with BatchNorm1d",
        [3, 6, 1],
        {"name": "SGD", "lr": 0.1, "momentum": 0.5},
        "huber",
        4,
        0.7,
        norm=True,
    )
    yield case(
        "an nn.Linear(2, 1)", [2, 1], {"name": "SGD", "lr": 0.1}, "mse", 1, 0.5, N=6
    )


def floats_fault(what, values, count, name):
    """What is wrong with the form of a returned list of floats, or None."""
    if type(values) is not list:
        return (
            f"{what} returned {describe(values)} for the {name}: return two "
            "lists, (losses, norms)."
        )
    if len(values) != count:
        return f"{what} returned {len(values)} {name}; expected one per step, {count}."
    for value in values:
        if isinstance(value, torch.Tensor):
            return (
                f"{what} returned tensors among the {name}: append .item(), a "
                "Python float (a loss tensor keeps its graph's nodes alive)."
            )
        if type(value) is not float:
            return (
                f"{what} returned {describe(value)} among the {name}: append "
                ".item(), a Python float."
            )
    return None


def same_floats(a, b, rtol=1e-4, atol=1e-6):
    return len(a) == len(b) and all(
        math.isclose(x, z, rel_tol=rtol, abs_tol=atol)
        for x, z in zip(a, b, strict=True)
    )


def check_train_form(what, got, expected, count):
    out = field(got, "out")
    if type(out) is not list or len(out) != 2:
        return (
            f"{what} returned {describe(out)}: return the pair (losses, norms), "
            "two lists of Python floats."
        )
    for values, name in zip(out, ("losses", "norms"), strict=True):
        fault = floats_fault(what, values, count, name)
        if fault:
            return fault
    losses, norms = out
    right_losses, right_norms = expected["out"]
    if same_floats(losses, right_norms) and same_floats(norms, right_losses):
        return f"{what} returned (norms, losses): return (losses, norms)."
    if not math.isclose(losses[0], right_losses[0], rel_tol=1e-5, abs_tol=1e-7):
        return (
            f"{what}: the first loss is {losses[0]:.5f}, expected "
            f"{right_losses[0]:.5f}. Compute loss_fn(model(X), y) with the model "
            "and the loss_fn you were given, before the first update."
        )
    return None


def check_train_norms(what, got, expected):
    norms, right = field(got, "out")[1], expected["out"][1]
    if same_floats(norms, right):
        return None
    max_norm = expected["max_norm"]
    if same_floats(norms, [min(n, max_norm) for n in right], rtol=1e-3):
        return (
            f"{what}: the norms are those after clipping (at most max_norm). "
            "Return the global norm before clipping, the value "
            "torch.nn.utils.clip_grad_norm_ returns."
        )
    return (
        f"{what}: the norms are {[round(n, 5) for n in norms]}, expected "
        f"{[round(n, 5) for n in right]}: the global norm of all the model's "
        "gradients together, before clipping, at each step."
    )


def check_train_steps(case, got, expected):
    what = case.description
    count = case.inputs["num_steps"]
    fault = check_train_form(what, got, expected, count)
    if fault:
        return fault
    losses, right = field(got, "out")[0], expected["out"][0]
    if (
        count > 1
        and math.isclose(losses[1], losses[0], rel_tol=1e-7)
        and not math.isclose(right[1], right[0], rel_tol=1e-7)
    ):
        return (
            f"{what}: the first step did not change the model (its loss and "
            "the next are equal). optimizer.step() ran before loss.backward() "
            "had computed a gradient, or zero_grad() erased it. The order is "
            "zero_grad(), loss, backward(), clip, step()."
        )
    if all(abs(n) <= 1e-6 for n in field(got, "out")[1]):
        return (
            f"{what}: every norm is 0, so nothing was clipped. Clip after "
            "loss.backward(), when the gradients exist, and before "
            "optimizer.step()."
        )
    fault = check_train_losses(what, losses, expected) or check_train_norms(
        what, got, expected
    )
    if fault:
        return fault
    for mine, theirs in zip(
        field(got, "params") or [], expected["params"], strict=False
    ):
        if compare_tensor(mine, theirs, "x", atol=1e-5, rtol=1e-4):
            return (
                f"{what}: the parameters after the last step are wrong. Update "
                "the model with optimizer.step() at every step, after the "
                "clipping."
            )
    for name in ("X", "y"):
        if not close(field(got, name), expected[name], 0, 0):
            return f"{what} changed {name} in place: leave the data as it was."
    return None


def check_train_losses(what, losses, expected):
    right = expected["out"][0]
    if same_floats(losses, right):
        return None
    hints = [
        (
            "unclipped",
            "the updates were not clipped. Clip between loss.backward() and "
            "optimizer.step(): before backward() there is no gradient yet, "
            "after step() the update has already used it.",
        ),
        (
            "each",
            "each parameter's gradient was clipped on its own, which changes "
            "the direction of the step. Clip the global norm of all the "
            "model's gradients together, in one call over model.parameters().",
        ),
        (
            "accumulated",
            "the gradients accumulate from step to step. Clear them at every "
            "step (optimizer.zero_grad()).",
        ),
        (
            "value",
            "every entry of the gradients was clipped to [-max_norm, max_norm] "
            "(clip_grad_value_), which turns the step. Clip their global norm.",
        ),
        (
            "rescaled",
            "the gradients were rescaled to the norm max_norm even when they "
            "were shorter: a gradient no longer than max_norm stays as it is.",
        ),
    ]
    for key, hint in hints:
        if len(losses) > 1 and same_floats(losses, expected[key][0], 1e-5, 1e-7):
            return f"{what}: {hint}"
    return (
        f"{what}: the losses are {[round(v, 5) for v in losses]}, expected "
        f"{[round(v, 5) for v in right]}. Each step is zero_grad(), loss = "
        "loss_fn(model(X), y), loss.backward(), clipping with max_norm, "
        "optimizer.step(), with the optimizer you were given."
    )


# ---- largest_stable_lr(A)


def stable_lr_probe(largest_stable_lr, A):
    """Call largest_stable_lr(A); a float subclass (NumPy's float64) comes
    back as a plain float, with its type's name."""
    out = largest_stable_lr(A)
    kind = type(out).__name__
    if isinstance(out, float):
        out = float(out)
    return {"out": out, "kind": kind, "A": A}


def distance_after(A, lr, num_steps=400):
    w = torch.ones(A.shape[0], dtype=torch.float64)
    for _ in range(num_steps):
        w = w - lr * A @ w
        if w.norm() > 1e100:
            return math.inf
    return w.norm().item()


def stable_lr_cases(gen):
    def spd(curvatures, dtype):
        Q, _ = torch.linalg.qr(
            torch.randn(
                len(curvatures), len(curvatures), generator=gen, dtype=torch.float64
            )
        )
        A = Q @ torch.diag(torch.tensor(curvatures, dtype=torch.float64)) @ Q.T
        return ((A + A.T) / 2).to(dtype)

    def case(text, A):
        return Case(f"largest_stable_lr(A) of {text}", {"A": A})

    yield case("A = diag(1, 10)", torch.diag(torch.tensor([1.0, 10.0])))
    curvatures = [0.5, 4.0, 8.0]
    yield case(
        "a float64 (3, 3) A with curvatures 0.5, 4 and 8",
        spd(curvatures, torch.float64),
    )
    yield case("A = [[3, 1], [1, 3]]", torch.tensor([[3.0, 1.0], [1.0, 3.0]]))
    yield case("A = diag(7, 2, 0.5)", torch.diag(torch.tensor([7.0, 2.0, 0.5])))
    yield case("a (1, 1) A = [[4]]", torch.tensor([[4.0]], dtype=torch.float64))
    scale = float(torch.rand((), generator=gen, dtype=torch.float64)) * 3 + 1
    top = [0.2 * scale, scale, 2 * scale, 3 * scale, 6 * scale]
    yield case("a float64 (5, 5) A, not diagonal", spd(top, torch.float64))
    yield case(
        "a float32 (4, 4) A, not diagonal", spd([0.3, 1.0, 1.5, 5.0], torch.float32)
    )


def check_stable_lr(case, got, expected):
    A = case.inputs["A"]
    what = case.description
    out, kind = field(got, "out"), field(got, "kind")
    right = expected["out"]
    if isinstance(out, torch.Tensor):
        return f"{what} returned a tensor: return a Python float (.item())."
    if type(out) is not float:
        return f"{what} should return a float, but it returns a {kind}."
    if not close(field(got, "A"), A, 0, 0):
        return (
            f"{what} changed A in place: compute with new tensors and leave "
            "A as it was."
        )
    if math.isclose(out, right, rel_tol=1e-4):
        return None
    curvatures = torch.linalg.eigvalsh(A.double())
    if math.isclose(out, right / 2, rel_tol=1e-4):
        return (
            f"{what} returned {out:.4g} = 1/h_max. That rate removes the "
            "steepest direction in one step, but larger ones still converge: "
            "the factor 1 - lr * h must stay between -1 and 1."
        )
    if math.isclose(out, 2 / curvatures.min().item(), rel_tol=1e-4):
        return (
            f"{what} returned {out:.4g} = 2/h_min: the largest curvature, not "
            "the smallest, limits the learning rate."
        )
    if math.isclose(out, 2 / A.double().diagonal().max().item(), rel_tol=1e-4):
        return (
            f"{what} returned {out:.4g} = 2/(largest diagonal entry of A): "
            "when A is not diagonal its curvatures are its eigenvalues "
            "(torch.linalg.eigvalsh)."
        )
    A64 = A.double()
    below, above = distance_after(A64, 0.98 * out), distance_after(A64, 1.02 * out)
    return (
        f"{what} returned {out:.4g}, expected {right:.4g}. Gradient descent "
        f"from (1, ..., 1) ends at distance {below:.3g} from the minimum with "
        f"0.98 times your value, and {above:.3g} with 1.02 times it: the edge "
        "of convergence lies where the first is small and the second huge."
    )


# ---- MomentumSGD(params, lr, momentum=0.9)


def momentum_probe(
    MomentumSGD,
    sizes,
    groups,
    lr,
    momentum,
    num_steps,
    set_to_none,
    new_lr,
    dtype,
    unused,
    closure,
    X,
    y,
    seed,
):
    """Build the model (from seed) and a MomentumSGD over it, then take
    num_steps steps (zero_grad, MSE loss, backward, step), or, with closure,
    steps through step(closure); return the parameters after each step, the
    momentum buffers, step's return values and whether a parameter changed
    without autograd noticing. For the hints, the parameters that plain SGD
    would reach."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    dtype = getattr(torch, dtype)

    def build():
        torch.manual_seed(seed)
        layers = []
        for index in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[index], sizes[index + 1]))
            if index < len(sizes) - 2:
                layers.append(nn.Tanh())
        model = nn.Sequential(*layers).to(dtype)
        watched = list(model.parameters())
        if unused:  # requires grad, takes no part in the loss
            watched.append(nn.Parameter(torch.randn(2, dtype=dtype)))
        params = watched
        if groups == "two":
            params = [
                {"params": list(model[0].parameters()), "lr": 0.02},
                {"params": list(model[2].parameters()), "momentum": 0.5},
            ]
        return model, params, watched

    X, y = X.to(dtype), y.to(dtype)
    model, params, watched = build()
    kwargs = {"lr": lr} if momentum is None else {"lr": lr, "momentum": momentum}
    optimizer = MomentumSGD(params, **kwargs)
    result = {"is_optimizer": isinstance(optimizer, torch.optim.Optimizer)}
    trajectory, returned, hidden = [], [], False
    for step in range(num_steps):
        if new_lr is not None and step == num_steps // 2:
            for group in optimizer.param_groups:  # as a scheduler would
                group["lr"] = new_lr
        optimizer.zero_grad(set_to_none=set_to_none)
        versions = [p._version for p in watched]
        before = [p.detach().clone() for p in watched]
        try:
            if closure:

                def compute():
                    optimizer.zero_grad()
                    value = F.mse_loss(model(X), y)
                    value.backward()
                    return value

                returned.append(optimizer.step(compute))
            else:
                F.mse_loss(model(X), y).backward()
                returned.append(optimizer.step())
        except Exception as error:  # reported with a hint where one fits
            result["raised"] = f"{type(error).__name__}: {error}"[:500]
            return result
        hidden = hidden or any(
            p._version == version and not torch.equal(p.detach(), old)
            for p, version, old in zip(watched, versions, before, strict=True)
        )
        trajectory.append([p.detach().clone() for p in watched])
    state = optimizer.state
    result.update(
        trajectory=trajectory,
        buffers=[
            state[p].get("momentum_buffer") if p in state else None for p in watched
        ],
        returned=returned,
        hidden=hidden,
    )
    model, params, watched = build()  # for the hints: plain SGD
    plain = torch.optim.SGD(params, lr=lr)
    plain_trajectory = []
    with torch.enable_grad():
        for step in range(num_steps):
            if new_lr is not None and step == num_steps // 2:
                for group in plain.param_groups:
                    group["lr"] = new_lr
            plain.zero_grad()
            F.mse_loss(model(X), y).backward()
            plain.step()
            plain_trajectory.append([p.detach().clone() for p in watched])
    result["plain"] = plain_trajectory
    return result


def momentum_cases(gen):
    def case(
        text,
        *,
        sizes=(3, 4, 1),
        groups="all",
        lr=0.1,
        momentum=0.9,
        num_steps=4,
        set_to_none=False,
        new_lr=None,
        dtype="float32",
        unused=False,
        closure=False,
        N=12,
    ):
        X = torch.randn(N, sizes[0], generator=gen)
        y = torch.randn(N, sizes[-1], generator=gen)
        shown = "" if momentum is None else f", momentum={momentum}"
        inputs = {
            "sizes": list(sizes),
            "groups": groups,
            "lr": lr,
            "momentum": momentum,
            "num_steps": num_steps,
            "set_to_none": set_to_none,
            "new_lr": new_lr,
            "dtype": dtype,
            "unused": unused,
            "closure": closure,
            "X": X,
            "y": y,
            "seed": seed_of(gen),
        }
        description = f"{num_steps} steps of MomentumSGD(params, lr={lr}{shown}) {text}"
        return Case(description, inputs, inputs["seed"])

    yield case(
        "on a (3, 4, 1) network, gradients zeroed with zero_grad(set_to_none=False)"
    )
    yield case(
        "on two parameter groups, the first with lr=0.02, the second with momentum=0.5",
        groups="two",
        num_steps=5,
    )
    yield case(
        "whose lr is set to 0.2 in every group after 3 steps (as a scheduler would)",
        lr=0.05,
        momentum=0.8,
        num_steps=6,
        new_lr=0.2,
    )
    yield case(
        "on a float64 network, gradients zeroed with zero_grad()",
        momentum=0.7,
        dtype="float64",
        set_to_none=True,
    )
    yield case(
        "on a network plus one parameter that takes no part in the loss (its "
        ".grad stays None)",
        num_steps=3,
        unused=True,
        set_to_none=True,
    )
    yield case("with the default momentum", momentum=None, num_steps=3, sizes=(2, 3, 2))
    yield case(
        "through step(closure), the closure calling zero_grad(), the "
        "loss and backward()",
        num_steps=3,
        closure=True,
        momentum=0.6,
    )


def check_momentum(case, got, expected):
    what = case.description
    if field(got, "is_optimizer") is not True:
        return "MomentumSGD must subclass torch.optim.Optimizer."
    fault = raised(
        case,
        got,
        [
            ("leaf Variable", "Decorate step with @torch.no_grad()."),
            (
                "does not require grad",
                "step runs under @torch.no_grad(), so call closure() inside "
                "`with torch.enable_grad():` for its backward() to work.",
            ),
            *((cause, SKIP_NONE) for cause in GRAD_NONE),
        ],
    )
    if fault:
        return fault
    for mine, theirs in zip(
        field(got, "buffers") or [], expected["buffers"], strict=False
    ):
        if isinstance(mine, torch.Tensor) and isinstance(theirs, torch.Tensor):
            if mine.dtype != theirs.dtype:
                return (
                    f"{what}: a momentum buffer has dtype {mine.dtype}, its "
                    f"parameter {theirs.dtype}. Make the buffer in the "
                    "parameter's dtype: p.grad.clone() or torch.zeros_like(p), "
                    "not torch.zeros(p.shape)."
                )
    trajectory = field(got, "trajectory")
    right = expected["trajectory"]
    if type(trajectory) is not list or len(trajectory) != len(right):
        return f"{what} did not run to its end."
    atol, rtol = (1e-10, 1e-8) if right[0][0].dtype == torch.float64 else (1e-6, 1e-5)
    for step, (mine, theirs) in enumerate(zip(trajectory, right, strict=True)):
        faults = [
            compare_tensor(p, q, "x", atol, rtol)
            for p, q in zip(mine, theirs, strict=True)
        ]
        if not any(faults):
            continue
        if any(f and "dtype" in f for f in faults):
            return (
                f"{what}: after step {step + 1} a parameter changed dtype: "
                "keep the momentum buffer in the parameter's dtype "
                "(torch.zeros_like(p), p.grad.clone())."
            )
        if step == 0:
            return (
                f"{what}: after the first step the parameters differ from "
                "torch.optim.SGD's. The first step is p <- p - lr * grad (v "
                "starts as the gradient), with each group's own lr, and "
                "parameters whose .grad is None are skipped."
            )
        plain = expected["plain"][step]
        if all(close(p, q, atol, rtol) for p, q in zip(mine, plain, strict=True)):
            return (
                f"{what}: MomentumSGD does plain SGD from step {step + 1} on: "
                "the velocity must be kept from step to step in "
                "self.state[p]['momentum_buffer']."
            )
        aliasing = (
            ""
            if case.inputs["set_to_none"]
            else " Keep a copy of the gradient in the buffer, p.grad.clone(): "
            "zero_grad(set_to_none=False) zeroes p.grad itself in place."
        )
        return (
            f"{what}: at step {step + 1} the parameters differ from those of "
            "torch.optim.SGD(momentum=...): v <- momentum * v + grad, then "
            "p <- p - lr * v, with each parameter group's own lr and momentum "
            f"(read them from the group at every step).{aliasing}"
        )
    buffers = field(got, "buffers") or []
    for mine, theirs in zip(buffers, expected["buffers"], strict=False):
        if theirs is None:
            continue
        if mine is None:
            return (
                f"{what}: optimizer.state[p] has no 'momentum_buffer'. Keep "
                "the velocity in self.state[p]['momentum_buffer'], so that "
                "state_dict() saves it."
            )
        lr = case.inputs["lr"]
        fault = wrong_tensor(
            mine,
            theirs,
            f"optimizer.state[p]['momentum_buffer'] after {what}",
            [
                (
                    lr * theirs,
                    "it holds lr * v: torch.optim.SGD keeps "
                    "v <- momentum * v + grad and steps by lr * v.",
                )
            ],
            atol,
            rtol,
        )
        if fault:
            return fault
    returned = field(got, "returned") or []
    for mine, theirs in zip(returned, expected["returned"], strict=False):
        if theirs is None and mine is not None:
            return (
                f"{what}: step() without a closure returned {describe(mine)}; "
                "return None."
            )
        if isinstance(theirs, torch.Tensor) and not close(mine, theirs, atol, rtol):
            return (
                f"{what}: step(closure) should return the loss that closure() "
                f"returned, but it returned {describe(mine)}."
            )
    if field(got, "hidden"):
        return (
            f"{what}: MomentumSGD.step changed the parameters without autograd "
            "noticing (their version counter did not move): update them in "
            "place, p.add_(...), under @torch.no_grad(), not through p.data."
        )
    return None


EXERCISES = [
    Exercise(
        test="descend-tests",
        answer="descend",
        names=("descend",),
        cases=descend_cases,
        check=check_descend,
        probe=descend_probe,
    ),
    Exercise(
        test="sgd-step-tests",
        answer="sgd-step",
        names=("sgd_step",),
        cases=sgd_step_cases,
        check=check_sgd_step,
        probe=sgd_step_probe,
        forbidden=dict.fromkeys(
            ("optim", "SGD", "sgd", "_functional"),
            "sgd_step hands the update to torch.optim, which this exercise asks "
            "you to write: p -= lr * p.grad for each parameter, under "
            "torch.no_grad().",
        ),
    ),
    Exercise(
        test="train-steps-tests",
        answer="train-steps",
        names=("train_steps",),
        cases=train_steps_cases,
        check=check_train_steps,
        probe=train_steps_probe,
        forbidden={
            "forward": "train_steps calls .forward(...) directly: call the "
            "model and the loss function themselves, model(X) and "
            "loss_fn(output, y), which run PyTorch's hooks.",
        },
    ),
    Exercise(
        test="largest-stable-lr-tests",
        answer="largest-stable-lr",
        names=("largest_stable_lr",),
        cases=stable_lr_cases,
        check=check_stable_lr,
        probe=stable_lr_probe,
    ),
    Exercise(
        test="momentum-sgd-tests",
        answer="momentum-sgd",
        names=("MomentumSGD",),
        cases=momentum_cases,
        check=check_momentum,
        probe=momentum_probe,
        forbidden=dict.fromkeys(
            ("SGD", "sgd", "_functional"),
            "MomentumSGD uses torch.optim.SGD, whose update this exercise asks "
            "you to write: subclass torch.optim.Optimizer and write step().",
        ),
    ),
]
