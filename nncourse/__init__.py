"""Helpers shared by the chapters of *Neural networks with PyTorch*.

Notebooks import from here what more than one chapter needs:

- :func:`pick_device`, :func:`seed_everything` and :func:`is_grading` for every
  chapter's set-up cell (:mod:`nncourse.chapter_setup`);
- :mod:`nncourse.data` to load Fashion-MNIST (``NNCOURSE_DATA`` moves its folder);
- :mod:`nncourse.plots` for the recurring figures;
- :mod:`nncourse.checks` for the assertions that exercise tests make;
- :mod:`nncourse.training` for chapter 07's training and evaluation loops,
  which the later chapters import;
- :mod:`nncourse.threads`, applied on import: PyTorch's CPU threads, chosen
  from the CPUs that other work leaves free.

The instructor tools, which students never need: the command line
(:mod:`nncourse.cli`: ``nncourse release``, ``grade``, ``data``, ``links``), the
release (:mod:`nncourse.release`), the grading pipeline (:mod:`nncourse.grade`),
every notebook transformation as an nbconvert preprocessor
(:mod:`nncourse.preprocessors`), the grader's wrong answers
(:mod:`nncourse.wrong_answers`) and the book's link checks (:mod:`nncourse.links`).
"""

# PyTorch's CPU threads (nncourse.threads): part of the policy must be in the
# environment before torch loads, the rest needs torch.
from nncourse import threads

threads.prepare_before_torch()

from nncourse.chapter_setup import is_grading, pick_device, seed_everything  # noqa: E402

threads.apply()

__all__ = ["is_grading", "pick_device", "seed_everything"]
