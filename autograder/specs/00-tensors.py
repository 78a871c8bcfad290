"""Chapter 00's exercises, judged by the grader (see nncourse.specs).

Every case is drawn afresh each grading run; the descriptions are what the
student reads. The hints name a known mistake when the wrong result is that
mistake's result on the same inputs.
"""

import torch

from nncourse.specs import (
    Case,
    Exercise,
    arguments_unchanged,
    close,
    describe,
    first_fault,
    wrong_tensor,
)


def returns_new_tensor(case, got):
    if got["returned_an_argument"]:
        return (
            f"{case.description} returned the very tensor it was given: "
            "return a new tensor."
        )
    return None


# ---- standardize(X, dim=0)


def standardize_cases(gen):
    scale = torch.tensor([1.0, 10.0, 0.1])
    X = torch.randn(6, 3, generator=gen) * scale + 5
    yield Case("standardize(X) of a (6, 3) tensor", {"args": (X,), "kwargs": {}})
    yield Case(
        "standardize(X, dim=1) of a (6, 3) tensor",
        {"args": (X,), "kwargs": {"dim": 1}},
    )
    X = torch.randn(5, 5, generator=gen) + torch.arange(5.0)
    yield Case(
        "standardize(X, dim=1) of a square (5, 5) tensor",
        {"args": (X,), "kwargs": {"dim": 1}},
    )
    X = torch.randn(4, 7, generator=gen, dtype=torch.float64) * 3 - 1
    for dim in (0, 1):
        yield Case(
            f"standardize(X, dim={dim}) of a float64 (4, 7) tensor",
            {"args": (X,), "kwargs": {"dim": dim}},
        )
    X = torch.randn(2, 3, 4, generator=gen) * 2
    for dim in (-1, 1, 0):
        yield Case(
            f"standardize(X, dim={dim}) of a (2, 3, 4) tensor",
            {"args": (X,), "kwargs": {"dim": dim}},
        )


def check_standardize(case, got, expected):
    X = case.inputs["args"][0]
    dim = case.inputs["kwargs"].get("dim", 0)
    what = case.description
    mean = X.mean(dim=dim, keepdim=True)
    mistakes = [
        (
            (X - X.mean()) / X.std(),
            "it uses one mean and one standard deviation for the whole tensor. "
            "Take them along dim, with keepdim=True.",
        ),
        (
            (X - mean) / X.std(dim=dim, correction=0, keepdim=True),
            "it divides by the biased standard deviation (correction=0). Keep "
            "std's default, the unbiased estimate.",
        ),
        (
            (X - mean) / X.var(dim=dim, keepdim=True),
            "it divides by the variance. Divide by the standard deviation, its "
            "square root.",
        ),
        (X - mean, "it does not divide by the standard deviation."),
    ]
    if dim != 0 and X.dim() == 2:
        mistakes.append(
            (
                (X - X.mean(dim=0, keepdim=True)) / X.std(dim=0, keepdim=True),
                "it standardises along dim=0 whatever dim says. Take the mean "
                "and the std along the dim argument.",
            )
        )
    return first_fault(
        wrong_tensor(got["out"], expected["out"], what, mistakes),
        returns_new_tensor(case, got),
        arguments_unchanged(case, got, expected),
    )


# ---- pairwise_sq_dists(A, B)


def pairwise_cases(gen):
    def rand(*shape, dtype=torch.float32, scale=1.0, shift=0.0):
        return torch.randn(*shape, generator=gen, dtype=dtype) * scale + shift

    A, B = rand(4, 3), rand(5, 3)
    yield Case(
        "pairwise_sq_dists(A, B) of shapes (4, 3) and (5, 3)",
        {"args": (A, B), "kwargs": {}},
    )
    yield Case(
        "pairwise_sq_dists(A, A) of a (4, 3) tensor",
        {"args": (A, A.clone()), "kwargs": {}},
    )
    A, B = rand(5, 3), rand(5, 3, shift=1.0)
    yield Case(
        "pairwise_sq_dists(A, B) of two different (5, 3) tensors",
        {"args": (A, B), "kwargs": {}},
    )
    A, B = rand(1, 10, dtype=torch.float64), rand(7, 10, dtype=torch.float64, scale=2)
    yield Case(
        "pairwise_sq_dists of float64 (1, 10) and (7, 10)",
        {"args": (A, B), "kwargs": {}},
    )
    A, B = rand(30, 2), rand(20, 2, shift=1.0)
    yield Case(
        "pairwise_sq_dists of (30, 2) and (20, 2)", {"args": (A, B), "kwargs": {}}
    )
    yield Case(
        "pairwise_sq_dists of (20, 2) and (30, 2)", {"args": (B, A), "kwargs": {}}
    )
    A = rand(3, 1)
    yield Case("pairwise_sq_dists of (3, 1) rows", {"args": (A, A), "kwargs": {}})


