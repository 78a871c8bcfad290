"""Chapter 05's exercises, judged by the grader (see nncourse.specs).

Every case is drawn afresh each grading run; the descriptions are what the
student reads. The hints name a known mistake when the wrong result is that
mistake's result on the same inputs. The backward passes by hand are called
under ``torch.no_grad()``, as the chapter says.
"""

import torch
from torch.nn import functional as F

from nncourse.specs import (
    Case,
    Exercise,
    close,
    compare_tensor,
    describe,
    first_fault,
    seed_of,
)


def tolerances(tensor):
    """atol, rtol for a result of this dtype."""
    if tensor.dtype == torch.float64:
        return 1e-9, 1e-7
    return 1e-5, 1e-4


def wrong_tensor(got, expected, what, mistakes=(), tol=None):
    """What is wrong with ``got``: the hint of the first known mistake whose
    result it is, or else what differs; None when it is right."""
    atol, rtol = tol or tolerances(expected)
    fault = compare_tensor(got, expected, what, atol, rtol)
    if fault is None:
        return None
    for result, hint in mistakes:
        if result is not None and close(got, result, atol, rtol):
            return f"{what} is wrong: {hint}"
    return fault


def field(got, key):
    return got.get(key) if type(got) is dict else None


def unchanged_arguments(case, got, expected, names):
    for name, mine, theirs in zip(
        names, field(got, "args") or [], expected["args"], strict=False
    ):
        if isinstance(theirs, torch.Tensor) and not close(mine, theirs, 0, 0):
            return (
                f"{case.description} changed its argument {name} in place. "
                "Compute new tensors and leave the inputs as they were (no "
                "`-=`, `/=`, `[...] =` or methods ending in `_` on them)."
            )
    if field(got, "returned_an_argument"):
        return (
            f"{case.description} returned one of its arguments itself: return "
            "a new tensor."
        )
    return None


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


def by_hand(function):
    message = (
        f"{function} asks autograd for the gradient (backward(), "
        "torch.autograd, torch.func or enable_grad). This exercise asks you "
        "to compute it by hand, with tensor operations; autograd is what the "
        "tests compare with."
    )
    return dict.fromkeys(
        ("backward", "autograd", "enable_grad", "set_grad_enabled", "func"), message
    )


# ---- accumulate_gradients(model, loss_fn, micro_batches)


def accumulate_probe(
    accumulate_gradients, sizes, norm, activation, loss, micro_batches, stale, dtype
):
    """Build the model (torch is seeded), take each micro-batch's own loss and
    gradient for the hints, maybe leave old gradients in .grad, and call the
    function with a hook that records the rows of each call of the model and
    the backward passes through its outputs."""
    import torch
    from torch import nn

    dtype = getattr(torch, dtype)
    layers = []
    for index in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[index], sizes[index + 1]))
        if index < len(sizes) - 2:
            if norm:
                layers.append(nn.BatchNorm1d(sizes[index + 1]))
            layers.append(nn.Tanh() if activation == "tanh" else nn.ReLU())
    model = nn.Sequential(*layers).to(dtype)
    if norm:  # evaluation mode, with running statistics unlike a fresh layer's
        model.eval()
        for module in model:
            if isinstance(module, nn.BatchNorm1d):
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
    loss_fn = {
        "cross_entropy": nn.CrossEntropyLoss(),
        "smoothed_cross_entropy": nn.CrossEntropyLoss(label_smoothing=0.1),
        "mse": nn.MSELoss(),
    }.get(loss, nn.L1Loss())
    micro_batches = [
        (X.to(dtype), y if y.dtype == torch.int64 else y.to(dtype))
        for X, y in micro_batches
    ]
    params = list(model.parameters())
    part_grads, part_losses = [], []
    for X, y in micro_batches:
        part_loss = loss_fn(model(X), y)
        part_grads.append(list(torch.autograd.grad(part_loss, params)))
        part_losses.append(part_loss.item())
    for p in params:
        if stale == "all" or (stale == "weights" and p.dim() > 1):
            p.grad = torch.randn_like(p)
    old = [None if p.grad is None else p.grad.clone() for p in params]
    rows, order = [], []

    def on_call(module, args, output):  # "F": a forward pass into a graph
        rows.append(len(args[0]) if args else -1)
        if isinstance(output, torch.Tensor) and output.requires_grad:
            order.append("F")
            output.register_hook(lambda grad: order.append("B"))

    handle = model.register_forward_hook(on_call)
    out = accumulate_gradients(model, loss_fn, micro_batches)
    handle.remove()
    return {
        "out": out,
        "grads": [None if p.grad is None else p.grad.clone() for p in params],
        "params": [p.detach().clone() for p in params],
        "training": model.training,
        "reduction": loss_fn.reduction,
        "rows": rows,
        "order": "".join(order),
        "sizes": [len(X) for X, _ in micro_batches],
        "part_grads": part_grads,
        "part_losses": part_losses,
        "stale": old,
    }


