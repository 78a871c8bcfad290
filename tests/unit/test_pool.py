"""A grading worker's sandboxes, kept from one student to the next
(nncourse.grade.pool); no sandbox starts here (tests/test_sandbox.py checks
that the next student in a kept sandbox finds nothing of the last)."""

from __future__ import annotations

import threading

import pytest
from traitlets.config import Config

from nncourse.grade import pool


class FakeSandbox:
    """What the pool asks of a sandbox: whether it runs, reset, close."""

    def __init__(self, config: Config, warm_up: bool):
        self.memory_limit = config.KernelSandbox.get("memory_limit")
        self.warm_up = warm_up
        self.alive = True
        self.resets = 0

    def reset(self) -> None:
        self.resets += 1

    def close(self) -> None:
        self.alive = False


@pytest.fixture(autouse=True)
def fake_sandboxes(monkeypatch):
    monkeypatch.setattr(pool, "KernelSandbox", FakeSandbox)
    monkeypatch.setattr(pool, "IDLE", {})


def limits(memory: int) -> Config:
    config = Config()
    config.KernelSandbox.memory_limit = memory
    return config


def used(memory: int, warm_up: bool = False) -> FakeSandbox:
    """A sandbox lent to a task that ran nothing, back in the pool."""
    with pool.pooled_sandbox(limits(memory), warm_up) as sandbox:
        return sandbox


def test_the_next_task_gets_the_same_sandbox_emptied():
    with pool.pooled_sandbox(limits(1), False) as first:
        assert first.resets == 0
    assert first.resets == 1 and first.alive
    with pool.pooled_sandbox(limits(1), False) as second:
        assert second is first


def test_other_limits_or_warm_up_get_another_sandbox():
    first = used(1)
    other_limits, warmed = used(2), used(1, warm_up=True)
    assert other_limits is not first and other_limits.memory_limit == 2
    assert warmed is not first and warmed.warm_up


def test_two_tasks_at_once_never_share_a_sandbox():
    held, both_in = [], threading.Barrier(2)

    def task():
        with pool.pooled_sandbox(limits(1), False) as sandbox:
            held.append(sandbox)
            both_in.wait(timeout=10)

    threads = [threading.Thread(target=task) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert held[0] is not held[1]
    assert pool.close_pooled_sandboxes() == 2


def test_a_failed_task_closes_its_sandbox_instead_of_keeping_it():
    with pytest.raises(RuntimeError), pool.pooled_sandbox(limits(1), False) as box:
        raise RuntimeError("the worker failed")
    assert not box.alive
    with pool.pooled_sandbox(limits(1), False) as next_one:
        assert next_one is not box


def test_a_dead_sandbox_is_kept_without_a_reset_and_restarts_when_used():
    with pool.pooled_sandbox(limits(1), False) as died:
        died.alive = False  # its deadline passed: KernelSandbox.open starts anew
    assert died.resets == 0
    with pool.pooled_sandbox(limits(1), False) as again:
        assert again is died


def test_closing_closes_every_idle_sandbox_once():
    first, second = used(1), used(2)
    assert pool.close_pooled_sandboxes() == 2
    assert not first.alive and not second.alive
    assert pool.close_pooled_sandboxes() == 0
