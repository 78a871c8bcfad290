"""Chapter 08's exercises, judged by the grader (see nncourse.specs).

Every case is drawn afresh each grading run; the descriptions are what the
student reads. The hints name a known mistake when the wrong result is that
mistake's result on the same inputs (computed here, from the case's inputs).
receptive_field is given layers that the probe builds from plain
descriptions, some on the 'meta' device, where they cannot be run.
ResNetBlock is judged by what it does, whatever its layers are called, the
order they are made in or how forward is spelled (``nn.ReLU`` or
``torch.relu``, ``nn.Identity`` or ``None`` for the shortcut): its parameter
and buffer shapes, and its outputs, running statistics and gradients once
every tensor holds values fixed by its own name and shape.
"""

import torch

from nncourse.specs import Case, Exercise, close, compare_tensor, describe, seed_of


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


# ---- receptive_field(layers)

FIELD_KINDS = ("Conv2d", "MaxPool2d", "AvgPool2d")


def field_cases(gen):
    """Stacks of layers, described as (kind, options) pairs that the probe
    builds: the lesson's stride-1 stacks, SmallCNN's features, and stacks
    drawn at random, with strides, dilations, and kernels and strides that
    differ between height and width."""

    def case(layers, note="", **options):
        return Case(
            f"receptive_field({layer_text(layers)}){note}",
            {"layers": layers, **options},
        )

    def draw(low, high):
        return int(torch.randint(low, high + 1, (), generator=gen))

    def conv(channels, kernel, **options):
        return (
            "Conv2d",
            {
                "in_channels": channels[0],
                "out_channels": channels[1],
                "kernel_size": kernel,
                **options,
            },
        )

    yield case([])
    yield case(
        [
            conv((1, 4), 3, padding=1),
            ("BatchNorm2d", {"num_features": 4}),
            ("ReLU", {}),
            conv((4, 4), 3, padding=1),
        ]
    )
    yield case(
        [
            conv((1, 16), 3, padding=1),
            ("MaxPool2d", {"kernel_size": 2}),
            ("BatchNorm2d", {"num_features": 16}),
            ("ReLU", {}),
            conv((16, 32), 3, padding=1),
            ("MaxPool2d", {"kernel_size": 2}),
            ("BatchNorm2d", {"num_features": 32}),
            ("ReLU", {}),
        ],
        ", SmallCNN's features",
    )
    for note, options in (("", {}), (", as a list", {"container": "list"})):
        layers = []
        channels = 1
        for _ in range(draw(3, 5)):
            kind = FIELD_KINDS[draw(0, 2)]
            kernel, stride = draw(2, 5), draw(1, 3)
            if kind == "Conv2d":
                out = draw(1, 4)
                layers.append(
                    conv((channels, out), kernel, stride=stride, dilation=draw(1, 3))
                )
                channels = out
            elif kind == "MaxPool2d":
                layers.append(
                    (
                        kind,
                        {
                            "kernel_size": kernel,
                            "stride": stride,
                            "dilation": draw(1, 2),
                        },
                    )
                )
            else:
                layers.append((kind, {"kernel_size": kernel, "stride": stride}))
            if draw(0, 1):
                layers.append(("ReLU", {}))
        yield case(layers, note, **options)
    yield case(
        [
            conv((1, 2), [5, 3], stride=[2, 1], padding=[2, 1]),
            (
                "MaxPool2d",
                {"kernel_size": [1, 3], "stride": [1, 2], "dilation": [1, 2]},
            ),
            ("Dropout", {"p": 0.5}),
            conv((2, 2), [3, 1], dilation=[2, 1]),
            ("AvgPool2d", {"kernel_size": [2, 4]}),
        ],
        ", with settings that differ between height and width",
    )
    yield case(
        [
            conv((1, 3), 3, stride=2),
            ("MaxPool2d", {"kernel_size": 3, "stride": 2}),
            conv((3, 3), 3, dilation=draw(2, 3)),
            ("AvgPool2d", {"kernel_size": 2}),
        ],
        " of layers on the 'meta' device (no values to run them on)",
        device="meta",
    )


def layer_text(layers) -> str:
    def option(value):
        return str(tuple(value)) if isinstance(value, list) else str(value)

    parts = []
    for kind, options in layers:
        shown = {k: v for k, v in options.items() if k != "num_features"}
        if kind == "Conv2d":
            args = [
                str(shown.pop("in_channels")),
                str(shown.pop("out_channels")),
                option(shown.pop("kernel_size")),
            ]
        else:
            args = [option(shown.pop("kernel_size"))] if "kernel_size" in shown else []
        if kind == "BatchNorm2d":
            args = [str(options["num_features"])]
        args += [f"{k}={option(v)}" for k, v in shown.items()]
        parts.append(f"nn.{kind}({', '.join(args)})")
    return "[" + ", ".join(parts) + "]"