ACCUMULATE_LOSSES = {
    "cross_entropy": "nn.CrossEntropyLoss()",
    "smoothed_cross_entropy": "nn.CrossEntropyLoss(label_smoothing=0.1)",
    "mse": "nn.MSELoss() on float targets",
    "l1": "nn.L1Loss() on float targets",
}

STALE_TEXT = {
    "none": "",
    "all": ", old gradients in .grad",
    "weights": ", old gradients in the weights' .grad and None in the biases'",
}


def accumulate_cases(gen):
    def case(
        text,
        sizes,
        loss,
        rows,
        *,
        norm=False,
        activation="tanh",
        stale="none",
        dtype="float32",
    ):
        features, outputs = sizes[0], sizes[-1]
        micro_batches = []
        for n in rows:
            X = torch.randn(n, features, generator=gen, dtype=getattr(torch, dtype))
            if loss in ("mse", "l1"):
                y = torch.randn(n, outputs, generator=gen)
            else:
                y = torch.randint(0, outputs, (n,), generator=gen)
            micro_batches.append((X, y))
        shown = ", ".join(str(n) for n in rows[:-1])
        shown = f"{shown} and {rows[-1]}" if shown else f"only one, of {rows[0]}"
        description = (
            f"accumulate_gradients on micro-batches of {shown} rows with "
            f"loss_fn = {ACCUMULATE_LOSSES[loss]}, {text}{STALE_TEXT[stale]}"
        )
        inputs = {
            "sizes": sizes,
            "norm": norm,
            "activation": activation,
            "loss": loss,
            "micro_batches": micro_batches,
            "stale": stale,
            "dtype": dtype,
        }
        return Case(description, inputs, seed_of(gen))

    yield case("a (4, 3, 2) tanh classifier", [4, 3, 2], "cross_entropy", [5, 3, 2])
    yield case(
        "a (3, 5, 4) ReLU classifier",
        [3, 5, 4],
        "cross_entropy",
        [2, 6],
        activation="relu",
        stale="all",
    )
    yield case(
        "a (4, 6, 2) tanh regression model",
        [4, 6, 2],
        "mse",
        [4, 4, 4, 1],
        stale="weights",
    )
    yield case(
        "a (4, 3, 3) tanh classifier", [4, 3, 3], "smoothed_cross_entropy", [1, 7]
    )
    yield case(
        "a (3, 4, 2) ReLU regression model",
        [3, 4, 2],
        "l1",
        [6],
        activation="relu",
        stale="all",
    )
    yield case(
        "a float64 (5, 4, 3) tanh classifier",
        [5, 4, 3],
        "cross_entropy",
        [3, 3, 3],
        dtype="float64",
    )
    yield case(
        "a (4, 6, 3) classifier with BatchNorm1d in evaluation mode (model.eval())",
        [4, 6, 3],
        "cross_entropy",
        [6, 2],
        norm=True,
        stale="all",
    )


def accumulate_calls(what, got, expected):
    """The model saw one micro-batch at a time, each graph gone through by a
    backward pass before the next forward pass."""
    rows, largest = field(got, "rows"), max(expected["sizes"])
    if type(rows) is not list or any(type(n) is not int for n in rows):
        return f"{what}: the grader could not read the calls of the model."
    if rows and max(rows) > largest:
        return (
            f"{what} called the model on {max(rows)} rows at once, more than "
            f"the largest micro-batch ({largest}): call it on one micro-batch "
            "at a time, model(X), so that memory holds the activations of one "
            "micro-batch, never those of the whole batch."
        )
    if "FF" in str(field(got, "order")):
        return (
            f"{what} ran the model on a micro-batch before backward() had gone "
            "through the previous micro-batch's loss, so the graphs of several "
            "micro-batches were alive at once (adding the losses up and calling "
            "backward() once at the end does that). Call backward() on each "
            "micro-batch's scaled loss right after its forward pass: .grad adds "
            "the gradients up."
        )
    return None


def accumulate_state(what, got, expected):
    """The model's mode, the loss function and the parameters as they were."""
    if field(got, "training") is not expected["training"]:
        mode = "training" if expected["training"] else "evaluation"
        return (
            f"{what} left the model out of {mode} mode: leave the mode as it "
            "is (no model.train() or model.eval())."
        )
    if field(got, "reduction") != expected["reduction"]:
        return (
            f"{what} changed loss_fn.reduction to {field(got, 'reduction')!r}: "
            "leave the loss function you were given as it was."
        )
    for mine, theirs in zip(
        field(got, "params") or [], expected["params"], strict=False
    ):
        if not close(mine, theirs, 0, 0):
            return (
                f"{what} changed the model's parameters: accumulate_gradients "
                "only computes gradients (no optimizer step, no update)."
            )
    return None


