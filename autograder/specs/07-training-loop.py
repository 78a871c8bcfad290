"""Chapter 07's exercises, judged by the grader (see nncourse.specs).

The probes build the small models, data sets, loaders, losses and optimizers
themselves, from the case's inputs and torch's seed, so that the student's
kernel and the solution's run the same training. They watch what the
student's loops do through hooks (the model's mode and autograd's state at
every call, whether a batch went through ``.to(device)``, whether the
``loss_fn`` argument was called, the gradients each ``optimizer.step()``
used) and return it as plain data; the checks compare it with the solution's
and name the first mistake. A correct loop written differently
(``model.zero_grad()``, zeroing before the forward pass or after the step,
``torch.inference_mode()``, the data set's length for the count) records the
same data.
"""

import torch

from nncourse.specs import (
    Case,
    Exercise,
    arguments_unchanged,
    close,
    describe,
    seed_of,
)


def batch_sizes(total: int, batch_size: int) -> list[int]:
    return [min(batch_size, total - start) for start in range(0, total, batch_size)]


def plural(count: int, word: str) -> str:
    if count == 1:
        return f"1 {word}"
    return f"{count} {word}" + ("es" if word.endswith("ch") else "s")


def tensors_close(got, expected, atol=1e-5, rtol=1e-4) -> bool:
    """Two lists of tensors (or Nones) agree, item by item."""
    if type(got) is not list or len(got) != len(expected):
        return False
    for mine, theirs in zip(got, expected, strict=True):
        if theirs is None or mine is None:
            if mine is not theirs:
                return False
        elif not close(mine, theirs, atol, rtol):
            return False
    return True


def is_float(value) -> bool:
    return type(value) is float


def number_close(got, expected, atol=1e-5, rtol=1e-4) -> bool:
    return abs(got - expected) <= atol + rtol * abs(expected)


# ---- make_loaders(train_set, val_set, batch_size, seed)


def loaders_probe(make_loaders, train_size, val_size, batch_size, seed, other_seed):
    """Data sets whose samples tell where they come from (1000 + i in the
    training set, 2000 + i in the validation set). The first pair's loaders
    run in turn, training then validation, twice; the global generator is
    reseeded (with `other_seed`) and make_loaders called again with `seed`;
    the first training loader runs once more, the second one twice. Each
    step: the batches it served and whether the global generator moved."""
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    train_set = TensorDataset(torch.arange(train_size) + 1000, torch.zeros(train_size))
    val_set = TensorDataset(torch.arange(val_size) + 2000, torch.ones(val_size))
    seen = {"steps": []}

    def step(name, work):
        state = torch.get_rng_state()
        result = work()
        moved = not torch.equal(state, torch.get_rng_state())
        seen["steps"].append({"name": name, "moved": moved})
        return result

    def epoch(name, loader):
        batches = step(
            name,
            lambda: [torch.as_tensor(b[0]).reshape(-1).tolist() for b in loader],
        )
        seen["steps"][-1]["batches"] = batches

    def pair(result):
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            seen["type"] = type(result).__name__
            return None
        kinds = [type(loader).__name__ for loader in result]
        if not all(isinstance(loader, DataLoader) for loader in result):
            seen["type"] = kinds
            return None
        return result

    first = pair(
        step("call", lambda: make_loaders(train_set, val_set, batch_size, seed))
    )
    if first is None:
        return seen
    for number in (1, 2):
        epoch(f"train {number}", first[0])
        epoch(f"validation {number}", first[1])
    torch.manual_seed(other_seed)
    second = pair(
        step("second call", lambda: make_loaders(train_set, val_set, batch_size, seed))
    )
    if second is None:
        return seen
    epoch("train 3", first[0])
    for number in (1, 2):
        epoch(f"second train {number}", second[0])
    return seen


def loaders_cases(gen):
    sizes = [
        (
            10,
            6,
            4,
            "a training set of 10 and a validation set of 6 samples, batch_size=4",
        ),
        (
            8,
            13,
            3,
            "a training set of 8 and a validation set of 13 samples, batch_size=3",
        ),
        (
            16,
            5,
            5,
            "a training set of 16 and a validation set of 5 samples, batch_size=5",
        ),
        (9, 4, 16, "a batch_size of 16, more than either set holds"),
        (
            12,
            7,
            4,
            "a training set of 12 and a validation set of 7 samples, batch_size=4",
        ),
    ]
    for train_size, val_size, batch_size, text in sizes:
        seed = seed_of(gen)
        yield Case(
            f"make_loaders(train_set, val_set, batch_size, seed={seed}) with {text}",
            {
                "train_size": train_size,
                "val_size": val_size,
                "batch_size": batch_size,
                "seed": seed,
                "other_seed": seed_of(gen),
            },
            seed_of(gen),
        )


def served_fault(case, name, batches, own, size, batch_size, shuffled):
    """What is wrong with one epoch of a loader, that any order shows."""
    what = f"In {case.description}, {name}"
    values = [value for batch in batches for value in batch]
    other = 3000 - own
    if any(other <= value < other + 1000 for value in values):
        return (
            f"{what} serves the other data set: return (train_loader, "
            "val_loader), the first over train_set, the second over val_set."
        )
    if any(not own <= value < own + 1000 for value in values):
        return f"{what} serves samples of neither data set."
    expected_sizes = batch_sizes(size, batch_size)
    served_sizes = [len(batch) for batch in batches]
    if served_sizes == expected_sizes[:-1] and expected_sizes[-1] < batch_size:
        return (
            f"{what} drops the last, smaller batch: keep drop_last=False, or "
            "those samples are never used."
        )
    if served_sizes != expected_sizes:
        return (
            f"{what} serves batches of {served_sizes}; with "
            f"batch_size={batch_size} they should be {expected_sizes}. Both "
            "loaders use the given batch_size."
        )
    indices = [value - own for value in values]
    if sorted(indices) != list(range(size)):
        return (
            f"{what} serves some samples twice in one epoch and others never: "
            "it draws with replacement. shuffle=True serves every sample once "
            "per epoch, in a new random order."
        )
    if shuffled and indices == list(range(size)):
        return f"{what} does not shuffle: pass shuffle=True."
    if not shuffled and indices != list(range(size)):
        return (
            f"{what} shuffles: evaluation needs no shuffling (shuffle=False), "
            "and a fixed order makes it repeatable."
        )
    return None


