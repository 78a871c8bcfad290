"""Fashion-MNIST for the chapters, from a folder that ``NNCOURSE_DATA`` can move.

The data live in ``<root>/FashionMNIST/raw/``, the layout torchvision uses. The
root is ``$NNCOURSE_DATA`` when set, else ``data/`` in the course repository.
When the files are missing, :func:`ensure_fashion_mnist` tries, in order,
torchvision's download and the files of Debian's ``dataset-fashion-mnist``
package, and otherwise raises :class:`DataNotFoundError`, whose message says
how to get the data.
"""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import torch

# torchvision is imported where it is used: importing it costs a kernel about
# a second (it pulls in torch._dynamo), and only chapter 07 needs its dataset.
if TYPE_CHECKING:
    from torchvision import datasets

DATA_VARIABLE = "NNCOURSE_DATA"
#: ``nncourse data``'s exit status when the data are missing and could not be
#: fetched: `make data` then installs Debian's package and runs it again.
EXIT_UNAVAILABLE = 3
#: Where Debian's and Ubuntu's ``dataset-fashion-mnist`` package puts the files.
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
RAW_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


class DataNotFoundError(FileNotFoundError):
    """Fashion-MNIST is not on disk and could not be fetched."""


def data_root() -> Path:
    """The folder that holds ``FashionMNIST/raw/``."""
    if os.environ.get(DATA_VARIABLE):
        return Path(os.environ[DATA_VARIABLE]).expanduser().resolve()
    package_parent = Path(__file__).resolve().parent.parent
    if (package_parent / "pyproject.toml").is_file():  # a checkout of the course
        return package_parent / "data"
    return Path.cwd() / "data"


def raw_folder(root: Path) -> Path:
    return root / "FashionMNIST" / "raw"


def is_present(root: Path) -> bool:
    return all((raw_folder(root) / name).is_file() for name in RAW_FILES)


def _download(root: Path) -> None:
    """torchvision's own download (needs the internet)."""
    from torchvision import datasets

    datasets.FashionMNIST(root=str(root), train=True, download=True)
    datasets.FashionMNIST(root=str(root), train=False, download=True)


def _copy_from_debian(root: Path) -> None:
    """Decompress the files of Debian's ``dataset-fashion-mnist`` into ``root``."""
    raw = raw_folder(root)
    raw.mkdir(parents=True, exist_ok=True)
    for name in RAW_FILES:
        with gzip.open(DEBIAN_DIR / f"{name}.gz") as src, open(raw / name, "wb") as dst:
            shutil.copyfileobj(src, dst)


def _remove_empty_folders(root: Path) -> None:
    """A failed download leaves empty folders behind; do not keep them."""
    for folder in (raw_folder(root), raw_folder(root).parent):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def missing_message(root: Path, reason: str = "") -> str:
    because = f"\n(The download failed: {reason})" if reason else ""
    return (
        f"Fashion-MNIST is not in {raw_folder(root)} and could not be fetched."
        f"{because}\n"
        "Get it in one of three ways:\n"
        "  1. online: run `nncourse data` (or any chapter) and torchvision "
        "downloads it;\n"
        "  2. on Debian or Ubuntu: `sudo apt-get install dataset-fashion-mnist`, "
        f"which puts it in {DEBIAN_DIR}, copied from there on first use;\n"
        f"  3. point {DATA_VARIABLE} at a folder that already holds "
        "FashionMNIST/raw/, e.g. `export NNCOURSE_DATA=/path/to/data`."
    )


def ensure_fashion_mnist(root: Path | None = None) -> Path:
    """Make sure the four raw files are under ``root``; return ``root``."""
    root = data_root() if root is None else Path(root)
    if is_present(root):
        return root
    reason = ""
    try:
        _download(root)
    except (OSError, RuntimeError) as error:  # offline, DNS, or a full disk
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    if not is_present(root) and (DEBIAN_DIR / f"{RAW_FILES[0]}.gz").is_file():
        _copy_from_debian(root)
    if not is_present(root):
        _remove_empty_folders(root)
        raise DataNotFoundError(missing_message(root, reason))
    return root


def _check_train(train) -> None:
    if not isinstance(train, bool):
        raise TypeError(f"train must be True or False, not {train!r}")


def read_idx(path: Path) -> torch.Tensor:
    """An IDX file, the format of MNIST's raw files, as a uint8 tensor: after a
    magic number whose last byte counts the dimensions, one big-endian 32-bit
    size per dimension, then the bytes."""
    content = path.read_bytes()
    ndim = content[3]
    shape = [int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    data = bytearray(content[4 + 4 * ndim :])
    return torch.frombuffer(data, dtype=torch.uint8).reshape(shape)


def fashion_mnist(train: bool = True, transform=None) -> datasets.FashionMNIST:
    """torchvision's Fashion-MNIST training set (``train=True``) or test set.

    ``train`` is a bool: the string ``"True"`` (seen in older tutorials) is
    rejected, because ``"False"`` would be truthy too.
    """
    from torchvision import datasets

    _check_train(train)
    root = ensure_fashion_mnist()
    return datasets.FashionMNIST(
        root=str(root), train=train, transform=transform, download=False
    )


def fashion_mnist_tensors(train: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """The whole split as two tensors: images ``X`` and labels ``y``.

    ``X`` has shape ``(N, 1, 28, 28)``, dtype ``float32``, values in ``[0, 1]``;
    ``y`` has shape ``(N,)``, dtype ``int64``. Holding the set as one tensor
    avoids decoding every image through PIL on every epoch.
    """
    _check_train(train)
    raw = raw_folder(ensure_fashion_mnist())
    split = "train" if train else "t10k"
    images = read_idx(raw / f"{split}-images-idx3-ubyte")
    labels = read_idx(raw / f"{split}-labels-idx1-ubyte")
    return images.unsqueeze(1).to(torch.float32).div_(255), labels.to(torch.int64)


def main(default_root: Path | None = None) -> int:
    """``nncourse data``: fetch the data set if needed and say where it is:
    into ``NNCOURSE_DATA`` where it is set, else ``default_root`` (the
    course's ``data/``), else where :func:`data_root` says."""
    chosen = None if os.environ.get(DATA_VARIABLE) else default_root
    try:
        root = ensure_fashion_mnist(chosen)
    except DataNotFoundError as error:
        print(error)
        return EXIT_UNAVAILABLE
    print(f"Fashion-MNIST is ready in {raw_folder(root)}")
    return 0