def accumulate_mistakes(expected):
    """(gradients, hint) of the known mistakes on this case."""
    parts, sizes = expected["part_grads"], expected["sizes"]
    total, count = sum(sizes), len(sizes)

    def weighted(weights):
        return [
            sum(w * grads[j] for w, grads in zip(weights, parts, strict=True))
            for j in range(len(parts[0]))
        ]

    right = weighted([n / total for n in sizes])
    stale = [
        e if s is None else s + e for s, e in zip(expected["stale"], right, strict=True)
    ]
    return [
        (
            weighted([1 / count] * count),
            "you divided each micro-batch's loss by the number of micro-batches, "
            "so a small micro-batch weighs as much as a large one. Scale each "
            "micro-batch's mean loss by its share of the examples, len(X) / N.",
        ),
        (
            weighted([1.0] * count),
            "the micro-batches' mean losses were added up unscaled: scale each "
            "by its share of the examples, len(X) / N.",
        ),
        (
            weighted([float(n) for n in sizes]),
            "they are N times too large: len(X) * loss is the micro-batch's summed "
            "loss; divide by N, the number of examples of all micro-batches.",
        ),
        (
            weighted([1 / total] * count),
            "each micro-batch's mean loss was divided by N; its mean is already "
            "divided by len(X): scale it by len(X) / N.",
        ),
        (
            weighted([n / (count * sizes[0]) for n in sizes]),
            "N is the number of examples of all micro-batches, the sum of their "
            "len(X), not their number times the first one's size.",
        ),
        (
            weighted([0.0] * (count - 1) + [sizes[-1] / total]),
            "only the last micro-batch's share is left in .grad: zero the "
            "gradients once, before the first micro-batch, not before each.",
        ),
        (
            stale,
            "the old gradients the model arrived with are still in .grad: zero "
            "them once, before the first micro-batch (model.zero_grad()).",
        ),
    ]


def accumulate_grads(what, got, expected):
    grads, right = field(got, "grads"), expected["grads"]
    if type(grads) is not list or len(grads) != len(right):
        return f"{what}: the grader could not read the parameters' .grad."
    for k, (g, e) in enumerate(zip(grads, right, strict=True)):
        if g is None:
            return (
                f"{what} left the .grad of parameter {k} None: call backward() "
                "on each micro-batch's scaled loss, which fills .grad."
            )
        fault = compare_tensor(g, e, f"The .grad of parameter {k} after {what}")
        if fault and (g.shape != e.shape or g.dtype != e.dtype):
            return fault
    atol, rtol = tolerances(right[0])

    def same(values):
        return all(close(g, e, atol, rtol) for g, e in zip(grads, values, strict=True))

    if same(right):
        return None
    for values, hint in accumulate_mistakes(expected):
        if same(values):
            return f"{what}: the gradients left in .grad are wrong: {hint}"
    return (
        f"{what}: the gradients left in .grad are not those of the mean loss "
        "over all the examples. Take the loss_fn you were given, zero the "
        "gradients once, then for each micro-batch call backward() on "
        "loss_fn(model(X), y) * len(X) / N."
    )


def accumulate_loss(what, got, expected):
    out, right = field(got, "out"), expected["out"]
    if type(out) is not float:
        if type(out) is torch.Tensor:
            return (
                f"{what} returned a tensor: return the mean loss as a Python "
                "float, adding up loss.item() of each scaled micro-batch loss."
            )
        return (
            f"{what} returned {describe(out)}: return the mean loss over all "
            "the examples, a Python float."
        )
    tol = 1e-9 if expected["grads"][0].dtype == torch.float64 else 1e-5

    def near(value):
        return abs(out - value) <= tol * max(1.0, abs(value))

    if near(right):
        return None
    losses, sizes = expected["part_losses"], expected["sizes"]
    total = sum(sizes)
    mistakes = [
        (
            sum(losses) / len(losses),
            "the plain mean of the micro-batches' losses: "
            "weight each by its share of the examples, len(X) / N",
        ),
        (
            sum(losses),
            "the sum of the micro-batches' mean losses: weight each by "
            "its share of the examples, len(X) / N",
        ),
        (
            sum(n * v for n, v in zip(sizes, losses, strict=True)),
            "N times the mean loss: divide the summed loss by N",
        ),
        (
            losses[-1] * sizes[-1] / total,
            "the last micro-batch's share alone: add "
            "up the scaled losses of all micro-batches",
        ),
        (
            losses[-1],
            "the last micro-batch's loss alone: add up the scaled "
            "losses of all micro-batches",
        ),
    ]
    hint = next((text for value, text in mistakes if near(value)), None)
    message = (
        f"{what} returned {out:.6g}, but the mean loss over all the examples is "
        f"{right:.6g}"
    )
    return f"{message}: it is {hint}." if hint else f"{message}."