MOVED_HINTS = {
    "call": "making the loaders moved the global generator: do not call "
    "torch.manual_seed; seed a torch.Generator of your own.",
    "train": "iterating train_loader moved the global generator: give the "
    "DataLoader itself the generator (generator=...). A sampler's generator "
    "alone does not do: the loader draws a base seed at every pass.",
    "validation": "iterating val_loader moved the global generator: every pass "
    "of a loader draws a number from its generator, even without shuffling. "
    "Give val_loader a generator of its own too.",
}
ORDER_HINTS = {
    "train 1": "train_loader's first epoch is not the order of a generator "
    "seeded with seed: pass generator=torch.Generator().manual_seed(seed).",
    "train 2": "train_loader's second epoch, after val_loader ran, is not the "
    "expected order: do the two loaders share a generator? Iterating val_loader "
    "must leave the training orders as they were: give each loader a generator "
    "of its own.",
    "train 3": "a second call of make_loaders changed the orders of the first "
    "call's train_loader: make new generators at every call.",
    "second train 1": "a second call of make_loaders with the same seed serves "
    "other orders: seed the training loader's generator with seed at every call.",
}


def check_loaders(case, got, expected):
    inputs = case.inputs
    if "type" in got:
        return (
            f"{case.description} returned {got['type']}: return the pair "
            "(train_loader, val_loader) of torch.utils.data.DataLoader objects."
        )
    steps = {step["name"]: step for step in got["steps"]}
    right = {step["name"]: step for step in expected["steps"]}
    for name in right:
        if "batches" not in right[name]:
            continue
        training = "train" in name
        fault = served_fault(
            case,
            "train_loader" if training else "val_loader",
            steps[name]["batches"],
            1000 if training else 2000,
            inputs["train_size" if training else "val_size"],
            inputs["batch_size"],
            shuffled=training,
        )
        if fault:
            return fault
    for name in right:
        if steps[name]["moved"] and not right[name]["moved"]:
            kind = "call" if "call" in name else name.split()[-2]
            return f"In {case.description}, {MOVED_HINTS[kind]}"
    for name in right:
        if (
            "batches" in right[name]
            and steps[name]["batches"] != right[name]["batches"]
        ):
            hint = ORDER_HINTS.get(name, ORDER_HINTS["second train 1"])
            return f"In {case.description}, {hint}"
    return None


# ---- accuracy(logits, y)


def accuracy_cases(gen):
    logits = torch.tensor([[5.0, 0.0, 0.0], [4.0, 1.0, 0.0], [3.0, 0.0, 2.0]])
    y = torch.tensor([0, 1, 0])
    yield Case(
        "accuracy(logits, y) of square (3, 3) logits",
        {"args": (logits, y), "kwargs": {}},
    )
    while True:  # square, and the argmax over dim=0 scores otherwise
        logits = torch.randn(6, 6, generator=gen) * 3
        y = torch.randint(0, 6, (6,), generator=gen)
        y[0] = logits[0].argmax()
        if (logits.argmax(dim=0) == y).sum() != (logits.argmax(dim=1) == y).sum():
            break
    yield Case(
        "accuracy of random square (6, 6) logits", {"args": (logits, y), "kwargs": {}}
    )
    for text in ("", " (other values)"):
        logits = torch.randn(50, 10, generator=gen)
        y = torch.randint(0, 10, (50,), generator=gen)
        yield Case(
            f"accuracy of random (50, 10) logits{text}",
            {"args": (logits, y), "kwargs": {}},
        )
    logits = torch.randn(8, 4, generator=gen, dtype=torch.float64).requires_grad_()
    y = logits.detach().argmax(dim=1)
    y[:3] = (y[:3] + 1) % 4
    yield Case(
        "accuracy of float64 (8, 4) logits that require grad",
        {"args": (logits, y), "kwargs": {}},
    )
    logits = torch.randn(1, 5, generator=gen)
    yield Case(
        "accuracy of one example",
        {"args": (logits, logits.argmax(dim=1)), "kwargs": {}},
    )


def check_accuracy(case, got, expected):
    logits, y = case.inputs["args"]
    what = case.description
    out, right = got["out"], expected["out"]
    if not is_float(out):
        return (
            f"{what} returned {describe(out)}: return a Python float, for "
            "example with .item()."
        )
    if not number_close(out, right, 1e-6, 0):
        if logits.shape[0] == logits.shape[1]:
            by_column = (logits.detach().argmax(dim=0) == y).double().mean().item()
            if abs(out - by_column) < 1e-6:
                return (
                    f"{what} returned {out:.4f}: it takes the argmax over "
                    "dim=0, across the batch; the classes are along dim=1."
                )
        if abs(out - 100 * right) < 1e-3:
            return (
                f"{what} returned {out:.4f}, a percentage: return the fraction, "
                "between 0 and 1."
            )
        return f"{what} returned {out:.4f}; expected {right:.4f}."
    return arguments_unchanged(case, got, expected)


# ---- train_one_epoch(model, loader, loss_fn, optimizer, device, scheduler=None)


