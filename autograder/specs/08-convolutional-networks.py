"""Chapter 08's exercises, judged by the grader (see nncourse.specs).

Every case is drawn afresh each grading run; the descriptions are what the
student reads. The hints name a known mistake when the wrong result is that
mistake's result on the same inputs (computed here, from the case's inputs).
SmallCNN is judged by what it does, whatever its layers are called or how
they are spelled (``padding=1`` or ``padding='same'``, ``nn.ReLU`` or
``F.relu``, ``nn.Flatten`` or ``.flatten(1)``): its parameter and buffer
shapes, and its outputs, running statistics and gradients once its
parameters and buffers hold values fixed by their shapes.
"""

import torch

from nncourse.specs import Case, Exercise, close, compare_tensor, describe


def same_kind(got, expected):
    """``got`` is a tensor of the expected shape and dtype (only its values
    can be wrong)."""
    return (
        type(got) is torch.Tensor
        and got.shape == expected.shape
        and got.dtype == expected.dtype
    )


def robust(check):
    """``check``, failing (not crashing the grader) on outcomes of a form the
    probe never returns: forged by code in the student's notebook."""

    def guarded(case, got, expected):
        try:
            return check(case, got, expected)
        except (KeyError, IndexError, TypeError, AttributeError, ValueError):
            return (
                f"What {case.description} returned to the grader does not have "
                "the form the grader's probe gives: something in the notebook "
                "changed the probe's result."
            )

    return guarded


# ---- shift_images(X, dy, dx)


def shifted(X, dy, dx):
    """The right answer, written independently of the solution: roll, then
    zero the rows and columns that wrapped around."""
    rolled = torch.roll(X, shifts=(dy, dx), dims=(-2, -1))
    height, width = X.shape[-2:]
    rows = torch.arange(height) - dy
    cols = torch.arange(width) - dx
    inside = ((rows >= 0) & (rows < height))[:, None] & ((cols >= 0) & (cols < width))[
        None, :
    ]
    return rolled * inside.to(X.dtype)


def shift_cases(gen):
    def case(X, dy, dx, suffix="", **options):
        shape = tuple(X.shape)
        return Case(
            f"shift_images(X, {dy}, {dx}) for X of shape {shape}{suffix}",
            {"X": X, "dy": dy, "dx": dx, **options},
        )

    # Every pixel different from 0 and from its neighbours, so that no
    # mistake hides behind equal values (the visible tests' batch).
    X = torch.arange(1.0, 41.0).reshape(2, 1, 4, 5)
    for dy, dx in ((1, 2), (-1, 0), (0, -3)):
        yield case(X, dy, dx)
    X = torch.rand(3, 2, 6, 7, generator=gen, dtype=torch.float64) + 1
    for dy, dx in ((2, -3), (-5, 6), (3, 1), (-1, -6)):
        yield case(X, dy, dx, ", float64")
    yield case(X, 0, 0, ", float64")
    # Two different batches of one size.
    for _ in range(2):
        X = torch.rand(2, 3, 5, 4, generator=gen) + 0.5
        yield case(X, -2, 1)
    X = torch.rand(1, 1, 3, 8, generator=gen) + 1
    yield case(X, 2, -7)
    yield case(X, 0, 0)
    X = torch.randint(1, 256, (2, 3, 5, 5), generator=gen, dtype=torch.uint8)
    yield case(X, 1, -1, ", uint8")
    X = torch.rand(2, 2, 5, 6, generator=gen) + 1
    yield case(X, -2, 3, ", requiring grad", requires_grad=True)
    X = torch.rand(2, 1, 4, 5, generator=gen)
    yield case(
        X, 1, -2, " on the 'meta' device (no data, like a GPU's tensors)", device="meta"
    )