def check_accumulate(case, got, expected):
    what = case.description
    for check in (
        accumulate_calls,
        accumulate_state,
        accumulate_grads,
        accumulate_loss,
    ):
        fault = check(what, got, expected)
        if fault:
            return fault
    return None


# ---- numerical_gradient(f, x, eps)


def weights_like(t):
    n = max(t.numel(), 1)
    return (torch.arange(1.0, n + 1, dtype=t.dtype) / n).reshape(t.shape)


FUNCTIONS = {
    "cubic_sin": lambda t: (t**3).sum() + torch.sin(t).prod(),
    "cubic": lambda t: (t**3).sum(),
    "logsumexp": lambda t: torch.logsumexp(t.flatten() * 3, dim=0),
    "exp": lambda t: torch.exp(2 * t).sum(),
    "weighted": lambda t: (
        (weights_like(t) * torch.sin(t)).sum() + t.flatten()[0] * t.flatten()[-1] ** 2
    ),
    "detached": lambda t: (weights_like(t) * t.detach() ** 2).sum(),
}

FUNCTION_TEXT = {
    "cubic_sin": "sum(x ** 3) + prod(sin(x))",
    "cubic": "sum(x ** 3)",
    "logsumexp": "logsumexp(3 x)",
    "exp": "sum(exp(2 x))",
    "weighted": "a weighted sum of sin(x) plus x[0] * x[-1] ** 2 (flattened)",
    "detached": "a weighted sum of squares computed from x.detach(), which "
    "autograd cannot follow",
}


def numerical_probe(numerical_gradient, f, x, eps):
    """Call numerical_gradient on one of these functions; return the result
    and x afterwards."""
    import torch

    def weights_like(t):
        n = max(t.numel(), 1)
        return (torch.arange(1.0, n + 1, dtype=t.dtype) / n).reshape(t.shape)

    functions = {
        "cubic_sin": lambda t: (t**3).sum() + torch.sin(t).prod(),
        "cubic": lambda t: (t**3).sum(),
        "logsumexp": lambda t: torch.logsumexp(t.flatten() * 3, dim=0),
        "exp": lambda t: torch.exp(2 * t).sum(),
        "weighted": lambda t: (
            (weights_like(t) * torch.sin(t)).sum()
            + t.flatten()[0] * t.flatten()[-1] ** 2
        ),
        "detached": lambda t: (weights_like(t) * t.detach() ** 2).sum(),
    }
    if eps is None:
        out = numerical_gradient(functions[f], x)
    else:
        out = numerical_gradient(functions[f], x, eps=eps)
    return {"out": out, "x": x}


def central(f, x, eps, forward=False):
    grad = torch.zeros_like(x)
    for i in range(x.numel()):
        step = torch.zeros_like(x)
        step.view(-1)[i] = eps
        low = f(x) if forward else f(x - step)
        grad.view(-1)[i] = (f(x + step) - low) / (eps if forward else 2 * eps)
    return grad


def exact(f, x):
    leaf = x.clone().requires_grad_()
    value = f(leaf)
    if not value.requires_grad:
        return None
    (grad,) = torch.autograd.grad(value, leaf)
    return grad


def numerical_cases(gen):
    def case(name, x, eps):
        shown = "the default eps" if eps is None else f"eps={eps}"
        description = (
            f"numerical_gradient(f, x) with f(x) = {FUNCTION_TEXT[name]}, "
            f"x of shape {tuple(x.shape)}, {shown}"
        )
        return Case(description, {"f": name, "x": x, "eps": eps})

    def rand(*shape):
        return torch.randn(shape, generator=gen, dtype=torch.float64)

    yield case("cubic_sin", rand(2, 3), 1e-4)
    yield case("cubic", torch.tensor([1.0, -2.0], dtype=torch.float64), 0.1)
    yield case("logsumexp", rand(2, 2, 3), None)
    yield case("exp", torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64), 1e-3)
    yield case("weighted", rand(3, 4), 1e-3)
    yield case("weighted", rand(3, 4), 0.05)
    yield case("cubic", rand(), 0.01)
    yield case("detached", rand(4), 1e-3)


def check_numerical(case, got, expected):
    x, eps = case.inputs["x"], case.inputs["eps"]
    f = FUNCTIONS[case.inputs["f"]]
    what = case.description
    if not close(field(got, "x"), x, 0, 0):
        return (
            f"{what} changed x: put the original value back after each step "
            "(or evaluate f on new tensors, x + step, instead of changing x "
            "in place)."
        )
    step = 1e-6 if eps is None else eps
    mistakes = [
        (
            2 * expected["out"],
            "it is twice too large: the central difference "
            "divides by 2 * eps, the distance between x - eps and x + eps.",
        ),
        (
            central(f, x, step, forward=True),
            "these are forward differences, "
            "(f(x + eps) - f(x)) / eps. Use central differences: "
            "(f(x + eps) - f(x - eps)) / (2 * eps).",
        ),
    ]
    if step != 1e-6:
        mistakes.append(
            (
                central(f, x, 1e-6),
                "it steps by 1e-6 whatever eps says: use the eps argument.",
            )
        )
        mistakes.append(
            (
                exact(f, x),
                "it is the exact derivative, not the "
                "central difference with the eps given.",
            )
        )
    return wrong_tensor(
        field(got, "out"), expected["out"], what, mistakes, tol=(1e-7, 1e-6)
    )


