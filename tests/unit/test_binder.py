"""Binder's environment (binder/) stays small and in step with requirements.txt."""

from __future__ import annotations

import os

from packaging.requirements import Requirement

from tests.conftest import REPO

BINDER = REPO / "binder"


def pins(path) -> dict[str, str]:
    """Package name -> version specifier, local labels (+cpu) dropped."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            requirement = Requirement(line)
            found[requirement.name] = str(requirement.specifier).split("+")[0]
    return found


def test_binder_pins_the_course_versions_of_what_students_run():
    binder, course = pins(BINDER / "requirements.txt"), pins(REPO / "requirements.txt")
    assert {"torch", "torchvision", "matplotlib", "numpy", "tqdm"} <= set(binder)
    assert {name: course[name] for name in binder} == binder


def test_binder_gets_cpu_wheels_and_no_instructor_tools():
    text = (BINDER / "requirements.txt").read_text()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in text
    wheels = [line for line in text.splitlines() if line.startswith("torch")]
    assert len(wheels) == 2 and all(line.endswith("+cpu") for line in wheels)
    tools = {"nbgrader", "jupyter-book", "playwright"}
    assert not tools & set(pins(BINDER / "requirements.txt"))
    assert "-e ." in text.splitlines()  # nncourse itself, with data/ beside it
    assert os.access(BINDER / "postBuild", os.X_OK)  # repo2docker runs it