def train_probe(
    train_one_epoch,
    X,
    y,
    classes,
    batch_size,
    layer,
    loss,
    weight,
    lr,
    momentum,
    scheduler,
):
    """One epoch of the student's loop on a small model, in batches that
    have not been moved to the device yet, with a recording optimizer and,
    when asked, a recording scheduler."""
    import torch
    from torch import nn
    from torch.nn import functional as F
    from torch.utils.data import DataLoader, TensorDataset

    class OffDevice(torch.Tensor):
        """A batch not yet on the device: .to(device) gives a plain tensor."""

        def to(self, *args, **kwargs):
            moved = torch.Tensor.to(self.as_subclass(torch.Tensor), *args, **kwargs)
            targets = [*args, kwargs.get("device")]
            if any(isinstance(t, (str, torch.device, torch.Tensor)) for t in targets):
                return moved
            return moved.as_subclass(OffDevice)

    class SquaredError(nn.Module):
        """A loss unlike cross-entropy: squared error of the probabilities."""

        def forward(self, logits, target):
            one_hot = F.one_hot(target, logits.shape[1]).to(logits.dtype)
            return ((logits.softmax(dim=1) - one_hot) ** 2).sum(dim=1).mean()

    def plain_tensor(tensor):
        return tensor.detach().as_subclass(torch.Tensor).clone()

    seen = {
        "modes": [],
        "model_not_moved": 0,
        "loss_calls": 0,
        "loss_not_moved": 0,
        "losses": [],
        "events": [],
        "grads": [],
    }
    hidden = 6
    middle = nn.Dropout(0.5) if layer == "dropout" else nn.BatchNorm1d(hidden)
    model = nn.Sequential(
        nn.Linear(X.shape[1], hidden), middle, nn.ReLU(), nn.Linear(hidden, classes)
    ).to(X.dtype)
    model.eval()

    def before_model(module, args):
        seen["modes"].append(module.training)
        seen["model_not_moved"] += any(isinstance(a, OffDevice) for a in args)

    def after_loss(module, args, output):
        seen["loss_calls"] += 1
        seen["loss_not_moved"] += any(isinstance(a, OffDevice) for a in args)
        seen["losses"].append(float(output.detach()))

    model.register_forward_pre_hook(before_model)
    if loss == "squared":
        loss_fn = SquaredError()
    elif loss == "weighted":
        loss_fn = nn.CrossEntropyLoss(weight=weight, label_smoothing=0.1)
    else:
        loss_fn = nn.CrossEntropyLoss()
    loss_fn.register_forward_hook(after_loss)

    class RecordingSGD(torch.optim.SGD):
        def step(self, closure=None):
            seen["events"].append("step")
            seen["grads"].append(
                [
                    None if p.grad is None else plain_tensor(p.grad)
                    for p in self.param_groups[0]["params"]
                ]
            )
            return super().step(closure)

    class RecordingLambdaLR(torch.optim.lr_scheduler.LambdaLR):
        def step(self, *args, **kwargs):
            seen["events"].append("scheduler")
            return super().step(*args, **kwargs)

    optimizer = RecordingSGD(model.parameters(), lr=lr, momentum=momentum)
    extra = []
    if scheduler == "lambda":
        extra = [RecordingLambdaLR(optimizer, lambda step: 0.6**step)]
    elif scheduler == "none":
        extra = [None]
    seen["events"].clear()  # a scheduler steps once when it is made
    data = TensorDataset(X.as_subclass(OffDevice), y.as_subclass(OffDevice))
    loader = DataLoader(data, batch_size=batch_size)
    out = train_one_epoch(model, loader, loss_fn, optimizer, "cpu", *extra)
    seen["out"] = out
    seen["type"] = type(out).__name__
    seen["state"] = [plain_tensor(t) for t in model.state_dict().values()]
    return seen


TRAIN_SETTINGS = [
    dict(
        samples=10,
        features=3,
        classes=3,
        batch_size=4,
        layer="dropout",
        loss="cross_entropy",
        dtype=torch.float32,
        momentum=0.0,
        scheduler="lambda",
        text="10 samples in batches of 4, a model with dropout left in eval "
        "mode, cross-entropy, SGD and a scheduler",
    ),
    dict(
        samples=10,
        features=3,
        classes=3,
        batch_size=4,
        layer="dropout",
        loss="weighted",
        dtype=torch.float32,
        momentum=0.0,
        scheduler="absent",
        text="other 10 samples in batches of 4, a weighted cross-entropy with "
        "label smoothing as loss_fn, no scheduler",
    ),
    dict(
        samples=7,
        features=5,
        classes=4,
        batch_size=3,
        layer="dropout",
        loss="squared",
        dtype=torch.float64,
        momentum=0.9,
        scheduler="none",
        text="float64 data, 7 samples in batches of 3, a squared-error "
        "loss_fn, SGD with momentum, scheduler=None",
    ),
    dict(
        samples=11,
        features=4,
        classes=3,
        batch_size=4,
        layer="batchnorm",
        loss="cross_entropy",
        dtype=torch.float32,
        momentum=0.5,
        scheduler="lambda",
        text="a model with BatchNorm1d, 11 samples in batches of 4, SGD with "
        "momentum and a scheduler",
    ),
]


def train_cases(gen):
    for setting in TRAIN_SETTINGS:
        samples, classes, dtype = (setting[k] for k in ("samples", "classes", "dtype"))
        X = torch.randn(samples, setting["features"], generator=gen, dtype=dtype)
        y = torch.randint(0, classes, (samples,), generator=gen)
        weight = torch.rand(classes, generator=gen, dtype=dtype) + 0.5
        yield Case(
            f"train_one_epoch on {setting['text']}",
            {
                "X": X,
                "y": y,
                "classes": classes,
                "batch_size": setting["batch_size"],
                "layer": setting["layer"],
                "loss": setting["loss"],
                "weight": weight,
                "lr": 0.5,
                "momentum": setting["momentum"],
                "scheduler": setting["scheduler"],
            },
            seed_of(gen),
        )


