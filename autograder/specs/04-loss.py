"""Chapter 04's exercises, judged by the grader (see nncourse.specs).

One probe serves them all: it calls the student's function with torch's
built-ins that the exercise asks to write by hand replaced, for the call
only, by functions that record their use and raise (so a helper variable
named ``softmax`` is fine, and so is a call of the student's own
``log_softmax`` from exercise 3, but ``F.softmax``, ``logits.softmax`` or
``nn.Softmax()`` however imported is not). It returns the result or the
error, the arguments afterwards and whether the result is in the autograd
graph. The checks compare with the solution's outcome on the same inputs
and name the known mistake whose result it is.
"""

import torch
from torch.nn import functional as F

from nncourse.specs import (
    Case,
    Exercise,
    arguments_unchanged,
    close,
    compare_tensor,
    first_fault,
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


def call_by_hand(function, args, kwargs, refuse):
    """Call function(*args, **kwargs) with each built-in of refuse (a path
    under torch and an attribute) replaced, for the call only, by one that
    records its use and raises; return what came back or what was raised,
    the arguments afterwards and the refused built-ins it called."""
    import torch

    used, saved, absent = [], [], object()

    def refuser(name):
        def refused(*_, **__):
            used.append(name)
            raise RuntimeError(f"{name} is not allowed in this exercise")

        return refused

    for path, attribute in refuse:
        owner = torch
        for part in path.split(".") if path else ():
            owner = getattr(owner, part)
        name = ".".join(["torch", path, attribute] if path else ["torch", attribute])
        saved.append((owner, attribute, vars(owner).get(attribute, absent)))
        setattr(owner, attribute, refuser(name))
    try:
        out = function(*args, **kwargs)
        outcome = {
            "out": out,
            "requires_grad": bool(getattr(out, "requires_grad", False)),
        }
    except Exception as error:  # noqa: BLE001 -- reported by the check
        outcome = {
            "raised": type(error).__name__,
            "value_error": isinstance(error, ValueError),
            "message": str(error)[:300],
        }
    finally:
        for owner, attribute, original in reversed(saved):
            if original is absent:
                delattr(owner, attribute)
            else:
                setattr(owner, attribute, original)
    outcome["args"] = list(args)
    outcome["refused"] = used[:1]
    return outcome


SOFTMAX = [["", "softmax"], ["Tensor", "softmax"], ["nn.functional", "softmax"]]
SOFTMAX += [["special", "softmax"]]
LOG_SOFTMAX = [[path, "log_softmax"] for path, _ in SOFTMAX]
MSE = [["nn.functional", "mse_loss"], ["_C._nn", "mse_loss"]]
LOSSES = [
    ["nn.functional", "cross_entropy"],
    ["nn.functional", "nll_loss"],
    ["_C._nn", "cross_entropy_loss"],
    ["_C._nn", "nll_loss"],
    ["_C._nn", "nll_loss_nd"],
    ["_C._nn", "nll_loss2d"],
]


def inputs(args, kwargs=None, refuse=()):
    return {"args": tuple(args), "kwargs": kwargs or {}, "refuse": list(refuse)}


def outcome_fault(case, got, function):
    """A refused built-in, or an error, in the student's call."""
    if got["refused"]:
        return (
            f"{function} calls {got['refused'][0]}: this exercise asks you to "
            "write that computation by hand, from basic tensor operations (the "
            "grader compares your result with it)."
        )
    if "raised" in got:
        return f"{case.description} raised {got['raised']}: {got['message']}"
    return None


def same(got, candidate, atol=1e-5, rtol=1e-4) -> bool:
    """got is candidate's result, nan and infinities included."""
    if type(got) is not torch.Tensor or got.shape != candidate.shape:
        return False
    if not got.is_floating_point():
        return False
    return bool(
        torch.allclose(
            got.double(), candidate.double(), atol=atol, rtol=rtol, equal_nan=True
        )
    )


def wrong_values(got, expected, what, mistakes, atol=1e-5, rtol=1e-4, fix=""):
    """What is wrong with got: the known mistake whose result it is, or
    what differs; None when it is right."""
    fault = compare_tensor(got, expected, what, atol, rtol)
    if fault is None:
        return None
    for result, hint in mistakes:
        if same(got, result, atol, rtol):
            return f"{what} is wrong: {hint}"
    return f"{fault} {fix}".rstrip()


def keeps_graph(case, got, expected, function):
    if expected["requires_grad"] and not got["requires_grad"]:
        return (
            f"{case.description} is not in the autograd graph, so a loss built "
            f"on {function} could not be differentiated: use tensor operations "
            "only, no .item(), .detach(), torch.tensor([...]) or torch.no_grad()."
        )
    return None


def scale_atol(*tensors) -> float:
    """A tolerance for values computed near the tensors' largest magnitude
    (float32 keeps about 7 digits: around 1000, only 1e-4 is exact)."""
    largest = max(float(t.detach().abs().max()) for t in tensors)
    return max(1e-5, 4e-6 * largest)


# ---- mse(y_pred, y)


def mse_cases(gen):
    def randn(*shape, dtype=torch.float32):
        return torch.randn(*shape, generator=gen, dtype=dtype)

    def case(description, y_pred, y):
        return Case(description, inputs((y_pred, y), refuse=MSE))

    yield case("mse(y_pred, y) of two (8,) tensors", randn(8), randn(8))
    yield case("mse of two other (8,) tensors", randn(8) * 3, randn(8) + 1)
    yield case(
        "mse of (5, 3) tensors, y_pred requiring grad",
        randn(5, 3).requires_grad_(),
        randn(5, 3),
    )
    yield case(
        "mse of float64 (2, 3, 4) tensors",
        randn(2, 3, 4, dtype=torch.float64) * 2,
        randn(2, 3, 4, dtype=torch.float64),
    )
    yield case(
        "mse of float64 (1, 10) tensors, y_pred requiring grad",
        randn(1, 10, dtype=torch.float64).requires_grad_(),
        randn(1, 10, dtype=torch.float64),
    )
    yield case(
        "mse of (6,) tensors, y requiring grad", randn(6), randn(6).requires_grad_()
    )
    yield case("mse of two 0-dim tensors", randn(()), randn(()))


def check_mse(case, got, expected):
    fault = outcome_fault(case, got, "mse")
    if fault:
        return fault
    y_pred, y = (t.detach() for t in case.inputs["args"])
    what = case.description
    out = got["out"]
    if type(out) is float:
        return (
            f"{what} returns a Python float: return the tensor (no .item()), so "
            "that the loss stays differentiable."
        )
    diff = y_pred - y
    mistakes = [
        (
            diff.mean(),
            "it returns the mean error: square the differences before averaging.",
        ),
        (
            diff.mean().abs(),
            "it returns the mean error: square the differences before averaging.",
        ),
        (
            diff.abs().mean(),
            "it returns the mean absolute error (nn.L1Loss): square the "
            "differences instead of taking their absolute value.",
        ),
        ((diff**2).sum(), "it returns the sum of the squared errors: take their mean."),
        (
            (diff**2).mean().sqrt(),
            "it returns the root of the mean squared error: drop the square root.",
        ),
    ]
    if diff.dim() > 1:
        mistakes.append(
            (
                (diff**2).sum() / len(diff),
                f"it divides by the number of rows, {len(diff)}: average over all "
                f"{diff.numel()} elements.",
            )
        )
    return first_fault(
        wrong_values(
            out,
            expected["out"],
            what,
            mistakes,
            fix="Return the mean of (y_pred - y) ** 2 over all elements.",
        ),
        keeps_graph(case, got, expected, "mse"),
        arguments_unchanged(case, got, expected),
    )


# ---- stable_softmax(logits, dim=1)


def softmax_cases(gen):
    def randn(*shape, dtype=torch.float32):
        return torch.randn(*shape, generator=gen, dtype=dtype)

    refuse = SOFTMAX + LOG_SOFTMAX

    def case(description, logits, **kwargs):
        return Case(description, inputs((logits,), kwargs, refuse))

    yield case("stable_softmax(logits, dim=1) of (4, 6) logits", randn(4, 6), dim=1)
    yield case("stable_softmax(logits) of (3, 5) logits, default dim", randn(3, 5))
    yield case(
        "stable_softmax(logits, dim=0) of (5, 3) logits", randn(5, 3) * 50, dim=0
    )
    yield case(
        "stable_softmax(logits, dim=0) of square (4, 4) logits", randn(4, 4) * 3, dim=0
    )
    yield case(
        "stable_softmax of rows [1000, 999, 998] and [0, -1, -2], dim=1",
        torch.tensor([[1000.0, 999.0, 998.0], [0.0, -1.0, -2.0]]),
        dim=1,
    )
    yield case(
        "stable_softmax of logits in the thousands, dim=1", randn(4, 6) * 1000, dim=1
    )
    yield case(
        "stable_softmax of logits around -1000, dim=1", randn(3, 4) - 1000, dim=1
    )
    logits = randn(2, 3, 4, dtype=torch.float64) * 300
    yield case("stable_softmax of a float64 (2, 3, 4) tensor, dim=-1", logits, dim=-1)
    yield case("stable_softmax of a float64 (2, 3, 4) tensor, dim=1", -logits, dim=1)
    yield case(
        "stable_softmax(logits) of a (2, 3, 4) tensor, default dim", randn(2, 3, 4)
    )
    yield case(
        "stable_softmax of a (5,) tensor that requires grad, dim=0",
        randn(5).requires_grad_(),
        dim=0,
    )
    yield case(
        "stable_softmax of (3, 4) logits that require grad, dim=1",
        randn(3, 4).requires_grad_(),
        dim=1,
    )


def check_softmax(case, got, expected):
    fault = outcome_fault(case, got, "stable_softmax")
    if fault:
        return fault
    logits = case.inputs["args"][0].detach()
    dim = case.inputs["kwargs"].get("dim", 1)
    what = case.description
    out = got["out"]
    shifted_globally = torch.exp(logits - logits.max())
    mistakes = [
        (
            torch.exp(logits) / torch.exp(logits).sum(dim=dim, keepdim=True),
            "torch.exp overflows (or every exponent underflows to 0): subtract "
            "the maximum of each slice along dim before torch.exp.",
        ),
        (
            shifted_globally / shifted_globally.sum(dim=dim, keepdim=True),
            "it subtracts the maximum of the whole tensor, so the exponents of a "
            "slice far below it underflow to 0: subtract each slice's own "
            "maximum, logits.max(dim=dim, keepdim=True).values.",
        ),
    ]
    exps = torch.exp(logits - logits.amax(dim=dim, keepdim=True))
    if exps.dim() > 1:
        mistakes.append(
            (
                exps / exps.sum(),
                "it divides by the sum of all the elements: divide by the sum "
                "along dim, with keepdim=True.",
            )
        )
    for other in range(logits.dim()):
        if other == dim % logits.dim():
            continue
        given = "dim" in case.inputs["kwargs"]
        hint = (
            f"it normalises along dim {other}: use the dim argument for the max "
            "and the sum."
            if given
            else f"called without dim it normalises along dim {other}: keep the "
            "default dim=1 of the signature."
        )
        mistakes.append((torch.softmax(logits, dim=other), hint))
    return first_fault(
        wrong_values(
            out,
            expected["out"],
            what,
            mistakes,
            fix="exp(logits - max) divided by its sum along dim.",
        ),
        keeps_graph(case, got, expected, "stable_softmax"),
        arguments_unchanged(case, got, expected),
    )


# ---- log_softmax(logits)


def log_softmax_cases(gen):
    def randn(*shape, dtype=torch.float32):
        return torch.randn(*shape, generator=gen, dtype=dtype)

    def case(description, logits):
        return Case(description, inputs((logits,), refuse=LOG_SOFTMAX))

    yield case("log_softmax(logits) of (5, 3) logits", randn(5, 3))
    yield case("log_softmax of other (5, 3) logits", randn(5, 3) * 2)
    yield case("log_softmax([[0, -200, -1]])", torch.tensor([[0.0, -200.0, -1.0]]))
    yield case("log_softmax([[1000, 0, 999]])", torch.tensor([[1000.0, 0.0, 999.0]]))
    yield case(
        "log_softmax of rows [1000, 999, 0] and [-5, -6, -7]",
        torch.tensor([[1000.0, 999.0, 0.0], [-5.0, -6.0, -7.0]]),
    )
    yield case(
        "log_softmax of a (7, 10) batch of logits up to about 100", randn(7, 10) * 40
    )
    yield case("log_softmax of float64 logits", randn(3, 4, dtype=torch.float64) * 500)
    yield case("log_softmax of a single class (log 1 = 0)", torch.tensor([[7.0]]))
    yield case(
        "log_softmax of square (4, 4) logits that require grad",
        randn(4, 4).requires_grad_(),
    )


def check_log_softmax(case, got, expected):
    fault = outcome_fault(case, got, "log_softmax")
    if fault:
        return fault
    logits = case.inputs["args"][0].detach()
    what = case.description
    shifted = logits - logits.max()
    mistakes = [
        (
            torch.log(torch.softmax(logits, dim=1)),
            "it is the log of a softmax, -inf where a probability rounds to 0: "
            "return logits minus the log-sum-exp of their row.",
        ),
        (
            logits - torch.log(torch.exp(logits).sum(dim=1, keepdim=True)),
            "torch.exp overflows: subtract each row's maximum before torch.exp "
            "(the log-sum-exp trick), or use torch.logsumexp.",
        ),
        (
            shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True)),
            "it subtracts the maximum of the whole batch, so a row far below it "
            "underflows to log(0): subtract each row's own maximum (keepdim=True).",
        ),
        (
            torch.softmax(logits, dim=1),
            "it returns probabilities: return logits minus the log-sum-exp of "
            "their row.",
        ),
    ]
    if len(logits) > 1:
        mistakes.append(
            (
                torch.log_softmax(logits, dim=0),
                "it normalises along dim 0, the batch: use dim=1, the classes.",
            )
        )
    return first_fault(
        wrong_values(
            got["out"],
            expected["out"],
            what,
            mistakes,
            atol=scale_atol(logits),
            fix="Return logits minus the log-sum-exp of their row (keepdim=True).",
        ),
        keeps_graph(case, got, expected, "log_softmax"),
        arguments_unchanged(case, got, expected),
    )