# ---- the backward passes by hand: cross_entropy_backward, linear_backward,
# ---- relu_backward, two_layer_backward


def by_hand_probe(function, args, requires_grad):
    """Call function(*args) under torch.no_grad(), the arguments numbered in
    requires_grad made leaves that require grad (as parameters are)."""
    import torch

    args = [
        a.detach().clone().requires_grad_() if i in requires_grad else a
        for i, a in enumerate(args)
    ]
    with torch.no_grad():
        try:
            out = function(*args)
        except RuntimeError as error:  # reported with a hint where one fits
            return {"raised": f"RuntimeError: {error}"[:500]}
    parts = out if isinstance(out, (tuple, list)) else [out]
    return {
        "out": out,
        "args": args,
        "returned_an_argument": any(p is a for p in parts for a in args),
    }


def cross_entropy_cases(gen):
    def case(text, logits, y, requires_grad=()):
        return Case(
            f"cross_entropy_backward(logits, y) of {text}",
            {"args": (logits, y), "requires_grad": list(requires_grad)},
        )

    f64 = torch.float64
    yield case(
        "float64 (4, 3) logits",
        torch.randn(4, 3, generator=gen, dtype=f64),
        torch.tensor([2, 0, 1, 2]),
    )
    yield case(
        "float64 (3, 4) logits whose labels never use the last class",
        torch.randn(3, 4, generator=gen, dtype=f64),
        torch.tensor([0, 1, 0]),
    )
    yield case(
        "float64 (7, 5) logits",
        3 * torch.randn(7, 5, generator=gen, dtype=f64),
        torch.randint(0, 5, (7,), generator=gen),
    )
    yield case(
        "float32 (3, 4) logits",
        torch.randn(3, 4, generator=gen),
        torch.tensor([0, 3, 1]),
    )
    yield case(
        "square float32 (4, 4) logits",
        torch.randn(4, 4, generator=gen),
        torch.tensor([3, 3, 0, 1]),
    )
    large = 20 * torch.randn(2, 6, generator=gen) + 50
    large[:, 2] = 100.0
    yield case(
        "float32 (2, 6) logits as large as 100 (exp overflows in float32)",
        large,
        torch.tensor([5, 0]),
    )
    yield case(
        "float64 (5, 3) logits that require grad",
        torch.randn(5, 3, generator=gen, dtype=f64),
        torch.randint(0, 3, (5,), generator=gen),
        requires_grad=[0],
    )
    yield case(
        "one example, (1, 2) logits", torch.tensor([[0.5, -1.0]]), torch.tensor([1])
    )


def check_cross_entropy(case, got, expected):
    logits, y = case.inputs["args"]
    what = case.description
    fault = raised(
        case,
        got,
        [
            (
                "must match the size",
                "One-hot encode with the number of classes, F.one_hot(y, "
                "num_classes=C), C = logits.shape[1]: a batch need not hold "
                "every class.",
            )
        ],
    )
    if fault:
        return fault
    out = field(got, "out")
    N, C = logits.shape
    Y = F.one_hot(y, C).to(logits.dtype)
    probs = torch.softmax(logits.double(), dim=1).to(logits.dtype)
    if isinstance(out, torch.Tensor) and out.shape == expected["out"].shape:
        if not torch.isfinite(out).all():
            return (
                f"{what} has inf or nan entries: exp of a large logit "
                "overflows. Use torch.softmax, or subtract each row's largest "
                "logit before exp."
            )
    mistakes = [
        (
            (probs - Y),
            "it is N times too large: the loss is the mean over the "
            "batch, so divide (softmax - onehot) by N.",
        ),
        (
            probs / N,
            "each row sums to 1/N: the one-hot labels are missing. The "
            "gradient is (softmax(logits) - onehot(y)) / N.",
        ),
        (
            (torch.softmax(logits.double(), dim=0).to(logits.dtype) - Y) / N,
            "it takes the softmax over dim=0, the batch: take it over dim=1, the "
            "classes.",
        ),
        (
            (probs - Y) / C,
            "it divides by the number of classes: divide by N, the batch size.",
        ),
    ]
    return first_fault(
        wrong_tensor(out, expected["out"], what, mistakes),
        unchanged_arguments(case, got, expected, ("logits", "y")),
    )