def calls_fault(case, got, expected, batches):
    """The model and loss_fn called once per batch, as modules, on moved
    batches."""
    what = case.description
    calls = len(got["modes"])
    if calls == 0:
        return (
            f"In {what}, the model was never called as model(X): calling "
            "model.forward(X) directly skips PyTorch's hooks. Call model(X)."
        )
    if calls != len(expected["modes"]):
        return (
            f"In {what}, the model ran {plural(calls, 'time')} for "
            f"{plural(batches, 'batch')}: once per batch."
        )
    if got["loss_calls"] == 0:
        return (
            f"In {what}, the loss_fn argument was never called as "
            "loss_fn(logits, y): compute the loss with the loss_fn you are "
            "given (not a loss of your own such as F.cross_entropy, nor "
            "loss_fn.forward(...)), since the caller may pass any loss."
        )
    if got["loss_calls"] != expected["loss_calls"]:
        return (
            f"In {what}, loss_fn ran {plural(got['loss_calls'], 'time')} for "
            f"{plural(batches, 'batch')}: once per batch."
        )
    if got["model_not_moved"] or got["loss_not_moved"]:
        which = (
            "the inputs X reached the model"
            if got["model_not_moved"]
            else "the labels y reached loss_fn"
        )
        return (
            f"In {what}, {which} "
            "without going through .to(device): write X, y = X.to(device), "
            "y.to(device) at the top of the loop, or a GPU run fails with "
            "tensors on two devices."
        )
    return None


def check_train(case, got, expected):
    what = case.description
    inputs = case.inputs
    sizes = batch_sizes(len(inputs["y"]), inputs["batch_size"])
    batches = len(sizes)
    if got["type"] != "float":
        return (
            f"{what} returned {describe(got['out'])}: return the mean loss per "
            "sample as a Python float (loss.item() gives one)."
        )
    if False in got["modes"]:
        return (
            f"In {what}, the model ran in eval mode: call model.train() before "
            "the loop, or dropout and batch normalisation stay in eval mode "
            "while training."
        )
    fault = calls_fault(case, got, expected, batches)
    if fault:
        return fault
    steps = got["events"].count("step")
    if steps != batches:
        return (
            f"In {what}, optimizer.step() ran {plural(steps, 'time')} for "
            f"{plural(batches, 'batch')}: once per batch."
        )
    if got["events"] != expected["events"]:
        count = got["events"].count("scheduler")
        if count != batches:
            return (
                f"In {what}, scheduler.step() ran {plural(count, 'time')} for "
                f"{plural(batches, 'batch')}: when a scheduler is given, step "
                "it once per batch, in the loop, right after optimizer.step()."
            )
        return (
            f"In {what}, scheduler.step() ran before optimizer.step(): step the "
            "optimizer first, then the scheduler, or the first learning rate "
            "is skipped."
        )
    for index, (mine, theirs) in enumerate(
        zip(got["grads"], expected["grads"], strict=True)
    ):
        if tensors_close(mine, theirs):
            continue
        if any(grad is None for grad in mine):
            return (
                f"In {what}, optimizer.step() ran before loss.backward() had "
                "computed the batch's gradients. The order is zero_grad, "
                "backward, step."
            )
        if index > 0:
            summed = [
                a + b for a, b in zip(theirs, expected["grads"][index - 1], strict=True)
            ]
            if tensors_close(mine, summed):
                return (
                    f"In {what}, gradients were not zeroed between two "
                    "backward() calls, so they add up: call "
                    "optimizer.zero_grad() once per batch."
                )
            return (
                f"In {what}, the gradients used by optimizer.step() differ from "
                f"a correct loop's at batch {index + 1}: zero them once per "
                "batch, then backward, then step."
            )
        return (
            f"In {what}, the gradients used by the first optimizer.step() "
            "differ from those of a correct loop on the same model, batches and "
            "random draws: call loss.backward() on loss = loss_fn(model(X), y), "
            "after optimizer.zero_grad() and before optimizer.step(), and draw "
            "no random numbers of your own (no torch.manual_seed)."
        )
    if not tensors_close(got["state"], expected["state"]):
        return (
            f"After {what}, the model's parameters and buffers differ from a "
            "correct loop's."
        )
    out, right = got["out"], expected["out"]
    if not number_close(out, right):
        losses = expected["losses"]
        if len(losses) == batches and number_close(out, sum(losses) / batches):
            return (
                f"{what} returned {out:.5f}, the mean of the batch means; "
                f"expected {right:.5f}, the mean loss per sample: weight each "
                "batch's loss by its size (the last batch is smaller)."
            )
        return (
            f"{what} returned {out:.5f}; expected the mean loss per sample over "
            f"the epoch, {right:.5f}. Add up loss.item() * len(y) and divide by "
            "the number of samples."
        )
    return None


# ---- evaluate(model, loader, loss_fn, device)