# ---- cross_entropy(logits, y, reduction="mean")


def cross_entropy_cases(gen):
    def randn(*shape, dtype=torch.float32):
        return torch.randn(*shape, generator=gen, dtype=dtype)

    refuse = LOSSES + LOG_SOFTMAX

    def case(description, logits, y, *args, **kwargs):
        return Case(description, inputs((logits, y, *args), kwargs, refuse))

    logits, y = randn(6, 4) * 2, torch.tensor([0, 3, 1, 1, 2, 3])
    yield case("cross_entropy(logits, y) of (6, 4) logits", logits, y)
    yield case(
        'cross_entropy(logits, y, reduction="sum") of (6, 4) logits',
        logits,
        y,
        reduction="sum",
    )
    yield case(
        'cross_entropy(logits, y, reduction="none") of (6, 4) logits',
        logits,
        y,
        reduction="none",
    )
    yield case("cross_entropy of (6, 4) logits like 1000", logits * 500, y)
    logits, y = randn(10, 7) * 3, torch.randint(0, 7, (10,), generator=gen)
    for reduction in ("mean", "sum", "none"):
        yield case(
            f'cross_entropy of a (10, 7) batch, reduction="{reduction}"',
            logits,
            y,
            reduction=reduction,
        )
    yield case(
        "cross_entropy of one example with logits like -1000",
        logits[:1] * -300,
        y[:1],
    )
    yield case(
        "cross_entropy of (5, 6) logits whose labels never reach the last classes",
        randn(5, 6),
        torch.randint(0, 4, (5,), generator=gen),
    )
    yield case(
        'cross_entropy of square (5, 5) logits, reduction="none"',
        randn(5, 5),
        torch.randperm(5, generator=gen),
        reduction="none",
    )
    yield case(
        'cross_entropy of float64 (8, 5) logits that require grad, reduction="none"',
        (randn(8, 5, dtype=torch.float64) * 4).requires_grad_(),
        torch.randint(0, 5, (8,), generator=gen),
        reduction="none",
    )
    yield case(
        "cross_entropy of (6, 4) logits that require grad",
        randn(6, 4).requires_grad_(),
        torch.randint(0, 4, (6,), generator=gen),
    )
    yield case(
        'cross_entropy(logits, y, "sum"), the reduction passed by position',
        randn(4, 3),
        torch.tensor([2, 0, 1, 2]),
        "sum",
    )
    yield case(
        'cross_entropy(logits, y, reduction="average")',
        randn(3, 3),
        torch.tensor([0, 1, 2]),
        reduction="average",
    )