def linear_cases(gen):
    def case(text, N, inputs, outputs, dtype=torch.float64, requires_grad=()):
        X = torch.randn(N, inputs, generator=gen, dtype=dtype)
        W = torch.randn(outputs, inputs, generator=gen, dtype=dtype)
        grad_out = torch.randn(N, outputs, generator=gen, dtype=dtype)
        return Case(
            f"linear_backward(X, W, grad_out) with {text}",
            {"args": (X, W, grad_out), "requires_grad": list(requires_grad)},
        )

    yield case("X (5, 4), W (3, 4), float64", 5, 4, 3)
    yield case("a batch of one, X (1, 6), W (2, 6)", 1, 6, 2)
    yield case("a square W, X (9, 2), W (2, 2)", 9, 2, 2)
    yield case("X (3, 3), W (3, 3): everything square", 3, 3, 3)
    yield case("X (6, 3), W (4, 3), float32", 6, 3, 4, dtype=torch.float32)
    yield case("X (4, 5), W (2, 5) that require grad", 4, 5, 2, requires_grad=[0, 1])


def check_linear(case, got, expected):
    X, W, grad_out = case.inputs["args"]
    what = case.description
    fault = raised(
        case,
        got,
        [
            (
                "cannot be multiplied",
                "Check the shapes of each product: grad_X = grad_out @ W is "
                "(N, out) @ (out, in), grad_W = grad_out.T @ X is "
                "(out, N) @ (N, in).",
            )
        ],
    )
    if fault:
        return fault
    out = field(got, "out")
    if type(out) is not list or len(out) != 3:
        return (
            f"{what} should return 3 tensors (grad_X, grad_W, grad_b), but it "
            f"returned {describe(out)}"
            + (f" of {len(out)}." if type(out) is list else ".")
        )
    got_X, got_W, got_b = out
    N, outputs = grad_out.shape
    inputs = X.shape[1]
    if isinstance(got_W, torch.Tensor) and inputs != outputs:
        if tuple(got_W.shape) == (inputs, outputs):
            return (
                f"grad_W of {what} has shape (in, out) = {(inputs, outputs)}, "
                "the shape of W transposed. A gradient has the shape of its "
                "parameter: grad_W = grad_out.T @ X."
            )
    if isinstance(got_b, torch.Tensor) and tuple(got_b.shape) == (N, outputs):
        return (
            f"grad_b of {what} has shape (N, out): the bias is added to every "
            "row, so its gradient is the sum of grad_out over the batch, "
            "grad_out.sum(dim=0)."
        )
    want_X, want_W, want_b = expected["out"]
    return first_fault(
        wrong_tensor(
            got_W,
            want_W,
            f"grad_W of {what}",
            [
                (
                    X.T @ grad_out if inputs == outputs else None,
                    "it is X.T @ grad_out, the transpose: grad_W = grad_out.T @ X.",
                ),
            ],
        ),
        wrong_tensor(
            got_b,
            want_b,
            f"grad_b of {what}",
            [
                (
                    grad_out.mean(dim=0) if N > 1 else None,
                    "it averages grad_out over the batch: sum it (the mean of the "
                    "loss is already inside grad_out).",
                ),
            ],
        ),
        wrong_tensor(
            got_X,
            want_X,
            f"grad_X of {what}",
            [
                (
                    grad_out @ W.T if W.shape[0] == W.shape[1] else None,
                    "it is grad_out @ W.T: grad_X = grad_out @ W, "
                    "(N, out) @ (out, in).",
                ),
            ],
        ),
        unchanged_arguments(case, got, expected, ("X", "W", "grad_out")),
    )


def relu_cases(gen):
    def case(text, x, grad_out, requires_grad=()):
        return Case(
            f"relu_backward(x, grad_out) of {text}",
            {"args": (x, grad_out), "requires_grad": list(requires_grad)},
        )

    f64 = torch.float64
    yield case(
        "float64 (4, 5) tensors",
        torch.randn(4, 5, generator=gen, dtype=f64),
        torch.randn(4, 5, generator=gen, dtype=f64),
    )
    yield case(
        "float32 (2, 3) tensors with zeros in x",
        torch.tensor([[-1.0, 0.0, 2.0], [0.0, 3.0, -0.5]]),
        torch.tensor([[5.0, 6.0, 7.0], [8.0, -9.0, 1.0]]),
    )
    x = torch.randn(2, 3, 4, generator=gen)
    x[x.abs() < 0.4] = 0.0
    yield case(
        "float32 (2, 3, 4) tensors with zeros in x",
        x,
        torch.randn(2, 3, 4, generator=gen),
    )
    yield case(
        "float64 (3, 3) tensors that require grad",
        torch.randn(3, 3, generator=gen, dtype=f64),
        torch.randn(3, 3, generator=gen, dtype=f64),
        requires_grad=[0, 1],
    )