def probe_receptive_field(receptive_field, layers, container="Sequential", device=None):
    from torch import nn

    built = []
    for kind, options in layers:
        options = {
            key: tuple(value) if isinstance(value, list) else value
            for key, value in options.items()
        }
        if device is not None and kind in ("Conv2d", "BatchNorm2d"):
            options["device"] = device
        built.append(getattr(nn, kind)(**options))
    out = receptive_field(nn.Sequential(*built) if container == "Sequential" else built)
    items = list(out) if isinstance(out, (tuple, list)) else []
    return {
        "type": type(out).__name__,
        "out": out,
        "item_types": [type(item).__name__ for item in items],
    }


def pair(value):
    return [value, value] if isinstance(value, int) else list(value)


def field_of(layers, mistake=None):
    """The receptive field of the described layers, as a list; with a
    ``mistake``, what that mistake computes instead."""
    field, spacing = [1, 1], [1, 1]
    for kind, options in layers:
        if kind not in FIELD_KINDS or (mistake == "conv-only" and kind != "Conv2d"):
            continue
        kernel = pair(options["kernel_size"])
        default = 1 if kind == "Conv2d" else options["kernel_size"]
        stride = pair(options.get("stride") or default)
        dilation = pair(options.get("dilation", 1))
        padding = pair(options.get("padding", 0))
        if mistake == "first-axis":
            kernel, stride, dilation = ([v[0]] * 2 for v in (kernel, stride, dilation))
        for axis in range(2):
            if mistake == "own-stride":
                spacing[axis] *= stride[axis]
            step = 1 if mistake == "no-spacing" else spacing[axis]
            span = {
                "no-dilation": kernel[axis] - 1,
                "dilation-times-kernel": dilation[axis] * kernel[axis] - 1,
                "padding": dilation[axis] * (kernel[axis] - 1) + 2 * padding[axis],
            }.get(mistake, dilation[axis] * (kernel[axis] - 1))
            field[axis] += span * step
            if mistake != "own-stride":
                spacing[axis] *= stride[axis]
    return field


FIELD_MISTAKES = {
    "no-spacing": "each kernel step is counted as 1 input pixel. After a layer "
    "with stride s, neighbouring values are s times further apart in the "
    "input: multiply the spacing by each stride, and each later layer's "
    "widening by the spacing.",
    "own-stride": "a layer's own stride is counted in its widening. Its kernel "
    "steps over its input's values, at the spacing from before it; its "
    "stride changes the spacing for the layers after it.",
    "no-dilation": "dilation is ignored: a kernel with dilation d has its k "
    "taps d values apart, so it spans d * (k - 1) + 1 values.",
    "dilation-times-kernel": "a dilated kernel spans d * (k - 1) + 1 values, "
    "not d * k: there are k - 1 gaps of d between its k taps.",
    "padding": "padding is counted: it adds zeros around the input, not "
    "pixels that an output value depends on.",
    "first-axis": "the height's settings are used for the width too: "
    "kernel_size, stride and dilation may be tuples (height, width); work out "
    "each axis on its own.",
    "conv-only": "the pooling layers are skipped: nn.MaxPool2d and "
    "nn.AvgPool2d have a kernel and a stride too.",
}


def check_field(case, got, expected):
    what = case.description
    out, wanted = got["out"], expected["out"]
    if got["type"] != "tuple" or len(got["item_types"]) != 2:
        kind = "a list" if got["type"] == "list" else describe(out)
        return f"{what} returned {kind}: return a tuple (height, width) of two ints."
    if got["item_types"] != ["int", "int"]:
        return (
            f"{what} returned a tuple of {', '.join(got['item_types'])}: return "
            "two Python ints (// divides without making a float; int(...) turns "
            "a tensor's number into an int)."
        )
    if list(out) == list(wanted):
        return None
    for mistake, hint in FIELD_MISTAKES.items():
        result = field_of(case.inputs["layers"], mistake)
        if result != list(wanted) and result == list(out):
            return f"{what} returned {tuple(out)}, expected {tuple(wanted)}: {hint}"
    return (
        f"{what} returned {tuple(out)}, expected {tuple(wanted)}: the rows and "
        "columns of the input that one output value depends on."
    )


# ---- ResNetBlock(in_channels, out_channels, stride=1)


