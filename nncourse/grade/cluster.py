"""Step 4, execute: one Dask task per student, on a local or a running cluster.

A ``LocalCluster`` of ``--workers`` processes (no more than there are
students) with one thread each, or the cluster behind ``--scheduler``. The
local workers are forked from multiprocessing's fork server, which imports
what a worker runs once per grading process (:func:`forked_workers`). The
template course is sent to each worker once (``Client.scatter(...,
broadcast=True)``), with the solution's outcomes that the first tasks
computed there (:mod:`nncourse.grade.references`); each task then gets one
student's submissions and runs
:func:`nncourse.grade.worker.grade_student`. A worker keeps its sandbox from
one student to the next (:mod:`nncourse.grade.pool`); the run closes them
when its last student is graded.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from nncourse.grade.collect import Submission
from nncourse.grade.options import GradeOptions
from nncourse.grade.pool import close_pooled_sandboxes
from nncourse.grade.prepare import Template
from nncourse.grade.references import with_references
from nncourse.grade.results import Findings, Result, classify
from nncourse.grade.worker import grade_student


def local_workers(options: GradeOptions, students: int) -> int:
    """Worker processes for a local cluster: no more than there are students
    (a task is one student), since each costs a Python start and a sandbox."""
    return min(options.workers, students)


#: What a local worker runs, imported into the fork server it is forked from.
WORKER_MODULES = ["distributed", "nncourse.grade.worker", "nncourse.grade.references"]


@contextmanager
def forked_workers() -> Iterator[None]:
    """Local workers forked from multiprocessing's fork server, which imports
    :data:`WORKER_MODULES` once per grading process: with Dask's default,
    ``spawn``, each worker is a fresh Python that imports them again, about
    2 CPU-s a worker and a second more to end it, in every run. (A forked
    worker has the fork server's environment, as it was when the server
    started: :func:`dask_client` gives the workers the current one.)

    Dask sets the fork server's modules (to its own list) the first time it
    makes its multiprocessing context; they are set here after that, while
    the server has not started (once it runs, it keeps its modules).
    tests/unit/test_cluster.py checks that a worker has them. A Dask setting
    for the fork server's modules (there is none in distributed 2026.8)
    would make this a line of configuration."""
    import dask
    from distributed.utils import get_mp_context

    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        get_mp_context().set_forkserver_preload(WORKER_MODULES)
        yield


@contextmanager
def dask_client(options: GradeOptions, students: int):
    from dask.distributed import Client, LocalCluster

    if options.scheduler:
        with Client(options.scheduler) as client:
            yield client
        return
    with (
        forked_workers(),
        LocalCluster(
            n_workers=local_workers(options, students),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # The scheduler serves HTTP (health, metrics) even without a
            # dashboard, on port 8787 unless told: a free port, so that a
            # second run does not warn that the port is taken.
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            silence_logs=logging.ERROR,
            env=dict(os.environ),  # the Nanny sets it in the forked worker
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def crashed(submissions: list[Submission], error: Exception) -> dict[str, Result]:
    """The results of a student whose task failed on the worker itself."""
    status, message = classify(Findings(finished=False))
    log = f"{type(error).__name__}: {error}\n"
    return {s.chapter: Result(status, message, log=log) for s in submissions}


def run_on_cluster(
    jobs: dict[str, list[Submission]],
    template: Template,
    options: GradeOptions,
    done: int,
) -> Iterator[tuple[str, dict[str, Result]]]:
    """Yield (student, chapter -> result) as the students finish. ``done``
    students (from an earlier, interrupted run) count on the progress bar."""
    from dask.distributed import as_completed
    from tqdm import tqdm

    with tqdm(
        total=len(jobs) + done, initial=done, unit="student", desc="grading"
    ) as bar:
        if not jobs:
            return
        with dask_client(options, len(jobs)) as client:
            try:
                notebooks = per_sandbox(jobs, client)
                template = with_references(client, template, options, jobs, notebooks)
                [shared] = client.scatter([template], broadcast=True)
                futures = {
                    client.submit(
                        grade_student,
                        *(student, chosen, shared, options, notebooks),
                        pure=False,
                    ): student
                    for student, chosen in jobs.items()
                }
                for future in as_completed(futures):
                    student = futures[future]
                    try:
                        results = future.result()
                    except Exception as error:  # the worker itself failed
                        results = crashed(jobs[student], error)
                    bar.update(1)
                    yield student, results
            finally:
                close_sandboxes(client)


def per_sandbox(jobs: dict[str, list[Submission]], client) -> int:
    """About how many notebooks each worker's sandbox will run: all the
    run's, shared among the cluster's threads (one sandbox each)."""
    notebooks = sum(len(chosen) for chosen in jobs.values())
    threads = max(1, sum(client.nthreads().values()))
    return -(-notebooks // threads)


def close_sandboxes(client) -> None:
    """Close the sandboxes that the workers kept between students
    (:mod:`nncourse.grade.pool`); a worker that has gone took its own."""
    try:
        client.run(close_pooled_sandboxes)
    except Exception as error:  # noqa: BLE001 - the results are already in
        logging.getLogger(__name__).warning("closing sandboxes: %s", error)