def probe_shift(shift_images, X, dy, dx, requires_grad=False, device=None):
    import torch

    if requires_grad:
        X = X.detach().clone().requires_grad_()
    if device is not None:
        X = X.to(device)
        try:
            out = shift_images(X, dy, dx)
        except Exception as error:  # a result made on the CPU
            return {"meta_error": f"{type(error).__name__}: {error}"[:300]}
        return {"out": out, "same_object": out is X}
    out = shift_images(X, dy, dx)
    shares = False
    if isinstance(out, torch.Tensor):
        shares = out.untyped_storage().data_ptr() == X.untyped_storage().data_ptr()
    return {"out": out, "same_object": out is X, "shares_memory": shares, "X": X}


def check_shift(case, got, expected):
    X, dy, dx = case.inputs["X"], case.inputs["dy"], case.inputs["dx"]
    what = case.description
    if "meta_error" in got:
        return (
            f"{what} raised {got['meta_error'].rstrip('.!')}. Make the result "
            "on X's device, with torch.zeros_like(X) or X.new_zeros(X.shape), not "
            "torch.zeros(X.shape), which makes it on the CPU."
        )
    out = got["out"]
    if case.inputs.get("device"):
        if type(out) is not dict or out != expected["out"]:
            return (
                f"{what} returned {describe(out)}, not a tensor on X's device "
                f"of shape {tuple(X.shape)} and dtype {X.dtype}: make the result "
                "with torch.zeros_like(X) or X.new_zeros(X.shape)."
            )
        if got["same_object"]:
            return returned_x(what)
        return None
    mistakes = [
        (
            torch.roll(X, shifts=(dy, dx), dims=(-2, -1)),
            "it wraps the pixels that leave one side around to the other "
            "(torch.roll): fill the rows and columns moved in with 0.",
        ),
        (
            shifted(X, -dy, -dx),
            "it moves the images the wrong way: positive dy moves them down, "
            "so the output's row i is the input's row i - dy.",
        ),
    ]
    if dy != dx:
        mistakes.insert(
            1,
            (
                shifted(X, dx, dy),
                "it swaps the directions: dy moves the rows (dim -2) down, dx "
                "moves the columns (dim -1) right.",
            ),
        )
    fault = compare_tensor(out, expected["out"], what, atol=0, rtol=0)
    if fault:
        if same_kind(out, expected["out"]):
            for result, hint in mistakes:
                if close(out, result, 0, 0):
                    return f"{what} is wrong: {hint}"
            return (
                f"{fault[:-1]}: the output at (i, j) is the input at "
                "(i - dy, j - dx) when that is inside the image, else 0."
            )
        return fault
    if not close(got["X"], X, 0, 0):
        return (
            f"{what} changed X in place. Compute a new tensor and leave X as it "
            "was: fill a torch.zeros_like(X) with the part of X that is kept."
        )
    if got["same_object"]:
        return returned_x(what)
    if got["shares_memory"]:
        return (
            f"{what} returned a view of X, which shares its memory: changing the "
            "result would change X. Return a new tensor (.clone() a view)."
        )
    return None


def returned_x(what):
    return (
        f"{what} returned X itself: return a new tensor, even when there is "
        "nothing to move (X.clone()), so that changing the result leaves X as "
        "it was."
    )


# ---- SmallCNN(width=16, num_classes=10)


def cnn_cases(gen):
    """Widths and class counts chosen so that the parameters of different
    layers never share a shape (fill_parameters then gives every layer the
    same values, whatever order the student registers them in)."""

    def case(text, n, args=(), kwargs=None, modes=("eval", "train"), **options):
        dtype = getattr(torch, options.get("dtype", "float32"))
        X = torch.randn(n, 1, 28, 28, generator=gen, dtype=dtype)
        inputs = {"args": args, "kwargs": kwargs or {}, "X": X, "modes": list(modes)}
        seed = int(torch.randint(0, 2**31, (), generator=gen))
        call = cnn_call(args, kwargs or {})
        return Case(f"{call}{text} on a batch of {n} images", inputs | options, seed)

    yield case("", 4)
    yield case("", 6, kwargs={"width": 4, "num_classes": 5}, backward=True)
    yield case("", 6, kwargs={"width": 4, "num_classes": 5})
    yield case("", 3, kwargs={"num_classes": 3}, modes=("eval",))
    yield case(" (width and num_classes given by position)", 5, args=(8, 3))
    yield case(
        " in channels_last memory format (as this chapter trains it)",
        4,
        kwargs={"width": 3, "num_classes": 4},
        channels_last=True,
    )
    yield case(" in float64", 2, kwargs={"width": 3, "num_classes": 7}, dtype="float64")