def block_cases(gen):
    """Blocks whose shortcut is X (the shapes agree) or a projection (for
    the channels, the stride or both), strides 2 and 3, odd and non-square
    sizes, in both modes, float64 and channels_last."""

    def case(args, kwargs, shape, modes=("eval", "train"), note="", **options):
        dtype = getattr(torch, options.get("dtype", "float32"))
        X = torch.randn(shape, generator=gen, dtype=dtype)
        inputs = {"args": list(args), "kwargs": kwargs, "X": X, "modes": list(modes)}
        call = block_call(args, kwargs)
        return Case(
            f"{call}(X) for X of shape {tuple(shape)}{note}",
            inputs | options,
            seed_of(gen),
        )

    yield case((3, 8), {"stride": 2}, (2, 3, 9, 9), backward=True)
    yield case((6, 6), {}, (2, 6, 5, 5), backward=True)
    yield case((4, 4), {"stride": 2}, (3, 4, 7, 6), backward=True)
    yield case((4, 6), {"stride": 1}, (2, 4, 5, 8))
    yield case((5, 10, 3), {}, (2, 5, 10, 11), note=" (stride given by position)")
    yield case((5, 5), {"stride": 1}, (1, 5, 6, 6), modes=("train", "eval"))
    yield case((3, 6), {"stride": 2}, (2, 3, 8, 8), note=", float64", dtype="float64")
    yield case(
        (4, 8),
        {"stride": 2},
        (2, 4, 10, 10),
        note=" in channels_last memory format",
        channels_last=True,
    )


def block_call(args, kwargs):
    shown = [str(arg) for arg in args] + [f"{k}={v}" for k, v in kwargs.items()]
    return f"ResNetBlock({', '.join(shown)})"


def probe_resnet_block(
    ResNetBlock, args, kwargs, X, modes, backward=False, channels_last=False, dtype=None
):
    import math
    import zlib

    import torch
    from torch import nn

    def by_shape(tensors):
        return sorted(
            tensors,
            key=lambda t: (
                list(t.shape),
                0.0 if t is None else float(t.double().sum()),
            ),
        )

    seed = torch.initial_seed()
    if not (isinstance(ResNetBlock, type) and issubclass(ResNetBlock, nn.Module)):
        return {"not_a_module_class": True}
    result = {}
    stage = "building it"
    try:
        block = ResNetBlock(*args, **kwargs)
        result["training"] = block.training
        parameters = list(block.named_parameters())
        result["parameter_shapes"] = sorted(list(p.shape) for _, p in parameters)
        result["parameter_count"] = sum(p.numel() for _, p in parameters)
        buffers = list(block.named_buffers())
        result["buffer_shapes"] = sorted(list(b.shape) for _, b in buffers)
        # Values fixed by a tensor's own name and shape, whatever the layers
        # are called or the order they are made in: layers of one shape get
        # the same values.
        with torch.no_grad():
            for name, tensor in parameters + buffers:
                if not tensor.is_floating_point():
                    continue
                name = name.rsplit(".", 1)[-1]
                shape = tuple(tensor.shape)
                key = zlib.crc32(repr((name, shape)).encode()) ^ seed
                values = torch.rand(shape, generator=torch.Generator().manual_seed(key))
                if name == "running_var":
                    tensor.copy_(0.5 + 1.5 * values)
                else:
                    scale = 1 / math.sqrt(math.prod(shape[1:])) if len(shape) > 1 else 1
                    tensor.copy_((values * 2 - 1) * scale)
        if dtype is not None:
            block.to(getattr(torch, dtype))
        if channels_last:
            block.to(memory_format=torch.channels_last)
            X = X.contiguous(memory_format=torch.channels_last)
        for mode in modes:
            stage = f"{mode} mode"
            block.train(mode == "train")
            X_in = X.clone().requires_grad_(backward and mode == "train")
            before = X_in.detach().clone()
            out = block(X_in)
            entry = {
                "out": out,
                "training": block.training,
                "X_unchanged": torch.equal(X_in.detach(), before),
                "buffers": by_shape([b.detach().clone() for b in block.buffers()]),
            }
            if backward and mode == "train":
                stage = "backward"
                weights = torch.linspace(-1, 1, out.numel(), dtype=out.dtype)
                (out * weights.reshape(out.shape)).sum().backward()
                entry["X_grad"] = X_in.grad
                entry["grads"] = by_shape([p.grad for p in block.parameters()])
            result[mode] = entry
    except Exception as error:
        result["error"] = f"{type(error).__name__}: {error}"[:400]
        result["stage"] = stage
    return result