def evaluate_probe(evaluate, X, y, classes, batch_size, layer, loss, weight):
    """The student's evaluation of a small model left in train mode, over
    batches that have not been moved to the device yet."""
    import torch
    from torch import nn
    from torch.nn import functional as F
    from torch.utils.data import DataLoader, TensorDataset

    class OffDevice(torch.Tensor):
        """A batch not yet on the device: .to(device) gives a plain tensor."""

        def to(self, *args, **kwargs):
            moved = torch.Tensor.to(self.as_subclass(torch.Tensor), *args, **kwargs)
            targets = [*args, kwargs.get("device")]
            if any(isinstance(t, (str, torch.device, torch.Tensor)) for t in targets):
                return moved
            return moved.as_subclass(OffDevice)

    class SquaredError(nn.Module):
        """A loss unlike cross-entropy: squared error of the probabilities."""

        def forward(self, logits, target):
            one_hot = F.one_hot(target, logits.shape[1]).to(logits.dtype)
            return ((logits.softmax(dim=1) - one_hot) ** 2).sum(dim=1).mean()

    def plain_tensor(tensor):
        return tensor.detach().as_subclass(torch.Tensor).clone()

    seen = {
        "modes": [],
        "grad_modes": [],
        "model_not_moved": 0,
        "loss_calls": 0,
        "loss_not_moved": 0,
        "losses": [],
        "predictions": [],
    }
    hidden = 16
    middle = nn.Dropout(0.5) if layer == "dropout" else nn.BatchNorm1d(hidden)
    model = nn.Sequential(
        nn.Linear(X.shape[1], hidden), nn.ReLU(), middle, nn.Linear(hidden, classes)
    ).to(X.dtype)
    if layer == "batchnorm":
        with torch.no_grad():
            middle.running_mean.uniform_(-0.5, 0.5)
            middle.running_var.uniform_(0.5, 2.0)
    model.train()

    def before_model(module, args):
        seen["modes"].append(module.training)
        seen["grad_modes"].append(torch.is_grad_enabled())
        seen["model_not_moved"] += any(isinstance(a, OffDevice) for a in args)

    def after_model(module, args, output):
        seen["predictions"].append(plain_tensor(output).argmax(dim=1))

    def after_loss(module, args, output):
        seen["loss_calls"] += 1
        seen["loss_not_moved"] += any(isinstance(a, OffDevice) for a in args)
        seen["losses"].append(float(output.detach()))

    model.register_forward_pre_hook(before_model)
    model.register_forward_hook(after_model)
    if loss == "squared":
        loss_fn = SquaredError()
    elif loss == "weighted":
        loss_fn = nn.CrossEntropyLoss(weight=weight, label_smoothing=0.1)
    else:
        loss_fn = nn.CrossEntropyLoss()
    loss_fn.register_forward_hook(after_loss)
    data = TensorDataset(X.as_subclass(OffDevice), y.as_subclass(OffDevice))
    out = evaluate(model, DataLoader(data, batch_size=batch_size), loss_fn, "cpu")
    seen["out"] = out
    seen["type"] = type(out).__name__
    pair = isinstance(out, (tuple, list)) and len(out) == 2
    seen["types"] = [type(value).__name__ for value in out] if pair else []
    seen["state"] = [plain_tensor(t) for t in model.state_dict().values()]
    return seen


EVALUATE_SETTINGS = [
    dict(
        samples=10,
        features=4,
        classes=3,
        batch_size=4,
        layer="dropout",
        loss="cross_entropy",
        dtype=torch.float32,
        text="10 samples in batches of 4, a model with dropout left in train "
        "mode, cross-entropy",
    ),
    dict(
        samples=10,
        features=4,
        classes=3,
        batch_size=4,
        layer="dropout",
        loss="weighted",
        dtype=torch.float32,
        text="other 10 samples in batches of 4, a weighted cross-entropy with "
        "label smoothing as loss_fn",
    ),
    dict(
        samples=7,
        features=6,
        classes=5,
        batch_size=3,
        layer="dropout",
        loss="squared",
        dtype=torch.float64,
        text="float64 data, 7 samples in batches of 3, a squared-error loss_fn",
    ),
    dict(
        samples=12,
        features=5,
        classes=3,
        batch_size=5,
        layer="batchnorm",
        loss="weighted",
        dtype=torch.float32,
        text="a model with BatchNorm1d left in train mode, 12 samples in "
        "batches of 5, a weighted cross-entropy as loss_fn",
    ),
]


def evaluate_cases(gen):
    for setting in EVALUATE_SETTINGS:
        samples, classes, dtype = (setting[k] for k in ("samples", "classes", "dtype"))
        X = torch.randn(samples, setting["features"], generator=gen, dtype=dtype)
        y = torch.randint(0, classes, (samples,), generator=gen)
        weight = torch.rand(classes, generator=gen, dtype=dtype) + 0.5
        yield Case(
            f"evaluate on {setting['text']}",
            {
                "X": X,
                "y": y,
                "classes": classes,
                "batch_size": setting["batch_size"],
                "layer": setting["layer"],
                "loss": setting["loss"],
                "weight": weight,
            },
            seed_of(gen),
        )


def check_evaluate(case, got, expected):
    what = case.description
    inputs = case.inputs
    sizes = batch_sizes(len(inputs["y"]), inputs["batch_size"])
    if len(got["types"]) != 2:
        return (
            f"{what} returned {describe(got['out'])}: return the pair "
            "(mean_loss, accuracy)."
        )
    if got["types"] != ["float", "float"]:
        kinds = " and ".join(got["types"])
        return (
            f"{what} returned a {kinds}: return two Python floats (.item() "
            "turns a one-element tensor into a float)."
        )
    if any(got["modes"]):
        return (
            f"In {what}, the model was in training mode, so dropout and batch "
            "normalisation acted as in training: call model.eval() first."
        )
    if any(got["grad_modes"]):
        return (
            f"In {what}, gradients were recorded: evaluate inside "
            "`with torch.no_grad():`."
        )
    fault = calls_fault(case, got, expected, len(sizes))
    if fault:
        return fault
    (loss, acc), (right_loss, right_acc) = got["out"], expected["out"]
    y = inputs["y"]
    if not number_close(acc, right_acc, 1e-6, 0):
        predictions = expected["predictions"]
        means = [
            (prediction == labels).double().mean().item()
            for prediction, labels in zip(
                predictions, y.split(inputs["batch_size"]), strict=False
            )
        ]
        if means and abs(acc - sum(means) / len(means)) < 1e-6:
            return (
                f"{what}: accuracy is {acc:.4f}, the mean of the batch "
                f"accuracies; expected {right_acc:.4f}. Count the correct "
                "predictions and divide by the number of samples."
            )
        padded = len(sizes) * inputs["batch_size"]
        if number_close(acc * padded, right_acc * len(y), 1e-6, 0):
            return (
                f"{what}: accuracy is {acc:.4f}; expected {right_acc:.4f}. It "
                f"divides by {padded}, the number of batches times batch_size; "
                f"the last batch is smaller: divide by the {len(y)} samples."
            )
        return f"{what}: accuracy is {acc:.4f}; expected {right_acc:.4f}."
    if not number_close(loss, right_loss):
        losses = expected["losses"]
        if losses and number_close(loss, sum(losses) / len(losses)):
            return (
                f"{what}: mean_loss is {loss:.5f}, the mean of the batch means; "
                f"expected {right_loss:.5f}. With batches of {sizes}, weight "
                "each batch's loss by its size."
            )
        padded = len(sizes) * inputs["batch_size"]
        if number_close(loss * padded, right_loss * len(y)):
            return (
                f"{what}: mean_loss is {loss:.5f}; expected {right_loss:.5f}. It "
                f"divides by {padded}, the number of batches times batch_size; "
                f"the last batch is smaller: divide by the {len(y)} samples."
            )
        return f"{what}: mean_loss is {loss:.5f}; expected {right_loss:.5f}."
    if not tensors_close(got["state"], expected["state"], 1e-6, 1e-5):
        return (
            f"{what} changed the model's parameters or buffers: evaluation "
            "only reads the model."
        )
    return None