def probe_small_cnn(
    SmallCNN,
    args,
    kwargs,
    X,
    modes,
    backward=False,
    channels_last=False,
    dtype=None,
):
    import zlib

    import torch
    from torch import nn

    from nncourse.probe import fill_parameters

    seed = torch.initial_seed()
    if not (isinstance(SmallCNN, type) and issubclass(SmallCNN, nn.Module)):
        return {"not_a_module_class": True}
    result = {}
    stage = "building it"
    try:
        model = SmallCNN(*args, **kwargs)
        result["training"] = model.training
        if not any(nn.parameter.is_lazy(p) for p in model.parameters()):
            shapes = sorted(tuple(p.shape) for p in model.parameters())
            result["parameter_shapes"] = [list(shape) for shape in shapes]
        stage = "eval mode"  # a first call, which creates lazy layers' weights
        model.eval()
        with torch.no_grad():
            model(X.to(torch.float32))
        model.train(result["training"])
        stage = "building it"
        parameters = sorted(model.parameters(), key=lambda p: tuple(p.shape))
        result["parameter_shapes"] = [list(p.shape) for p in parameters]
        result["parameter_count"] = sum(p.numel() for p in parameters)
        buffers = sorted(model.named_buffers(), key=lambda b: tuple(b[1].shape))
        result["buffer_shapes"] = [list(b.shape) for _, b in buffers]
        fill_parameters(model, seed)
        seen = {}
        with torch.no_grad():  # running statistics far from 0 and 1
            for name, buffer in buffers:
                shape = tuple(buffer.shape)
                seen[shape] = seen.get(shape, 0) + 1
                if buffer.is_floating_point():
                    key = zlib.crc32(repr((shape, seen[shape])).encode()) ^ seed
                    generator = torch.Generator().manual_seed(key)
                    values = torch.rand(shape, generator=generator)
                    low, high = (0.5, 2.0) if name.endswith("var") else (-1.0, 1.0)
                    buffer.copy_(low + (high - low) * values)
        if dtype is not None:
            model.to(getattr(torch, dtype))
        if channels_last:
            model.to(memory_format=torch.channels_last)
            X = X.contiguous(memory_format=torch.channels_last)
        # .to() replaces the buffers (not the parameters): look them up again
        buffers = sorted(model.buffers(), key=lambda b: tuple(b.shape))
        for mode in modes:
            stage = f"{mode} mode"
            model.train(mode == "train")
            torch.manual_seed(seed)  # the same dropout mask for everyone
            out = model(X)
            result[mode] = {
                "out": out,
                "training": model.training,
                "buffers": [buffer.detach().clone() for buffer in buffers],
            }
            if backward and mode == "train":
                stage = "backward"
                weights = torch.linspace(-1, 1, out.numel()).reshape(out.shape)
                (out * weights).sum().backward()
                result["grads"] = [p.grad for p in parameters]
    except Exception as error:
        result["error"] = f"{type(error).__name__}: {error}"[:400]
        result["stage"] = stage
    return result


def cnn_call(args, kwargs):
    args = ", ".join(map(str, args))
    kwargs = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    return f"SmallCNN({args or kwargs})"


