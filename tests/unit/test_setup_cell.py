"""Every chapter's set-up cell installs nncourse where it is missing (Colab).

The cell's first paragraph imports nncourse and, when that fails, installs it
from the course's repository with pip. Here it runs with nncourse hidden and pip
replaced, so nothing is downloaded.
"""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
import yaml

import nncourse
from tests.conftest import REPO, chapter_ids


def setup_cell_source(folder: str, chapter: str) -> str:
    notebook = nbformat.read(REPO / folder / chapter / f"{chapter}.ipynb", 4)
    (source,) = [
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "code" and "nncourse.pick_device()" in cell.source
    ]
    return source


def install_block(source: str) -> str:
    """The cell's first paragraph: import nncourse, or install it."""
    return source.split("\n\n")[0]


@pytest.fixture(scope="module")
def block() -> str:
    return install_block(setup_cell_source("solutions", "01-modules"))


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_every_setup_cell_starts_with_the_same_install_block(block, folder):
    for chapter in chapter_ids():
        source = setup_cell_source(folder, chapter)
        assert install_block(source) == block, f"{folder}/{chapter}"
        assert source.count("import nncourse\n") == 2  # only in the block


def test_the_block_installs_from_the_books_repository(block):
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    assert f'"nncourse @ git+{config["repository"]["url"]}"' in block


@pytest.fixture
def pip(monkeypatch) -> list[list[str]]:
    """pip replaced: records its command and makes nncourse importable again."""
    commands = []

    def install(command, **kwargs):
        commands.append(command)
        sys.modules["nncourse"] = nncourse
        return 0

    monkeypatch.setattr(subprocess, "check_call", install)
    return commands


def test_a_runtime_without_nncourse_installs_it_and_imports_it(block, pip, monkeypatch):
    monkeypatch.setitem(sys.modules, "nncourse", None)  # import raises
    namespace = {}
    exec(block, namespace)
    assert namespace["nncourse"] is nncourse
    ((*python_m_pip, requirement),) = pip
    assert python_m_pip == [sys.executable, "-m", "pip", "install", "-q"]
    assert requirement.startswith("nncourse @ git+https://")


def test_a_runtime_with_nncourse_installs_nothing(block, pip):
    namespace = {}
    exec(block, namespace)
    assert namespace["nncourse"] is nncourse and pip == []