def check_relu(case, got, expected):
    x, grad_out = case.inputs["args"]
    what = case.description
    fault = raised(case, got)
    if fault:
        return fault
    mistakes = [
        (
            grad_out * torch.relu(x),
            "it multiplies grad_out by relu(x). The "
            "derivative of ReLU is 1 where x > 0 and 0 elsewhere: multiply by "
            "the mask (x > 0).",
        ),
        (
            torch.relu(grad_out),
            "the mask comes from grad_out > 0; it must come "
            "from the ReLU's input: grad_out where x > 0.",
        ),
        (
            grad_out * (x >= 0),
            "where x is exactly 0 the gradient must be 0, as "
            "in PyTorch's ReLU: use x > 0, not x >= 0.",
        ),
    ]
    return first_fault(
        wrong_tensor(field(got, "out"), expected["out"], what, mistakes),
        unchanged_arguments(case, got, expected, ("x", "grad_out")),
    )


def two_layer_cases(gen):
    def case(text, X, y, K, C, requires_grad=(), zero_bias=False):
        D, dtype = X.shape[1], X.dtype
        params = [
            torch.randn(K, D, generator=gen, dtype=dtype),
            torch.randn(K, generator=gen, dtype=dtype),
            torch.randn(C, K, generator=gen, dtype=dtype),
            torch.randn(C, generator=gen, dtype=dtype),
        ]
        if zero_bias:
            params[1][::2] = 0.0
        return Case(
            f"two_layer_backward(X, y, W1, b1, W2, b2) with {text}",
            {"args": (X, y, *params), "requires_grad": list(requires_grad)},
        )

    f64 = torch.float64
    yield case(
        "X (6, 5), 4 hidden units, 3 classes, float64",
        torch.randn(6, 5, generator=gen, dtype=f64),
        torch.tensor([0, 2, 1, 1, 0, 2]),
        4,
        3,
    )
    yield case(
        "X (10, 3), 7 hidden units, 4 classes, float64",
        torch.randn(10, 3, generator=gen, dtype=f64),
        torch.randint(0, 4, (10,), generator=gen),
        7,
        4,
    )
    yield case(
        "X (8, 4), 5 hidden units, 3 classes, float32",
        torch.randn(8, 4, generator=gen),
        torch.randint(0, 3, (8,), generator=gen),
        5,
        3,
    )
    yield case(
        "parameters that require grad (a model's), X (5, 3), 6 hidden units, 2 classes",
        torch.randn(5, 3, generator=gen, dtype=f64),
        torch.tensor([1, 0, 0, 1, 1]),
        6,
        2,
        requires_grad=[2, 3, 4, 5],
    )
    yield case(
        "labels that never use the last class, X (4, 3), 3 classes",
        torch.randn(4, 3, generator=gen, dtype=f64),
        torch.tensor([0, 1, 1, 0]),
        5,
        3,
    )
    X = torch.randn(6, 4, generator=gen, dtype=f64)
    X[2] = 0.0
    yield case(
        "an all-zero example and zero biases, so that Z1 has exact zeros",
        X,
        torch.randint(0, 3, (6,), generator=gen),
        5,
        3,
        zero_bias=True,
    )
    yield case(
        "a batch of one, X (1, 4)",
        torch.randn(1, 4, generator=gen, dtype=f64),
        torch.tensor([2]),
        3,
        3,
    )


def two_layer_reference(
    X, y, W1, b1, W2, b2, mean=True, mask=True, activation_for_W2=True, at_zero=False
):
    Z1 = X @ W1.T + b1
    A1 = torch.relu(Z1)
    logits = A1 @ W2.T + b2
    N, C = logits.shape
    grad_logits = torch.softmax(logits, dim=1) - F.one_hot(y, C).to(X.dtype)
    if mean:
        grad_logits = grad_logits / N
    grad_W2 = grad_logits.T @ (A1 if activation_for_W2 else Z1)
    grad_b2 = grad_logits.sum(dim=0)
    grad_A1 = grad_logits @ W2
    if mask:
        grad_Z1 = grad_A1 * ((Z1 >= 0) if at_zero else (Z1 > 0))
    else:
        grad_Z1 = grad_A1
    return [grad_Z1.T @ X, grad_Z1.sum(dim=0), grad_W2, grad_b2]