def settings(case):
    """(width, num_classes) of the case."""
    args, kwargs = case.inputs["args"], case.inputs["kwargs"]
    width = args[0] if args else kwargs.get("width", 16)
    num_classes = args[1] if len(args) > 1 else kwargs.get("num_classes", 10)
    return width, num_classes


def cnn_shapes(width, num_classes, padding=1, conv_bias=False):
    size = 7 if padding == 1 else 5
    shapes = [
        [width, 1, 3, 3],
        [width],
        [width],
        [2 * width, width, 3, 3],
        [2 * width],
        [2 * width],
        [128, 2 * width * size * size],
        [128],
        [num_classes, 128],
        [num_classes],
    ]
    if conv_bias:
        shapes += [[width], [2 * width]]
    return sorted(shapes, key=tuple)


def check_parameters(case, got, expected):
    call = cnn_call(case.inputs["args"], case.inputs["kwargs"])
    shapes = got["parameter_shapes"]
    if shapes == expected["parameter_shapes"]:
        return None
    fault = known_mistake(case, shapes)
    if fault:
        return fault
    if got["parameter_count"] < expected["parameter_count"] and not any(
        len(shape) == 4 for shape in shapes
    ):
        return (
            f"{call} registers no convolution's weight: layers kept in a "
            "plain Python list (or dict) are not registered. Assign them as "
            "attributes, or put them in an nn.Sequential or nn.ModuleList."
        )
    return (
        f"{call} has {got['parameter_count']:,} parameters, of shapes {shapes}; "
        f"expected {expected['parameter_count']:,}, of shapes "
        f"{expected['parameter_shapes']} (sorted): check each layer against "
        "the table."
    )


def known_mistake(case, shapes):
    """The hint of the known mistake whose parameters have these shapes."""
    call = cnn_call(case.inputs["args"], case.inputs["kwargs"])
    width, num_classes = settings(case)
    mistakes = [
        (
            cnn_shapes(width, num_classes, conv_bias=True),
            "a convolution has a bias: BatchNorm2d subtracts each channel's "
            "mean right after it, which cancels the bias. Use bias=False.",
        ),
        (
            cnn_shapes(width, num_classes, padding=0),
            "the first Linear layer takes 2 * width * 5 * 5 features, the "
            "size without padding: give both convolutions padding=1 (or "
            "'same'), which keeps the size, so that two poolings take 28 to 7.",
        ),
    ]
    if width != 16:
        mistakes.append(
            (
                cnn_shapes(16, num_classes),
                "it ignores the width argument: the first block has width "
                "channels, the second 2 * width.",
            )
        )
    if num_classes != 10:
        mistakes.append(
            (
                cnn_shapes(width, 10),
                "it ignores num_classes: the last Linear layer maps 128 "
                "features to num_classes logits.",
            )
        )
    for result, hint in mistakes:
        if shapes == result:
            return f"{call} is wrong: {hint}"
    return None


def check_small_cnn(case, got, expected):
    call = cnn_call(case.inputs["args"], case.inputs["kwargs"])
    what = case.description
    if got.get("not_a_module_class"):
        return "SmallCNN should be a class that subclasses torch.nn.Module."
    if "error" in got:
        known = got.get("parameter_shapes")
        return (known and known_mistake(case, known)) or cnn_error(case, got)
    fault = check_parameters(case, got, expected)
    if fault:
        return fault
    if got["buffer_shapes"] != expected["buffer_shapes"]:
        return (
            f"{call} keeps buffers of shapes {got['buffer_shapes']}; expected "
            f"{expected['buffer_shapes']}: the running means and variances (and "
            "the counts) of two nn.BatchNorm2d layers with their defaults, of "
            "width and 2 * width channels."
        )
    if got["training"] is not True:
        return (
            f"{call} is in eval mode once built: a new module is in training "
            "mode; call no .eval() in __init__."
        )
    for mode in case.inputs["modes"]:
        fault = check_mode(case, what, mode, got[mode], expected[mode])
        if fault:
            return fault
    if "grads" in expected:
        for mine, theirs in zip(got["grads"], expected["grads"], strict=True):
            if type(mine) is not torch.Tensor or not close(mine, theirs, 1e-4, 1e-3):
                return (
                    f"{what}: after a backward pass in train mode, the gradients "
                    "of the parameters are wrong although the outputs are right. "
                    "Keep forward one autograd graph: no .detach(), .data or "
                    "torch.no_grad() inside it."
                )
    return None