def reduction_of(case) -> str:
    args = case.inputs["args"]
    return args[2] if len(args) > 2 else case.inputs["kwargs"].get("reduction", "mean")


def check_cross_entropy(case, got, expected):
    reduction = reduction_of(case)
    what = case.description
    if expected.get("value_error"):
        if got["refused"] or "raised" not in got:
            return outcome_fault(case, got, "cross_entropy") or (
                f"{what} must raise ValueError: an unknown reduction is a mistake "
                'to report (raise ValueError(...)), not to ignore. Accept "mean", '
                '"sum" and "none" only.'
            )
        if not got["value_error"]:
            return (
                f"{what} raised {got['raised']}: raise a ValueError for an "
                "unknown reduction."
            )
        return None
    fault = outcome_fault(case, got, "cross_entropy")
    if fault and "must match the size" in got.get("message", ""):
        return (
            f"{fault}. If you used F.one_hot(y), give it num_classes="
            "logits.shape[1]: without it, it has max(y) + 1 columns, fewer than "
            "C when no label is the last class."
        )
    if fault:
        return fault
    logits, y = (t.detach() for t in case.inputs["args"][:2])
    out = got["out"]
    N, C = logits.shape
    if isinstance(out, torch.Tensor) and out.shape == (N, N) and reduction == "none":
        return (
            f"{what} has shape {(N, N)}: log_probs[:, y] picks an N x N block. "
            "Pick one entry per row: log_probs[torch.arange(N), y]."
        )
    if isinstance(out, torch.Tensor) and out.dim() == 0 and reduction == "none":
        return (
            f"{what} returns one number: it ignores the reduction argument. "
            '"none" returns the N per-example losses, "sum" adds them.'
        )
    reduce = {"mean": torch.mean, "sum": torch.sum, "none": lambda t: t}[reduction]
    losses = F.cross_entropy(logits, y, reduction="none")
    log_probs = F.log_softmax(logits, dim=1)
    mistakes = [
        (
            F.cross_entropy(torch.softmax(logits, dim=1), y, reduction=reduction),
            "it equals the cross-entropy of softmax(logits): a softmax was applied "
            "before the loss. Start from the logits themselves.",
        ),
        (
            -reduce(losses),
            "the sign is flipped: the loss is *minus* the log-probability of the "
            "true class.",
        ),
        (
            reduce(-log_probs[:, y]),
            "log_probs[:, y] picks an N x N block. Pick one entry per row: "
            "log_probs[torch.arange(N), y].",
        ),
        (
            reduce(-torch.log(torch.softmax(logits, dim=1)[torch.arange(N), y])),
            "it takes the log of a softmax, inf once a probability rounds to 0: "
            "compute logits - logsumexp(logits) (torch.logsumexp).",
        ),
    ]
    if reduction == "mean":
        mistakes += [
            (
                losses.sum() / (N * C),
                "the mean runs over all N * C entries of the one-hot product. Sum "
                "over the classes first, then average over the N examples.",
            ),
            (losses.sum(), "the default reduction is the mean, not the sum."),
        ]
    if reduction == "sum":
        mistakes.append(
            (
                losses.mean(),
                'it returns the mean: "sum" adds the N per-example losses.',
            )
        )
    return first_fault(
        wrong_values(
            out,
            expected["out"],
            what,
            mistakes,
            atol=scale_atol(logits),
            fix="Average (or sum) logsumexp(row) - row[y] over the rows.",
        ),
        keeps_graph(case, got, expected, "cross_entropy"),
        arguments_unchanged(case, got, expected),
    )