def check_pairwise(case, got, expected):
    A, B = case.inputs["args"]
    what = case.description
    out = got["out"]
    if (
        isinstance(out, torch.Tensor)
        and len(A) != len(B)
        and tuple(out.shape) == (len(B), len(A))
    ):
        return (
            f"{what} has shape {tuple(out.shape)}, the transpose: one row per "
            "row of A, one column per row of B."
        )
    differences = A[:, None, :] - B[None, :, :]
    mistakes = [
        (
            (differences**2).sum(dim=-1).sqrt(),
            "it returns distances: return their squares, without the square root.",
        ),
        (differences.abs().sum(dim=-1), "it sums absolute differences: square them."),
    ]
    return first_fault(
        wrong_tensor(out, expected["out"], what, mistakes, atol=1e-4),
        arguments_unchanged(case, got, expected),
    )


# ---- pick(logits, y, dim=1)


def pick_cases(gen):
    def case(shape, dim, description, dtype=torch.float32, **options):
        logits = torch.randn(shape, generator=gen, dtype=dtype)
        y = torch.randint(0, shape[dim], logits.select(dim, 0).shape, generator=gen)
        if options.get("requires_grad"):
            logits.requires_grad_()
        kwargs = {} if dim == 1 and not options.get("dim_given") else {"dim": dim}
        if options.get("positional"):
            return Case(description, {"args": (logits, y, dim), "kwargs": {}})
        return Case(description, {"args": (logits, y), "kwargs": kwargs})

    yield case((5, 3), 1, "pick(logits, y) of (5, 3) logits")
    yield case((4, 4), 1, "pick(logits, y) of square (4, 4) logits")
    yield case(
        (4, 6, 7),
        1,
        "pick(logits, y, dim=1) of (N, C, L) = (4, 6, 7) logits",
        dim_given=True,
    )
    yield case((3, 5, 4), -1, "pick(logits, y, dim=-1) of (N, L, C) = (3, 5, 4) logits")
    yield case(
        (2, 3, 4, 5),
        1,
        "pick(logits, y, dim=1) of float64 (N, C, H, W) = (2, 3, 4, 5) logits "
        "that require grad",
        torch.float64,
        dim_given=True,
        requires_grad=True,
    )
    yield case((1, 4, 3), -2, "pick(logits, y, dim=-2) of one example, (1, 4, 3)")
    yield case(
        (6, 4), 0, "pick(logits, y, 0) of (C, N) = (6, 4) logits", positional=True
    )
    yield case((3, 3, 3), -1, "pick(logits, y, dim=-1) of (3, 3, 3) logits")
    yield case(
        (3, 3, 3),
        1,
        "pick(logits, y) of (3, 3, 3) logits that require grad",
        requires_grad=True,
    )


def pick_dim(case):
    args, kwargs = case.inputs["args"], case.inputs["kwargs"]
    return args[2] if len(args) > 2 else kwargs.get("dim", 1)


def pick_mistakes(logits, y, dim):
    """(result, hint) of the known mistakes that run on these inputs."""
    logits = logits.detach()
    classes = logits.shape[dim]
    moved = logits.transpose(dim, -1)
    attempts = [
        (
            lambda: logits.amax(dim=dim),
            "it returns the largest logit at each position, the predicted "
            "class's: take the class that y names.",
        ),
        (
            lambda: logits.gather(1, y.unsqueeze(1)).squeeze(1),
            "it gathers along dimension 1 whatever dim says: gather along dim.",
        ),
        (
            lambda: logits.gather(dim, y.unsqueeze(-1)).squeeze(-1),
            "it puts the index's length 1 last, y.unsqueeze(-1): put it at dim, "
            "y.unsqueeze(dim).",
        ),
        (
            lambda: logits.reshape(-1, classes)[
                torch.arange(y.numel()), y.reshape(-1)
            ].reshape(y.shape),
            "reshape(-1, C) does not move the classes last: each row then mixes "
            "positions. Move them with movedim(dim, -1) first, or use gather.",
        ),
        (
            lambda: moved.reshape(-1, classes)[
                torch.arange(y.numel()), y.reshape(-1)
            ].reshape(y.shape),
            "transpose(dim, -1) swaps the last dimension into dim, so the "
            "positions come in another order: use movedim(dim, -1), or gather.",
        ),
    ]
    mistakes = []
    for attempt, hint in attempts:
        try:
            mistakes.append((attempt(), hint))
        except (IndexError, RuntimeError):
            pass
    return mistakes


