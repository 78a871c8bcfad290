"""The probe: what runs in the student's kernel when an exercise is graded.

A graded test cell is replaced, in the graded run only, by one call of
:func:`run`: it calls the student's objects through an exercise's short probe
function (the spec's, :mod:`nncourse.specs`) on the inputs the grader drew for
this run, and displays what came back as plain data under :data:`MIME`. It
holds no expected value and no check: the grader, in its own process, reads
that data (:func:`decode`) and decides (:mod:`nncourse.preprocessors.probes`).

Nothing here is trusted. Code in the student's cells can replace this module,
emit outputs of its own or lie in any other way; all it can produce is data
that the grader compares with the solution's on inputs drawn at grading time.
"""

from __future__ import annotations

import base64
import io
import warnings

#: The output type of a probe's results (base64 of ``torch.save`` bytes).
MIME = "application/vnd.nncourse.probe"
#: How an error in a probe case is recorded: "ErrorType: message".
ERROR = "error"
#: The longest error message kept, in characters.
MESSAGE_LIMIT = 500


def encode(data) -> str:
    """``data`` (plain: tensors, numbers, strings, lists, dicts) as text."""
    import torch

    buffer = io.BytesIO()
    torch.save(data, buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


class NotPlainData(ValueError):
    """What a probe's output held is not plain data."""


def decode(text: str, limit: int):
    """The plain data in ``text``; :class:`NotPlainData` for anything else:
    too long, not base64, not loadable with ``weights_only=True``, or holding
    any object but a plain tensor, a number, a string, None, a list or a dict
    (a tensor subclass, a float subclass that lies, ...)."""
    import torch

    if not isinstance(text, str) or len(text) > limit:
        raise NotPlainData(f"longer than {limit} characters or not text")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
        with warnings.catch_warnings():  # about a forged pickle's protocol
            warnings.simplefilter("ignore")
            data = torch.load(io.BytesIO(raw), weights_only=True, map_location="cpu")
    except Exception as error:  # noqa: BLE001 -- any failure means not plain
        raise NotPlainData(f"{type(error).__name__}: {error}"[:300]) from None
    check_plain(data)
    return data


PLAIN_LEAVES = (bool, int, float, str, type(None))


def check_plain(data, depth: int = 0) -> None:
    """Raise :class:`NotPlainData` unless every part of ``data`` is of a
    plain type, exactly (no subclass)."""
    import torch

    if depth > 20:
        raise NotPlainData("nested too deeply")
    kind = type(data)
    if kind in PLAIN_LEAVES or kind is torch.Tensor:
        return
    if kind in (list, tuple):
        for item in data:
            check_plain(item, depth + 1)
        return
    if kind is dict:
        for key, value in data.items():
            if type(key) not in (str, int):
                raise NotPlainData(f"a key of type {type(key).__name__}")
            check_plain(value, depth + 1)
        return
    raise NotPlainData(f"an object of type {kind.__name__}")


def plain(value, depth: int = 0):
    """``value`` as plain data: a tensor detached onto the CPU (a ``meta``
    tensor as its description), containers of them; anything else as the
    name of its type."""
    import torch

    if isinstance(value, torch.Tensor):
        if type(value) not in (torch.Tensor, torch.nn.Parameter):
            return f"<a {type(value).__name__}, not a torch.Tensor>"
        if value.device.type == "meta":
            return {
                "meta tensor": list(value.shape),
                "dtype": str(value.dtype),
            }
        return value.detach().cpu().clone()
    if type(value) in PLAIN_LEAVES:
        return value
    if depth < 8 and type(value) in (list, tuple):
        return [plain(item, depth + 1) for item in value]
    if depth < 8 and type(value) is dict:
        return {
            key if type(key) in (str, int) else repr(key): plain(item, depth + 1)
            for key, item in value.items()
        }
    return f"<an object of type {type(value).__name__}>"


def error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:MESSAGE_LIMIT]


def run_case(probe, objects: list, case: dict) -> dict:
    """One call of ``probe`` on the student's ``objects`` and a case's
    inputs: its plain result or its error, and autograd's mode after it."""
    import torch

    torch.manual_seed(case["seed"])
    # One thread: sums then add up in one order in every kernel, whatever
    # thread count the machine's load gave it (the sandbox's is one too).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        outcome = {"result": plain(probe(*objects, **case["inputs"]))}
    except Exception as error:  # noqa: BLE001 -- a wrong answer's error is data
        outcome = {ERROR: error_text(error)}
    finally:
        torch.set_num_threads(threads)
    outcome["grad_enabled"] = torch.is_grad_enabled()
    torch.set_grad_enabled(True)  # each case starts as a fresh kernel would
    return outcome


def load_probe(probe_source: str):
    """The function ``probe`` that ``probe_source`` defines, with ``torch``,
    ``nn`` and ``F`` in its scope."""
    import torch

    scope = {"torch": torch, "nn": torch.nn, "F": torch.nn.functional}
    exec(compile(probe_source, "<probe>", "exec"), scope)
    return scope["probe"]


def run(namespace: dict, probe_source: str, names: list[str], payload: str) -> None:
    """Call the probe in ``probe_source`` (a function named ``probe``) with
    the objects ``names`` of ``namespace`` on every case in ``payload``;
    display the outcomes under :data:`MIME`."""
    from IPython.display import display

    cases = decode(payload, limit=len(payload))
    probe = load_probe(probe_source)
    missing = [name for name in names if name not in namespace]
    if missing:
        text = f"NameError: {', '.join(missing)} is not defined"
        outcomes = [{ERROR: text, "grad_enabled": True} for _ in cases]
    else:
        objects = [namespace[name] for name in names]
        outcomes = [run_case(probe, objects, case) for case in cases]
    display({MIME: encode(outcomes)}, raw=True)


def fill_parameters(module, seed: int) -> None:
    """Give every parameter of ``module`` values that depend only on its
    shape and on its place among the parameters of that shape (in
    registration order): a student's module and the solution's then compute
    the same function whatever their layers are called. For probes of
    exercises that build a module."""
    import zlib

    import torch

    seen: dict[tuple, int] = {}
    with torch.no_grad():
        for parameter in module.parameters():
            shape = tuple(parameter.shape)
            seen[shape] = seen.get(shape, 0) + 1
            key = zlib.crc32(repr((shape, seen[shape])).encode()) ^ seed
            generator = torch.Generator().manual_seed(key)
            scale = shape[-1] ** -0.5 if len(shape) > 1 else 0.5
            values = torch.rand(shape, generator=generator, dtype=torch.float64)
            parameter.copy_((values * 2 - 1) * scale)
