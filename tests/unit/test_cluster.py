"""A local cluster's workers are forked from multiprocessing's fork server,
which has imported what they run (nncourse.grade.cluster.forked_workers). It
relies on Dask setting the fork server's modules only the first time it makes
its multiprocessing context, so that the grader's, set after, are the ones
the server imports: this test fails when an upgrade of Dask changes that."""

from __future__ import annotations

import os
import sys

import cloudpickle

from nncourse.grade.cluster import WORKER_MODULES, dask_client
from nncourse.grade.options import GradeOptions


def worker_state() -> tuple[list[str], str | None]:
    """In a worker: which of WORKER_MODULES it has, and the test's variable."""
    imported = [name for name in WORKER_MODULES if name in sys.modules]
    return imported, os.environ.get("NNCOURSE_TEST_RUN")


# Sent by value: by reference, the worker would import this module, and with
# it the grader, before the function could look.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def test_a_worker_starts_with_the_grader_imported_and_the_current_environment(
    tmp_path, monkeypatch
):
    options = GradeOptions.create(tmp_path, tmp_path / "out", workers=1)
    for run in ("first", "second"):  # the second: the fork server runs already
        monkeypatch.setenv("NNCOURSE_TEST_RUN", run)
        with dask_client(options, students=1) as client:
            (state,) = client.run(worker_state).values()
        assert state == (WORKER_MODULES, run)