# ---- load_weights(model, path)


def save_load_probe(load_weights, arch, prefix, other, dtype, as_text):
    """A model of `arch` with weights and running statistics of its own,
    saved with `prefix` in front of every key, loaded into a bare one; then
    a file of another architecture (`other`: one layer more, or in a module
    of another name) and a file that runs code when it is unpickled."""
    import tempfile
    from collections import OrderedDict
    from pathlib import Path

    import torch
    from torch import nn

    kind = getattr(torch, dtype)

    def build(extra=False):
        named = [
            ("encoder", nn.Linear(4, 6)),
            ("norm", nn.BatchNorm1d(6)),
            ("relu", nn.ReLU()),
            ("head", nn.Linear(6, 3)),
        ]
        if extra:
            named.append(("out", nn.Linear(3, 2)))
        if arch == "named":
            model = nn.Sequential(OrderedDict(named))
        elif arch == "holder":  # a bare model whose own submodule is `module`
            model = nn.Sequential(
                OrderedDict(module=nn.Sequential(*dict(named).values()))
            )
        else:
            model = nn.Sequential(*dict(named).values())
        return model.to(kind)

    def save(model, keys_prefix, path):
        with torch.no_grad():
            for buffer in model.buffers():
                if buffer.is_floating_point():
                    buffer.uniform_(0.5, 2.0)
                else:
                    buffer.fill_(7)
        state = model.state_dict()
        torch.save({keys_prefix + key: value for key, value in state.items()}, path)

    class Crafted:
        """Unpickles through builtins.dict: a global that a file of tensors
        never needs, like the code a malicious file would run."""

        def __init__(self, state):
            self.state = state

        def __reduce__(self):
            return dict, (list(self.state.items()),)

    def refusal(path):
        try:
            load_weights(build(), path)
        except Exception as error:  # noqa: BLE001 -- what failed is the data
            return type(error).__name__
        return "loaded"

    saved_model = build()
    fresh = build()
    X = torch.randn(4, 4, dtype=kind)
    seen = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "weights.pt"
        save(saved_model, prefix, path)
        try:
            loaded = load_weights(fresh, str(path) if as_text else path)
        except Exception as error:  # noqa: BLE001 -- what failed is the data
            lines = str(error).strip().splitlines() or [""]
            text = (
                lines[0] if len(lines) == 1 else f"{lines[0]} ... {lines[-1].strip()}"
            )
            seen["error"] = f"{type(error).__name__}: {text}"[:240]
            loaded = None
        seen["returned"] = "the model" if loaded is fresh else type(loaded).__name__
        seen["parameters"] = [p.detach().clone() for p in fresh.parameters()]
        seen["buffers"] = [b.detach().clone() for b in fresh.buffers()]
        fresh.eval()
        with torch.no_grad():
            seen["outputs"] = fresh(X)
        if other == "extra":
            save(build(extra=True), prefix, path)
        else:
            save(build(), prefix + "net.", path)
        seen["other"] = refusal(path)
        torch.save(Crafted(build().state_dict()), path)
        seen["crafted"] = refusal(path)
    return seen


ARCHITECTURES = {
    "sequential": "nn.Sequential(Linear, BatchNorm1d, ReLU, Linear)",
    "named": "a model with the submodules encoder, norm, relu and head",
    "holder": "a model whose own submodule is named module",
}
WRAPPED = {
    "": "saved bare",
    "module.": "saved from nn.DataParallel (keys 'module.' + ...)",
    "_orig_mod.": "saved from torch.compile's module (keys '_orig_mod.' + ...)",
    "module._orig_mod.": "compiled and saved from nn.DataParallel (keys "
    "'module._orig_mod.' + ...)",
    "_orig_mod.module.": "in nn.DataParallel, compiled, saved (keys "
    "'_orig_mod.module.' + ...)",
}


def save_load_cases(gen):
    settings = [
        ("sequential", "", "extra", "float32", False),
        ("sequential", "module.", "renamed", "float32", True),
        ("named", "_orig_mod.", "extra", "float32", False),
        ("holder", "", "renamed", "float32", False),
        ("holder", "module._orig_mod.", "extra", "float64", True),
        ("named", "_orig_mod.module.", "renamed", "float32", False),
        ("holder", "module.", "extra", "float32", False),
    ]
    for arch, prefix, other, dtype, as_text in settings:
        path = "a str path" if as_text else "a Path"
        yield Case(
            f"load_weights(model, path) of {ARCHITECTURES[arch]} in {dtype}, "
            f"{WRAPPED[prefix]}, with {path}",
            {
                "arch": arch,
                "prefix": prefix,
                "other": other,
                "dtype": dtype,
                "as_text": as_text,
            },
            seed_of(gen),
        )