def block_settings(case):
    """(in_channels, out_channels, stride) of the case."""
    args, kwargs = case.inputs["args"], case.inputs["kwargs"]
    settings = list(args) + [None] * (3 - len(args))
    settings[2] = kwargs.get("stride", settings[2] or 1)
    return tuple(settings)


def block_shapes(n_in, n_out, stride, variant=None):
    """The sorted parameter shapes of the block, or of a known mistake's."""
    shapes = [[n_out, n_in, 3, 3], [n_out, n_out, 3, 3]] + [[n_out]] * 4
    projects = stride != 1 or n_in != n_out
    if variant == "no-projection":
        projects = False
    if variant == "always-projects":
        projects = True
    if projects:
        kernel = 3 if variant == "projection-3x3" else 1
        shapes.append([n_out, n_in, kernel, kernel])
        if variant != "projection-without-norm":
            shapes += [[n_out]] * 2
    return sorted(shapes)


SHAPE_MISTAKES = {
    "no-projection": "it has no projection: when the stride is not 1 or the "
    "channels change, X no longer has the main path's shape, and the shortcut "
    "is a 1x1 convolution with the block's stride, then a BatchNorm2d.",
    "always-projects": "it makes a projection although X already has the "
    "output's shape: then the shortcut is X itself, with no layer.",
    "projection-3x3": "the projection is a 1x1 convolution (kernel_size=1, no "
    "padding), which only mixes the channels at each pixel.",
    "projection-without-norm": "it has one BatchNorm2d too few: each "
    "convolution, the projection's 1x1 too, is followed by a BatchNorm2d of its "
    "own.",
}
CONV_BIAS = (
    "a convolution has a bias: the BatchNorm2d after it subtracts each "
    "channel's mean, which cancels it. Use bias=False."
)


class Block(torch.nn.Module):
    """The block, or with ``mistake`` set (in a subclass), a known mistake."""

    mistake = None

    def __init__(self, in_channels, out_channels, stride=1):
        from torch import nn

        super().__init__()
        first, second = (1, stride) if self.mistake == "stride-last" else (stride, 1)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, first, 1, bias=False)
        self.norm1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, second, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(out_channels)
        self.shortcut = nn.Identity()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, X):
        hidden = self.norm1(self.conv1(X))
        if self.mistake != "no-inner-relu":
            hidden = hidden.relu()
        main = self.norm2(self.conv2(hidden))
        if self.mistake == "main-only":
            return main.relu()
        if self.mistake == "relu-then-sum":
            return main.relu() + self.shortcut(X)
        if self.mistake == "no-final-relu":
            return main + self.shortcut(X)
        return (main + self.shortcut(X)).relu()


VALUE_MISTAKES = {
    "stride-last": "the stride belongs to the first 3x3 convolution (the "
    "second keeps the size), as in the projection: both paths then read the "
    "same pixels.",
    "relu-then-sum": "the main path ends with a ReLU and the sum has none: "
    "return relu(main + shortcut), with main ending in its BatchNorm2d.",
    "no-final-relu": "the block ends with a ReLU of the sum: relu(main + shortcut).",
    "no-inner-relu": "the main path has no ReLU between its first BatchNorm2d "
    "and its second convolution.",
    "main-only": "the shortcut is missing: add X (or its projection) to the "
    "main path before the last ReLU.",
}


def mistake_outcome(case, mistake):
    """What the probe gives for the known mistake, on the case's inputs."""
    variant = type(f"Block_{mistake}", (Block,), {"mistake": mistake})
    with torch.random.fork_rng():
        torch.manual_seed(case.seed)
        return probe_resnet_block(variant, **case.inputs)


def check_block(case, got, expected):
    n_in, n_out, stride = block_settings(case)
    call = block_call(case.inputs["args"], case.inputs["kwargs"])
    if got.get("not_a_module_class"):
        return "ResNetBlock should be a class that subclasses torch.nn.Module."
    shapes = got.get("parameter_shapes")
    if shapes is not None and shapes != expected["parameter_shapes"]:
        for variant, hint in SHAPE_MISTAKES.items():
            if shapes == block_shapes(n_in, n_out, stride, variant):
                return f"{call} is wrong: {hint}"
        for biases in (1, 2, 3):
            if shapes == sorted(expected["parameter_shapes"] + [[n_out]] * biases):
                return f"{call} is wrong: {CONV_BIAS}"
    if "error" in got:
        for mode in case.inputs["modes"]:
            if mode in got and not got[mode]["X_unchanged"]:
                return changed_x(f"{case.description}, in {mode} mode,")
        return block_error(case, call, got)
    if shapes != expected["parameter_shapes"]:
        return (
            f"{call} has {got['parameter_count']:,} parameters, of shapes {shapes}; "
            f"expected {expected['parameter_count']:,}, of shapes "
            f"{expected['parameter_shapes']} (sorted): two 3x3 convolutions "
            "without bias, a BatchNorm2d after each, and a 1x1 projection with its "
            "BatchNorm2d when the shapes differ."
        )
    if got["buffer_shapes"] != expected["buffer_shapes"]:
        return (
            f"{call} keeps buffers of shapes {got['buffer_shapes']}; expected "
            f"{expected['buffer_shapes']}: the running statistics of its "
            "nn.BatchNorm2d layers, with their defaults."
        )
    if got["training"] is not True:
        return (
            f"{call} is in eval mode once built: a new module is in training "
            "mode; call no .eval() in __init__."
        )
    for mode in case.inputs["modes"]:
        fault = block_mode_fault(case, mode, got[mode], expected[mode])
        if fault:
            return fault
    return None