def check_pick(case, got, expected):
    logits, y = case.inputs["args"][:2]
    dim = pick_dim(case)
    what = case.description
    out, right = got["out"], expected["out"]
    if isinstance(out, torch.Tensor) and out.shape != right.shape:
        if out.shape == y.unsqueeze(dim).shape:
            return (
                f"{what} has shape {tuple(out.shape)}: squeeze the dimension "
                "that gather keeps, .squeeze(dim)."
            )
        if out.shape == logits.shape:
            return (
                f"{what} has the shape of the logits: logits[y] selects whole "
                "rows. Pick one entry at each position of y."
            )
        if logits.dim() == 2 and out.shape == (len(y), len(y)):
            return (
                f"{what} has shape {tuple(out.shape)}: logits[:, y] takes all "
                "the rows of the columns listed in y, an N x N block."
            )
        if out.shape == right.squeeze().shape:
            return (
                f"{what} has shape {tuple(out.shape)}: squeeze() removes every "
                "dimension of length 1, the batch's too. Squeeze dim alone, "
                ".squeeze(dim)."
            )
    mistakes = pick_mistakes(logits, y, dim)
    fault = wrong_tensor(out, right, what, mistakes, atol=0, rtol=0)
    if fault:
        return first_fault(fault, arguments_unchanged(case, got, expected))
    if expected["requires_grad"] and not got["requires_grad"]:
        return (
            f"{what} cuts the autograd graph: gather or index the logits with "
            "tensors, without .item(), .numpy() or torch.tensor(...)."
        )
    return arguments_unchanged(case, got, expected)


# ---- batch_with_padding(sequences, value=0)


def padding_cases(gen):
    def case(lengths, dtype, value=None, suffix="", **options):
        # Small whole numbers (halves for floats), so that value itself
        # occurs inside the sequences, as it does in real data.
        sequences = [
            torch.randint(-2, 4, (n,), generator=gen).to(dtype) for n in lengths
        ]
        if dtype.is_floating_point:
            sequences = [s / 2 for s in sequences]
        inside = next(s for s in sequences if len(s) > 1)
        inside[-1] = 0 if value is None else value
        named = "" if value is None else f", value={value}"
        text = ", ".join(map(str, lengths))
        kind = str(dtype).removeprefix("torch.")
        return Case(
            f"batch_with_padding(sequences{named}) of {kind} sequences of "
            f"lengths {text}{suffix}",
            {
                "sequences": sequences,
                **({} if value is None else {"value": value}),
                **options,
            },
        )

    yield case((3, 1, 5), torch.int64)
    yield case((2, 6, 4), torch.int64, -1)
    yield case((2, 6, 4, 6), torch.float32, 0.5)
    yield case((1, 3, 0, 2, 3), torch.float64, -2.0, " (one of them empty)")
    yield case((2, 3, 1), torch.int32, 9, " (as many sequences as L)")
    yield case((4, 4, 4), torch.float32, 1.0, " (nothing to pad)")
    yield case((5,), torch.int64, -1)
    yield case((2, 4, 3), torch.float32, 0.0, " that require grad", requires_grad=True)
    yield case(
        (3, 5, 2),
        torch.float32,
        -1.0,
        " on the 'meta' device (no data, like a GPU's tensors)",
        device="meta",
    )


def probe_padding(
    batch_with_padding, sequences, value=None, requires_grad=False, device=None
):
    if requires_grad:
        sequences = [s.detach().clone().requires_grad_() for s in sequences]
    if device is not None:
        sequences = [s.to(device) for s in sequences]
    given = list(sequences)
    kwargs = {} if value is None else {"value": value}
    try:
        out = batch_with_padding(sequences, **kwargs)
    except Exception as error:
        if device is None:
            raise
        return {"device_error": f"{type(error).__name__}: {error}"[:300]}
    parts = list(out) if isinstance(out, tuple | list) else [out]
    return {
        "out": out,
        "requires_grad": [bool(getattr(p, "requires_grad", False)) for p in parts],
        "list_changed": len(sequences) != len(given)
        or any(s is not t for s, t in zip(sequences, given, strict=False)),
        "sequences": sequences,
    }