# ---- hardest_examples(logits, y, k)


def hardest_cases(gen):
    def randn(*shape, dtype=torch.float32):
        return torch.randn(*shape, generator=gen, dtype=dtype)

    def labels(n, c):
        return torch.randint(0, c, (n,), generator=gen)

    def case(description, logits, y, k):
        return Case(description, inputs((logits, y, k)))

    yield case(
        "hardest_examples(logits, y, 3) of a (20, 5) batch",
        randn(20, 5) * 3,
        labels(20, 5),
        3,
    )
    yield case(
        "hardest_examples(logits, y, 3) of another (20, 5) batch",
        randn(20, 5) * 3,
        labels(20, 5),
        3,
    )
    logits, y = randn(50, 10) * 4, labels(50, 10)
    yield case("hardest_examples(logits, y, 7) of a (50, 10) batch", logits, y, 7)
    yield case("hardest_examples(logits, y, 1) of a (50, 10) batch", logits, y, 1)
    yield case(
        "hardest_examples(logits, y, 6) of all 6 examples",
        randn(6, 4) * 2,
        labels(6, 4),
        6,
    )
    yield case(
        "hardest_examples of float64 (12, 3) logits, k=4",
        randn(12, 3, dtype=torch.float64) * 2,
        labels(12, 3),
        4,
    )
    yield case(
        "hardest_examples of (10, 5) logits that require grad, k=2",
        (randn(10, 5) * 2).requires_grad_(),
        labels(10, 5),
        2,
    )


