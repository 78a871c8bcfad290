"""Offline set-up: when torchvision's download fails, `make data` installs
Debian's dataset-fashion-mnist and `nncourse data` copies it into place.

No network and no apt-get: the download is monkeypatched, the Debian package is
a temporary folder of small IDX files, and `make` finds fake `apt-get`,
`sudo` and `nncourse` programs first on its PATH.
"""

from __future__ import annotations

import gzip
import os
import subprocess
from pathlib import Path

import pytest
import torch

from nncourse import cli, data
from tests.conftest import REPO

IMAGES = torch.arange(3 * 28 * 28, dtype=torch.int64).remainder(256).to(torch.uint8)
LABELS = torch.tensor([9, 0, 3], dtype=torch.uint8)


def write_idx_gz(path: Path, values: torch.Tensor, shape: tuple[int, ...]) -> None:
    """An IDX file (uint8 type code 8, one 32-bit size per dimension), gzipped as
    in the Debian package."""
    header = bytes([0, 0, 8, len(shape)])
    header += b"".join(size.to_bytes(4, "big") for size in shape)
    with gzip.open(path, "wb") as file:
        file.write(header + values.numpy().tobytes())


@pytest.fixture
def debian_package(monkeypatch, tmp_path) -> Path:
    """Stands in for /usr/share/datasets/fashion-mnist: three images per split."""
    folder = tmp_path / "usr-share-datasets-fashion-mnist"
    folder.mkdir()
    for split in ("train", "t10k"):
        write_idx_gz(folder / f"{split}-images-idx3-ubyte.gz", IMAGES, (3, 28, 28))
        write_idx_gz(folder / f"{split}-labels-idx1-ubyte.gz", LABELS, (3,))
    monkeypatch.setattr(data, "DEBIAN_DIR", folder)
    return folder


@pytest.fixture
def failing_download(monkeypatch) -> list[Path]:
    """torchvision's download as it fails offline; records where it was tried."""
    tried = []

    def download(root):
        tried.append(Path(root))
        (Path(root) / "FashionMNIST" / "raw").mkdir(parents=True, exist_ok=True)
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz")

    monkeypatch.setattr(data, "_download", download)
    return tried


def test_data_command_copies_the_debian_package_when_the_download_fails(
    debian_package, failing_download, monkeypatch, tmp_path, capsys
):
    root = tmp_path / "data"
    monkeypatch.setenv(data.DATA_VARIABLE, str(root))
    assert cli.main(["data"]) == 0
    assert failing_download == [root]  # the download came first
    assert "Fashion-MNIST is ready" in capsys.readouterr().out
    X, y = data.fashion_mnist_tensors(train=False)
    assert X.shape == (3, 1, 28, 28) and y.tolist() == [9, 0, 3]
    assert torch.equal((X * 255).round().to(torch.uint8).flatten(), IMAGES)


def test_data_command_reports_unavailable_data_with_its_own_status(
    failing_download, monkeypatch, tmp_path, capsys
):
    monkeypatch.setattr(data, "DEBIAN_DIR", tmp_path / "not-installed")
    monkeypatch.setenv(data.DATA_VARIABLE, str(tmp_path / "data"))
    assert cli.main(["data"]) == data.EXIT_UNAVAILABLE == 3  # the Makefile's 3
    assert "apt-get install dataset-fashion-mnist" in capsys.readouterr().out


# ---- the Makefile's `data` target --------------------------------------------

FAKE_NNCOURSE = """#!/bin/sh
# `nncourse data`: ready once the package file exists, else exit status 3.
if [ -e "$FASHION_MNIST_DEB" ] || [ "$DOWNLOAD_WORKS" = 1 ]; then
  echo "Fashion-MNIST is ready"; exit 0
fi
echo "Get it in one of three ways"; exit 3
"""
FAKE_APT_GET = """#!/bin/sh
# Records its arguments; `install` puts the package's file in place.
echo "$@" >> "$APT_LOG"
[ "$APT_WORKS" = 1 ] || exit 100
case "$1" in install) touch "$FASHION_MNIST_DEB" ;; esac
"""
FAKE_SUDO = '#!/bin/sh\nexec "$@"\n'


def make_data(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    """`make data` with fake programs, its set-up taken as done (-o setup)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, script in (
        ("nncourse", FAKE_NNCOURSE),
        ("apt-get", FAKE_APT_GET),
        ("sudo", FAKE_SUDO),
    ):
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(0o755)
    package_file = tmp_path / "fashion-mnist" / "train-images-idx3-ubyte.gz"
    package_file.parent.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    env.update(
        PATH=f"{bin_dir}:{env['PATH']}",
        APT_LOG=str(tmp_path / "apt.log"),
        FASHION_MNIST_DEB=str(package_file),
        **variables,
    )
    command = ["make", "--no-print-directory", "-o", "setup", "data", f"BIN={bin_dir}"]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)


def apt_calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "apt.log"
    return log.read_text().splitlines() if log.exists() else []


def test_make_data_installs_the_debian_package_when_the_download_fails(tmp_path):
    result = make_data(tmp_path, APT_WORKS="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "install -y -qq dataset-fashion-mnist" in apt_calls(tmp_path)
    assert result.stdout.rstrip().endswith("Fashion-MNIST is ready")
    assert "three ways" not in result.stdout  # the failed first try stays quiet


def test_make_data_installs_nothing_when_the_download_works(tmp_path):
    result = make_data(tmp_path, DOWNLOAD_WORKS="1", APT_WORKS="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert apt_calls(tmp_path) == []
    assert "Fashion-MNIST is ready" in result.stdout


def test_make_data_stops_with_the_message_when_apt_fails_too(tmp_path):
    result = make_data(tmp_path, APT_WORKS="0")
    assert result.returncode != 0
    assert "apt-get could not install dataset-fashion-mnist" in result.stdout
    assert "Get it in one of three ways" in result.stdout