def padded(sequences, length, value, front=False):
    """The sequences padded with ``value`` to ``length`` and stacked."""
    rows = []
    for s in sequences:
        padding = s.new_full((length - len(s),), value)
        rows.append(torch.cat([padding, s] if front else [s, padding]))
    return torch.stack(rows)


def padding_batch_fault(case, batch, want):
    sequences = case.inputs["sequences"]
    value = case.inputs.get("value", 0)
    what = f"The batch of {case.description}"
    N, L = want.shape
    if isinstance(batch, torch.Tensor) and batch.shape != want.shape:
        hint = {
            (N, len(sequences[0])): "every sequence is padded to the first "
            "one's length. Pad to the longest, max(len(s) for s in sequences).",
            (L, N): "it stacks along dim=1, one column per sequence. Stack "
            "along dim=0, one row per sequence.",
            (N * L,): "torch.cat joins the padded sequences end to end. "
            "torch.stack puts each in a row of a new dimension.",
        }.get(tuple(batch.shape))
        if hint:
            return f"{what} has shape {tuple(batch.shape)}: {hint}"
    if (
        isinstance(batch, torch.Tensor)
        and batch.shape == want.shape
        and batch.dtype != want.dtype
    ):
        return (
            f"{what} has dtype {batch.dtype}, not the sequences' "
            f"{want.dtype}: make the padding in their dtype, s.new_full(...) "
            "or dtype=s.dtype. torch.full((N, L), 0) is int64 and "
            "torch.zeros(N, L) float32."
        )
    mistakes = [
        (
            padded(sequences, L, 0),
            "it pads with 0 whatever value says: pad with value.",
        ),
        (
            padded(sequences, L, value, front=True),
            "it pads at the front of each sequence: put the padding after "
            "it, torch.cat([s, padding]).",
        ),
        (
            want.T,
            "it stacks along dim=1, one column per sequence. Stack along "
            "dim=0, one row per sequence.",
        ),
    ]
    return wrong_tensor(batch, want, what, mistakes, atol=0, rtol=0)


def padding_mask_fault(case, mask, want, want_batch):
    value = case.inputs.get("value", 0)
    what = f"The mask of {case.description}"
    if (
        isinstance(mask, torch.Tensor)
        and mask.shape == want.shape
        and mask.dtype != torch.bool
    ):
        return (
            f"{what} has dtype {mask.dtype}: make it torch.bool, the dtype "
            "that a comparison such as < returns."
        )
    mistakes = [
        (
            ~want,
            "it is True on the padding: make it True on the sequences' "
            "entries and False on the padding.",
        ),
        (
            want_batch != value,
            "it compares the batch with value, but a sequence may hold value "
            "itself: build the mask from the lengths of the sequences.",
        ),
        (
            want.T,
            "it stacks along dim=1, one column per sequence. Make one row "
            "per sequence.",
        ),
    ]
    return wrong_tensor(mask, want, what, mistakes, atol=0, rtol=0)


def padding_device_fault(case, out, want):
    """On the meta device the results are descriptions: shape and dtype."""
    for name, mine, theirs in zip(("batch", "mask"), out, want, strict=True):
        if isinstance(mine, torch.Tensor):
            return (
                f"The {name} of {case.description} is on the CPU: make it on "
                "the sequences' device (s.new_full(...), torch.arange(L, "
                "device=s.device), torch.tensor(lengths, device=s.device)), "
                "or a GPU run mixes two devices."
            )
        if mine == theirs:
            continue
        meta = type(mine) is dict and "meta tensor" in mine
        shown = (
            f"a tensor of shape {tuple(mine['meta tensor'])} and {mine['dtype']}"
            if meta
            else describe(mine)
        )
        return (
            f"The {name} of {case.description} is {shown}, not a tensor of "
            f"shape {tuple(theirs['meta tensor'])} and {theirs['dtype']}."
        )
    return None


def sequences_unchanged(case, got, expected):
    if got["list_changed"]:
        return (
            f"{case.description} changed the list it was given (sequences[i] "
            "= ..., append, sort): build a new list of padded sequences."
        )
    mine, theirs = got["sequences"], expected["sequences"]
    same = type(mine) is list and len(mine) == len(theirs)
    for s, t in zip(mine if same else [], theirs, strict=False):
        same = same and (s == t if type(s) is dict else close(s, t, 0, 0))
    if not same:
        return (
            f"{case.description} changed a sequence in place: leave them as "
            "they were and make new tensors with torch.cat."
        )
    return None


