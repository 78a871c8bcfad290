"""Helpers shared by the chapters of *Neural networks with PyTorch*.

Notebooks import from here what more than one chapter needs:

- :func:`pick_device` and :func:`seed_everything` for every chapter's set-up cell,
  :func:`is_grading` to shrink long cells while nbgrader grades;
- :mod:`nncourse.data` to load Fashion-MNIST (``NNCOURSE_DATA`` moves its folder);
- :mod:`nncourse.plots` for the recurring figures;
- :mod:`nncourse.checks` for the assertions that exercise tests make.

The instructor tools (``nncourse release``, the book's notebook transformations)
live in :mod:`nncourse.cli`, :mod:`nncourse.release` and
:mod:`nncourse.preprocessors`; students never need them.
"""

from nncourse.setup import is_grading, pick_device, seed_everything

__all__ = ["is_grading", "pick_device", "seed_everything"]