def block_error(case, call, got):
    error, stage = got["error"], got["stage"]
    if stage == "building it":
        hint = ""
        if "__init__() call" in error:
            hint = (
                " Call super().__init__() as the first line of __init__, before "
                "assigning any layer."
            )
        return f"{call} raised {error.rstrip('.')}.{hint}"
    hint = ""
    if "must match the size" in error:
        hint = (
            " The two paths give different shapes: the stride goes to the first "
            "3x3 convolution and to the projection, and a projection is needed "
            "whenever the stride is not 1 or the channels change."
        )
    elif "in-place" in error or "inplace" in error:
        hint = (
            " An in-place addition (+=) changed X, or a tensor that is X itself "
            "(nn.Identity returns its input): return relu(main + shortcut)."
        )
    return f"{case.description} raised, in {stage}, {error.rstrip('.')}.{hint}"


def changed_x(what):
    return (
        f"{what} changed X in place (shortcut += main, when the shortcut is X "
        "itself): return relu(main + shortcut), a new tensor."
    )


def block_mode_fault(case, mode, got, expected):
    what = f"{case.description}, in {mode} mode,"
    if not got["X_unchanged"]:
        return changed_x(what)
    fault = compare_tensor(got["out"], expected["out"], what, atol=1e-4, rtol=1e-4)
    if fault:
        if same_kind(got["out"], expected["out"]):
            for mistake, hint in VALUE_MISTAKES.items():
                outcome = mistake_outcome(case, mistake).get(mode, {})
                if close(got["out"], outcome.get("out"), 1e-4, 1e-4):
                    return f"{what} returns wrong values: {hint}"
            return (
                f"{what} returns wrong values. The main path is conv 3x3 (with "
                "the stride), BatchNorm2d, ReLU, conv 3x3, BatchNorm2d; the "
                "shortcut is X or its projection (conv 1x1 with the stride, "
                "BatchNorm2d); the block returns relu(main + shortcut)."
            )
        return fault
    if got["training"] is not (mode == "train"):
        return f"{what} forward changed the module's mode: leave it to the caller."
    for mine, theirs in zip(got["buffers"], expected["buffers"], strict=True):
        if not close(mine, theirs, 1e-5, 1e-4):
            return (
                f"{what} the BatchNorm2d layers' running statistics are wrong "
                "after the forward pass: call each BatchNorm2d once, right after "
                "its convolution, with its defaults."
            )
    if "grads" in expected:
        pairs = [(got.get("X_grad"), expected["X_grad"])]
        pairs += list(zip(got.get("grads") or [], expected["grads"], strict=False))
        if len(got.get("grads") or []) != len(expected["grads"]) or not all(
            type(mine) is torch.Tensor and close(mine, theirs, 1e-4, 1e-3)
            for mine, theirs in pairs
        ):
            return (
                f"{what} the gradients (of X, or of the parameters) are wrong "
                "although the outputs are right: keep both paths in one autograd "
                "graph, with no .detach(), .data or torch.no_grad() in forward."
            )
    return None


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
        test="receptive-field-tests",
        answer="receptive-field",
        names=("receptive_field",),
        cases=field_cases,
        probe=probe_receptive_field,
        check=robust(check_field),
    ),
    Exercise(
        test="resnet-block-tests",
        answer="resnet-block",
        names=("ResNetBlock",),
        cases=block_cases,
        probe=probe_resnet_block,
        check=robust(check_block),
        forbidden={
            "forward": "ResNetBlock calls .forward(...) on a module directly. "
            "Call the module itself, as self.layer(X): that runs PyTorch's hooks "
            "(and torch.compile), which .forward() skips.",
        },
    ),
]