def check_padding(case, got, expected):
    what = case.description
    if "device_error" in got:
        return (
            f"{what} raised {got['device_error'].rstrip('.!')}. Make every "
            "tensor on the sequences' device: s.new_full(...), "
            "torch.arange(L, device=s.device), ..."
        )
    out, want = got["out"], expected["out"]
    if type(out) is not list or len(out) != 2:
        count = f" of {len(out)} items" if type(out) is list else ""
        return f"{what} returned {describe(out)}{count}: return batch, mask."
    if case.inputs.get("device"):
        fault = padding_device_fault(case, out, want)
    else:
        fault = first_fault(
            padding_batch_fault(case, out[0], want[0]),
            padding_mask_fault(case, out[1], want[1], want[0]),
        )
    if not fault and expected["requires_grad"][0] and not got["requires_grad"][0]:
        fault = (
            f"The batch of {what} cuts the autograd graph: join the sequences "
            "with torch.cat and torch.stack, without .tolist(), .item(), "
            "torch.tensor(...) or .detach()."
        )
    return first_fault(fault, sequences_unchanged(case, got, expected))


# ---- pixel_rows(images)


def pixel_rows_cases(gen):
    images = torch.arange(2.0 * 3 * 4 * 5).reshape(2, 3, 4, 5)
    yield Case(
        "pixel_rows(images) of shape (2, 3, 4, 5)", {"args": (images,), "kwargs": {}}
    )
    images = torch.randn(3, 1, 2, 7, generator=gen, dtype=torch.float64)
    yield Case(
        "pixel_rows of float64 grey images (3, 1, 2, 7)",
        {"args": (images,), "kwargs": {}},
    )
    images = torch.randint(0, 256, (1, 4, 3, 3), generator=gen, dtype=torch.uint8)
    yield Case(
        "pixel_rows of uint8 square images (1, 4, 3, 3)",
        {"args": (images,), "kwargs": {}},
    )
    images = torch.randn(2, 2, 3, 3, generator=gen)
    yield Case(
        "pixel_rows of square images (2, 2, 3, 3)", {"args": (images,), "kwargs": {}}
    )


def check_pixel_rows(case, got, expected):
    (images,) = case.inputs["args"]
    channels = images.shape[1]
    mistakes = [
        (
            images.reshape(-1, channels),
            "it only reshapes: each row then holds neighbouring values of one "
            "channel, not the channels of a pixel. Put the channels last with "
            "permute(0, 2, 3, 1) first.",
        ),
        (
            images.transpose(1, 3).reshape(-1, channels),
            "transpose(1, 3) gives (N, W, H, C): the pixels column after "
            "column. Use permute(0, 2, 3, 1), (N, H, W, C).",
        ),
    ]
    return first_fault(
        wrong_tensor(got["out"], expected["out"], case.description, mistakes, 0, 0),
        arguments_unchanged(case, got, expected),
    )


EXERCISES = [
    Exercise(
        test="standardize-tests",
        answer="standardize",
        names=("standardize",),
        cases=standardize_cases,
        check=check_standardize,
    ),
    Exercise(
        test="pairwise-sq-dists-tests",
        answer="pairwise-sq-dists",
        names=("pairwise_sq_dists",),
        cases=pairwise_cases,
        check=check_pairwise,
        forbidden={
            "cdist": "pairwise_sq_dists uses torch.cdist, which this exercise "
            "asks you to write: subtract with new axes, square and sum.",
        },
    ),
    Exercise(
        test="pick-tests",
        answer="pick",
        names=("pick",),
        cases=pick_cases,
        check=check_pick,
    ),
    Exercise(
        test="batch-with-padding-tests",
        answer="batch-with-padding",
        names=("batch_with_padding",),
        cases=padding_cases,
        check=check_padding,
        probe=probe_padding,
        forbidden={
            "pad_sequence": "batch_with_padding uses pad_sequence, which this "
            "exercise asks you to write: pad with torch.cat, then torch.stack.",
        },
    ),
    Exercise(
        test="pixel-rows-tests",
        answer="pixel-rows",
        names=("pixel_rows",),
        cases=pixel_rows_cases,
        check=check_pixel_rows,
    ),
]