def check_two_layer(case, got, expected):
    args = case.inputs["args"]
    what = case.description
    fault = raised(
        case,
        got,
        [
            (
                "cannot be multiplied",
                "Check the shape of each product against the formulas: "
                "Z1 = X @ W1.T + b1, grad_W = grad_Z.T @ input, "
                "grad_input = grad_Z @ W.",
            ),
            (
                "does not require grad",
                "Compute the gradients by hand with tensor operations: the "
                "function runs under torch.no_grad(), where autograd records "
                "nothing.",
            ),
        ],
    )
    if fault:
        return fault
    out = field(got, "out")
    if type(out) is not list or len(out) != 4:
        return (
            f"{what} should return 4 gradients (grad_W1, grad_b1, grad_W2, "
            f"grad_b2), but it returned {describe(out)}"
            + (f" of {len(out)}." if type(out) is list else ".")
        )
    names = ["grad_W1", "grad_b1", "grad_W2", "grad_b2"]
    for g, e, name in zip(out, expected["out"], names, strict=True):
        fault = compare_tensor(g, e, f"{name} of {what}")
        if fault and "wrong values" not in fault:
            return fault
    atol, rtol = tolerances(expected["out"][0])
    no_mean = two_layer_reference(*args, mean=False)
    if all(close(g, e, atol, rtol) for g, e in zip(out, no_mean, strict=True)):
        N = args[0].shape[0]
        if N > 1:
            return (
                f"{what}: every gradient is N = {N} times too large. The loss "
                "is the mean over the batch, so dL/dlogits = (softmax - "
                "onehot) / N."
            )
    mistakes = {
        "grad_W2": [
            (
                two_layer_reference(*args, activation_for_W2=False)[2],
                "it uses the pre-activation Z1: grad_W2 = dL/dlogits.T @ A1, "
                "with A1 = relu(Z1) the hidden layer's output.",
            )
        ],
        "grad_b1": [
            (
                two_layer_reference(*args, mask=False)[1],
                "the gradient went back through the ReLU unmasked: zero it "
                "where Z1 <= 0.",
            ),
            (
                two_layer_reference(*args, at_zero=True)[1],
                "where Z1 is exactly 0 the ReLU passes no gradient: mask "
                "with Z1 > 0, not Z1 >= 0.",
            ),
        ],
        "grad_W1": [
            (
                two_layer_reference(*args, mask=False)[0],
                "the gradient went back through the ReLU unmasked: zero it "
                "where Z1 <= 0.",
            )
        ],
    }
    hints = {
        "grad_b2": "grad_b2 is dL/dlogits summed over the batch, with "
        "dL/dlogits = (softmax(logits) - onehot(y)) / N.",
        "grad_W2": "grad_W2 = dL/dlogits.T @ A1, with A1 = relu(Z1).",
        "grad_b1": "send dL/dA1 = dL/dlogits @ W2 through the ReLU (zero where "
        "Z1 <= 0) and sum over the batch.",
        "grad_W1": "grad_W1 = dL/dZ1.T @ X, with dL/dZ1 masked by the ReLU.",
    }
    for index in (3, 2, 1, 0):
        name = names[index]
        fault = wrong_tensor(
            out[index],
            expected["out"][index],
            f"{name} of {what}",
            mistakes.get(name, ()),
        )
        if fault:
            if fault.endswith("returns wrong values."):
                fault = (
                    f"{fault[: -len('returns wrong values.')]}is wrong: {hints[name]}"
                )
            return fault
    return unchanged_arguments(case, got, expected, ("X", "y", "W1", "b1", "W2", "b2"))


EXERCISES = [
    Exercise(
        test="per-batch-gradients-tests",
        answer="per-batch-gradients",
        names=("accumulate_gradients",),
        cases=accumulate_cases,
        check=check_accumulate,
        probe=accumulate_probe,
        forbidden={
            "forward": "accumulate_gradients calls .forward(...) directly: call "
            "the model itself, model(X), which runs PyTorch's hooks.",
        },
    ),
    Exercise(
        test="numerical-gradient-tests",
        answer="numerical-gradient",
        names=("numerical_gradient",),
        cases=numerical_cases,
        check=check_numerical,
        probe=numerical_probe,
        forbidden={
            name: "numerical_gradient asks autograd for the gradient: take "
            "central differences of f instead, one entry of x at a time."
            for name in ("autograd", "enable_grad", "func")
        },
    ),
    Exercise(
        test="cross-entropy-backward-tests",
        answer="cross-entropy-backward",
        names=("cross_entropy_backward",),
        cases=cross_entropy_cases,
        check=check_cross_entropy,
        probe=by_hand_probe,
        forbidden=by_hand("cross_entropy_backward"),
    ),
    Exercise(
        test="linear-backward-tests",
        answer="linear-backward",
        names=("linear_backward",),
        cases=linear_cases,
        check=check_linear,
        probe=by_hand_probe,
        forbidden=by_hand("linear_backward"),
    ),
    Exercise(
        test="relu-backward-tests",
        answer="relu-backward",
        names=("relu_backward",),
        cases=relu_cases,
        check=check_relu,
        probe=by_hand_probe,
        forbidden=by_hand("relu_backward"),
    ),
    Exercise(
        test="two-layer-backward-tests",
        answer="two-layer-backward",
        names=("two_layer_backward",),
        cases=two_layer_cases,
        check=check_two_layer,
        probe=by_hand_probe,
        forbidden=by_hand("two_layer_backward"),
    ),
]