def check_mode(case, what, mode, got, expected):
    label = f"{what}, in {mode} mode,"
    out, wanted = got["out"], expected["out"]
    fault = compare_tensor(out, wanted, f"{label} the output", atol=1e-4, rtol=1e-4)
    if fault and same_kind(out, wanted):
        if mode == "eval" and (wanted < 0).any() and (out >= 0).all():
            return (
                f"{label} returns no negative logit: is there a ReLU after the "
                "last Linear layer? The last layer must return raw logits."
            )
        if mode == "train" and case.inputs["modes"][0] == "eval":
            return (
                f"{label} returns wrong values, although they are right in eval "
                "mode: check the nn.Dropout(0.25) between the two Linear layers "
                "(after their ReLU), and that forward draws no other random "
                "numbers."
            )
        return (
            f"{label} returns wrong values. Each block is Conv2d, MaxPool2d, "
            "BatchNorm2d, ReLU, in that order; then Flatten, Linear, ReLU, "
            "Dropout and Linear, with no ReLU after the last Linear layer."
        )
    if fault:
        return fault
    if got["training"] is not (mode == "train"):
        return (
            f"{label} forward changed the module's mode: leave train() and "
            "eval() to the caller."
        )
    for mine, theirs in zip(got["buffers"], expected["buffers"], strict=True):
        if not close(mine, theirs, 1e-5, 1e-4):
            return (
                f"{label} the BatchNorm2d layers' running statistics are wrong "
                "after the forward pass: use nn.BatchNorm2d(channels) with its "
                "defaults, right after each MaxPool2d."
            )
    return None


def cnn_error(case, got):
    call = cnn_call(case.inputs["args"], case.inputs["kwargs"])
    error, stage = got["error"], got["stage"]
    if stage == "building it":
        hint = ""
        if "__init__() call" in error:
            hint = (
                " Call super().__init__() as the first line of __init__, before "
                "assigning any layer."
            )
        return f"{call} raised {error.rstrip('.')}.{hint}"
    if "view" in error and case.inputs.get("channels_last"):
        return (
            f"{case.description} raised {error.rstrip('.')}. .view needs the tensor's "
            "memory in row order, which channels_last is not: flatten with "
            "nn.Flatten() (or .flatten(1), or .reshape)."
        )
    if stage == "backward":
        return (
            f"{case.description}: a backward pass through the output raised "
            f"{error}. Keep forward one autograd graph: no .detach(), .item() "
            "or torch.no_grad() inside it."
        )
    return (
        f"{case.description} raised, in {stage}, {error}. Trace the shapes "
        "with the table: (N, 1, 28, 28) becomes (N, 2 * width, 7, 7) before "
        "Flatten."
    )


EXERCISES = [
    Exercise(
        test="shift-images-tests",
        answer="shift-images",
        names=("shift_images",),
        cases=shift_cases,
        probe=probe_shift,
        check=robust(check_shift),
    ),
    Exercise(
        test="small-cnn-tests",
        answer="small-cnn",
        names=("SmallCNN",),
        cases=cnn_cases,
        probe=probe_small_cnn,
        check=robust(check_small_cnn),
        forbidden={
            "forward": "SmallCNN calls .forward(...) on a module directly. Call "
            "the module itself, as self.layer(X): that runs PyTorch's hooks "
            "(and torch.compile), which .forward() skips.",
        },
    ),
]