def load_error_hint(case):
    prefix, arch = case.inputs["prefix"], case.inputs["arch"]
    if arch == "holder" and not prefix:
        return (
            "The model's own keys start with 'module.' here: remove a prefix "
            "only while the file's keys are not the model's."
        )
    if prefix.count(".") > 1:
        return (
            "This file comes from a model in two wrappers: remove their "
            "prefixes one after the other, whichever comes first."
        )
    if arch == "holder":
        return (
            "Remove the wrapper's prefix 'module.' once: what is left, "
            "'module.0.weight', ..., are the model's own keys."
        )
    if prefix:
        return f"Remove the prefix {prefix!r} from the front of every key."
    return "A file saved from the bare model loads as it is."


def check_save_load(case, got, expected):
    what = case.description
    if "error" in got:
        return f"{what} raised {got['error']}. {load_error_hint(case)}"
    if got["returned"] != "the model":
        return (
            f"{what} returned {got['returned']}: load the file into the model "
            "it is given and return that model."
        )
    if not tensors_close(got["parameters"], expected["parameters"], 1e-6, 1e-5):
        return (
            f"In {what}, the model given to load_weights does not hold the saved "
            "weights afterwards: load them with model.load_state_dict(...), "
            "strictly, once the wrappers' prefixes are removed."
        )
    if not tensors_close(got["buffers"], expected["buffers"], 1e-6, 1e-5):
        return (
            f"In {what}, the loaded model's buffers (BatchNorm's running "
            "statistics) are not the saved ones: load the whole state_dict with "
            "model.load_state_dict(...)."
        )
    if not close(got["outputs"], expected["outputs"], 1e-6, 1e-5):
        return (
            f"In {what}, the loaded model computes something else than the saved one."
        )
    if got["other"] != "RuntimeError":
        if case.inputs["other"] == "extra":
            other = "a model with one layer more"
        else:
            other = "the model in a module named net, not a wrapper's"
        if got["other"] == "loaded":
            return (
                f"After {what}: a file of {other}, saved the same way, loads "
                "without an error. Remove the prefixes 'module.' and "
                "'_orig_mod.' only, and load strictly (strict=True, the "
                "default), so that load_state_dict refuses it."
            )
        return (
            f"After {what}: a file of {other} raised {got['other']}; leave the "
            "refusal to load_state_dict, whose RuntimeError names the keys "
            "that differ."
        )
    if got["crafted"] != "UnpicklingError":
        return (
            "load_weights loaded a file that calls code while it is read: load "
            "with torch.load(path, weights_only=True), which reads tensors "
            "only and refuses such files."
        )
    return None


# ---- save_checkpoint(path, model, optimizer, scheduler, epoch), load_checkpoint