def hardest_within_rounding(out, right, logits, y) -> bool:
    """out is a right answer too: distinct indices whose losses are the k
    largest, largest first, but for losses equal to float32 rounding (two
    correct ways of computing the loss may order those either way)."""
    if type(out) is not torch.Tensor or out.shape != right.shape:
        return False
    if out.dtype != right.dtype or len(set(out.tolist())) != len(out):
        return False
    if out.numel() and not 0 <= int(out.min()) <= int(out.max()) < len(y):
        return False
    losses = F.cross_entropy(logits.double(), y, reduction="none")
    tol = 1e-5 * (1 + float(losses.abs().max()))
    picked = losses[out]
    return bool(
        (picked[1:] <= picked[:-1] + tol).all()
        and (picked >= losses[right].min() - tol).all()
    )


def check_hardest(case, got, expected):
    what = case.description
    if got.get("raised") in ("RuntimeError", "IndexError") and not got["refused"]:
        return (
            f"{what} raised {got['raised']}: {got['message']}. Was the batch "
            'reduced to one loss? reduction="none" keeps one loss per example.'
        )
    fault = outcome_fault(case, got, "hardest_examples")
    if fault:
        return fault
    logits, y, k = case.inputs["args"]
    logits = logits.detach()
    losses = F.cross_entropy(logits, y, reduction="none")
    out, right = got["out"], expected["out"]
    fault = compare_tensor(out, right, what)
    if fault is None or hardest_within_rounding(out, right, logits, y):
        return arguments_unchanged(case, got, expected)
    mistakes = [
        (
            losses.topk(k, largest=False).indices,
            "it returns the easiest examples: take the largest losses (topk's "
            "default, largest=True).",
        ),
        (
            F.cross_entropy(torch.softmax(logits, dim=1), y, reduction="none")
            .topk(k)
            .indices,
            "it ranks by the loss of softmax(logits): give the loss the logits "
            "themselves.",
        ),
    ]
    for result, hint in mistakes:
        if close(out, result):
            return f"{what} is wrong: {hint}"
    if (
        type(out) is torch.Tensor
        and out.shape == right.shape
        and sorted(out.tolist()) == sorted(right.tolist())
    ):
        return f"{what} finds the right examples in the wrong order: the hardest first."
    if (
        type(out) is torch.Tensor
        and out.shape == right.shape
        and out.dtype == right.dtype
    ):
        return (
            f"{what} returns {out.tolist()}, but the examples with the largest "
            f"losses are {right.tolist()}."
        )
    return fault


EXERCISES = [
    Exercise(
        test="mse-tests",
        answer="mse",
        names=("mse",),
        cases=mse_cases,
        check=robust(check_mse),
        probe=call_by_hand,
    ),
    Exercise(
        test="stable-softmax-tests",
        answer="stable-softmax",
        names=("stable_softmax",),
        cases=softmax_cases,
        check=robust(check_softmax),
        probe=call_by_hand,
    ),
    Exercise(
        test="log-softmax-tests",
        answer="log-softmax",
        names=("log_softmax",),
        cases=log_softmax_cases,
        check=robust(check_log_softmax),
        probe=call_by_hand,
    ),
    Exercise(
        test="cross-entropy-tests",
        answer="cross-entropy",
        names=("cross_entropy",),
        cases=cross_entropy_cases,
        check=robust(check_cross_entropy),
        probe=call_by_hand,
    ),
    Exercise(
        test="hardest-examples-tests",
        answer="hardest-examples",
        names=("hardest_examples",),
        cases=hardest_cases,
        check=robust(check_hardest),
        probe=call_by_hand,
    ),
]
