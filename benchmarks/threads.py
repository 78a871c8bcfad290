"""Benchmark: PyTorch's CPU threads under load, today's default against nncourse's.

Trains chapter 07's recipe (``chapter_recipe`` of benchmarks/training.py) four
times, each in a fresh process because libgomp reads its settings when torch
loads:

- with PyTorch's default threads (``NNCOURSE_THREADS=off``, as before
  nncourse.threads) and with nncourse's policy (``nncourse.threads``);
- on a quiet machine, and with one competing process that spins on a core from
  before the training process starts (as when a book build shares the machine).

It prints the four training times, each policy's busy/quiet ratio and the
policy's quiet time over the default's. The goal: busy/quiet at most 2 for the
policy, and its quiet time no worse than the default's. ``--late`` adds two
runs in which the competitor starts only after ``import nncourse``, the case the
policy's thread count cannot foresee. A benchmark, not a test: run it on an
otherwise quiet machine, where "quiet" means quiet.

    NNCOURSE_DATA=../shared/data .venv/bin/python benchmarks/threads.py
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import time

POLICIES = {"default": "today's default", "policy": "nncourse policy"}
# Variables that would carry one run's thread settings into another's.
THREAD_VARIABLES = ("NNCOURSE_THREADS", "OMP_NUM_THREADS", "GOMP_SPINCOUNT")


def start_competitor() -> subprocess.Popen:
    """Another process busy on one core, running before the caller continues."""
    competitor = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    time.sleep(0.5)
    return competitor


def train_once(epochs: int, load: str) -> dict:
    """In a fresh process: set the threads as a chapter does, train, time it."""
    competitor = start_competitor() if load == "before" else None
    try:
        import nncourse

        nncourse.set_cpu_threads()  # before torch, as the chapters' set-up cells do
        import torch
        from training import chapter_recipe, run

        if load == "after":
            competitor = start_competitor()
        nncourse.seed_everything(0)
        with contextlib.redirect_stdout(io.StringIO()):  # run() prints each epoch
            _, history = run("chapter 07", *chapter_recipe(epochs))
    finally:
        if competitor is not None:
            competitor.kill()
            competitor.wait()
    seconds, accuracy = history[-1]
    return {
        "seconds": seconds,
        "accuracy": accuracy,
        "threads": torch.get_num_threads(),
    }


def measure(policy: str, load: str, epochs: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    if policy == "default":
        env["NNCOURSE_THREADS"] = "off"
    command = [sys.executable, __file__, "--child", load, "--epochs", str(epochs)]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{policy}, {load}: failed\n{result.stderr}")
    figures = json.loads(result.stdout.splitlines()[-1])
    print(
        f"  {POLICIES[policy]}, {load}: {figures['seconds']:.1f} s with "
        f"{figures['threads']} threads, test accuracy {figures['accuracy']:.2%}",
        flush=True,
    )
    return figures


def report(times: dict, loads: list[str]) -> None:
    print(f"\n{'training time':<18}" + "".join(f"{load:>9}" for load in loads))
    for policy, label in POLICIES.items():
        row = "".join(f"{times[policy, load]:>8.1f}s" for load in loads)
        ratios = ", ".join(
            f"{load}/quiet {times[policy, load] / times[policy, 'quiet']:.2f}"
            for load in loads[1:]
        )
        print(f"{label:<18}{row}   {ratios}")
    quiet = times["policy", "quiet"] / times["default", "quiet"]
    busy = times["policy", "before"] / times["default", "before"]
    print(f"policy/default: quiet {quiet:.2f}, busy {busy:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--late", action="store_true", help="also start it later")
    parser.add_argument(
        "--child", choices=["quiet", "before", "after"], help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(train_once(args.epochs, args.child)))
        return
    loads = ["quiet", "before"] + (["after"] if args.late else [])
    print(
        f"chapter 07's recipe, {args.epochs} epochs, {len(os.sched_getaffinity(0))} "
        f"CPUs, load average {os.getloadavg()[0]:.2f}; 'before': one competing "
        "busy process from the start, 'after': from after import nncourse"
    )
    times = {}
    for load in loads:
        for policy in POLICIES:
            times[policy, load] = measure(policy, load, args.epochs)["seconds"]
    report(times, loads)


if __name__ == "__main__":
    main()
