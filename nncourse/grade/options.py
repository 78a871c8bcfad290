"""What a grading run is asked to do, worked out once.

:meth:`GradeOptions.create` takes what the instructor chose (every argument
of ``nncourse grade``) and fills in the rest from the course: its chapters,
gradebook, cell time limit, memory limit and the seed of the inputs that
exercises are called on. The coordinator and every worker read the same
object; no default is written down twice.
"""

from __future__ import annotations

import copy
import json
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from traitlets.config import Config

from nncourse.course import Course
from nncourse.grade.bubblewrap import MEMORY_LIMIT, GiB
from nncourse.grade.collect import LMS_PATTERN

DEFAULT_WORKERS = 2
# Seconds per cell when the course's nbgrader config names no limit.
DEFAULT_CELL_TIMEOUT = 120
# A notebook's kernel is killed after this many cells' worth of time in all...
NOTEBOOK_TIMEOUT_CELLS = 5
# ...but never sooner than this many seconds.
MIN_NOTEBOOK_TIMEOUT = 600


@dataclass(frozen=True)
class Limits:
    """What a kernel may use; a notebook's grade depends on them."""

    cell_timeout: int  # seconds
    notebook_timeout: int  # seconds, all cells together (sandbox only)
    memory_limit: int  # bytes (sandbox only)
    sandbox: bool

    @property
    def memory(self) -> str:
        return f"{self.memory_limit / GiB:g} GB"

    def sandbox_config(self) -> dict:
        """The ``KernelSandbox`` settings these limits give a kernel."""
        return {
            "KernelSandbox": {
                "notebook_timeout": self.notebook_timeout,
                "memory_limit": self.memory_limit,
            }
        }


@dataclass
class GradeOptions:
    submissions: Path
    out: Path
    course: Course
    chapters: list[str]
    workers: int
    scheduler: str | None  # a running Dask scheduler, or None for a local one
    db_url: str  # the real gradebook
    pattern: str  # LMS file names
    limits: Limits
    config: Config  # the course's nbgrader config
    #: ``STUDENT/CHAPTER`` of flagged notebooks an instructor accepted
    accept: frozenset[str] = frozenset()
    #: the seed of the inputs that specced exercises are called on: drawn
    #: afresh for every run, the same for every student of the run
    probe_seed: int = field(default_factory=lambda: secrets.randbits(31))
    #: draw figures (PNG) in graded runs; no grade depends on a figure, and
    #: drawing them cost about a tenth of a student's grading CPU
    figures: bool = False

    def accepted(self, student: str, chapter: str) -> bool:
        return f"{student}/{chapter}" in self.accept

    def config_with(self, overrides: dict) -> Config:
        """The course's nbgrader config with ``overrides`` merged into a deep
        copy: ``Config()`` shares the course's sections, and merging into them
        would change ``config`` for every later use."""
        config = copy.deepcopy(self.config)
        config.merge(Config(overrides))
        return config

    @classmethod
    def create(
        cls,
        submissions: Path,
        out: Path,
        *,
        course: Course | None = None,
        chapters: list[str] | None = None,
        workers: int = DEFAULT_WORKERS,
        scheduler: str | None = None,
        db_url: str | None = None,
        timeout: int | None = None,
        notebook_timeout: int | None = None,
        unsafe: bool = False,
        pattern: str | None = None,
        accept: list[str] | None = None,
        figures: bool = False,
    ) -> GradeOptions:
        """Options from what was chosen; the course decides the rest."""
        course = course or Course.find()
        config = course.nbgrader_config()
        chapter_ids = chapters or course.chapters()
        cell_timeout = int(
            timeout
            or config.Execute.get("timeout")
            or config.ExecutePreprocessor.get("timeout")
            or DEFAULT_CELL_TIMEOUT
        )
        limits = Limits(
            cell_timeout=cell_timeout,
            notebook_timeout=notebook_timeout
            or max(MIN_NOTEBOOK_TIMEOUT, NOTEBOOK_TIMEOUT_CELLS * cell_timeout),
            memory_limit=config.KernelSandbox.get("memory_limit", MEMORY_LIMIT),
            sandbox=not unsafe,
        )
        return cls(
            submissions=Path(submissions),
            out=Path(out),
            course=course,
            chapters=chapter_ids,
            workers=workers,
            scheduler=scheduler,
            db_url=db_url or config.CourseDirectory.db_url,
            pattern=pattern or LMS_PATTERN,
            limits=limits,
            config=config,
            accept=frozenset(accept or ()),
            figures=figures,
        )

    def grading_inputs(self) -> dict:
        """Everything besides the notebook and the course that a grade
        depends on (the resume store's fingerprint), and whether the feedback
        has figures."""
        return {
            "limits": asdict(self.limits),
            "figures": self.figures,
            # the late-work policy: a resumed page must say what it costs now
            "late": json.dumps(self.config.get("LatePolicy", {}), default=str),
        }
