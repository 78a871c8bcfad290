"""Static checks: ruff on the package, tests, book extension and notebooks;
actionlint on the GitHub Actions workflows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True)


def test_ruff():
    result = run(
        str(BIN / "ruff"),
        "check",
        "nncourse",
        "tests",
        "book",
        "autograder",
        "solutions",
        "benchmarks",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_actionlint():
    workflows = sorted(str(p) for p in (REPO / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) >= 2, workflows
    result = run(str(BIN / "actionlint"), *workflows)
    assert result.returncode == 0, result.stdout + result.stderr