def checkpoint_probe(
    save_checkpoint, load_checkpoint, X, y, kind, seeds, steps, epoch, more
):
    """Train a run, save a checkpoint, load it into a run built afresh with
    other weights, and train both on: the resumed run must go on exactly as
    the one that never stopped. Then a file that runs code when unpickled."""
    import pickle
    import tempfile
    from pathlib import Path

    import torch
    from torch import nn
    from torch.nn import functional as F

    def make_run(seed):
        torch.manual_seed(seed)
        model = nn.Sequential(
            nn.Linear(X.shape[1], 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3)
        ).to(X.dtype)
        if kind == "sgd":
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
            scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1, gamma=0.7)
        else:
            optimizer = torch.optim.AdamW(model.parameters(), lr=0.05)
            scheduler = torch.optim.lr_scheduler.OneCycleLR(
                optimizer, max_lr=0.05, total_steps=steps + more
            )
        return model, optimizer, scheduler

    def train(run, count):
        model, optimizer, scheduler = run
        model.train()
        for _ in range(count):
            loss = F.cross_entropy(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()

    class Crafted:
        """Unpickles through builtins.dict: a global that a checkpoint of
        state_dicts never needs, like the code a malicious file would run."""

        def __init__(self, checkpoint):
            self.checkpoint = checkpoint

        def __reduce__(self):
            return dict, (list(self.checkpoint.items()),)

    def state(run):
        model, optimizer, scheduler = run
        optimizer_state = optimizer.state_dict()["state"]
        return {
            "parameters": [p.detach().clone() for p in model.parameters()],
            "buffers": [b.detach().clone() for b in model.buffers()],
            "optimizer": [
                [value for _, value in sorted(optimizer_state[key].items())]
                for key in sorted(optimizer_state)
            ],
            "lr": optimizer.param_groups[0]["lr"],
            "last_epoch": scheduler.last_epoch,
        }

    straight = make_run(seeds[0])
    train(straight, steps)
    seen = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "checkpoint.pt"
        save_checkpoint(path, *straight, epoch)
        seen["written"] = path.is_file()
        saved = None
        try:
            saved = torch.load(path, weights_only=True)
            dictionary = isinstance(saved, dict)
            seen["saved_type"] = "dict" if dictionary else type(saved).__name__
        except Exception as error:  # noqa: BLE001 -- what failed is the data
            seen["saved_type"] = type(error).__name__
        resumed = make_run(seeds[1])
        returned = load_checkpoint(path, *resumed)
        seen["epoch"] = returned
        seen["epoch_type"] = type(returned).__name__
        seen["loaded"] = state(resumed)
        train(resumed, more)
        seen["resumed"] = state(resumed)
        if not isinstance(saved, dict):
            saved = {
                "model": straight[0].state_dict(),
                "optimizer": straight[1].state_dict(),
                "scheduler": straight[2].state_dict(),
                "epoch": epoch,
            }
        crafted = Path(folder) / "crafted.pt"
        torch.save(Crafted(saved), crafted)
        try:
            load_checkpoint(crafted, *make_run(seeds[2]))
            seen["crafted"] = "loaded"
        except pickle.UnpicklingError:
            seen["crafted"] = "refused"
        except Exception as error:  # noqa: BLE001 -- what failed is the data
            seen["crafted"] = f"error {type(error).__name__}"
    return seen


def checkpoint_cases(gen):
    settings = [
        ("adamw", torch.float32, 3, 3, "AdamW and a one-cycle schedule"),
        ("sgd", torch.float32, 4, 2, "SGD with momentum and a step schedule"),
        (
            "adamw",
            torch.float64,
            2,
            3,
            "a float64 model, AdamW and a one-cycle schedule",
        ),
    ]
    for kind, dtype, steps, more, text in settings:
        X = torch.randn(6, 4, generator=gen, dtype=dtype)
        y = torch.randint(0, 3, (6,), generator=gen)
        epoch = int(torch.randint(1, 30, (1,), generator=gen))
        seeds = [seed_of(gen) for _ in range(3)]
        yield Case(
            f"a checkpoint after epoch {epoch} of a model with BatchNorm1d, {text}, "
            f"resumed for {more} more steps",
            {
                "X": X,
                "y": y,
                "kind": kind,
                "seeds": seeds,
                "steps": steps,
                "epoch": epoch,
                "more": more,
            },
            seed_of(gen),
        )


def check_checkpoint(case, got, expected):
    what = case.description
    epoch = case.inputs["epoch"]
    if not got["written"]:
        return f"For {what}, save_checkpoint wrote no file at `path`."
    if got["saved_type"] != "dict":
        return (
            f"For {what}, the checkpoint does not load with weights_only=True as "
            f"a dict (torch.load gave: {got['saved_type']}): save one dictionary "
            "of the "
            "state_dict() of the model, the optimizer and the scheduler, not "
            "the objects themselves."
        )
    if got["epoch_type"] != "int" or got["epoch"] != epoch:
        shown = got["epoch"] if got["epoch_type"] == "int" else f"a {got['epoch_type']}"
        return (
            f"For {what}, load_checkpoint returned {shown}; it should return "
            f"the epoch that save_checkpoint was given ({epoch}), as an int."
        )
    mine, theirs = got["loaded"], expected["loaded"]
    if not tensors_close(mine["parameters"], theirs["parameters"], 1e-6, 1e-5):
        return (
            f"For {what}, the model's weights were not restored: save "
            "model.state_dict() and load it with model.load_state_dict(...)."
        )
    if not tensors_close(mine["buffers"], theirs["buffers"], 1e-6, 1e-5):
        return (
            f"For {what}, the model's parameters were restored but not its "
            "buffers (BatchNorm's running statistics): save "
            "model.state_dict(), which holds both, and load it with "
            "model.load_state_dict(...)."
        )
    if not mine["optimizer"] and theirs["optimizer"]:
        return (
            f"For {what}, the optimizer's state was not restored, so its "
            "running averages or momentum start again from zero: save "
            "optimizer.state_dict() and load it with "
            "optimizer.load_state_dict(...)."
        )
    if mine["last_epoch"] != theirs["last_epoch"]:
        return (
            f"For {what}, the scheduler was not restored, so the schedule starts "
            "again: save scheduler.state_dict() and load it with "
            "scheduler.load_state_dict(...)."
        )
    same_optimizer = len(mine["optimizer"]) == len(theirs["optimizer"]) and all(
        tensors_close(a, b, 1e-6, 1e-5)
        for a, b in zip(mine["optimizer"], theirs["optimizer"], strict=False)
    )
    if not same_optimizer or mine["lr"] != theirs["lr"]:
        return (
            f"For {what}, the optimizer's state after loading differs from the "
            "saved one: save optimizer.state_dict() and load it with "
            "optimizer.load_state_dict(...)."
        )
    resumed, straight = got["resumed"], expected["resumed"]
    if not tensors_close(
        resumed["parameters"] + resumed["buffers"],
        straight["parameters"] + straight["buffers"],
    ):
        return (
            f"For {what}, training resumed from the checkpoint goes another way "
            "than training that never stopped: restore the model, the "
            "optimizer and the scheduler."
        )
    if got["crafted"] != "refused":
        return (
            "load_checkpoint loaded a file that calls code while it is read: "
            "load with torch.load(path, weights_only=True), which reads "
            "tensors only and refuses such files."
        )
    return None


EXERCISES = [
    Exercise(
        test="make-loaders-tests",
        answer="make-loaders",
        names=("make_loaders",),
        cases=loaders_cases,
        check=check_loaders,
        probe=loaders_probe,
    ),
    Exercise(
        test="accuracy-tests",
        answer="accuracy",
        names=("accuracy",),
        cases=accuracy_cases,
        check=check_accuracy,
    ),
    Exercise(
        test="train-one-epoch-tests",
        answer="train-one-epoch",
        names=("train_one_epoch",),
        cases=train_cases,
        check=check_train,
        probe=train_probe,
    ),
    Exercise(
        test="evaluate-tests",
        answer="evaluate",
        names=("evaluate",),
        cases=evaluate_cases,
        check=check_evaluate,
        probe=evaluate_probe,
    ),
    Exercise(
        test="save-load-tests",
        answer="save-load",
        names=("load_weights",),
        cases=save_load_cases,
        check=check_save_load,
        probe=save_load_probe,
    ),
    Exercise(
        test="checkpoint-tests",
        answer="checkpoint",
        names=("save_checkpoint", "load_checkpoint"),
        cases=checkpoint_cases,
        check=check_checkpoint,
        probe=checkpoint_probe,
    ),
]
