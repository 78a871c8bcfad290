"""Helpers shared by the chapters of *Neural networks with PyTorch*.

Notebooks import from here what more than one chapter needs:

- :func:`set_cpu_threads`, :func:`pick_device`, :func:`seed_everything` and
  :func:`is_grading` for every chapter's set-up cell
  (:mod:`nncourse.threads`, :mod:`nncourse.chapter_setup`);
- :mod:`nncourse.data` to load Fashion-MNIST (``NNCOURSE_DATA`` moves its folder);
- :mod:`nncourse.plots` for the recurring figures;
- :mod:`nncourse.checks` for the assertions that exercise tests make;
- :mod:`nncourse.training` for chapter 07's training and evaluation loops,
  which the later chapters import.

The instructor tools, which students never need: the command line
(:mod:`nncourse.cli`: ``nncourse release``, ``grade``, ``data``, ``links``), the
release (:mod:`nncourse.release`), the grading pipeline (:mod:`nncourse.grade`),
every notebook transformation as an nbconvert preprocessor
(:mod:`nncourse.preprocessors`), the kept wrong and right answers
(:mod:`nncourse.kept_answers`) and the book's link checks (:mod:`nncourse.links`).

Importing the package does no work: no I/O, no setting, no torch. Each process
that wants the course's thread policy asks for it (the set-up cell calls
:func:`set_cpu_threads`), and torch loads where a function needs it.
"""

from nncourse.chapter_setup import is_grading, pick_device, seed_everything
from nncourse.threads import set_cpu_threads

__all__ = ["is_grading", "pick_device", "seed_everything", "set_cpu_threads"]
